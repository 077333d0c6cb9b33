"""The engine on real help-centre pages: indexed on publish, permission-safe, explained."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kb.models import ArticlePage
from search.embedders import get_embedder
from search.engine import QueryError, SearchRequest, search
from search.indexing import index_sections, refresh_vocabulary
from search.models import PromotedResult, SearchDocument, Synonym
from search.sources import Section
from tests.factories import ArticlePageFactory, block, make_user


@pytest.fixture
def invoices(help_centre):
    body = [
        block("paragraph", "<p>Every month Plano emails you a PDF invoice.</p>"),
        block("heading", {"text": "Download an invoice", "level": "h2"}),
        block("paragraph", "<p>Open Settings, then Billing, and click Download PDF.</p>"),
        block("faq", {"question": "Can I add my VAT number?", "answer": "<p>Yes, in Billing.</p>"}),
    ]
    return ArticlePageFactory(
        parent=help_centre.category, title="Invoices and receipts", slug="invoices-receipts",
        summary="Find and download every invoice.", body=json.dumps(body),
    )  # fmt: skip


def run(query: str, user=None, **kwargs):
    return search(
        SearchRequest(query=query, locale=kwargs.pop("locale", "en"), user=user, **kwargs)
    )


def titles(result) -> list[str]:
    return [hit.title for hit in result.hits]


def test_publishing_indexes_sections_with_deep_links(invoices):
    result = run("download pdf invoice")
    top = result.hits[0]
    assert top.title == "Invoices and receipts"
    assert top.url.endswith("/invoices-receipts/#download-an-invoice")
    assert top.heading == "Download an invoice"
    assert "<mark>" in top.snippet
    assert set(top.explanation) >= {"matched_terms", "semantic_similarity", "parts", "promoted"}
    faq = SearchDocument.objects.get(object_id=str(invoices.pk), heading="Can I add my VAT number?")
    assert faq.body.startswith("Can I add my VAT number?")


def test_unpublished_and_draft_content_is_never_found(invoices):
    invoices.title = "Secret draft wording"
    invoices.save_revision()
    assert "Secret draft wording" not in titles(run("secret draft wording"))
    ArticlePage.objects.get(pk=invoices.pk).unpublish()
    assert not SearchDocument.objects.filter(object_id=str(invoices.pk)).exists()
    assert "Invoices and receipts" not in titles(run("download pdf invoice"))


def test_deleting_removes_from_the_index(invoices):
    invoices.delete()
    assert not SearchDocument.objects.filter(object_id=str(invoices.pk)).exists()


@pytest.mark.parametrize(
    ("who", "sees_restricted"), [("anonymous", False), ("customer", False), ("member", True)]
)
def test_restricted_articles_never_surface_for_the_wrong_visitor(help_centre, who, sees_restricted):
    user = {"anonymous": None, "customer": make_user("c"),
            "member": make_user("m", groups=[help_centre.enterprise])}[who]  # fmt: skip
    result = run("negotiated pricing", user=user)
    found = "Negotiated pricing" in titles(result)
    assert found == sees_restricted
    related = [i["title"] for s in result.next_steps if s["type"] == "related" for i in s["items"]]
    assert ("Negotiated pricing" in related + titles(result)) == sees_restricted


def test_spanish_searches_the_spanish_index(help_centre):
    result = run("cambia tu plan", locale="es")
    assert titles(result)[0] == "Cambia tu plan"
    assert all(hit.locale == "es" for hit in result.hits)


def test_synonyms_from_the_admin_apply_at_once(invoices):
    before = run("statement", semantic_ratio=0.0)
    assert "Invoices and receipts" not in titles(before)
    Synonym.objects.create(locale="en", terms="statement, invoice")
    after = run("statement", semantic_ratio=0.0)
    assert titles(after)[0] == "Invoices and receipts"


def test_promoted_result_comes_first_and_says_so(help_centre, invoices):
    PromotedResult.objects.create(
        locale="en", query="plan", source="article", object_id=str(invoices.pk)
    )
    result = run("change my plan")
    assert result.hits[0].title == "Invoices and receipts"
    assert result.hits[0].explanation["promoted"] is True


def test_promotion_of_a_restricted_article_is_not_shown_to_outsiders(help_centre):
    PromotedResult.objects.create(
        locale="en", query="plan", source="article", object_id=str(help_centre.enterprise_only.pk)
    )
    assert "Negotiated pricing" not in titles(run("change my plan"))


def test_semantic_ratio_moves_the_weight_between_the_parts(invoices):
    keyword = run("download pdf invoice", semantic_ratio=0.0).hits[0].explanation["parts"]
    semantic = run("download pdf invoice", semantic_ratio=1.0).hits[0].explanation["parts"]
    assert keyword["semantic"] == 0 and keyword["keyword"] > 0
    assert semantic["keyword"] == 0 and semantic["semantic"] > 0


def test_next_steps_always_offer_a_person_and_lead_with_it_when_unsure(invoices):
    confident = run("download my pdf invoice")
    assert confident.next_steps[0]["type"] == "read_section"
    assert confident.next_steps[-1]["type"] == "contact_human"
    lost = run("how do I bake sourdough bread at home")
    assert lost.answer_likely_missing
    assert lost.next_steps[0]["type"] == "contact_human"


def test_typos_get_a_did_you_mean_and_still_find_the_answer(invoices):
    result = run("dowload invoise")
    assert result.did_you_mean == "download invoice"
    assert titles(result)[0] == "Invoices and receipts"


@pytest.mark.parametrize(
    ("query", "kwargs", "message"),
    [("", {}, "Type something"), ("x" * 301, {}, "300"), ("ok", {"semantic_ratio": 2}, "between"),
     ("ok", {"limit": 0}, "limit"), ("a\x00b", {}, "characters")],
)  # fmt: skip
def test_bad_queries_raise_a_clear_error(db, query, kwargs, message):
    with pytest.raises(QueryError, match=message):
        run(query, **kwargs)


def test_unchanged_text_is_not_re_embedded_and_reindex_resumes(invoices, capsys):
    call_command("search_reindex")
    assert "0 embedded" in capsys.readouterr().out
    SearchDocument.objects.filter(object_id=str(invoices.pk)).update(embedding_model="old-model")
    call_command("search_reindex")
    out = capsys.readouterr().out
    assert "0 embedded" not in out and "embedded" in out


def test_queries_in_a_language_the_model_does_not_know_lean_on_keywords(help_centre, settings):
    """MiniLM is English-only: without a Spanish model, Spanish queries get the keyword-led
    default ratio; with one (the default install), the Spanish model's own ratio."""
    config = settings.FARO_SEARCH
    english = search(SearchRequest(query="change plan", locale="en"))
    spanish = search(SearchRequest(query="cambiar plan", locale="es"))
    assert english.semantic_ratio == config["SEMANTIC_RATIO"]
    assert spanish.semantic_ratio == config["EMBEDDERS"]["es"]["SEMANTIC_RATIO"]
    assert spanish.hits and spanish.hits[0].title == "Cambia tu plan"
    settings.FARO_SEARCH = {**config, "EMBEDDERS": {"default": config["EMBEDDERS"]["default"]}}
    spanish = search(SearchRequest(query="cambiar plan", locale="es"))
    assert spanish.semantic_ratio == config["SEMANTIC_RATIO_OTHER_LANGUAGES"]
    assert spanish.hits and spanish.hits[0].title == "Cambia tu plan"
    explicit = search(SearchRequest(query="cambiar plan", locale="es", semantic_ratio=0.5))
    assert explicit.semantic_ratio == 0.5  # a caller's choice always wins


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_vector_search_on_a_side_connection_finds_the_same(monkeypatch):
    """With persistent connections the vector search and the related articles (and, on indexes
    larger than the candidate pool, the similarity of keyword-only hits) run on other threads'
    own connections (search/parallel.py); the customer must get exactly the same answer."""
    embedder = get_embedder()
    for object_id, title, body in [
        ("refund", "Refund not showing up", "Where is my refund? It can take five days."),
        ("card", "Activate your card", "Your new card arrives in an envelope; activate it."),
        ("pin", "Change your PIN", "Pick a new PIN at any cash machine."),
    ]:
        section = Section(section="", title=title, body=body, locale="en", heading="",
                          position=0, url=f"/{object_id}/")  # fmt: skip
        index_sections("doc", object_id, [section], index_name="side", embedder=embedder)
    refresh_vocabulary("side")

    def run_and_trace():
        with CaptureQueriesContext(connection) as here:
            result = search(SearchRequest(query="my money never came back", locale="en",
                                          index_name="side"))  # fmt: skip
        nearest = [  # the query's nearest sections (not the top hit's neighbours)
            q for q in here.captured_queries if "ORDER BY d.embedding <=> '[" in q["sql"]
        ]
        return result, bool(nearest)

    alone, on_this_connection = run_and_trace()
    assert on_this_connection  # tests keep no connections: everything on this one
    # A tiny CONN_MAX_AGE counts as persistent, and the side connection is closed after use.
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0.001)
    side, on_this_connection = run_and_trace()
    assert not on_this_connection
    assert [hit.id for hit in side.hits] == [hit.id for hit in alone.hits]
    assert side.hits[0].id == "refund" and side.confidence == alone.confidence

    # the explanations and the related articles agree too
    assert [hit.explanation for hit in side.hits] == [hit.explanation for hit in alone.hits]
    assert side.next_steps == alone.next_steps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_side_connection_lost_while_idle_is_replaced(monkeypatch):
    """Side connections are not checked before each piece of work (a round trip each): when
    PostgreSQL dropped one while it was idle, the next search reconnects instead of failing."""
    section = Section(section="", title="Refund not showing up", body="It takes five days.",
                      locale="en", heading="", position=0, url="/refund/")  # fmt: skip
    index_sections("doc", "refund", [section], index_name="lost", embedder=get_embedder())
    refresh_vocabulary("lost")
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 600)
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", True)
    request = SearchRequest(query="where is my refund", locale="en", index_name="lost")
    assert search(request).hits[0].id == "refund"  # the side thread now keeps a connection
    assert terminate_other_connections() >= 1
    assert search(request).hits[0].id == "refund"
    terminate_other_connections()  # none may be left open when the test database is dropped


def terminate_other_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]
