"""The demo "host product": a small fictional app (Plano) that embeds the snippet the way a
customer would, on a different origin (``localhost`` vs ``127.0.0.1``) and under a strict
Content-Security-Policy, so the demo and the browser tests exercise the real conditions.

It is a development tool, not a feature: it exists only when ``demo_host_enabled()`` (DEBUG, or
``FARO_DEMO_HOST=1``), serves only the demo app, derives the snippet's origin from the request's
validated host (never from the query string: that was a reflected XSS through ``<script src>``
and the CSP header), and signs only the demo app's fixed demo user (its secret is public anyway).
No query value reaches a response header.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.request import split_domain_port
from django.shortcuts import render

from hosts.identity import sign_token

from .demo import DEMO_KEY
from .models import GuidedApp

LOOPBACK = {"127.0.0.1": "localhost", "localhost": "127.0.0.1"}


def demo_host_enabled() -> bool:
    """The demo host page and its URL exist only in development or when explicitly turned on."""
    return bool(settings.DEBUG or getattr(settings, "FARO_DEMO_HOST", False))


def other_origin(request: HttpRequest) -> str:
    """The help centre as seen from the host page: same port, the other loopback name (so the
    snippet really is cross-origin); any other host serves the snippet from itself.
    ``get_host`` has already checked the host against ALLOWED_HOSTS and its syntax."""
    domain, port = split_domain_port(request.get_host())
    host = LOOPBACK.get(domain, domain)  # an IPv6 literal keeps its brackets
    return f"{request.scheme}://{host}{':' + port if port else ''}"


def csp_for(faro_origin: str, nonce: str) -> str:
    """The directives docs/guidance.md asks a strict site to add for Faro (plus the host's own
    nonce). No 'unsafe-inline' anywhere: the widget styles itself with constructable
    stylesheets and the CSSOM, which style-src does not restrict."""
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src 'nonce-{nonce}' {faro_origin}",
            f"style-src 'nonce-{nonce}'",
            f"connect-src {faro_origin}",
            f"img-src 'self' data: {faro_origin}",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def demo_host(request: HttpRequest, subpath: str = "") -> HttpResponse:
    if not demo_host_enabled():
        raise Http404
    if request.GET.get("key", DEMO_KEY) != DEMO_KEY:
        return HttpResponseBadRequest("The demo host page serves only the demo app (no key=).")
    app = GuidedApp.objects.filter(public_key=DEMO_KEY, active=True).first()
    if app is None:
        raise Http404("No demo app: run `manage.py seed_demo`.")
    nonce = secrets.token_urlsafe(16)
    faro = other_origin(request)
    consent = request.GET.get("consent", "")
    context = {
        "app": app,
        "faro_origin": faro,
        "nonce": nonce,
        "locale": "es" if request.GET.get("lang") == "es" else "en",
        "consent": consent if consent in ("granted", "denied") else "",
        "identity": request.GET.get("identity", ""),
        "signature": request.GET.get("signature", ""),
    }
    if request.GET.get("as") == "pro":
        # What a host's server does for a signed-in user (never in the browser: needs the secret).
        signed = sign_token(app.secret, "demo-user-1", {"plan": "pro", "role": "admin"}, ttl=3600)
        context.update(signed)
    response = render(request, "guidance/demo_host.html", context)
    response["Content-Security-Policy"] = csp_for(faro, nonce)
    return response
