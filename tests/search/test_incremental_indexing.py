"""Incremental indexing (issue 18): the vocabulary kept by delta equals a full rebuild, unchanged
sections are not written at all, two workers can index at once, publishes are coalesced, a
parent's publish leaves its subtree alone, and languages come from settings.LANGUAGES."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import override_settings
from django_tasks import default_task_backend

from search import languages
from search.embedders import HashingEmbedder
from search.indexing import (
    index_sections,
    refresh_vocabulary,
    remove_object,
    ts_config,
)
from search.models import IndexQueue, SearchDocument, SearchPosting, SearchTerm
from search.sources import OVERVIEW, Section

INDEX = "incremental"
EMBEDDER = HashingEmbedder()


@pytest.fixture(autouse=True)
def no_cross_lingual_model():
    """These tests are about rows, not the multilingual vector: keep the model out."""
    with override_settings(FARO_SEARCH={**settings.FARO_SEARCH, "CROSS_LINGUAL": {"EMBEDDER": ""}}):
        yield


def section(key: str, title: str, body: str, *, locale: str = "en", **extra) -> Section:
    fields = {"heading": "", "position": 0, "url": f"/{title}/"} | extra
    return Section(section=key, locale=locale, title=title, body=body, **fields)


def put(object_id: str, *sections: Section, index: str = INDEX) -> int:
    return index_sections("doc", object_id, list(sections), index_name=index, embedder=EMBEDDER)


def vocabulary(index: str = INDEX) -> dict:
    return {
        (t.locale, t.kind, t.word): t.documents for t in SearchTerm.objects.filter(index_name=index)
    }


def versions(table: str, where: str, params: list) -> dict:
    """Each row's xmin: the transaction that last wrote it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ctid::text, xmin::text FROM {table} WHERE {where}", params)
        return dict(cursor.fetchall())


def assert_vocabulary_is_rebuilt_the_same(index: str = INDEX) -> None:
    delta = vocabulary(index)
    refresh_vocabulary(index)
    assert delta == vocabulary(index)


@pytest.mark.django_db
def test_delta_vocabulary_equals_a_full_rebuild_after_creates_updates_and_deletes():
    put("a", section("", "Reset your password", "Open Settings, then Security."),
        section("faq", "Reset your password", "Forgot it? Use the sign-in link."))  # fmt: skip
    put("b", section("", "Download invoices", "Invoices are under Billing."))
    put("c", section("", "Cambia tu contraseña", "Abre Ajustes y luego Seguridad.", locale="es"))
    assert vocabulary()[("en", "lexeme", "password")] == 2
    assert vocabulary()[("en", "total", "")] == 3
    assert_vocabulary_is_rebuilt_the_same()
    # update: a word replaced, a section dropped, an overview row added; a heading changes length
    put("a", section("", "Reset your passphrase", "Open Settings, then Security."),
        section(OVERVIEW, "Reset your passphrase", "", overview="Reset passphrase"))  # fmt: skip
    put("b", section("", "Download invoices", "Invoices are under Billing.", heading="Where"))
    assert ("en", "lexeme", "password") not in vocabulary()  # no section has it any more
    assert vocabulary()[("en", "lexeme", "passphras")] == 1
    assert_vocabulary_is_rebuilt_the_same()
    # a locale change moves the object's words between locales
    put("b", section("", "Download invoices", "Invoices are under Billing.", locale="es"))
    assert_vocabulary_is_rebuilt_the_same()
    # delete
    remove_object("doc", "c", index_name=INDEX)
    remove_object("doc", "b", index_name=INDEX)
    assert not any(locale == "es" for locale, _, _ in vocabulary())
    assert_vocabulary_is_rebuilt_the_same()
    remove_object("doc", "a", index_name=INDEX)
    assert vocabulary() == {}


@pytest.mark.django_db
def test_an_unchanged_section_is_not_written_and_a_metadata_change_writes_only_its_row():
    first = section("", "Reset your password", "Open Settings, then Security.")
    other = section("faq", "Reset your password", "Use the sign-in link.")
    assert put("a", first, other) == 2
    docs = ("search_searchdocument", "index_name = %s", [INDEX])
    postings = ("search_searchposting", "index_name = %s", [INDEX])
    terms = ("search_searchterm", "index_name = %s", [INDEX])
    before = [versions(*table) for table in (docs, postings, terms)]
    assert put("a", first, other) == 0  # published again, nothing changed
    assert [versions(*table) for table in (docs, postings, terms)] == before
    # a new audience: one row and its postings' scope columns; no vector, no vocabulary
    assert put("a", section("", first.title, first.body, audience="customers"), other) == 0
    after = [versions(*table) for table in (docs, postings, terms)]
    assert len(set(after[0].items()) - set(before[0].items())) == 1
    assert after[2] == before[2]
    assert set(
        SearchPosting.objects.filter(index_name=INDEX).values_list("audience", flat=True)
    ) == {"customers", "public"}
    # one word of one section: only that section is written, the vocabulary by delta
    put("a", section("", first.title, "Open Settings, then Privacy.", audience="customers"), other)
    changed = set(versions(*docs).items()) - set(after[0].items())
    assert len(changed) == 1
    assert_vocabulary_is_rebuilt_the_same()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_indexing_at_once_neither_collide_nor_lose_counts():
    """Real concurrent transactions on two connections: the same words in every section (every
    worker updates the same vocabulary rows), objects shared between the workers."""
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def worker(name: str) -> None:
        try:
            start.wait()
            for round_ in range(6):
                for n in range(4):
                    body = f"invoice refund plan {name} {round_} " + "shared " * n
                    put(f"{name}-{n}", section("", f"Billing {n}", body))
                    put(f"both-{n}", section("", "Shared billing", f"invoice {name} {round_}"))
                remove_object("doc", f"{name}-{round_ % 4}", index_name=INDEX)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("w1", "w2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    delta = vocabulary()
    assert (
        delta[("en", "lexeme", "invoic")] == SearchDocument.objects.filter(index_name=INDEX).count()
    )
    assert_vocabulary_is_rebuilt_the_same()


@pytest.mark.django_db
def test_a_burst_of_publishes_enqueues_one_task_and_indexes_each_page_once(help_centre):
    from search.tasks import drain_queue

    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    ):
        default_task_backend.clear()
        for _ in range(3):
            for page in (help_centre.public, help_centre.customers_only, help_centre.public_es):
                page.save_revision().publish()
        names = [result.task.name for result in default_task_backend.results]
    assert names.count("drain_queue") == 1 and "index_page" not in names
    assert IndexQueue.objects.count() == 3
    drain_queue.call()
    assert not IndexQueue.objects.exists()


@pytest.mark.django_db
def test_publishing_a_category_leaves_its_articles_alone_unless_its_slug_changes(
    help_centre, django_capture_on_commit_callbacks
):
    where = ("search_searchdocument", "source = 'article' AND index_name = 'default'", [])
    before = versions(*where)
    assert before
    help_centre.category.save_revision().publish()
    assert versions(*where) == before
    category = help_centre.category
    category.slug = "billing-and-plans"
    with django_capture_on_commit_callbacks(execute=True):  # page_slug_changed is on commit
        category.save_revision().publish()
    urls = SearchDocument.objects.filter(
        object_id=str(help_centre.public.pk), section=""
    ).values_list("url", "category")
    assert list(urls) == [("/en/billing-and-plans/change-plan/", "billing-and-plans")]


@pytest.mark.django_db
def test_a_view_restriction_on_a_category_takes_its_articles_out_of_the_index(help_centre):
    from wagtail.models import PageViewRestriction

    article = str(help_centre.public.pk)
    assert SearchDocument.objects.filter(object_id=article, source="article").exists()
    PageViewRestriction.objects.create(
        page=help_centre.category, restriction_type=PageViewRestriction.LOGIN
    )
    assert not SearchDocument.objects.filter(object_id=article, source="article").exists()


@pytest.mark.django_db
def test_a_third_language_in_settings_gets_its_stemmer_and_its_vector_graph(capsys):
    with override_settings(LANGUAGES=[*settings.LANGUAGES, ("fr", "Français")]):
        created = languages.ensure_languages()
        assert created == ["faro_fr", "search_doc_embedding_fr"]
        call_command("search_languages")
        assert "Up to date" in capsys.readouterr().out  # idempotent
        assert ts_config("fr") == "faro_fr"
        put("f", section("", "Télécharger les factures", "Les factures sont dans Facturation.",
                         locale="fr"))  # fmt: skip
        assert vocabulary()[("fr", "lexeme", "factur")] == 1  # stemmed, accents folded
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'search_doc_embedding_fr'"
            )
            assert "WHERE ((locale)::text = 'fr'::text)" in cursor.fetchone()[0]
    assert ts_config("fr") == "faro_simple"  # not a site language: no stemming
    assert ts_config("en") == "faro_en" and ts_config("es-mx") == "faro_es"
