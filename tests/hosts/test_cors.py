"""Cross-origin calls to the snippet's APIs (guidance and support), through django-cors-headers
with each app's allowed origins: only those origins get CORS headers, no credentials, ETag exposed,
the preflight lets the snippet's headers through, and ``Origin: null`` is handled the same way by
both APIs."""

from __future__ import annotations

import json

import pytest

from support.models import SupportRequest

from .conftest import ORIGIN, OTHER_ORIGIN

pytestmark = pytest.mark.django_db
PAGE = "/api/v1/guidance/page"
CREATE = "/api/v1/support/requests"


def page(client, app, **headers):
    return client.get(PAGE, {"key": app.public_key, "url": "/"}, **headers)


def ask(client, app, **headers):
    body = {"message": "The export button does nothing", "email": "uma@acme.test",
            "app_key": app.public_key, "anonymous_id": "anon1abcd"}  # fmt: skip
    return client.post(CREATE, json.dumps(body), content_type="application/json", **headers)


@pytest.mark.parametrize("call", [page, ask])
def test_an_allowed_origin_gets_cors_headers_without_credentials(client, app, call):
    response = call(client, app, HTTP_ORIGIN=ORIGIN)
    assert response.status_code in (200, 201), response.content
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    assert "Access-Control-Allow-Credentials" not in response
    assert "origin" in response["Vary"].lower()
    if call is page:
        assert "ETag" in response["Access-Control-Expose-Headers"]


@pytest.mark.parametrize("call", [page, ask])
def test_a_disallowed_origin_gets_no_cors_headers(client, app, call):
    response = call(client, app, HTTP_ORIGIN="https://evil.test")
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.parametrize("call", [page, ask])
def test_another_apps_origin_gets_no_cors_headers_for_this_apps_key(client, app, other_app, call):
    response = call(client, app, HTTP_ORIGIN=OTHER_ORIGIN)
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response
    assert not SupportRequest.objects.exists()


@pytest.mark.parametrize(
    ("path", "method", "headers"),
    [(PAGE, "GET", "if-none-match"), (CREATE, "POST", "content-type, idempotency-key")],
)
def test_the_preflight_lets_the_snippets_headers_through(client, app, path, method, headers):
    response = client.options(
        path,
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS=headers,
    )
    assert response.status_code < 300
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    assert method in response["Access-Control-Allow-Methods"]
    allowed = {h.strip().lower() for h in response["Access-Control-Allow-Headers"].split(",")}
    assert {h.strip() for h in headers.split(",")} <= allowed
    refused = client.options(
        path, HTTP_ORIGIN="https://evil.test", HTTP_ACCESS_CONTROL_REQUEST_METHOD=method
    )
    assert "Access-Control-Allow-Origin" not in refused


@pytest.mark.parametrize("call", [page, ask])
def test_origin_null_is_refused_the_same_way_by_guidance_and_support(client, app, call):
    """A sandboxed iframe or a data: URL sends ``Origin: null``: not an allowed origin, whatever
    the app; both APIs refuse it (and never echo ``null`` back as an allowed origin)."""
    response = call(client, app, HTTP_ORIGIN="null")
    assert response.status_code == 403, response.content
    assert "Access-Control-Allow-Origin" not in response
    assert not SupportRequest.objects.exists()


def test_pages_outside_the_snippet_apis_get_no_cors_headers(client, app):
    response = client.get("/healthz", HTTP_ORIGIN=ORIGIN)
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.parametrize("call", [page, ask])
def test_origin_null_with_an_allowed_referer_is_accepted_but_never_echoed(client, app, call):
    """The same rule in both APIs: ``null`` is no origin, so the Referer's origin stands in (as
    for a same-origin GET); the answer still never says ``Access-Control-Allow-Origin: null``."""
    response = call(client, app, HTTP_ORIGIN="null", HTTP_REFERER=f"{ORIGIN}/billing")
    assert response.status_code in (200, 201), response.content
    assert "Access-Control-Allow-Origin" not in response
