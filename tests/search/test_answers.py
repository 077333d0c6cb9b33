"""The answer card: a sentence quoted from content the visitor may see, never invented, never
from a restricted article for an anonymous visitor, and not from an outdated article while a
current one answers. Real pages, real indexing on publish, real engine and API."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from search import answers
from search.engine import SearchRequest, search
from tests.factories import ArticlePageFactory, block, make_user

ROTATE = (
    "API keys never expire on their own. To rotate an API key, open Settings, then Developer, "
    "and click Regenerate next to the key. The old key stops working after one hour."
)
SECRET = (
    "Enterprise workspaces have a dedicated host. The dedicated host name for single sign-on is "
    "shown in Admin, then Security, under Identity provider."
)


def body(*paragraphs: str) -> str:
    return json.dumps([block("paragraph", f"<p>{text}</p>") for text in paragraphs])


@pytest.fixture
def keys(help_centre):
    return ArticlePageFactory(
        parent=help_centre.category, title="Manage API keys", slug="api-keys",
        summary="Create, rotate and revoke keys.", body=body(ROTATE),
        last_reviewed=date.today(),
    )  # fmt: skip


@pytest.fixture
def sso(help_centre):
    from kb.models import Audience

    return ArticlePageFactory(
        parent=help_centre.category, title="Single sign-on host", slug="sso-host",
        summary="Where to find your dedicated host.", body=body(SECRET),
        audience=Audience.CUSTOMERS,
    )  # fmt: skip


def run(query: str, user=None):
    return search(SearchRequest(query=query, locale="en", user=user))


def test_sentences_are_split_where_a_reader_would():
    text = "Open Settings. Then click Save!  Is it done? Yes.\nNext line 2 starts here."
    assert answers.split_sentences(text) == [
        "Open Settings.",
        "Then click Save!",
        "Is it done?",
        "Yes.",
        "Next line 2 starts here.",
    ]


def test_a_confident_search_quotes_the_sentence_that_answers(keys):
    result = run("how do I rotate an API key")
    assert not result.answer_likely_missing
    card = result.answer
    assert card is not None
    assert "To rotate an API key, open Settings" in card["text"]
    assert card["text"] in " ".join(ROTATE.split()) or card["text"].startswith("To rotate")
    assert card["title"] == "Manage API keys" and card["url"].endswith("/api-keys/")
    assert card["last_reviewed"] == date.today().isoformat() and card["caveat"] == ""
    assert "rotat" in card["matched_terms"]


def test_the_api_sends_the_card(client, keys):
    response = client.get("/api/v1/search", {"q": "rotate an API key", "locale": "en"})
    assert response.status_code == 200
    card = response.json()["answer"]
    assert card["text"].startswith("To rotate an API key")
    assert card["url"].endswith("/api-keys/")


def test_a_restricted_article_is_never_quoted_to_an_anonymous_visitor(client, sso, db):
    query = "where is the dedicated host name for single sign-on"
    anonymous = client.get("/api/v1/search", {"q": query, "locale": "en"}).json()
    card = anonymous["answer"]
    assert card is None or "dedicated host name" not in card["text"]
    assert all(hit["title"] != "Single sign-on host" for hit in anonymous["hits"])
    signed_in = run(query, user=make_user("dana"))
    assert signed_in.answer and "dedicated host name" in signed_in.answer["text"]


def test_no_card_when_the_answer_is_likely_missing(keys):
    result = run("recipe for banana bread with walnuts")
    assert result.answer_likely_missing
    assert result.answer is None


def test_an_outdated_article_is_quoted_only_when_nothing_current_answers(help_centre, keys):
    old = date.today() - timedelta(days=400)
    stale = ArticlePageFactory(
        parent=help_centre.category, title="Rotate API keys (old)", slug="rotate-old",
        summary="Rotate an API key.", last_reviewed=old,
        body=body("To rotate an API key, email support with the key name and wait a day."),
    )  # fmt: skip
    result = run("rotate an API key")
    assert result.answer["title"] == "Manage API keys"
    assert result.answer["caveat"] == ""
    keys.unpublish()
    result = run("rotate an API key")
    assert result.answer["title"] == stale.title
    assert result.answer["caveat"] == "review_due"
