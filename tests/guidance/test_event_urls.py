"""Attacker's tests: a host product (or anyone holding its public key) cannot store a script URL
in a visitor's journey through the events beacon; agents later see these URLs as links."""

from __future__ import annotations

import json

import pytest

from core.models import JourneyEvent

from .conftest import ORIGIN

pytestmark = pytest.mark.django_db
ANON = "anon-1234567890"
HOSTILE = ["javascript:window.__pwned=1", "data:text/html,<script>x</script>", "//evil.test/",
           "java\tscript:alert(1)", "vbscript:x"]  # fmt: skip


def send(client, app, events, **extra):
    body = {"key": app.public_key, "anon": ANON, "consent": True, "events": events, **extra}
    return client.post(
        "/api/v1/guidance/events", json.dumps(body), content_type="text/plain", HTTP_ORIGIN=ORIGIN
    )


@pytest.mark.parametrize("url", HOSTILE)
def test_a_script_url_on_the_batch_is_a_400(client, app, url):
    response = send(client, app, [{"type": "page"}], url=url)
    assert response.status_code == 400, response.content
    assert "http" in response.json()["error"]
    assert not JourneyEvent.objects.exists()


@pytest.mark.parametrize("url", HOSTILE)
def test_a_script_url_on_one_event_is_a_400(client, app, url):
    response = send(client, app, [{"type": "page", "url": url}, {"type": "offer"}])
    assert response.status_code == 400, response.content
    assert "url" in response.json()["error"]
    assert not JourneyEvent.objects.exists()


def test_http_urls_and_paths_are_recorded(client, app):
    events = [{"type": "page", "url": "https://app.acme.test/reports?x=1"}, {"type": "offer"}]
    assert send(client, app, events, url="/reports").status_code == 202
    urls = sorted(JourneyEvent.objects.values_list("page_url", flat=True))
    assert urls == ["/reports", "https://app.acme.test/reports?x=1"]


def test_the_page_api_refuses_a_script_url(client, app):
    query = {"key": app.public_key, "url": "javascript:alert(1)"}
    response = client.get("/api/v1/guidance/page", query, HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 400 and "url" in response.json()["error"]
