"""Privacy-safe identifiers for anonymous visitors.

Faro never stores raw IP addresses or raw cookie values: both are reduced to a salted SHA-256
digest, enough to count "one vote per visitor" and to rate-limit a network, useless for tracking a
person across sites. Rotating ``FARO_HASH_SALT`` unlinks old rows from new visitors.
"""

from __future__ import annotations

import hashlib
import ipaddress
import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponse

VISITOR_COOKIE = "faro_vid"
VISITOR_COOKIE_MAX_AGE = 365 * 86400


def salted_digest(kind: str, value: str) -> str:
    salt = settings.FARO_HASH_SALT or settings.SECRET_KEY
    return hashlib.sha256(f"{kind}:{salt}:{value}".encode()).hexdigest()


def _trusted(address: str, proxies: list[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def client_ip(request: HttpRequest) -> str:
    """The client's address (kept only in memory, then hashed).

    ``X-Forwarded-For`` is anyone's to write, so it counts only when the direct peer is one of
    ``FARO_TRUSTED_PROXIES`` (addresses or networks): then the header is read from the right,
    skipping further trusted proxies, and the first address they did not add is the client's.
    Otherwise the peer itself is the client, so a spoofed header cannot pick a rate-limit key.
    """
    peer = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "FARO_TRUSTED_PROXIES", [])
    if not proxies or not _trusted(peer, proxies):
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, proxies):
            return hop if _is_address(hop) else peer
    return hops[0] if hops and _is_address(hops[0]) else peer


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def ip_hash(request: HttpRequest) -> str:
    return salted_digest("ip", client_ip(request))


def hashed_ip_address(request: HttpRequest) -> str:
    """The client's salted IP hash dressed as an IPv6 address, for django-axes
    (``AXES_CLIENT_IP_CALLABLE``): its tables keep an address column, and this way they hold no
    real address while one client still maps to one value."""
    return str(ipaddress.IPv6Address(bytes.fromhex(ip_hash(request)[:32])))


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
