"""The production embedders without their per-process query LRU, for the benchmark only.

``SentenceTransformerEmbedder.embed_query`` and ``E5Embedder.embed_query`` remember the last
2,048 query vectors. A benchmark that replays a fixed query list through every mode would hit
that cache after the first pass and stop measuring the embedding; these subclasses compute every
query vector (same model, same name), so each measured request pays for its embedding, as a
first-time query does in production.
"""

from search.embedders import E5Embedder, SentenceTransformerEmbedder


class UncachedSentenceTransformerEmbedder(SentenceTransformerEmbedder):
    def embed_query(self, text: str):
        return self.embed_one(text)


class UncachedE5Embedder(E5Embedder):
    def embed_query(self, text: str):
        return self.embed_one(text)


_HERE = "benchmarks.bench_embedder."
UNCACHED = {
    "search.embedders.SentenceTransformerEmbedder": _HERE + "UncachedSentenceTransformerEmbedder",
    "search.embedders.E5Embedder": _HERE + "UncachedE5Embedder",
}
