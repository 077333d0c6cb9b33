"""Which host app a call is for, which web pages may make it, and the app's secret.

One check for every API the snippet calls — the guidance API and the support API's snippet path —
so the two cannot drift apart. The apps themselves are still the ``guidance.GuidedApp`` table
(moving it is a later job); it is looked up through Django's app registry on each call, so importing
``hosts`` never imports guidance (no import cycle, and support works without guidance installed:
every key is then unknown and secrets come only from ``FARO_SNIPPET_SECRETS``).

The rule for ``Origin``: a browser's ``Origin`` header when it names a real origin; same-origin GETs
omit it, so the ``Referer``'s scheme://host:port stands in. ``Origin: null`` (sandboxed iframes,
``data:`` URLs) is no origin at all: only a ``Referer`` from an allowed page can stand in, and it
is never echoed back as an allowed CORS origin (``hosts.cors``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

CORS_APP_ATTR = "faro_cors_app"  # set on the request once a call is authorised (hosts.cors)


class Rejected(Exception):
    """A request the API refuses; ``status`` is the 4xx to answer with."""

    def __init__(
        self, message: str, status: int = 400, retry_after: int | None = None, field: str = ""
    ):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after
        self.field = field  # "key" or "origin" when one of them is the problem


def app_model() -> Any:
    """``guidance.GuidedApp``, or None when the guidance app is not installed."""
    return apps.get_model("guidance", "GuidedApp") if apps.is_installed("guidance") else None


def active_app(key: str) -> Any:
    """The active app with this public key, or None."""
    model = app_model()
    if not key or model is None:
        return None
    return model.objects.filter(public_key=key, active=True).first()


def secret_for(app_key: str) -> str:
    """The secret that signs identities for ``app_key``: ``FARO_SNIPPET_SECRETS`` (apps that call
    the support API from their server without a guidance app) first, then the active app's."""
    if not app_key:
        return ""
    secret = getattr(settings, "FARO_SNIPPET_SECRETS", {}).get(app_key, "")
    if not secret:
        app = active_app(app_key)
        secret = app.secret if app is not None else ""
    return secret


def request_origin(request: HttpRequest) -> str:
    """``Origin`` when the browser sent a real one; else the ``Referer``'s scheme://host:port."""
    origin = request.headers.get("Origin", "")
    if origin and origin != "null":
        return origin.rstrip("/").lower()
    parts = urlsplit(request.headers.get("Referer", ""))
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def authorise(key: str, origin: str) -> Any:
    """The active app named by ``key``, if ``origin`` is one it allows; else ``Rejected``."""
    if not key:
        raise Rejected(_("The app key is missing (key=…)."), 400, field="key")
    app = active_app(key)
    if app is None:
        raise Rejected(_("Unknown or rotated app key."), 403, field="key")
    if not origin:
        raise Rejected(
            _("The request has no Origin; call from the embedding page."), 403, field="origin"
        )
    if not app.origin_allowed(origin):
        raise Rejected(
            _("This origin is not allowed for the app: %s") % origin, 403, field="origin"
        )
    return app


def authorise_request(request: Any, key: str) -> Any:
    """``authorise`` for this request's origin, remembering the app on the request so that the
    CORS middleware answers with this app's origins only (``hosts.cors``). Takes Django's or DRF's
    request."""
    django_request = getattr(request, "_request", request)
    app = authorise(key, request_origin(django_request))
    setattr(django_request, CORS_APP_ATTR, app)
    return app


def allowed_anywhere(origin: str) -> bool:
    """For CORS preflights, which carry no key: does some active app list this origin? The
    request that follows is still checked against its own app by ``authorise``."""
    origin = (origin or "").rstrip("/").lower()
    model = app_model()
    if not origin or origin == "null" or model is None:
        return False
    return any(app.origin_allowed(origin) for app in model.objects.filter(active=True))
