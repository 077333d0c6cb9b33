"""What the agent reads: everything the customer did in the product, in words — the launcher's
searches with their result counts, tips by title and kind, where they seemed stuck (what they
clicked, on which page) — through the real events API, the journey and the admin timeline."""

from __future__ import annotations

import json
import re

import pytest
from django.utils.formats import date_format
from django.utils.timezone import localtime

from core.journey import snippet_visitor
from core.models import JourneyEvent
from support import journey

from ..guidance.conftest import ORIGIN, app, make_tip  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
ANON = "anon-words-12345"
PAGE = "https://app.acme.test/projects?tab=all"


def send(client, app, events):  # noqa: F811
    body = {"key": app.public_key, "anon": ANON, "consent": True, "url": PAGE, "events": events}
    return client.post(
        "/api/v1/guidance/events", json.dumps(body), content_type="text/plain", HTTP_ORIGIN=ORIGIN
    )


def lines(app) -> list[str]:  # noqa: F811
    visitor = snippet_visitor(app.public_key, ANON)
    events = JourneyEvent.objects.filter(visitor=visitor).order_by("pk")
    return [journey.describe(journey.snapshot(e)) for e in events]


def test_product_steps_reach_the_journey_in_words(client, app, make_tip):  # noqa: F811
    tip = make_tip(title="Invite your team", kind="tooltip", selector="#invite")
    tour = make_tip(title="Welcome to Plano", kind="tour", steps=[("step", {"title": "a"})])
    sync = make_tip(title="Is sync not working?", kind="modal", trigger="frustration")
    response = send(
        client,
        app,
        [
            {"type": "search", "detail": "export csv", "results": 3},
            {"type": "search", "detail": "zzqx", "results": 0},
            {"type": "opened", "detail": "Export your time entries"},
            {"type": "shown", "tip": tip.pk},
            {"type": "dismissed", "tip": tip.pk},
            {"type": "step", "tip": tour.pk, "step": 1},
            {"type": "frustration", "signal": "rage_click", "detail": "New export"},
            {"type": "offer", "signal": "rage_click"},
            {"type": "offer", "signal": "rage_click", "tip": sync.pk},
            {"type": "shown", "tip": sync.pk},
            {"type": "page"},
        ],
    )
    assert response.status_code == 202, response.content
    assert lines(app) == [
        "Searched “export csv” in the product (3 results)",
        "Searched “zzqx” in the product (no results)",
        "Opened the result “Export your time entries”",
        "Saw the tip “Invite your team” on /projects",
        "Closed the tip “Invite your team” on /projects",
        "Moved to step 2 of the tour “Welcome to Plano”",
        "Clicked “New export” again and again on /projects",
        "Was offered help (“Need a hand?”) on /projects",
        "Was offered help: “Is sync not working?” on /projects",
        "Saw the help offer “Is sync not working?” on /projects",
        "Opened /projects in the product",
    ]


def test_old_events_without_titles_still_read_as_sentences():
    old = {"kind": "tip_shown", "data": {"tip": 5}, "page_url": ""}
    assert journey.describe(old) == "Saw the tip “#5”"
    signal = {"kind": "frustration", "data": {"signal": "js_error"}, "page_url": "/x"}
    assert journey.describe(signal) == "Seemed stuck (js_error) on /x"
    help_centre = {"kind": "search", "channel": "help_centre", "data": {"q": "sso", "results": 1}}
    assert journey.describe(help_centre) == "Searched “sso” in the help centre (1 result)"


def test_launcher_search_event_is_bounded(client, app):  # noqa: F811
    too_many = send(client, app, [{"type": "search", "detail": "x", "results": 10**9}])
    assert too_many.status_code == 400 and "results" in too_many.json()["error"]
    long_query = send(client, app, [{"type": "search", "detail": "q" * 201}])
    assert long_query.status_code == 400


def test_agent_timeline_shows_words_and_a_readable_time(client, admin_client, app):  # noqa: F811
    from support.models import SupportRequest

    send(client, app, [{"type": "search", "detail": "export csv", "results": 3}])
    event = journey.snapshot(JourneyEvent.objects.get())
    request = SupportRequest.objects.create(
        reference="FR-WORDS1",
        message="Export does nothing",
        email="u@acme.test",
        journey=[event],
        consented=True,
    )
    html = admin_client.get(f"/admin/support/{request.pk}/").content.decode()
    timeline = re.search(r"<ol data-timeline>(.*?)</ol>", html, re.S)[1]
    assert "Searched “export csv” in the product (3 results)" in timeline
    assert "search ·" not in timeline  # no raw event codes
    shown = JourneyEvent.objects.get().created_at
    expected = date_format(localtime(shown), "SHORT_DATETIME_FORMAT")
    assert f">{expected}</time>" in timeline  # the site's own format, in its time zone
    assert not re.search(r"\d{4}-\d\d-\d\d\d\d:\d\d", timeline)  # the old "2026-12-0413:27"
