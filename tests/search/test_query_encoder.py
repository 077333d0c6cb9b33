"""The fast path a query takes through its model (``search/packed_bert.py``) gives the vector the
model gives, for every query length, and steps aside when it cannot."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from search.embedders import SentenceTransformerEmbedder, embedder_for
from search.multilingual_e5 import QUERY_PREFIX, _encoder
from search.packed_bert import AGREEMENT, PackedEncoder, query_encoder

SENTENCE = "how do I move my invoices and reports to a new workspace without losing history"


def queries() -> list[str]:
    """One word up to well past the lengths warmed at start-up (64 tokens)."""
    words = SENTENCE.split() * 6
    return [" ".join(words[:n]) for n in (1, 3, 8, 15, 40, 90)]


def test_minilm_query_path_gives_the_models_vectors():
    embedder = SentenceTransformerEmbedder(threads=1)
    texts = queries()
    documents = embedder.embed(texts)  # batched, float32: what every section is indexed with
    fast = np.stack([embedder.embed_one(text) for text in texts])
    assert embedder._traced  # a fast path was built, not the eager fallback
    assert np.all(np.sum(fast * documents, axis=1) >= AGREEMENT)


def test_e5_query_path_gives_the_models_vectors():
    model = embedder_for("es").model
    texts = [text.replace("invoices", "facturas") for text in queries()]
    fast = model.encode(texts[:1], QUERY_PREFIX, fast=True)  # builds the fast path
    assert isinstance(model._graph, PackedEncoder)
    fast = np.stack([model.encode([text], QUERY_PREFIX, fast=True)[0] for text in texts])
    exact = model.encode(texts, QUERY_PREFIX)  # float32, batched with a padding mask
    assert np.all(np.sum(fast * exact, axis=1) >= AGREEMENT)


@pytest.fixture
def tiny_bert():
    """Two random BERT layers under ``PackedEncoder``'s names, and the float32 reference."""
    generator = torch.Generator().manual_seed(7)
    hidden, ff = 64, 128
    shapes = {"q": (hidden, hidden), "k": (hidden, hidden), "v": (hidden, hidden)}
    shapes |= {"ao": (hidden, hidden), "fi": (ff, hidden), "fo": (hidden, ff)}
    weights = {}
    for layer in range(2):
        for name, shape in shapes.items():
            weights[f"l{layer}.{name}.w"] = torch.randn(shape, generator=generator) * 0.1
            weights[f"l{layer}.{name}.b"] = torch.randn(shape[0], generator=generator) * 0.1
        for norm in ("aln", "oln"):
            weights[f"l{layer}.{norm}.w"] = torch.ones(hidden)
            weights[f"l{layer}.{norm}.b"] = torch.zeros(hidden)
    config = {"NL": 2, "NH": 4, "H": hidden, "eps": 1e-12}

    def reference(x):
        return _encoder(weights, config, x, None)

    example = torch.randn(1, 9, hidden, generator=generator)
    return weights, reference, example


def test_packed_layers_compute_what_the_reference_does(tiny_bert):
    weights, reference, example = tiny_bert
    with torch.inference_mode():
        chosen = query_encoder(weights, 2, 4, 1e-12, reference, example)
        assert chosen is not reference
        longer = torch.randn(1, 23, 64)
        cosine = torch.nn.functional.cosine_similarity(
            chosen(longer).mean(1), reference(longer).mean(1)
        )
    assert float(cosine) >= AGREEMENT


def test_a_path_that_disagrees_is_not_used(tiny_bert):
    """A model whose layers are not what ``PackedEncoder`` computes keeps its own forward."""
    weights, reference, example = tiny_bert

    def different_model(x):
        return reference(x) * torch.linspace(-1, 1, x.shape[-1])

    with torch.inference_mode():
        assert query_encoder(weights, 2, 4, 1e-12, different_model, example) is different_model
