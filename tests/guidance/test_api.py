"""The page API over HTTP: key and origin checks, CORS, ETag, matching with reasons, identity."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from guidance.models import PageArticle, Tip
from hosts.identity import sign_token as sign

from .conftest import ORIGIN

pytestmark = pytest.mark.django_db


def test_bad_key_origin_and_params_get_clear_errors(client, app, page_api):
    url = "/api/v1/guidance/page"
    missing = client.get(url, {"url": "/"}, HTTP_ORIGIN=ORIGIN)
    assert missing.status_code == 400 and "key" in missing.json()["error"]
    unknown = client.get(url, {"key": "pk_nope", "url": "/"}, HTTP_ORIGIN=ORIGIN)
    assert unknown.status_code == 403 and "Unknown" in unknown.json()["error"]
    evil = page_api(origin="https://evil.test")
    assert evil.status_code == 403 and "https://evil.test" in evil.json()["error"]
    assert "Access-Control-Allow-Origin" not in evil
    no_origin = client.get(url, {"key": app.public_key, "url": "/"})
    assert no_origin.status_code == 403
    assert page_api(locale="fr").status_code == 400
    assert page_api(traits="[1,2]").json()["error"].startswith("traits")
    # Same-origin GETs carry no Origin; the Referer's origin counts instead.
    referred = client.get(url, {"key": app.public_key, "url": "/"}, HTTP_REFERER=ORIGIN + "/x")
    assert referred.status_code == 200


def test_rotated_key_stops_working(app, page_api):
    old = app.public_key
    app.rotate()
    assert old != app.public_key
    assert page_api().status_code == 200
    app.public_key = old
    assert page_api().status_code == 403


def test_matching_tips_with_reasons_and_cors(app, make_tip, page_api, help_centre):
    make_tip(title="Billing banner", url_patterns="/billing/*", link_article=help_centre.public)
    make_tip(title="Everywhere", kind=Tip.Kind.TOOLTIP, selector="#new", priority=3)
    make_tip(title="Spanish only", locale="es")
    make_tip(title="Draft", publish=False)
    make_tip(title="Ended", show_until=timezone.now() - timedelta(minutes=1))
    PageArticle.objects.create(app=app, url_pattern="/billing/*", article=help_centre.public)
    response = page_api("https://app.acme.test/billing/invoices?x=1", locale="en")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    assert "origin" in response["Vary"].lower()
    data = response.json()
    assert [t["title"] for t in data["tips"]] == ["Everywhere", "Billing banner"]
    banner = data["tips"][1]
    assert banner["why"] == ["any locale", "URL matches /billing/*"]
    assert banner["link"]["url"].endswith("/en/billing/change-plan/")
    assert data["articles"] == [{"title": "Change your plan", "url": banner["link"]["url"]}]
    assert data["launcher"]["human_url"].endswith(f"/en/support/?from=snippet&app={app.public_key}")
    assert data["frustration"]["thresholds"]["rage_clicks"] == 5
    assert data["i18n"]["human"]
    spanish = page_api("/billing/", locale="es").json()
    assert {t["title"] for t in spanish["tips"]} == {"Everywhere", "Billing banner", "Spanish only"}
    by_title = {t["title"]: t for t in spanish["tips"]}
    assert by_title["Billing banner"]["link"]["url"].endswith("/es/facturacion/cambia-tu-plan/")


def test_restricted_articles_are_never_suggested(app, make_tip, page_api, help_centre):
    make_tip(title="Secret", link_article=help_centre.enterprise_only)
    PageArticle.objects.create(app=app, url_pattern="*", article=help_centre.customers_only)
    data = page_api("/").json()
    assert data["tips"][0]["link"] is None
    assert data["articles"] == []


def test_etag_gives_304_until_content_changes(client, app, make_tip, page_api):
    tip = make_tip(title="One")
    first = page_api("/")
    etag = first["ETag"]
    assert first["Cache-Control"].startswith("public")
    again = client.get(
        "/api/v1/guidance/page",
        {"key": app.public_key, "url": "/"},
        HTTP_ORIGIN=ORIGIN,
        HTTP_IF_NONE_MATCH=etag,
    )
    assert again.status_code == 304 and again["ETag"] == etag
    tip.title = "Two"
    tip.save_revision().publish()
    assert page_api("/")["ETag"] != etag


def test_signed_identity_unlocks_restricted_tips_and_unsigned_does_not(app, make_tip, page_api):
    make_tip(title="Pro admins", audience_rules="plan = pro\nrole = admin", restricted=True)
    make_tip(title="Free plan", audience_rules="plan = free")
    unsigned = page_api("/", traits=json.dumps({"plan": "pro", "role": "admin"})).json()
    assert [t["title"] for t in unsigned["tips"]] == []
    assert unsigned["identity"] == {"signed": False, "user": ""}
    free = page_api("/", traits=json.dumps({"plan": "free"}))
    assert [t["title"] for t in free.json()["tips"]] == ["Free plan"]
    assert free["Cache-Control"].startswith("private")
    signed = sign(app.secret, "u-42", {"plan": "pro", "role": "admin"}, ttl=60)
    data = page_api("/", **signed).json()
    assert [t["title"] for t in data["tips"]] == ["Pro admins"]
    assert data["identity"] == {"signed": True, "user": "u-42"}
    assert "signed traits: plan = pro; role = admin" in data["tips"][0]["why"]


def test_forged_or_expired_signatures_are_refused(app, page_api):
    forged = sign("sk_wrong", "u-42", {"plan": "pro"})
    response = page_api("/", **forged)
    assert response.status_code == 403 and "signature" in response.json()["error"]
    expired = sign(app.secret, "u-42", {"plan": "pro"}, ttl=-10)
    assert "expired" in page_api("/", **expired).json()["error"]
    tampered = sign(app.secret, "u-42", {"plan": "free"})
    tampered["identity"] = sign(app.secret, "u-42", {"plan": "pro"})["identity"][:-2] + "xx"
    assert page_api("/", **tampered).status_code == 403


def test_article_change_changes_the_tip_version(make_tip, page_api, help_centre):
    tip = make_tip(
        title="Read this", link_article=help_centre.public, reshow_on_article_change=True
    )
    before = page_api("/").json()["tips"][0]["version"]
    help_centre.public.save_revision().publish()
    tip.refresh_from_db()
    assert page_api("/").json()["tips"][0]["version"] != before


def test_preflight_and_rate_limit(client, app, page_api, settings):
    preflight = {"HTTP_ACCESS_CONTROL_REQUEST_METHOD": "POST"}
    ok = client.options("/api/v1/guidance/events", HTTP_ORIGIN=ORIGIN, **preflight)
    assert ok.status_code == 200 and ok["Access-Control-Allow-Origin"] == ORIGIN
    bad = client.options("/api/v1/guidance/events", HTTP_ORIGIN="https://evil.test", **preflight)
    assert "Access-Control-Allow-Origin" not in bad
    settings.FARO_GUIDANCE_RATES = {"page": "2/minute"}
    assert [page_api("/").status_code for _ in range(3)] == [200, 200, 429]


def test_schema_documents_the_guidance_api(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/v1/guidance/page", "/api/v1/guidance/events", "/api/v1/guidance/search"):
        assert path in schema
