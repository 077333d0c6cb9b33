"""Privacy-safe identifiers for anonymous visitors.

Faro never stores raw IP addresses or raw cookie values: both are reduced to a salted SHA-256
digest, enough to count "one vote per visitor" and to rate-limit a network, useless for tracking a
person across sites. Rotating ``FARO_HASH_SALT`` unlinks old rows from new visitors.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponse

VISITOR_COOKIE = "faro_vid"
VISITOR_COOKIE_MAX_AGE = 365 * 86400


def salted_digest(kind: str, value: str) -> str:
    salt = settings.FARO_HASH_SALT or settings.SECRET_KEY
    return hashlib.sha256(f"{kind}:{salt}:{value}".encode()).hexdigest()


def client_ip(request: HttpRequest) -> str:
    """The client address as the first trusted proxy saw it (kept only in memory)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and getattr(settings, "FARO_TRUST_X_FORWARDED_FOR", False):
        return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def ip_hash(request: HttpRequest) -> str:
    return salted_digest("ip", client_ip(request))


def visitor_key(request: HttpRequest) -> tuple[str, str | None]:
    """Return (hashed visitor key, new cookie value or None).

    Signed-in people are keyed by account, so their vote follows them across devices; anonymous
    visitors by a random first-party cookie, set only when they act (no cookie on plain reads).
    """
    if request.user.is_authenticated:
        return salted_digest("user", str(request.user.pk)), None
    raw = request.get_signed_cookie(VISITOR_COOKIE, default="", salt=VISITOR_COOKIE)
    if raw:
        return salted_digest("visitor", raw), None
    raw = secrets.token_urlsafe(18)
    return salted_digest("visitor", raw), raw


def remember_visitor(response: HttpResponse, new_cookie: str | None) -> None:
    if new_cookie:
        response.set_signed_cookie(
            VISITOR_COOKIE,
            new_cookie,
            salt=VISITOR_COOKIE,
            max_age=VISITOR_COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=not settings.DEBUG and getattr(settings, "SESSION_COOKIE_SECURE", False),
        )
