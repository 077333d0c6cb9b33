"""The contract every search backend and embedder must keep, run against each implementation.

New backends (say, Meilisearch for keywords) are added to the lists below and must pass the
same tests unchanged.
"""

from __future__ import annotations

import numpy as np
import pytest

from search.backends.base import Scope
from search.backends.pgvector import PgvectorBackend
from search.backends.postgres import PostgresKeywordBackend
from search.embedders import HashingEmbedder, get_embedder
from search.indexing import index_sections, refresh_vocabulary
from search.sources import Section

KEYWORD_BACKENDS = [PostgresKeywordBackend]
VECTOR_BACKENDS = [PgvectorBackend]
EMBEDDERS = [lambda: get_embedder(), lambda: get_embedder("es"), lambda: HashingEmbedder()]
INDEX = "contract"


def section(object_id: str, title: str, body: str, **extra) -> tuple[str, Section]:
    fields = {"locale": "en", "heading": "", "position": 0, "url": f"/{object_id}/"} | extra
    return object_id, Section(
        section=extra.pop("section", ""),
        title=title,
        body=body,
        **{k: v for k, v in fields.items() if k != "section"},
    )


DOCS = [
    section("refund", "Refund not showing up", "Where is my refund? It can take five days."),
    section("card", "Activate your card", "Your new card arrives in an envelope; activate it."),
    section("pin", "Change your PIN", "Pick a new PIN at any cash machine."),
    section("vip", "Negotiated refund terms", "Refund terms for partners.", audience="groups",
            audience_groups=[7]),
    section("members", "Card limits for members", "Limits for signed-in customers.",
            audience="customers"),
    section("es", "Facturación y canciones", "Descarga tus facturas.", locale="es"),
    section("api", "API keys", "Create keys for the refund API.", category="integrations/api",
            product_area="api"),
    section("other", "Refund in another index", "refund refund", ),
]  # fmt: skip


@pytest.fixture
def contract_index(db):
    embedder = get_embedder()
    for object_id, sec in DOCS:
        index = "elsewhere" if object_id == "other" else INDEX
        index_sections("doc", object_id, [sec], index_name=index, embedder=embedder)
    refresh_vocabulary(INDEX)
    refresh_vocabulary("elsewhere")


def scope(**kwargs) -> Scope:
    return Scope(**({"index_name": INDEX, "locale": "en"} | kwargs))


def ids(hits) -> list[str]:
    return [hit.object_id for hit in hits]


@pytest.mark.parametrize("backend_class", KEYWORD_BACKENDS)
class TestKeywordContract:
    def test_finds_by_words_and_ranks_rare_words_first(self, contract_index, backend_class):
        hits = backend_class().search("where is my refund", scope(), 10)
        assert ids(hits)[0] == "refund"
        assert "refund" in hits[0].matched

    def test_never_leaks_rows_outside_the_scope(self, contract_index, backend_class):
        backend = backend_class()
        assert ids(backend.search("refund terms partners", scope(), 10)) == ["refund", "api"]
        as_customer = scope(authenticated=True)
        assert "members" in ids(backend.search("card limits", as_customer, 10))
        assert "vip" not in ids(backend.search("refund terms", as_customer, 10))
        as_member = scope(authenticated=True, group_ids=(7,))
        assert "vip" in ids(backend.search("refund terms", as_member, 10))
        assert "vip" in ids(backend.search("refund terms", scope(see_all=True), 10))

    def test_filters_apply_inside_the_query(self, contract_index, backend_class):
        backend = backend_class()
        assert ids(backend.search("refund", scope(category="integrations"), 10)) == ["api"]
        assert ids(backend.search("refund", scope(product_area="api"), 10)) == ["api"]
        assert ids(backend.search("refund", scope(sources=("thread",)), 10)) == []
        assert ids(backend.search("refund", scope(category="integ"), 10)) == []

    def test_spanish_ignores_accents_and_stems(self, contract_index, backend_class):
        hits = backend_class().search("facturacion cancion", scope(locale="es"), 10)
        assert ids(hits) == ["es"]

    def test_score_completes_given_sections_only(self, contract_index, backend_class):
        backend = backend_class()
        all_hits = backend.search("card", scope(see_all=True), 10)
        scored = backend.score("card", scope(), [h.doc_id for h in all_hits])
        assert set(ids(scored.values())) == {"card"}  # "members" is out of scope

    def test_highlight_marks_matched_words(self, contract_index, backend_class):
        backend = backend_class()
        hit = backend.search("envelope", scope(), 1)[0]
        assert "\x02envelope\x03" in backend.highlight("envelope", scope(), hit.doc_id)

    def test_suggest_completes_the_last_word_and_respects_scope(
        self, contract_index, backend_class
    ):
        backend = backend_class()
        assert ids(backend.suggest("activ", scope(), 5)) == ["card"]
        assert ids(backend.suggest("card lim", scope(), 5)) == []
        assert ids(backend.suggest("card lim", scope(authenticated=True), 5)) == ["members"]

    def test_did_you_mean_fixes_unknown_words_only(self, contract_index, backend_class):
        backend = backend_class()
        assert backend.did_you_mean("refnud envelope", scope()) == "refund envelope"
        assert backend.did_you_mean("refund", scope()) is None


@pytest.mark.parametrize("backend_class", VECTOR_BACKENDS)
class TestVectorContract:
    def test_nearest_meaning_first(self, contract_index, backend_class):
        query = get_embedder().embed_query("I have not received my money back")
        assert ids(backend_class().search(query, scope(), 3))[0] == "refund"

    def test_filters_apply_before_the_limit(self, contract_index, backend_class):
        """Restricted rows closer to the query must not crowd out the visible one."""
        query = get_embedder().embed_query("negotiated refund terms for partners")
        assert ids(backend_class().search(query, scope(see_all=True), 1)) == ["vip"]
        assert ids(backend_class().search(query, scope(), 1)) != ["vip"]
        assert len(backend_class().search(query, scope(), 1)) == 1

    def test_score_and_neighbours_respect_scope(self, contract_index, backend_class):
        backend = backend_class()
        query = get_embedder().embed_query("card")
        everything = backend.search(query, scope(see_all=True), 20)
        scored = backend.score(query, scope(), [h.doc_id for h in everything])
        assert "vip" not in ids(scored.values()) and "members" not in ids(scored.values())
        refund = next(h for h in everything if h.object_id == "refund")
        neighbours = backend.neighbours(refund.doc_id, scope(), 5)
        assert "refund" not in ids(neighbours) and "vip" not in ids(neighbours)
        assert "other" not in ids(neighbours)  # another index


@pytest.mark.parametrize("make_embedder", EMBEDDERS)
def test_embedder_contract(make_embedder):
    embedder = make_embedder()
    texts = ["reset my password", "download an invoice"]
    batch = embedder.embed(texts)
    assert batch.shape == (2, embedder.dimensions) and embedder.name
    assert np.allclose(np.linalg.norm(batch, axis=1), 1.0, atol=1e-4)
    assert np.allclose(embedder.embed([texts[1]])[0], batch[1], atol=1e-5)
    query = embedder.embed_query(texts[0])
    assert np.isclose(np.linalg.norm(query), 1.0, atol=1e-4)
    if embedder.asymmetric:  # a query is read as a query: nearest its own text, not the same
        assert float(query @ batch[0]) > float(query @ batch[1])
    else:  # the same vector, to float32 precision (batched vs one text)
        assert float(query @ batch[0]) >= 0.9999
