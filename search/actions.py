"""Named write operations around search: rate limits, the query log and click recording.

Views (the API in ``search/api.py`` and the page in ``frontend/search_views.py``) validate
input, call ``search.engine.search`` and then these functions, so both channels log and limit
identically.
Nothing here stores an IP address: visitors are reduced to salted hashes (``core.visitors``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from core import http, journey, ratelimit
from core.durability import relaxed_commit
from core.visitors import ip_hash, visitor_key

from .engine import SearchRequest, SearchResult
from .models import SearchClick, SearchDocument, SearchQueryLog

# Overridable in settings; a search costs an embedding and two index queries, a suggestion one
# cheap prefix query, and the page fires one suggestion per pause in typing.
DEFAULT_SEARCH_RATE = "60/minute"
DEFAULT_SUGGEST_RATE = "300/minute"
NETWORK_FACTOR = http.NETWORK_FACTOR
TOP_RESULTS_LOGGED = 10


def _journey_step(request, kind: str, data: dict, page_url: str = "") -> None:
    """Add a step to the visitor's journey (``core.journey``: only with their consent)."""
    if request is not None:
        journey.record(request, kind, data, page_url=page_url)


RateLimited = http.RateLimited  # raised by check_rate (core.http: one edge for every app)


class ClickError(ValueError):
    """A click that cannot be recorded (unknown query); the message is safe to show."""


def session_hash(request: HttpRequest) -> str:
    """A salted, anonymous key for "the same visitor", for the log and the rate limits.

    Signed-in people and visitors who already carry Faro's first-party cookie are keyed as
    ``core.visitors`` keys them. Searching is a read, and reads never set a cookie, so anyone else
    gets a digest of their (already salted) network hash and today's date: it groups one day's
    searches without a cookie and cannot be linked across days or back to an address. Nothing
    the client can rotate freely (such as its User-Agent) is part of it, so it cannot be used to
    step around the per-visitor rate limit.
    """
    hashed, new_cookie = visitor_key(request)
    if new_cookie is None:
        return hashed
    day = datetime.now(UTC).date().isoformat()
    return hashlib.sha256(f"search-session:{day}:{ip_hash(request)}".encode()).hexdigest()


def rate_for(kind: str) -> ratelimit.Rate:
    """The configured rate for ``search``, ``suggest`` or ``click`` (clicks share search's)."""
    if kind == "suggest":
        text = getattr(settings, "FARO_SUGGEST_RATE", DEFAULT_SUGGEST_RATE)
    else:
        text = getattr(settings, "FARO_SEARCH_RATE", DEFAULT_SEARCH_RATE)
    return ratelimit.Rate.parse(text)


def check_rate(kind: str, request: HttpRequest, visitor: str | None = None) -> None:
    """Count one request per visitor and per network; raise ``RateLimited`` when over.

    Both are counted (``core.http.check_rate``) so that a script rotating cookies is still held
    by its address, while a shared address gets ``NETWORK_FACTOR`` times a visitor's room.
    """
    http.check_rate(
        f"search:{kind}",
        rate_for(kind),
        visitor=visitor or session_hash(request),
        network=ip_hash(request),
        factor=NETWORK_FACTOR,
    )


def filters_of(search_request: SearchRequest) -> dict:
    """The filters a search ran with, only those set (what the log's ``filters`` holds)."""
    filters: dict = {"limit": search_request.limit}
    if search_request.sources:
        filters["type"] = list(search_request.sources)
    if search_request.category:
        filters["category"] = search_request.category
    if search_request.product_area:
        filters["product_area"] = search_request.product_area
    return filters


def log_search(
    search_request: SearchRequest,
    result: SearchResult,
    *,
    channel: str,
    session: str,
    request: HttpRequest | None = None,
) -> SearchQueryLog:
    """Record one search as run (normalised query, filters, what came back, how sure, how fast).

    The log feeds search analytics (queries without answers, click-through); it holds no account
    and no address, only ``session`` (see ``session_hash``).
    """
    with relaxed_commit():  # analytics: see core.durability
        log = _create_log(search_request, result, channel, session)
    _journey_step(
        request,
        "search",
        {"q": result.query, "results": result.total, "query_id": log.pk, "channel": channel},
    )
    return log


def _create_log(
    search_request: SearchRequest, result: SearchResult, channel: str, session: str
) -> SearchQueryLog:
    return SearchQueryLog.objects.create(
        session_hash=session,
        query=result.query[:500],
        locale=result.locale,
        semantic_ratio=result.semantic_ratio,
        filters=filters_of(search_request),
        result_count=result.total,
        top_results=[
            {"type": hit.type, "id": hit.id, "section": hit.section}
            for hit in result.hits[:TOP_RESULTS_LOGGED]
        ],
        confidence=result.confidence,
        answer_likely_missing=result.answer_likely_missing,
        latency_ms=result.latency_ms,
        channel=channel,
        answer=shown_answer(result.answer),
    )


def shown_answer(answer: dict | None) -> dict | None:
    """What the log keeps of an answer card: which section was quoted (not the quote itself,
    which the index can give again)."""
    if not answer:
        return None
    section = answer.get("url", "").partition("#")[2]
    return {"type": answer["type"], "id": answer["id"], "section": section[:120]}


def answer_ref(answer: dict | None) -> str:
    """``source:id:section``: how a page or the launcher names the quoted section to support
    (``search.shown.resolve`` looks it up again, under the visitor's own permissions)."""
    return logged_ref(shown_answer(answer))


def logged_ref(shown: dict | None) -> str:
    """``answer_ref`` of what the log kept (``SearchQueryLog.answer``)."""
    return f"{shown['type']}:{shown['id']}:{shown['section']}" if shown else ""


def record_answer_feedback(
    query_id: int, helpful: bool, request: HttpRequest | None = None
) -> SearchQueryLog:
    """Store whether the answer card of a logged search helped; a later click replaces an
    earlier one (one verdict per search). Only a search that showed a card can be judged, and
    only by the visitor who ran it (same anonymous session), so ids cannot be voted on in bulk."""
    log = SearchQueryLog.objects.filter(pk=query_id).first()
    if log is None or not log.answer:
        raise ClickError(_("No answer was shown for this query_id."))
    if request is not None and log.session_hash and log.session_hash != session_hash(request):
        raise ClickError(_("No answer was shown for this query_id."))
    log.answer_helpful = helpful
    log.answer_feedback_at = datetime.now(UTC)
    log.save(update_fields=["answer_helpful", "answer_feedback_at"])
    return log


@dataclass(frozen=True)
class ClickInput:
    query_id: int
    type: str
    id: str
    section: str
    position: int


def record_click(data: ClickInput, request: HttpRequest | None = None) -> SearchClick:
    """Store that a result of a logged search was opened, at which (1-based) position."""
    query_log = SearchQueryLog.objects.filter(pk=data.query_id).first()
    if query_log is None:
        raise ClickError(_("No search with this query_id."))
    doc = SearchDocument.objects.filter(source=data.type, object_id=data.id, section="").first()
    _journey_step(
        request,
        "search_click",
        {
            "q": query_log.query,
            "title": doc.title if doc else "",
            "url": doc.url if doc else "",
            "position": data.position,
        },
    )
    return SearchClick.objects.create(
        query_log=query_log,
        source=data.type,
        object_id=data.id,
        section=data.section,
        position=data.position,
    )
