"""The journey a request carries, grouped into parts the customer can remove before sending.

The customer sees exactly these parts ("this is what we'll share") and unticks any of them; what
is left is frozen into the request as a list of small events. Agents see the same events as a
timeline, plus the articles already read, so nobody asks the customer to start over.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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


TIP_WORDS = {
    Kind.TIP_SHOWN: _("Saw %(kind)s “%(title)s”"),
    Kind.TIP_CLICKED: _("Clicked the button of %(kind)s “%(title)s”"),
    Kind.TIP_DISMISSED: _("Closed %(kind)s “%(title)s”"),
    Kind.TIP_COMPLETED: _("Finished %(kind)s “%(title)s”"),
}
TIP_KINDS = {
    "tooltip": _("the tip"),
    "banner": _("the banner"),
    "modal": _("the announcement"),
    "checklist": _("the checklist"),
    "tour": _("the tour"),
    "offer": _("the help offer"),
}
SIGNAL_WORDS = {
    "rage_click": _("Clicked “%(what)s” again and again"),
    "js_error": _("Hit an error in the product (%(what)s)"),
    "form_failure": _("The form “%(what)s” kept failing"),
    "repeat_search": _("Searched several times without opening a result (“%(what)s”)"),
}


def _where(event: dict) -> str:
    """The product page an event happened on, as a path ("/projects"), for "… on /projects"."""
    path = urlsplit(str(event.get("page_url") or "")).path
    return " " + str(_("on %(page)s") % {"page": path}) if path else ""


def _search(data: dict, channel: str) -> str:
    count = data.get("results")
    where = _("in the product") if channel == "snippet" else _("in the help centre")
    text = _("Searched “%(q)s” %(where)s") % {"q": data.get("q", ""), "where": where}
    if count == 0:
        return f"{text} ({_('no results')})"
    if isinstance(count, int):
        return f"{text} ({ngettext('%(n)d result', '%(n)d results', count) % {'n': count}})"
    return str(text)


def _tip(event: dict, data: dict) -> str:
    title = data.get("title") or f"#{data.get('tip', '?')}"
    kind = TIP_KINDS.get(data.get("tip_kind", ""), _("the tip"))
    if data.get("event") == "step":
        words = _("Moved to step %(n)s of %(kind)s “%(title)s”")
        return str(words % {"n": int(data.get("step") or 0) + 1, "kind": kind, "title": title})
    return str(TIP_WORDS[event["kind"]] % {"kind": kind, "title": title}) + _where(event)


def _signal(event: dict, data: dict) -> str:
    if data.get("event") == "offer":
        title = data.get("title")
        offered = _("Was offered help: “%(title)s”") % {"title": title} if title else None
        return str(offered or _("Was offered help (“Need a hand?”)")) + _where(event)
    words = SIGNAL_WORDS.get(data.get("signal", ""))
    what = str(data.get("detail") or "").strip()
    if words is None or not what:
        return str(_("Seemed stuck (%(signal)s)") % {"signal": data.get("signal", "?")}) + (
            _where(event)
        )
    return str(words % {"what": what}) + _where(event)


def describe(event: dict) -> str:
    """One sentence a person can read, in the customer's preview and the agent's timeline:
    what was searched (and where, with how many results), which tip was seen by its title,
    what the user struggled with and on which page — never bare ids or event codes."""
    data = event.get("data") or {}
    kind = event["kind"]
    if kind == Kind.SEARCH:
        return _search(data, event.get("channel", ""))
    if kind == Kind.SEARCH_CLICK:
        title = data.get("title") or data.get("url") or event.get("page_url", "")
        return str(_("Opened the result “%(title)s”") % {"title": title})
    if kind == Kind.ARTICLE_VIEW:
        title = data.get("title") or data.get("url") or event.get("page_url", "")
        return str(_("Read “%(title)s”") % {"title": title})
    if kind == Kind.FEEDBACK:
        verdict = _("helpful") if data.get("helpful") else _("not helpful")
        reason = f" ({data['reason']})" if data.get("reason") else ""
        return f"{data.get('title', '')}: {verdict}{reason}"
    if kind in PARTS["tips"][1]:
        return _tip(event, data)
    if kind == Kind.FRUSTRATION:
        return _signal(event, data)
    if kind == Kind.PRODUCT_PAGE:
        url = str(data.get("url") or event.get("page_url", ""))
        page = urlsplit(url).path or url
        return str(_("Opened %(page)s in the product") % {"page": page})
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
