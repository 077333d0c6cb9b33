"""The one HTTP edge (core/http.py): rate limits that cannot be walked around, and one error
envelope everywhere. Over real HTTP on the real database; rate counters are real rows."""

from __future__ import annotations

import pytest
from django.test import Client

from core.http import first_error

FEEDBACK = "/feedback/article/{}/"


def vote(client: Client, article_id: int, **headers) -> int:
    response = client.post(
        FEEDBACK.format(article_id), {"helpful": "yes"}, HTTP_ACCEPT="application/json", **headers
    )
    return response.status_code


def test_a_visitor_over_the_limit_still_uses_up_the_networks_room(help_centre, settings):
    """Before: ``visitor or network`` stopped counting the network once the visitor tripped, so
    one script could hammer away without ever filling its network's window."""
    settings.FARO_FEEDBACK_RATE = "1/hour"  # a network gets 5
    hammer = Client()
    codes = [vote(hammer, help_centre.public.pk) for _ in range(6)]
    assert codes[0] == 201 and set(codes[1:]) == {429}
    # Another visitor (a fresh browser) on the same network: its room is used up.
    assert vote(Client(), help_centre.public.pk) == 429


def test_rotating_the_user_agent_does_not_escape_the_search_limit(help_centre, settings):
    settings.FARO_SEARCH_RATE = "3/minute"
    client = Client()
    codes = [
        client.get("/api/v1/search", {"q": "plan"}, HTTP_USER_AGENT=f"bot/{n}").status_code
        for n in range(4)
    ]
    assert codes == [200, 200, 200, 429]


def test_a_fresh_anonymous_id_per_request_does_not_escape_the_support_limit(db, settings):
    settings.FARO_SUPPORT_RATE = "2/hour"
    client = Client()
    codes = []
    for n in range(3):
        body = {
            "message": "Where do I download my invoices?",
            "email": "casey@example.test",
            "anonymous_id": f"anon-{n:08d}",
        }
        codes.append(client.post("/api/v1/support/requests", body, content_type="application/json"))
    assert [r.status_code for r in codes] == [201, 201, 429]
    assert codes[-1]["Retry-After"].isdigit()
    assert codes[-1].json()["errors"]["request"]


def test_drf_errors_share_the_envelope(client, db):
    wrong_method = client.delete("/api/v1/search")
    assert wrong_method.status_code == 405
    assert wrong_method.json() == {"error": 'Method "DELETE" not allowed.'}
    bad_json = client.post("/api/v1/search/click", "{not json", content_type="application/json")
    assert bad_json.status_code == 400
    assert bad_json.json()["error"] == "The body is not valid JSON."


@pytest.mark.parametrize(
    ("errors", "message"),
    [
        ({"tags": {0: ["Not a valid string."]}}, "tags: Not a valid string."),
        ({"events": [{}, {"type": ["Not a valid choice."]}]}, "events: type: Not a valid choice."),
        ({"non_field_errors": ["Pick one."]}, "Pick one."),
        ({"email": ["Enter a valid email address."]}, "Enter a valid email address."),
        ({"q": ["Type something to search for."]}, "q: Type something to search for."),
        ({}, "Invalid request."),
    ],
)
def test_first_error_is_one_readable_sentence(errors, message):
    assert first_error(errors) == message
