"""The snippet's "Talk to a person" path: a cross-origin POST from the host product to the support
API, checked against the guidance app's allowed origins, carrying the journey the snippet
recorded (tips seen, stuck signals) only with consent, and the host's signed identity."""

from __future__ import annotations

import json

import pytest

from core.models import JourneyEvent
from guidance.models import GuidedApp, Tip
from hosts.identity import sign_token as sign
from support.models import SupportRequest

pytestmark = pytest.mark.django_db
CREATE = "/api/v1/support/requests"
EVENTS = "/api/v1/guidance/events"
ORIGIN = "https://app.acme.test"


@pytest.fixture
def app() -> GuidedApp:
    return GuidedApp.objects.create(name="Acme", allowed_origins=ORIGIN)


@pytest.fixture
def tip(app) -> Tip:
    tip = Tip.objects.create(app=app, name="Exports", title="Exports", kind="banner", live=False)
    tip.save_revision().publish()
    return tip


def saw_tip(client, app: GuidedApp, tip: Tip, anon: str, consent: bool = True) -> None:
    """What the snippet's beacon does when it shows a tip (and the page view)."""
    batch = {
        "key": app.public_key,
        "anon": anon,
        "consent": consent,
        "url": f"{ORIGIN}/billing",
        "events": [{"type": "shown", "tip": tip.pk}, {"type": "frustration", "signal": "js_error"}],
    }
    response = client.post(EVENTS, json.dumps(batch), content_type="text/plain", HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 202, response.content


def ask(client, app: GuidedApp, origin: str = ORIGIN, key: str = "", **fields):
    body = {
        "message": "The export button does nothing",
        "email": "uma@acme.test",
        "app_key": key or app.public_key,
        "anonymous_id": "anon1abcd",
        "consent": True,
        "page_url": f"{ORIGIN}/billing",
        **fields,
    }
    headers = {"HTTP_ORIGIN": origin, "HTTP_IDEMPOTENCY_KEY": "k-1"}
    return client.post(CREATE, body, content_type="application/json", **headers)


def test_preflight_then_post_from_an_allowed_origin_carries_the_snippet_journey(client, app, tip):
    preflight = client.options(
        CREATE,
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type, idempotency-key",
    )
    assert preflight.status_code == 200  # answered by django-cors-headers (hosts/cors.py)
    assert preflight["Access-Control-Allow-Origin"] == ORIGIN
    assert "origin" in preflight["Vary"].lower()
    assert "POST" in preflight["Access-Control-Allow-Methods"]
    assert {"content-type", "idempotency-key"} <= set(
        preflight["Access-Control-Allow-Headers"].split(", ")
    )

    saw_tip(client, app, tip, "anon1abcd")
    saw_tip(client, app, tip, "someoneelse")
    response = ask(client, app)
    assert response.status_code == 201, response.content
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    assert "origin" in response["Vary"].lower()
    assert ask(client, app).json()["reference"] == response.json()["reference"]  # a double click

    request = SupportRequest.objects.get()
    assert request.channel == "snippet" and request.entry_point == "launcher"
    assert request.page_url == f"{ORIGIN}/billing" and request.consented
    shown = [e for e in request.journey if e["kind"] == JourneyEvent.Kind.TIP_SHOWN]
    assert len(shown) == 1 and shown[0]["data"]["tip"] == tip.pk
    assert [e["kind"] for e in request.journey].count(JourneyEvent.Kind.FRUSTRATION) == 1


def test_errors_from_an_allowed_origin_are_readable_by_the_snippet(client, app):
    response = ask(client, app, message="short")
    assert response.status_code == 400 and "message" in response.json()["errors"]
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    assert not SupportRequest.objects.exists()


@pytest.mark.parametrize("case", ["origin", "key", "inactive"])
def test_a_disallowed_origin_or_unknown_key_is_refused_and_creates_nothing(client, app, case):
    if case == "inactive":
        GuidedApp.objects.filter(pk=app.pk).update(active=False)
    origin = "https://evil.test" if case == "origin" else ORIGIN
    response = ask(client, app, origin=origin, key="pk_nope" if case == "key" else "")
    assert response.status_code == 403
    body = response.json()
    assert body["error"] and set(body["errors"]) == {"app_key" if case != "origin" else "origin"}
    assert "Access-Control-Allow-Origin" not in response
    assert not SupportRequest.objects.exists()
    preflight = client.options(
        CREATE, HTTP_ORIGIN="https://evil.test", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    assert "Access-Control-Allow-Origin" not in preflight  # the browser then refuses to send


def test_without_consent_no_journey_and_no_page_is_attached(client, app, tip):
    saw_tip(client, app, tip, "anon1abcd", consent=False)  # nothing written to the journey
    saw_tip(client, app, tip, "anon2abcd", consent=True)
    assert ask(client, app, consent=False, anonymous_id="anon2abcd").status_code == 201
    request = SupportRequest.objects.get()
    assert request.journey == [] and request.page_url == "" and not request.consented


def test_leaving_out_the_product_context_keeps_consent_but_drops_the_parts(client, app, tip):
    saw_tip(client, app, tip, "anon1abcd")
    remove = ["tips", "signals", "product_page", "page_url"]
    assert ask(client, app, remove=remove).status_code == 201
    request = SupportRequest.objects.get()
    assert request.consented and request.journey == [] and request.page_url == ""


def test_the_hosts_signed_guidance_identity_is_verified_and_its_journey_attached(client, app, tip):
    signed = sign(app.secret, "u-7", {"email": "u7@acme.test", "name": "Uma"}, ttl=600)
    # Guidance writes a signed user's journey under their id, whatever the anonymous id.
    batch = {"key": app.public_key, "anon": "anon9abcd", "consent": True, **signed,
             "events": [{"type": "shown", "tip": tip.pk}]}  # fmt: skip
    beacon = client.post(EVENTS, json.dumps(batch), content_type="text/plain", HTTP_ORIGIN=ORIGIN)
    assert beacon.status_code == 202 and beacon.json()["journey"] == 1
    response = ask(
        client, app, email="", anonymous_id="anon9abcd",
        identity=signed["identity"], identity_signature=signed["signature"],
    )  # fmt: skip
    assert response.status_code == 201, response.content
    request = SupportRequest.objects.get()
    assert request.identity_verified and request.external_id == "u-7"
    assert request.email == "u7@acme.test" and request.name == "Uma"
    assert [e["kind"] for e in request.journey] == [JourneyEvent.Kind.TIP_SHOWN]


def test_a_tampered_guidance_identity_is_not_trusted(client, app):
    signed = sign(app.secret, "u-7", {"email": "u7@acme.test"})
    response = ask(client, app, email="", identity=signed["identity"], identity_signature="00" * 32)
    assert response.status_code == 400 and "email" in response.json()["errors"]
    assert not SupportRequest.objects.exists()


def test_without_app_key_the_help_centre_path_is_unchanged(client, app):
    body = {"message": "Where is my invoice?", "email": "r@x.test"}
    response = client.post(CREATE, body, content_type="application/json")
    assert response.status_code == 201
    assert "Access-Control-Allow-Origin" not in response
