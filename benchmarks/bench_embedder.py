"""The production embedder without its per-process query LRU, for the benchmark only.

``SentenceTransformerEmbedder.embed_query`` remembers the last 2,048 query vectors. A benchmark
that replays a fixed query list through every mode would hit that cache after the first pass and
stop measuring the embedding; this subclass computes every query vector (same model, same name),
so each measured request pays for its embedding, as a first-time query does in production.
"""

from search.embedders import SentenceTransformerEmbedder


class UncachedSentenceTransformerEmbedder(SentenceTransformerEmbedder):
    def embed_query(self, text: str):
        return self.embed_one(text)
