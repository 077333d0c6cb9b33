"""Answer-card feedback: "Did this answer your question?" stored on the search log (API and the
page's plain form), and "No, talk to a person" carrying the question and the card (looked up
again, under the visitor's permissions) to the support request the agent reads.
Real pages, indexing, engine, API and support request."""

from __future__ import annotations

import json

import pytest

from search.models import SearchQueryLog
from search.shown import resolve
from support.models import SupportRequest
from tests.factories import make_user
from tests.search.test_answers import keys, sso  # noqa: F401  (fixtures)

FEEDBACK = "/api/v1/search/answer-feedback"
QUESTION = "how do I rotate an API key"


def vote(client, query_id, helpful):
    return client.post(FEEDBACK, {"query_id": query_id, "helpful": helpful}, "application/json")


def searched(client, query: str = QUESTION) -> dict:
    response = client.get("/api/v1/search", {"q": query, "locale": "en"})
    assert response.status_code == 200
    return response.json()


def test_yes_is_stored_on_the_search_that_showed_the_card(client, keys):  # noqa: F811
    data = searched(client)
    assert data["answer"]
    log = SearchQueryLog.objects.get(pk=data["query_id"])
    assert log.answer["type"] == "article" and log.answer["id"] == str(keys.pk)
    response = client.post(
        FEEDBACK, {"query_id": data["query_id"], "helpful": True}, "application/json"
    )
    assert response.status_code == 201 and response.json() == {"recorded": True, "helpful": True}
    log.refresh_from_db()
    assert log.answer_helpful is True and log.answer_feedback_at is not None
    vote(client, data["query_id"], False)
    log.refresh_from_db()
    assert log.answer_helpful is False  # one verdict per search: the latest


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"query_id": "abc", "helpful": True},
        {"query_id": 1, "helpful": "maybe"},
        {"query_id": 0, "helpful": True},
        {"query_id": 10**30, "helpful": True},
        {"query_id": 1},
        [1, 2, 3],
    ],
)
def test_bad_input_is_a_400_with_a_message(client, db, payload):
    response = client.post(FEEDBACK, payload, "application/json")
    assert response.status_code == 400
    assert response.json()["error"]


def test_unknown_or_cardless_searches_cannot_be_judged(client, keys):  # noqa: F811
    missing = client.post(FEEDBACK, {"query_id": 999999, "helpful": True}, "application/json")
    assert missing.status_code == 400 and "No answer" in missing.json()["error"]
    data = searched(client, "recipe for banana bread with walnuts")
    assert data["answer"] is None
    cardless = client.post(
        FEEDBACK, {"query_id": data["query_id"], "helpful": True}, "application/json"
    )
    assert cardless.status_code == 400
    assert SearchQueryLog.objects.get(pk=data["query_id"]).answer_helpful is None


def test_another_visitor_cannot_vote_on_my_search(client, keys):  # noqa: F811
    data = searched(client)
    other = client.__class__(REMOTE_ADDR="203.0.113.9")
    response = other.post(
        FEEDBACK, {"query_id": data["query_id"], "helpful": False}, "application/json"
    )
    assert response.status_code == 400
    assert SearchQueryLog.objects.get(pk=data["query_id"]).answer_helpful is None


def test_feedback_is_rate_limited(client, keys, settings):  # noqa: F811
    settings.FARO_SEARCH_RATE = "2/minute"
    data = searched(client)
    codes = [
        client.post(
            FEEDBACK, {"query_id": data["query_id"], "helpful": True}, "application/json"
        ).status_code
        for _ in range(3)
    ]
    assert codes[-1] == 429


def test_the_schema_documents_the_endpoint(client, db):
    schema = json.loads(client.get("/api/v1/schema/", {"format": "json"}).content)
    operation = schema["paths"]["/api/v1/search/answer-feedback"]["post"]
    assert operation["operationId"] == "search_answer_feedback"
    assert {"201", "400", "429"} <= set(operation["responses"])


def test_the_page_form_records_no_and_opens_the_contact_form_with_the_answer(client, keys):  # noqa: F811
    page = client.get("/en/search/", {"q": QUESTION})
    assert b"data-answer-card" in page.content and b"To rotate an API key" in page.content
    query_id = page.context["query_id"]
    response = client.post("/en/search/answer-feedback/", {"query_id": query_id, "helpful": "no"})
    assert response.status_code == 303
    assert response["Location"].startswith("/en/support/?")
    assert SearchQueryLog.objects.get(pk=query_id).answer_helpful is False
    contact = client.get(response["Location"])
    assert "The answer we showed you" in contact.content.decode()
    assert contact.context["shown_answer"]["text"].startswith("To rotate an API key")
    assert contact.context["draft"] == QUESTION


def test_the_page_form_records_yes_and_thanks(client, keys):  # noqa: F811
    page = client.get("/en/search/", {"q": QUESTION})
    response = client.post(
        "/en/search/answer-feedback/", {"query_id": page.context["query_id"], "helpful": "yes"}
    )
    assert response.status_code == 303
    thanks = client.get(response["Location"])
    assert b"data-answer-thanks" in thanks.content and b"Glad it helped" in thanks.content
    bad = client.post("/en/search/answer-feedback/", {"query_id": "x", "helpful": "yes"})
    assert bad.status_code == 400


def test_the_request_keeps_the_answer_for_the_agent(client, keys):  # noqa: F811
    ref = f"article:{keys.pk}:"
    response = client.post(
        "/en/support/",
        {
            "step": "send", "message": "Regenerate does nothing for me.", "email": "a@example.com",
            "answer": ref, "question": QUESTION, "idempotency_key": "k1",
        },
    )  # fmt: skip
    assert response.status_code == 303
    stored = SupportRequest.objects.get().shown_answer
    assert stored["title"] == "Manage API keys" and stored["text"].startswith("To rotate")
    assert stored["ref"] == ref


def test_a_forged_reference_shows_nothing_restricted(client, sso):  # noqa: F811
    ref = f"article:{sso.pk}:"
    question = "where is the dedicated host name"
    assert resolve(ref, question, None, "en") is None
    assert resolve("article:1:<script>", question, None, "en") is None
    assert resolve(ref, question, make_user("dana"), "en")["text"].startswith("The dedicated host")
    page = client.get("/en/support/", {"q": question, "answer": ref})
    assert page.context["shown_answer"] is None
    assert b"Identity provider" not in page.content and b"data-shown-answer" not in page.content


def test_the_quote_is_escaped_plain_text(client, help_centre):
    from tests.factories import ArticlePageFactory
    from tests.search.test_answers import body

    ArticlePageFactory(
        parent=help_centre.category, title="Embed the widget", slug="embed-widget",
        summary="Paste one tag.",
        body=body("To embed the widget, paste &lt;img src=x onerror=alert(1)&gt; in the head."),
    )  # fmt: skip
    page = client.get("/en/search/", {"q": "how do I embed the widget"})
    assert page.context["result"].answer, "expected a confident card"
    html = page.content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img src=x" not in html
