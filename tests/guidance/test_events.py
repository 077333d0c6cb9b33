"""Event ingestion: batches from sendBeacon (text/plain JSON), per-tip daily counters, journey
only with consent, malformed payloads refused; and the launcher's search endpoint."""

from __future__ import annotations

import json

import pytest

from core.journey import snippet_visitor
from core.models import JourneyEvent
from guidance.models import FrustrationDailyStat, TipDailyStat
from hosts.identity import sign_token as sign

from .conftest import ORIGIN

pytestmark = pytest.mark.django_db
ANON = "anon-1234567890"


@pytest.fixture
def post(client, app):
    def send(events, *, consent=True, origin=ORIGIN, content_type="text/plain", **extra):
        body = {"key": app.public_key, "anon": ANON, "consent": consent, "events": events}
        return client.post(
            "/api/v1/guidance/events",
            json.dumps({**body, **extra}),
            content_type=content_type,
            HTTP_ORIGIN=origin,
        )

    return send


def test_batch_counts_per_tip_and_day_and_writes_the_journey(app, make_tip, post):
    tip = make_tip(title="Hello")
    events = [
        {"type": "shown", "tip": tip.pk, "url": "https://app.acme.test/billing"},
        {"type": "shown", "tip": tip.pk},
        {"type": "clicked", "tip": tip.pk},
        {"type": "step", "tip": tip.pk, "step": 1},
        {"type": "dismissed", "tip": tip.pk},
        {"type": "frustration", "signal": "rage_click", "detail": "Save"},
        {"type": "shown", "tip": 999999},
    ]
    response = post(events)
    assert response.status_code == 202, response.content
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    assert response.json() == {"accepted": 6, "ignored": 1, "journey": 6}
    stat = TipDailyStat.objects.get(tip=tip)
    assert (stat.shown, stat.clicked, stat.dismissed, stat.completed) == (2, 1, 1, 1)
    post([{"type": "shown", "tip": tip.pk}], content_type="application/json")
    stat.refresh_from_db()
    assert stat.shown == 3
    assert FrustrationDailyStat.objects.get(app=app, signal="rage_click").count == 1
    visitor = snippet_visitor(app.public_key, ANON)
    kinds = list(JourneyEvent.objects.filter(visitor=visitor).values_list("kind", flat=True))
    assert kinds.count("tip_shown") == 3 and "frustration" in kinds
    first = JourneyEvent.objects.filter(visitor=visitor).order_by("pk").first()
    assert first.channel == "snippet" and first.page_url == "https://app.acme.test/billing"


def test_without_consent_nothing_reaches_the_journey(app, make_tip, post):
    tip = make_tip(title="Hello")
    assert post([{"type": "shown", "tip": tip.pk}], consent=False).json()["journey"] == 0
    assert not JourneyEvent.objects.exists()
    assert TipDailyStat.objects.get(tip=tip).shown == 1  # anonymous counter, no visitor link


def test_signed_users_journey_follows_their_id(app, make_tip, post):
    tip = make_tip(title="Hello")
    post([{"type": "shown", "tip": tip.pk}], **sign(app.secret, "u-7"))
    assert JourneyEvent.objects.filter(visitor=snippet_visitor(app.public_key, "u-7")).exists()


def test_other_apps_tips_are_not_counted(app, make_tip, post):
    from guidance.models import GuidedApp

    other = GuidedApp.objects.create(name="Other", allowed_origins=ORIGIN)
    foreign = make_tip(title="Theirs", app=other)
    assert post([{"type": "clicked", "tip": foreign.pk}]).json()["ignored"] == 1
    assert not TipDailyStat.objects.exists()


@pytest.mark.parametrize(
    ("events", "extra", "message"),
    [
        ([], {}, "events"),
        ([{"type": "exploded", "tip": 1}], {}, "type"),
        ([{"type": "shown"}], {}, "needs a tip"),
        ([{"type": "frustration"}], {}, "signal"),
        ([{"type": "page"}] * 51, {}, "events"),
        ([{"type": "page"}], {"anon": "x"}, "anon"),
    ],
)
def test_malformed_batches_are_400(post, events, extra, message):
    response = post(events, **extra)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_bad_origin_and_garbage_body(client, app, post):
    assert post([{"type": "page"}], origin="https://evil.test").status_code == 403
    garbage = client.post(
        "/api/v1/guidance/events", "{not json", content_type="text/plain", HTTP_ORIGIN=ORIGIN
    )
    assert garbage.status_code == 400 and "error" in garbage.json()


def test_launcher_search_checks_the_key_and_finds_public_articles(client, app, help_centre):
    url = "/api/v1/guidance/search"
    assert client.get(url, {"key": app.public_key, "q": "plan"}).status_code == 403
    assert client.get(url, {"key": "bad", "q": "plan"}, HTTP_ORIGIN=ORIGIN).status_code == 403
    empty = client.get(url, {"key": app.public_key, "q": " "}, HTTP_ORIGIN=ORIGIN)
    assert empty.status_code == 400
    found = client.get(url, {"key": app.public_key, "q": "change plan"}, HTTP_ORIGIN=ORIGIN)
    assert found.status_code == 200
    hits = found.json()["hits"]
    assert hits[0]["title"] == "Change your plan"
    assert hits[0]["url"].startswith("http") and hits[0]["url"].endswith("/change-plan/")
    invoices = client.get(url, {"key": app.public_key, "q": "invoices"}, HTTP_ORIGIN=ORIGIN)
    assert "Download invoices" not in [h["title"] for h in invoices.json()["hits"]]
