"""Security headers: a Content-Security-Policy without inline script on help-centre and admin
pages (every environment, so the browser tests run under it), and production's HTTPS settings."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    assert header, "no Content-Security-Policy header"
    out = {}
    for part in header.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


class Scripts(HTMLParser):
    """Inline scripts (no src, not a JSON data block) and inline event handlers."""

    def __init__(self):
        super().__init__()
        self.inline, self.handlers = [], []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        self.handlers += [(tag, name) for name, _v in attrs if name.startswith("on")]
        kind = (found.get("type") or "").lower()
        if tag == "script" and "src" not in found and not kind.endswith("json"):
            self.inline.append(found.get("nonce"))


def assert_strict(response) -> None:
    policy = directives(response)
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and "frame-ancestors" in policy
    page = Scripts()
    page.feed(response.content.decode())
    assert page.handlers == [], page.handlers
    for nonce in page.inline:  # an inline script runs only with this response's nonce
        assert nonce and f"'nonce-{nonce}'" in policy["script-src"]


def test_help_centre_pages_have_a_strict_policy(client, help_centre):
    for url in ("/en/", help_centre.public.url, "/en/search/?q=plan", "/en/support/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(response)


def test_admin_pages_showing_visitor_input_have_a_strict_policy(admin_client, help_centre):
    strict = ("/admin/", "/admin/support/", "/admin/insights/", "/admin/community/moderation/")
    for url in strict:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert_strict(response)


def test_wagtail_editors_get_inline_script_and_nothing_else(admin_client, help_centre):
    """Wagtail's widgets write inline scripts without a nonce: allowed on its editing views
    only, and without a nonce (browsers ignore 'unsafe-inline' when a nonce is present)."""
    response = admin_client.get(f"/admin/pages/{help_centre.public.pk}/edit/")
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"]


def test_api_docs_run_without_inline_script(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert_strict(response)


def production(**env: str) -> dict:
    """Production settings as a fresh process sees them with this environment."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "FARO_P"))}
    environment.update({"DJANGO_SETTINGS_MODULE": "config.settings.production",
                        "SECRET_KEY": "p" * 40, "DATABASE_URL": "postgres://u@127.0.0.1:9/x",
                        **env})  # fmt: skip
    names = ["SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
             "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"]  # fmt: skip
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_production_is_https_only_by_default():
    values = production()
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    # X-Forwarded-Proto is trusted only when an operator says a proxy sets it.
    assert values["SECURE_PROXY_SSL_HEADER"] is None


def test_production_https_settings_come_from_the_environment():
    values = production(SECURE_SSL_REDIRECT="0", SECURE_HSTS_SECONDS="600",
                        SECURE_HSTS_INCLUDE_SUBDOMAINS="1",
                        FARO_PROXY_SSL_HEADER="X-Forwarded-Proto")  # fmt: skip
    assert values["SECURE_SSL_REDIRECT"] is False and values["SECURE_HSTS_SECONDS"] == 600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_hsts_header_is_sent_over_https(client, settings, help_centre):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/en/", secure=True)
    assert re.match(r"max-age=31536000", response.headers["Strict-Transport-Security"])
