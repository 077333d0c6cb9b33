"""Which web pages may call Faro cross-origin on behalf of a guidance app.

One check for every API the snippet calls: the guidance API (``api.py``) and the support API's
snippet path (``support/api.py``, which imports this module lazily so neither app needs the other
at import time). Deliberately small — models only, no views or search — so importing it never
pulls in the rest of guidance.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import HttpRequest
from django.utils.translation import gettext as _

from .models import GuidedApp


class Rejected(Exception):
    """A request the API refuses; ``status`` is the 4xx to answer with."""

    def __init__(
        self, message: str, status: int = 400, retry_after: int | None = None, field: str = ""
    ):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after
        self.field = field  # "key" or "origin" when one of them is the problem


def request_origin(request: HttpRequest) -> str:
    """``Origin`` when the browser sent one; same-origin GETs omit it, so fall back to the
    ``Referer``'s scheme://host:port."""
    origin = request.headers.get("Origin", "")
    if origin and origin != "null":
        return origin.rstrip("/").lower()
    parts = urlsplit(request.headers.get("Referer", ""))
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def authorise(key: str, origin: str) -> GuidedApp:
    """The active app named by ``key``, if ``origin`` is one it allows; else ``Rejected``."""
    if not key:
        raise Rejected(_("The app key is missing (key=…)."), 400, field="key")
    app = GuidedApp.objects.filter(public_key=key, active=True).first()
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


def allowed_anywhere(origin: str) -> bool:
    """For CORS preflights, which carry no key: does some active app list this origin? The
    request that follows is still checked against its own app by ``authorise``."""
    origin = (origin or "").rstrip("/").lower()
    return bool(origin) and any(
        app.origin_allowed(origin) for app in GuidedApp.objects.filter(active=True)
    )
