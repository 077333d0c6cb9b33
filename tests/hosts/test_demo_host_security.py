"""The demo host page (/demo-host/) as an attacker would use it on a real help centre: it must not
exist unless the operator turned it on (DEBUG or FARO_DEMO_HOST), must not take a script origin
from the query string (reflected XSS through ``<script src>`` and the CSP header), must not serve
or sign for any app but the demo app, and never answers a header-injection attempt with a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from guidance import demo
from guidance.models import GuidedApp

pytestmark = pytest.mark.django_db
DEMO = "/demo-host/"


@pytest.fixture
def demo_app(db) -> GuidedApp:
    return GuidedApp.objects.create(
        name=demo.DEMO_APP_NAME,
        public_key=demo.DEMO_KEY,
        secret=demo.DEMO_SECRET,
        allowed_origins="http://localhost:8000\nhttp://127.0.0.1:8000",
    )


@pytest.fixture
def enabled(settings, demo_app):
    settings.FARO_DEMO_HOST = True
    return demo_app


def test_the_demo_host_page_is_not_served_without_debug_or_the_setting(client, demo_app):
    """config/urls.py under the test settings (DEBUG off, FARO_DEMO_HOST unset)."""
    assert client.get(DEMO).status_code == 404
    assert client.get(DEMO + "billing/").status_code == 404


@pytest.mark.urls("tests.guidance.urls")
def test_the_view_itself_refuses_when_the_setting_is_off(client, demo_app, settings):
    """Even mounted (as the browser tests do), the view answers only when it is turned on."""
    settings.FARO_DEMO_HOST = False
    assert client.get(DEMO).status_code == 404
    settings.FARO_DEMO_HOST = True
    assert client.get(DEMO).status_code == 200


@pytest.mark.urls("tests.guidance.urls")
def test_the_script_origin_never_comes_from_the_query_string(client, enabled):
    response = client.get(DEMO, {"faro": "data:,alert(1)//"}, HTTP_HOST="localhost:8000")
    assert response.status_code == 200
    page, csp = response.content.decode(), response["Content-Security-Policy"]
    assert "alert(1)" not in page and "alert(1)" not in csp
    assert 'src="http://127.0.0.1:8000/static/faro/snippet/faro.js"' in page
    assert "script-src 'nonce-" in csp and " http://127.0.0.1:8000" in csp


@pytest.mark.urls("tests.guidance.urls")
def test_another_apps_key_is_refused_and_nothing_is_signed_for_it(client, enabled):
    other = GuidedApp.objects.create(name="Someone else", allowed_origins="https://x.test")
    response = client.get(DEMO, {"key": other.public_key, "as": "pro"})
    assert response.status_code == 400
    assert other.public_key not in response.content.decode()
    served = client.get(DEMO, {"key": demo.DEMO_KEY, "as": "pro"})
    assert served.status_code == 200 and "data-signature=" in served.content.decode()


@pytest.mark.urls("tests.guidance.urls")
@pytest.mark.parametrize("name", ["faro", "key", "lang", "consent", "as", "identity", "signature"])
def test_a_newline_in_any_query_value_is_never_a_500(enabled, name):
    client = Client(raise_request_exception=False)
    response = client.get(f"{DEMO}?{name}=x%0d%0aSet-Cookie:%20pwned=1")
    assert response.status_code < 500
    assert "pwned" not in str(response.headers)
