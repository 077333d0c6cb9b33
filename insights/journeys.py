"""Turn one day's consented journey events into outcome counts.

Definitions (also on the dashboard and in docs/insights.md):

- A **session** is one visitor's run of events with no gap longer than ``SESSION_GAP``.
- A **search session** is a session with at least one search; it belongs to the day, language
  and product area of its first search. Its outcome looks at what followed that first search:
  **support** if it contains a support request; else **helpful** if an article was opened (a
  search result or an article page) and no article was voted "not helpful", or any article was
  voted helpful; else **nothing**.
- An answer was **offered** when at least one of the session's searches returned results.
- A support request **found nothing** when no article was opened earlier in its session.
- "Later asked for help on the same page" (tips, frustration): a support request by the same
  visitor within ``LATER`` whose page (or, when the request has none, the page of the
  visitor's last event before it) is the page where the tip or signal happened.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from core.models import JourneyEvent

from .sources import day_bounds

SESSION_GAP = timedelta(minutes=30)
LATER = timedelta(hours=24)
K = JourneyEvent.Kind
OPENED = {K.SEARCH_CLICK, K.ARTICLE_VIEW}
TIP_KINDS = {
    K.TIP_SHOWN: "shown",
    K.TIP_CLICKED: "clicked",
    K.TIP_DISMISSED: "dismissed",
    K.TIP_COMPLETED: "completed",
}


def page_of(url: str) -> str:
    """A page without query string or fragment (they may carry personal data)."""
    parts = urlsplit(url or "")
    return (parts.netloc + parts.path)[:300]


def norm(text: str) -> str:
    return " ".join(str(text or "").lower().split())[:200]


@dataclass
class DayJourneys:
    """What one day of journeys adds to the aggregates; keys are (locale, area, …)."""

    outcomes: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    query_before_support: dict = field(default_factory=lambda: defaultdict(int))
    article_before_support: dict = field(default_factory=lambda: defaultdict(int))
    support_nothing: dict = field(default_factory=lambda: defaultdict(int))
    tips: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    tip_viewers: dict = field(default_factory=lambda: defaultdict(set))
    tip_later: dict = field(default_factory=lambda: defaultdict(set))
    frustration: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    frustrated: dict = field(default_factory=lambda: defaultdict(set))
    frustrated_support: dict = field(default_factory=lambda: defaultdict(set))


def load_events(day: date) -> dict[str, list[dict]]:
    """Events around the day, per visitor, oldest first (half a day before to tell where a
    session started, a day after to see what followed)."""
    start, end = day_bounds(day)
    rows = (
        JourneyEvent.objects.filter(
            created_at__gte=start - timedelta(hours=12), created_at__lt=end + LATER
        )
        .exclude(visitor="")
        .order_by("visitor", "created_at", "pk")
        .values("visitor", "created_at", "kind", "page_url", "locale", "data")
    )
    by_visitor: dict[str, list[dict]] = defaultdict(list)
    for row in rows.iterator(chunk_size=5000):
        by_visitor[row["visitor"]].append(row)
    return by_visitor


def sessions_of(events: list[dict]) -> list[list[dict]]:
    sessions: list[list[dict]] = []
    last: datetime | None = None
    for event in events:
        if last is None or event["created_at"] - last > SESSION_GAP:
            sessions.append([])
        sessions[-1].append(event)
        last = event["created_at"]
    return sessions


def analyse_day(day: date, log_info: dict[int, tuple[str, str]]) -> DayJourneys:
    """``log_info`` maps a search log id to (locale, area) so journey searches inherit them."""
    start, end = day_bounds(day)
    out = DayJourneys()
    for events in load_events(day).values():
        for session in sessions_of(events):
            if start <= session[0]["created_at"] < end:
                _search_session(session, log_info, out)
            for i, event in enumerate(session):
                if event["kind"] == K.SUPPORT_REQUEST and start <= event["created_at"] < end:
                    _before_support(session[:i], log_info, out)
        _tips_and_frustration(events, start, end, out)
    return out


def _locale_area(event: dict, log_info: dict) -> tuple[str, str]:
    data = event["data"] or {}
    locale, area = log_info.get(_int(data.get("query_id")), ("", ""))
    locale = (event["locale"] or locale or _url_locale(event["page_url"]))[:2]
    return locale, area


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _url_locale(url: str) -> str:
    first = urlsplit(url or "").path.strip("/").split("/")[0]
    return first if len(first) == 2 else ""


def _search_session(session: list[dict], log_info: dict, out: DayJourneys) -> None:
    first = next((i for i, e in enumerate(session) if e["kind"] == K.SEARCH), None)
    if first is None:
        return
    after = session[first:]
    kinds = {e["kind"] for e in after}
    votes = [bool((e["data"] or {}).get("helpful")) for e in after if e["kind"] == K.FEEDBACK]
    support = K.SUPPORT_REQUEST in kinds
    helpful = not support and (any(votes) or (bool(kinds & OPENED) and False not in votes))
    offered = any(
        (_int((e["data"] or {}).get("results")) or 0) > 0 for e in after if e["kind"] == K.SEARCH
    )
    bucket = out.outcomes[_locale_area(session[first], log_info)]
    bucket["search_sessions"] += 1
    bucket["support" if support else "helpful" if helpful else "nothing"] += 1
    bucket["offered"] += offered
    bucket["offered_support"] += offered and support


def _before_support(before: list[dict], log_info: dict, out: DayJourneys) -> None:
    queries: dict[tuple, None] = {}
    for event in before:
        data = event["data"] or {}
        if event["kind"] == K.SEARCH and norm(data.get("q")):
            queries[(*_locale_area(event, log_info), norm(data.get("q")))] = None
        if event["kind"] == K.ARTICLE_VIEW and _int(data.get("id")):
            out.article_before_support[_int(data.get("id"))] += 1
    for key in queries:
        out.query_before_support[key] += 1
    if not any(e["kind"] in OPENED for e in before):
        for key in queries:
            out.support_nothing[key] += 1


def _support_page(events: list[dict], index: int) -> str:
    """The page a support request came from: its own, else the visitor's last page before."""
    if events[index]["page_url"]:
        return page_of(events[index]["page_url"])
    for event in reversed(events[:index]):
        if event["page_url"]:
            return page_of(event["page_url"])
    return ""


def _tips_and_frustration(events: list[dict], start, end, out: DayJourneys) -> None:
    requests = [
        (e["created_at"], _support_page(events, i))
        for i, e in enumerate(events)
        if e["kind"] == K.SUPPORT_REQUEST
    ]

    def asked_later(when: datetime, page: str) -> bool:
        return any(when < at <= when + LATER and p == page for at, p in requests)

    for event in events:
        if not start <= event["created_at"] < end:
            continue
        data = event["data"] or {}
        page, locale = page_of(event["page_url"]), (event["locale"] or "")[:2]
        visitor = event["visitor"]
        if event["kind"] in TIP_KINDS:
            key = (locale, str(data.get("tip", ""))[:64], page)
            out.tips[key][TIP_KINDS[event["kind"]]] += 1
            if event["kind"] == K.TIP_SHOWN:
                out.tip_viewers[key].add(visitor)
                if asked_later(event["created_at"], page):
                    out.tip_later[key].add(visitor)
        elif event["kind"] == K.FRUSTRATION and data.get("event") != "offer":
            key = (locale, page)
            out.frustration[key][str(data.get("signal") or "unknown")[:20]] += 1
            out.frustrated[key].add(visitor)
            if asked_later(event["created_at"], page):
                out.frustrated_support[key].add(visitor)
