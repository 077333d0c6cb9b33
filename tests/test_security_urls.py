"""Attacker's tests: a URL a visitor or host product sends is stored only when it is http(s) (or a
path on this site); anything else is a 400 with a message, and staff pages never link it."""

from __future__ import annotations

import pytest

from core import journey
from core.models import JourneyEvent
from core.urls_safe import UnsafeURL, check_url, is_safe_link
from support.models import SupportRequest

CREATE = "/api/v1/support/requests"

HOSTILE = [
    "javascript:window.__pwned=1",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x00javascript:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.test/x",
    "/\\evil.test/x",
    "\\\\evil.test",
    "http:/evil.test",
    "https://",
    "ftp://files.test/x",
    "https://ok.test/\u200bx",
    "https://ok.test/a b",
    "mailto:a@b.test",
]
FINE = [
    "https://app.acme.test/billing?tab=2#top",
    "http://localhost:3000/x",
    "HTTPS://APP.ACME.TEST/",
    "/en/billing/change-plan/?q=%20",
    "https://ejemplo.test/facturación",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_hostile_urls_are_refused(url):
    with pytest.raises(UnsafeURL):
        check_url(url)
    assert not is_safe_link(url)


@pytest.mark.parametrize("url", FINE)
def test_http_urls_and_site_paths_are_kept(url):
    assert check_url(url) == url
    assert is_safe_link(url)


def test_a_path_is_refused_where_a_full_url_is_needed():
    with pytest.raises(UnsafeURL):
        check_url("/en/", allow_path=False)


@pytest.fixture(autouse=True)
def _run_on_commit(monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda fn, using=None, robust=False: fn())


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["javascript:window.__pwned=1", " data:text/html,x", "//evil.test"])
def test_support_api_refuses_a_script_page_url(client, url):
    body = {"message": "My export is broken again", "email": "a@x.test", "consent": True,
            "page_url": url}  # fmt: skip
    response = client.post(CREATE, body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert "page_url" in response.json()["errors"]
    assert "http" in response.json()["error"]
    assert not SupportRequest.objects.exists()


@pytest.mark.django_db
def test_support_api_keeps_an_https_page_url(client):
    body = {"message": "My export is broken again", "email": "a@x.test", "consent": True,
            "page_url": "https://app.acme.test/exports"}  # fmt: skip
    assert client.post(CREATE, body, content_type="application/json").status_code == 201


@pytest.mark.django_db
def test_the_contact_form_refuses_a_script_page_url_with_a_message(client, help_centre):
    form = {"step": "send", "message": "I cannot change my plan at all", "email": "c@x.test",
            "page_url": "javascript:window.__pwned=1"}  # fmt: skip
    response = client.post("/en/support/", form)
    assert response.status_code == 400
    assert b"http://" in response.content and b"javascript:" not in response.content
    assert not SupportRequest.objects.exists()


@pytest.mark.django_db
def test_the_contact_form_drops_a_script_page_link_it_was_opened_with(client, help_centre):
    query = {"message": "I cannot change my plan", "page": "javascript:x"}
    page = client.get("/en/support/", query)
    assert page.status_code == 200 and b"javascript:" not in page.content


@pytest.mark.django_db
def test_the_journey_never_stores_a_script_url():
    event = journey.record_for_visitor(
        "v1", "product_page", {"url": "javascript:alert(1)"}, consented=True,
        page_url="javascript:alert(1)",
    )  # fmt: skip
    event.refresh_from_db()
    assert event.page_url == "" and event.data["url"] == ""
    ok = journey.record_for_visitor("v1", "product_page", consented=True, page_url="/en/x/")
    assert JourneyEvent.objects.get(pk=ok.pk).page_url == "/en/x/"


@pytest.mark.django_db
def test_the_inbox_never_links_a_stored_script_url(admin_client, help_centre):
    """Rows written before the check (or by a bug) are still rendered as text, not links."""
    request = SupportRequest.objects.create(
        reference="FR-XSS001", message="hello there", email="a@x.test",
        page_url="javascript:window.__pwned=1", consented=True,
        journey=[{"at": "2026-01-01T10:00:00", "kind": "search_click", "channel": "snippet",
                  "page_url": "javascript:alert(2)",
                  "data": {"title": "Evil", "url": "javascript:alert(3)"}}],
    )  # fmt: skip
    page = admin_client.get(f"/admin/support/{request.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'href="javascript:' not in html.lower()
    assert "javascript:window.__pwned=1" in html  # still shown to the agent, as text
