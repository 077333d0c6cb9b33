"""The launcher's answer card: the engine's card (public articles only, links absolute) with a
``query_id`` for Yes/No, feedback stored on the search log, and "No" carrying the card to the
support request by reference (looked up again there). Real app, pages, index, engine, API."""

from __future__ import annotations

from search.models import SearchQueryLog
from support.models import SupportRequest
from tests.guidance.conftest import ORIGIN
from tests.search.test_answers import keys, sso  # noqa: F401  (fixtures)

QUESTION = "how do I rotate an API key"


def launcher(client, app, q: str = QUESTION):
    params = {"key": app.public_key, "q": q, "locale": "en"}
    return client.get("/api/v1/guidance/search", params, HTTP_ORIGIN=ORIGIN)


def feedback(client, app, query_id, helpful, key=None):
    body = {"key": key or app.public_key, "query_id": query_id, "helpful": helpful}
    return client.post(
        "/api/v1/guidance/answer-feedback", body, "application/json", HTTP_ORIGIN=ORIGIN
    )


def test_the_launcher_shows_the_card_and_keeps_the_verdict(client, app, keys):  # noqa: F811
    data = launcher(client, app).json()
    card = data["answer"]
    assert card["text"].startswith("To rotate an API key")
    assert card["url"].startswith("http") and "/api-keys/" in card["url"]
    assert card["ref"] == f"article:{keys.pk}:"
    assert SearchQueryLog.objects.get(pk=data["query_id"]).channel == "launcher"
    response = feedback(client, app, data["query_id"], True)
    assert response.status_code == 201
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    assert SearchQueryLog.objects.get(pk=data["query_id"]).answer_helpful is True


def test_bad_feedback_is_a_4xx_with_a_message(client, app, keys):  # noqa: F811
    data = launcher(client, app).json()
    assert feedback(client, app, data["query_id"], "perhaps").status_code == 400
    assert feedback(client, app, "one", True).json()["error"]
    assert feedback(client, app, 10**9, True).status_code == 400
    assert feedback(client, app, data["query_id"], True, key="nope").status_code in (400, 403)
    assert SearchQueryLog.objects.get(pk=data["query_id"]).answer_helpful is None


def test_a_restricted_article_is_never_quoted_in_the_launcher(client, app, sso):  # noqa: F811
    data = launcher(client, app, "where is the dedicated host name for single sign-on").json()
    assert data["answer"] is None or "dedicated host" not in data["answer"]["text"]


def test_no_carries_the_card_to_the_request_by_reference(client, app, keys, sso):  # noqa: F811
    data = launcher(client, app).json()
    body = {
        "message": "Regenerate does nothing for me.", "email": "a@example.com",
        "app_key": app.public_key, "answer": data["answer"]["ref"], "question": QUESTION,
    }  # fmt: skip
    response = client.post("/api/v1/support/requests", body, "application/json", HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 201, response.content
    stored = SupportRequest.objects.get().shown_answer
    assert stored["text"].startswith("To rotate an API key") and stored["title"] == keys.title
    # A reference to a customers-only article from an anonymous launcher resolves to nothing.
    forged = {**body, "answer": f"article:{sso.pk}:", "message": "Tell me the host name please."}
    response = client.post(
        "/api/v1/support/requests", forged, "application/json", HTTP_ORIGIN=ORIGIN
    )
    assert response.status_code == 201
    assert SupportRequest.objects.order_by("-created_at").first().shown_answer is None
