"""The demo "host product": a small fictional app (Plano) that embeds the snippet the way a
customer would, on a different origin (``localhost`` vs ``127.0.0.1``) and under a strict
Content-Security-Policy, so the demo and the browser tests exercise the real conditions."""

from __future__ import annotations

import secrets

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .identity import sign
from .models import GuidedApp

DEMO_APP_NAME = "Plano web app (demo)"


def other_origin(request: HttpRequest) -> str:
    """The help centre as seen from the host page: same port, the other loopback name."""
    host, _sep, port = request.get_host().partition(":")
    other = "localhost" if host == "127.0.0.1" else "127.0.0.1"
    return f"{request.scheme}://{other}{':' + port if port else ''}"


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
    key = request.GET.get("key", "")
    apps = GuidedApp.objects.filter(active=True)
    app = apps.filter(public_key=key).first() if key else apps.filter(name=DEMO_APP_NAME).first()
    if app is None:
        raise Http404("No demo app: run `manage.py seed_demo`.")
    nonce = secrets.token_urlsafe(16)
    faro = request.GET.get("faro") or other_origin(request)
    locale = "es" if request.GET.get("lang") == "es" else "en"
    context = {
        "app": app,
        "faro_origin": faro,
        "nonce": nonce,
        "locale": locale,
        "consent": request.GET.get("consent", ""),
        "identity": request.GET.get("identity", ""),
        "signature": request.GET.get("signature", ""),
    }
    if request.GET.get("as") == "pro":
        # What a host's server does for a signed-in user (never in the browser: needs the secret).
        signed = sign(app.secret, "demo-user-1", {"plan": "pro", "role": "admin"}, ttl=3600)
        context.update(signed)
    response = render(request, "guidance/demo_host.html", context)
    response["Content-Security-Policy"] = csp_for(faro, nonce)
    return response
