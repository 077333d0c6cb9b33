"""Cross-lingual search: content that exists only in another language is found, labelled, and
never shown twice or to a visitor who may not see it. Real models (MiniLM for English,
multilingual-e5-small for Spanish and the shared space), real PostgreSQL."""

from __future__ import annotations

import pytest
from django.test.utils import override_settings

from search import crosslingual
from search.engine import SearchRequest, search
from search.indexing import index_sections
from search.models import SearchDocument
from search.sources import Section
from tests.factories import ArticlePageFactory, block

pytestmark = pytest.mark.django_db


def run(query: str, locale: str, user=None, **kwargs):
    return search(SearchRequest(query=query, locale=locale, user=user, **kwargs))


def other_language(result) -> list[tuple[str, str]]:
    return [(hit.locale, hit.title) for hit in result.hits if hit.other_language]


@pytest.fixture
def spanish_only(help_centre):
    """An article written in Spanish that nobody has translated into English yet."""
    return ArticlePageFactory(
        parent=help_centre.category_es,
        title="Exportar tus datos a una hoja de cálculo",
        slug="exportar-hoja-de-calculo",
        summary="Descarga todos tus proyectos en un archivo de Excel.",
        body=[
            block(
                "paragraph",
                "<p>En Ajustes, elige Exportar y descarga un archivo de Excel con todos tus "
                "proyectos y tareas.</p>",
            )
        ],
    )


def test_every_section_carries_a_multilingual_vector(help_centre):
    rows = SearchDocument.objects.filter(object_id=str(help_centre.public.pk))
    assert rows.exists()
    for doc in rows:
        assert doc.embedding_xl is not None
        assert doc.translation_key == str(help_centre.public.translation_key)
    spanish = SearchDocument.objects.filter(object_id=str(help_centre.public_es.pk)).first()
    # Spanish's own model is the multilingual one: the vector is a copy, not a second embedding
    assert spanish.embedding_model == spanish.embedding_xl_model
    assert list(spanish.embedding) == list(spanish.embedding_xl)


def test_a_spanish_customer_finds_the_english_only_article_labelled(help_centre, customer):
    result = run("¿Cómo descargo mis facturas?", "es", user=customer)
    assert ("en", "Download invoices") in other_language(result)
    hit = next(h for h in result.hits if h.title == "Download invoices")
    assert hit.url.startswith("/") and "invoices" in hit.url
    assert hit.explanation["matched_terms"] == []


def test_an_english_visitor_finds_the_spanish_only_article(spanish_only):
    result = run("export my projects to an Excel spreadsheet", "en")
    assert ("es", spanish_only.title) in other_language(result)


def test_an_english_visitor_with_a_good_english_answer_pays_for_no_second_model(spanish_only):
    result = run("change your plan", "en")
    assert result.hits and result.hits[0].title == "Change your plan"
    assert other_language(result) == []


def test_a_translated_article_is_found_in_the_visitors_language_only(help_centre, customer):
    result = run("cambiar mi plan", "es", user=customer)
    titles = [(hit.locale, hit.title) for hit in result.hits]
    assert ("es", "Cambia tu plan") in titles
    assert ("en", "Change your plan") not in titles


def test_an_anonymous_visitor_never_gets_a_restricted_article_in_another_language(help_centre):
    for query in ("¿Cómo descargo mis facturas?", "precios negociados para empresas"):
        result = run(query, "es")
        ids = {hit.id for hit in result.hits}
        assert str(help_centre.customers_only.pk) not in ids
        assert str(help_centre.enterprise_only.pk) not in ids


def test_a_good_answer_in_the_visitors_language_comes_before_other_languages(help_centre, customer):
    result = run("cambiar mi plan", "es", user=customer)
    assert result.hits[0].locale == "es"
    seen_other = False
    for hit in result.hits:
        seen_other = seen_other or hit.other_language
        assert not (seen_other and not hit.other_language), "own language after another"


def test_a_category_filter_keeps_the_search_in_the_visitors_language(help_centre, customer):
    result = run("¿Cómo descargo mis facturas?", "es", user=customer, category="facturacion")
    assert other_language(result) == []


ONE_LANGUAGE = [("en", "English")]


@override_settings(LANGUAGES=ONE_LANGUAGE, WAGTAIL_CONTENT_LANGUAGES=ONE_LANGUAGE)
def test_a_one_language_site_does_no_cross_lingual_work():
    section = Section(section="", position=0, locale="en", title="Reset your password",
                      heading="", body="Ask for a recovery link.")  # fmt: skip
    index_sections("article", "1", [section], index_name="one-language")
    doc = SearchDocument.objects.get(index_name="one-language")
    assert doc.embedding is not None and doc.embedding_xl is None
    assert crosslingual.multilingual_embedder() is None


def test_the_api_and_the_page_label_the_other_language(client, help_centre, customer):
    client.force_login(customer)
    data = client.get("/api/v1/search", {"q": "¿Cómo descargo mis facturas?", "locale": "es"})
    assert data.status_code == 200
    hits = data.json()["hits"]
    english = [hit for hit in hits if hit["other_language"]]
    assert english and english[0]["locale"] == "en"
    page = client.get("/es/search/", {"q": "¿Cómo descargo mis facturas?"})
    html = page.content.decode()
    assert "También en inglés" in html
    assert 'hreflang="en"' in html
