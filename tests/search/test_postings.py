"""The keyword index's postings (search.models.SearchPosting): BM25 from the customer's words,
permission filters inside the per-word candidate scan, and postings that follow the sections."""

from __future__ import annotations

import pytest

from search.backends import postgres
from search.backends.base import Scope
from search.backends.postgres import PostgresKeywordBackend
from search.embedders import HashingEmbedder
from search.indexing import index_sections, refresh_vocabulary, remove_object
from search.models import SearchPosting
from search.sources import Section

INDEX = "postings"


def put(object_id: str, title: str, body: str, **extra) -> None:
    fields = {"locale": "en", "heading": "", "position": 0, "url": f"/{object_id}/"} | extra
    section = Section(section="", title=title, body=body, **fields)
    index_sections("doc", object_id, [section], index_name=INDEX, embedder=HashingEmbedder())


def search(query: str, **scope) -> list[str]:
    found = PostgresKeywordBackend().search(
        query, Scope(**({"index_name": INDEX, "locale": "en"} | scope)), 10
    )
    return [hit.object_id for hit in found]


@pytest.fixture
def few_per_word(monkeypatch):
    """Read only two candidates per word, as a large index would read a few hundred."""
    monkeypatch.setattr(postgres, "PER_TERM", 2)


@pytest.mark.django_db
def test_restricted_sections_do_not_crowd_out_what_a_visitor_may_see(few_per_word):
    # Three restricted sections are the strongest for "invoice"; the public one is weaker.
    for n in range(3):
        put(f"staff{n}", "Invoice invoice", "invoice invoice invoice", audience="customers")
    put("public", "Billing", "Where to find an invoice for last month.")
    refresh_vocabulary(INDEX)
    assert search("invoice") == ["public"]
    assert set(search("invoice", authenticated=True)) >= {"staff0", "staff1"}


@pytest.mark.django_db
def test_filters_apply_before_the_per_word_limit(few_per_word):
    for n in range(3):
        put(f"general{n}", "Export export", "export export export")
    put("api", "API", "Export from the API.", category="integrations/api")
    refresh_vocabulary(INDEX)
    assert search("export", category="integrations") == ["api"]


@pytest.mark.django_db
def test_a_rare_word_outranks_a_common_one_and_length_is_normalised():
    put("short", "Refund", "Refund delay.")
    put("long", "Refund", "Refund " + "account settings profile " * 30)
    for n in range(5):
        put(f"common{n}", "Account", "account account settings")
    refresh_vocabulary(INDEX)
    found = search("refund account")
    assert found[:2] == ["short", "long"]


@pytest.mark.django_db
def test_postings_follow_audience_changes_and_removal():
    put("doc", "Password reset", "Reset your password from the sign-in page.")
    refresh_vocabulary(INDEX)
    assert search("password") == ["doc"]
    # Same text, new audience: nothing is re-embedded, yet the postings carry the new audience.
    put("doc", "Password reset", "Reset your password from the sign-in page.", audience="customers")
    assert search("password") == []
    assert search("password", authenticated=True) == ["doc"]
    remove_object("doc", "doc", index_name=INDEX)
    assert not SearchPosting.objects.filter(index_name=INDEX).exists()
