"""The customer's journey: a consented, privacy-aware record of what they tried before asking.

Every part of Faro that sees a customer act (help-centre pages, the search API, community,
guidance events from the embedded snippet) calls ``record`` or ``record_for_visitor``; support
requests read it back with ``JourneyEvent.objects.of_visitor`` so agents see the searches, articles
and tips that came first. Without consent nothing is written here: anonymous aggregate counters
(search log, view counts) are kept elsewhere and hold no visitor link.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from .consent import has_consent
from .models import JourneyEvent
from .urls_safe import safe_or_empty
from .visitors import VISITOR_COOKIE, salted_digest

Kind = JourneyEvent.Kind
DATA_MAX_KEYS = 20
TEXT_MAX = 500
DEFAULT_RETENTION_DAYS = 90


def journey_visitor(request: HttpRequest) -> str:
    """The visitor hash a journey is keyed by: the first-party cookie's digest, else ``""``.

    The cookie is set by ``core.visitors.remember_visitor`` once a visitor consents or acts; a
    visitor without it has no journey to attach (and none is invented from their address).
    """
    raw = request.get_signed_cookie(VISITOR_COOKIE, default="", salt=VISITOR_COOKIE)
    return salted_digest("visitor", raw) if raw else ""


def snippet_visitor(app_key: str, anonymous_id: str) -> str:
    """The visitor hash for an embedded product's user (the snippet's random per-browser id)."""
    return salted_digest(f"snippet:{app_key}", anonymous_id) if anonymous_id else ""


def record(
    request: HttpRequest,
    kind: str,
    data: dict | None = None,
    *,
    page_url: str = "",
    locale: str = "",
    channel: str = "help_centre",
) -> JourneyEvent | None:
    """Record a help-centre step for the visitor behind ``request`` if they consented."""
    if not has_consent(request):
        return None
    user = request.user if request.user.is_authenticated else None
    visitor = journey_visitor(request)
    if not visitor and user is None:
        return None
    return record_for_visitor(
        visitor,
        kind,
        data,
        consented=True,
        user=user,
        page_url=page_url or request.path,
        locale=locale,
        channel=channel,
    )


def record_for_visitor(
    visitor: str,
    kind: str,
    data: dict | None = None,
    *,
    consented: bool,
    user=None,
    page_url: str = "",
    locale: str = "",
    channel: str = "snippet",
) -> JourneyEvent | None:
    """Record a step for an already-hashed visitor (the snippet's path). ``consented`` must be
    what the customer or the host site declared; without it nothing is written. The APIs refuse
    an unsafe ``page_url`` with a 400; here one that slipped through is dropped, never stored."""
    if not consented or kind not in Kind.values:
        return None
    return JourneyEvent.objects.create(
        created_at=timezone.now(),
        visitor=visitor,
        user=user,
        kind=kind,
        channel=channel,
        page_url=safe_or_empty(page_url)[:TEXT_MAX],
        locale=locale[:10],
        data=_bounded(data or {}),
    )


def _bounded(data: dict) -> dict:
    """Keep event payloads small: a few keys, short strings (no free-form blobs); a ``url`` is
    kept only when it is http(s) or a path here (agents see it as a link)."""
    out = {}
    for key, value in list(data.items())[:DATA_MAX_KEYS]:
        if key == "url":
            value = safe_or_empty(value)
        if isinstance(value, str):
            value = value[:TEXT_MAX]
        elif isinstance(value, list):
            value = value[:DATA_MAX_KEYS]
        out[str(key)[:50]] = value
    return out


def events_of(
    visitor: str = "", user=None, since_hours: int = 24 * 7, visitors: Iterable[str] = ()
) -> QuerySet:
    """The recent journey of a visitor (or several: the help centre's and the snippet's) and/or
    account, oldest first, in one query."""
    match = Q(pk__in=[])
    hashes = [v for v in (visitor, *visitors) if v]
    if hashes:
        match |= Q(visitor__in=hashes)
    if user is not None and getattr(user, "pk", None):
        match |= Q(user=user)
    since = timezone.now() - timedelta(hours=since_hours)
    return JourneyEvent.objects.filter(match, created_at__gte=since).order_by("created_at", "pk")


def purge_expired(now=None) -> int:
    """Delete events older than the retention limit; returns how many went."""
    days = getattr(settings, "FARO_JOURNEY_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _ = JourneyEvent.objects.filter(created_at__lt=cutoff).delete()
    return deleted
