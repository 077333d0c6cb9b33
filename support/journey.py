"""The journey a request carries, grouped into parts the customer can remove before sending.

The customer sees exactly these parts ("this is what we'll share") and unticks any of them; what
is left is frozen into the request as a list of small events. Agents see the same events as a
timeline, plus the articles already read, so nobody asks the customer to start over.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from core import journey as core_journey
from core.models import JourneyEvent

Kind = JourneyEvent.Kind
MAX_EVENTS = 60

# part name → (label, the event kinds in it). Order is the order shown to the customer.
PARTS: dict[str, tuple] = {
    "searches": (_("Searches you ran"), {Kind.SEARCH}),
    "opened": (_("Search results you opened"), {Kind.SEARCH_CLICK}),
    "articles": (_("Articles you read"), {Kind.ARTICLE_VIEW}),
    "votes": (_("Articles you rated"), {Kind.FEEDBACK}),
    "tips": (
        _("Tips you saw in the product"),
        {Kind.TIP_SHOWN, Kind.TIP_CLICKED, Kind.TIP_DISMISSED, Kind.TIP_COMPLETED},
    ),
    "signals": (_("Where you seemed stuck"), {Kind.FRUSTRATION}),
    "product_page": (_("The page of the product you came from"), {Kind.PRODUCT_PAGE}),
    "community": (_("Community posts you read or wrote"), {Kind.COMMUNITY}),
}
# Not events, but also removable: who the host product says you are.
IDENTITY_PART = "identity"
PAGE_PART = "page_url"
PART_NAMES = [*PARTS, PAGE_PART, IDENTITY_PART]


def part_of(kind: str) -> str:
    for name, (_label, kinds) in PARTS.items():
        if kind in kinds:
            return name
    return ""


def snapshot(event: JourneyEvent) -> dict:
    """The frozen form of one event: when, what, a few data keys (already bounded by core)."""
    return {
        "at": event.created_at.isoformat(),
        "kind": event.kind,
        "channel": event.channel,
        "page_url": event.page_url,
        "data": event.data,
    }


def collect(visitors: list[str], user=None) -> list[dict]:
    """The recent journey of these visitor hashes and/or account, oldest first, bounded."""
    events = core_journey.events_of(visitors=visitors, user=user).exclude(kind=Kind.SUPPORT_REQUEST)
    return [snapshot(event) for event in list(events)[-MAX_EVENTS:]]


def without(events: list[dict], removed: set[str]) -> list[dict]:
    return [event for event in events if part_of(event["kind"]) not in removed]


@dataclass
class Part:
    name: str
    label: str
    items: list[str] = field(default_factory=list)


def describe(event: dict) -> str:
    """One line a person can read, in the customer's preview and the agent's timeline."""
    data = event.get("data") or {}
    kind = event["kind"]
    if kind == Kind.SEARCH:
        count = data.get("results")
        zero = " — " + str(_("no results")) if count == 0 else ""
        return f"“{data.get('q', '')}”{zero}"
    if kind in {Kind.SEARCH_CLICK, Kind.ARTICLE_VIEW}:
        return str(data.get("title") or data.get("url") or event.get("page_url", ""))
    if kind == Kind.FEEDBACK:
        verdict = _("helpful") if data.get("helpful") else _("not helpful")
        reason = f" ({data['reason']})" if data.get("reason") else ""
        return f"{data.get('title', '')}: {verdict}{reason}"
    if kind in PARTS["tips"][1]:
        return f"{Kind(kind).label}: {data.get('title') or data.get('tip') or ''}".strip(": ")
    if kind == Kind.PRODUCT_PAGE:
        return str(data.get("url") or event.get("page_url", ""))
    return str(data.get("title") or data.get("note") or Kind(kind).label)


def parts_of(events: list[dict]) -> list[Part]:
    """Only the parts that have something in them, for the "what we'll share" panel."""
    parts = {name: Part(name, str(label)) for name, (label, _kinds) in PARTS.items()}
    for event in events:
        name = part_of(event["kind"])
        if name:
            parts[name].items.append(describe(event))
    return [part for part in parts.values() if part.items]


def articles_read(events: list[dict]) -> list[dict]:
    """Distinct articles opened (read or clicked from search), first reading first."""
    seen, out = set(), []
    for event in events:
        if event["kind"] not in {Kind.ARTICLE_VIEW, Kind.SEARCH_CLICK}:
            continue
        data = event.get("data") or {}
        key = data.get("url") or event.get("page_url")
        if key and key not in seen:
            seen.add(key)
            out.append({"title": data.get("title") or key, "url": key, "at": event["at"]})
    return out
