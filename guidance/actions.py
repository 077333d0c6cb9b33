"""What the guidance API does, as named functions the thin views in ``api.py`` call.

- ``hosts.origins.authorise`` (shared with the support API): the public key must name an active
  app and the caller's origin must be one the app allows (``Origin``, else the ``Referer``'s).
- ``page_config``: everything the snippet needs for one page view, in one answer.
- ``record_events``: a batch from ``sendBeacon`` → per-tip daily counters (anonymous) and, with
  consent, the visitor's journey.
- ``launcher_search`` (``guidance/launcher.py``): the help-centre search, anonymous visibility only.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Count, Max, Q, Sum
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page
from wagtail.rich_text import expand_db_html

from core import http, journey
from core.visitors import ip_hash
from hosts.identity import Identity
from kb.models import ArticlePage

from .models import GuidedApp, Tip
from .targeting import Visitor, match_tip, url_match

MAX_ARTICLES = 5
CACHE_SECONDS = 30
_CANDIDATES: dict[tuple[int, str], tuple[dict, float, list[Tip]]] = {}
_HREF = re.compile(r'(href|src)="/(?!/)')


def check_rate(scope: str, app: GuidedApp, request: HttpRequest) -> None:
    rates = getattr(settings, "FARO_GUIDANCE_RATES", {})
    rate = rates.get(scope, {"page": "240/minute", "events": "120/minute"}.get(scope, "60/minute"))
    # One key per app and network: the snippet's callers are anonymous to Faro, and everything
    # else they send (the anonymous id, the page) is theirs to rotate.
    http.check_rate(f"guidance:{scope}:{app.pk}", rate, network=ip_hash(request), factor=1)


def help_base(app: GuidedApp, request: HttpRequest) -> str:
    return (app.help_centre_url or request.build_absolute_uri("/")).rstrip("/")


def absolute(html: str, base: str) -> str:
    """Rich text links are site-relative; on the host's page they must point at the help centre."""
    return _HREF.sub(lambda m: f'{m.group(1)}="{base}/', html)


def visible_article(page: Page | None, locale: str) -> ArticlePage | None:
    """The article in the visitor's language when translated, and only if anyone may read it."""
    if page is None:
        return None
    loc = Locale.objects.filter(language_code=locale).first()
    translated = page.get_translation_or_none(loc) if loc else None
    candidate = translated or page
    return ArticlePage.objects.live().visible_to(AnonymousUser()).filter(pk=candidate.pk).first()


def _tip_payload(tip: Tip, reasons: list[str], locale: str, base: str) -> dict:
    link = None
    article = visible_article(tip.link_article, locale) if tip.link_article_id else None
    # The button says what it does ("Read how"), never an article title or a bare search word;
    # editors can write their own short label.
    if article is not None:
        link = {"url": base + article.url, "label": tip.link_label or action_label("read", locale)}
    elif tip.link_search:
        link = {"search": tip.link_search, "label": tip.link_label or action_label("find", locale)}
    steps = [
        {
            "title": block.value["title"],
            "body": absolute(str(block.value["body"] or ""), base),
            "selector": block.value["selector"] or "",
        }
        for block in tip.steps
    ]
    return {
        "id": tip.pk,
        "kind": tip.kind,
        "title": tip.title,
        "body": absolute(expand_db_html(tip.body), base),
        "steps": steps,
        "link": link,
        "selector": tip.selector,
        "trigger": tip.trigger,
        "delay": tip.delay_seconds,
        "signal": tip.signal,
        "priority": tip.priority,
        "frequency": {"mode": tip.frequency, "days": tip.frequency_days},
        "version": tip.version(),
        "why": reasons,
    }


def action_label(action: str, locale: str) -> str:
    with translation.override(locale):
        return _("Read how") if action == "read" else _("Find the answer")


def candidate_tips(app: GuidedApp, locale: str) -> list[Tip]:
    """The app's live tips for ``locale``, kept in this process for ``CACHE_SECONDS`` and
    while one aggregate query says nothing changed (an edit, publish, unpublish or delete): a
    thousand tips cost one small query instead of a thousand model instances per page view."""
    generation = Tip.objects.filter(app=app).aggregate(
        changed=Max("updated_at"),
        count=Count("pk"),
        live=Count("pk", filter=Q(live=True)),
        article=Max("link_article__last_published_at"),  # "show again when it changes"
    )
    key = (app.pk, locale)
    cached = _CANDIDATES.get(key)
    if cached and cached[0] == generation and time.monotonic() - cached[1] < CACHE_SECONDS:
        return cached[2]
    tips = list(Tip.objects.candidates(app, locale))
    for tip in tips:
        tip.payloads = {}  # per help-centre base URL, filled on first use
    _CANDIDATES[key] = (generation, time.monotonic(), tips)
    return tips


def _cached_payload(tip: Tip, locale: str, base: str) -> dict:
    payloads = getattr(tip, "payloads", None)
    if payloads is None:
        return _tip_payload(tip, [], locale, base)
    if base not in payloads:
        payloads[base] = _tip_payload(tip, [], locale, base)
    return payloads[base]


def matched_tips(app: GuidedApp, visitor: Visitor, now: datetime) -> list[tuple[Tip, list[str]]]:
    out = []
    for tip in candidate_tips(app, visitor.locale):
        reasons = match_tip(tip, visitor, now)
        if reasons is not None:
            out.append((tip, reasons))
    return out


def page_articles(app: GuidedApp, visitor: Visitor, tips: list[Tip], base: str) -> list[dict]:
    """Editors' page → article mapping first, then the articles the matched tips link to."""
    pages = [
        m.article
        for m in app.page_articles.select_related("article")
        if url_match(m.url_pattern, visitor.path)
    ]
    pages += [t.link_article for t in tips if t.link_article_id]
    seen, out = set(), []
    for page in pages:
        article = visible_article(page, visitor.locale)
        if article is not None and article.pk not in seen:
            seen.add(article.pk)
            out.append({"title": article.title, "url": base + article.url})
    return out[:MAX_ARTICLES]


def ui_strings(locale: str) -> dict[str, str]:
    with translation.override(locale):
        return {
            "help": _("Help"),
            "close": _("Close"),
            "search": _("Search the help centre"),
            "searching": _("Searching…"),
            "no_results": _("No articles found."),
            "suggested": _("Suggested for this page"),
            "human": _("Talk to a person"),
            "next": _("Next"),
            "back": _("Back"),
            "done": _("Done"),
            "dismiss": _("Dismiss"),
            "step": _("Step %(n)s of %(total)s"),
            "stuck": _("Need a hand?"),
            "stuck_body": _("It looks like something is not working. We can help."),
            "stuck_on": _("It looks like “%(what)s” is not working for you. We can help."),
            "help_with": _("Find help with “%(what)s”"),
            "get_help": _("Get help"),
            "later": _("Ask me later"),
            "hide": _("Hide"),
            "consent": _("Help us improve these tips by sharing how you use them?"),
            "allow": _("Allow"),
            "deny": _("No thanks"),
            # The inline contact form ("Talk to a person" in the launcher).
            "message": _("Your message"),
            "email": _("Your email"),
            "send": _("Send"),
            "sending": _("Sending…"),
            "share": _(
                "We'll also share this page's address, the tips you saw and where you seemed stuck."
            ),
            "share_none": _("We'll send only your message and email."),
            "leave_out": _("Leave out the product context"),
            "need_message": _("Please describe what you need."),
            "need_email": _("Please enter your email so we can reply."),
            "send_error": _("We could not send your message. Please try again."),
            "sent": _("Sent. Your reference is %(ref)s."),
            "status": _("Follow your request"),
            "more": _("More options"),
            # The answer card above the launcher's results (search/answers.py).
            "answer": _("Answer"),
            "answer_helped": _("Did this answer your question?"),
            "yes": _("Yes"),
            "answer_no": _("No, talk to a person"),
            "thanks": _("Thanks! Glad it helped."),
            "answer_why": _("Quoted from the article closest to your question"),
            "reviewed": _("Last reviewed %(date)s"),
            "review_due": _("This article is due for review"),
            "translation_outdated": _("This translation may be out of date"),
            "answer_shown": _("The answer we showed you"),
        }


def page_config(app: GuidedApp, identity: Identity, path: str, locale: str, base: str) -> dict:
    visitor = Visitor(path, locale, identity.traits, identity.signed, identity.user_id)
    matched = matched_tips(app, visitor, timezone.now())
    tips = [t for t, _r in matched]
    human = (
        f"{base}/{locale}/support/?from=snippet&app={app.public_key}"
        # the page is appended by the snippet (it knows the full URL)
    )
    return {
        "app": {"key": app.public_key, "name": app.name},
        "locale": locale,
        "identity": {"signed": identity.signed, "user": identity.user_id},
        "tips": [{**_cached_payload(t, locale, base), "why": r} for t, r in matched],
        "articles": page_articles(app, visitor, tips, base),
        "launcher": {
            "help_url": f"{base}/{locale}/",
            "human_url": human,
            "search_endpoint": "search",
        },
        "frustration": {"enabled": app.frustration_enabled, "thresholds": app.thresholds()},
        "i18n": ui_strings(locale),
    }


# Events ------------------------------------------------------------------------------------

STAT_COLUMNS = {"shown": "shown", "clicked": "clicked", "dismissed": "dismissed"}
STAT_COLUMNS |= {"completed": "completed", "step": "completed"}
JOURNEY_KINDS = {
    "shown": journey.Kind.TIP_SHOWN,
    "clicked": journey.Kind.TIP_CLICKED,
    "dismissed": journey.Kind.TIP_DISMISSED,
    "completed": journey.Kind.TIP_COMPLETED,
    "step": journey.Kind.TIP_COMPLETED,
    "frustration": journey.Kind.FRUSTRATION,
    "offer": journey.Kind.FRUSTRATION,
    "page": journey.Kind.PRODUCT_PAGE,
    "search": journey.Kind.SEARCH,  # searched in the launcher
    "opened": journey.Kind.SEARCH_CLICK,  # opened one of its results
}


def _journey_data(event: dict, app: GuidedApp, tips: dict[int, tuple[str, str]]) -> dict:
    """What the agent reads later, in words: the tip's title and kind (not only its id), what was
    searched and how many results came back, what the user struggled with."""
    data = {k: event[k] for k in ("tip", "step", "signal", "detail", "version") if k in event}
    if event.get("tip") in tips:
        data["title"], data["tip_kind"] = tips[event["tip"]]
    if event["type"] == "search":
        data["q"] = data.pop("detail", "")
        data["results"] = event.get("results")
    if event["type"] == "opened":
        data["title"] = data.pop("detail", "")
    data["app"] = app.public_key
    data["event"] = event["type"]
    return data


@dataclass
class EventBatch:
    anon: str
    consent: bool
    url: str
    locale: str
    events: list[dict]


def bump_tip_stat(tip_id: int, column: str, day: date, by: int = 1) -> None:
    """One atomic upsert per (tip, day, column): safe under concurrent beacons. ``column`` comes
    from ``STAT_COLUMNS`` only, never from the request."""
    assert column in ("shown", "clicked", "dismissed", "completed")
    cols = ("shown", "clicked", "dismissed", "completed")
    values = ", ".join("%s" if c == column else "0" for c in cols)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO guidance_tipdailystat (tip_id, day, shown, clicked, dismissed, completed)
            VALUES (%s, %s, {values})
            ON CONFLICT (tip_id, day) DO UPDATE SET {column} = guidance_tipdailystat.{column} + %s
            """,
            [tip_id, day, by, by],
        )


def bump_frustration(app: GuidedApp, signal: str, day: date) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO guidance_frustrationdailystat (app_id, day, signal, count)
            VALUES (%s, %s, %s, 1)
            ON CONFLICT (app_id, day, signal)
            DO UPDATE SET count = guidance_frustrationdailystat.count + 1
            """,
            [app.pk, day, signal],
        )


def record_events(app: GuidedApp, identity: Identity, batch: EventBatch) -> dict:
    """Counters for every event about one of this app's tips; the journey only with consent.
    Returns how many were accepted, ignored (unknown tip) and written to the journey."""
    today = timezone.localdate()
    tip_ids = {e["tip"] for e in batch.events if e.get("tip")}
    rows = Tip.objects.filter(app=app, pk__in=tip_ids).values_list("pk", "title", "kind", "trigger")
    tips = {  # a frustration tip is a help offer to the agent, whatever it looks like
        pk: (title, "offer" if trigger == Tip.Trigger.FRUSTRATION else kind)
        for pk, title, kind, trigger in rows
    }
    known = set(tips)
    counts: dict[tuple[int, str], int] = {}
    accepted = ignored = written = 0
    anon = identity.user_id if identity.signed else batch.anon
    visitor = journey.snippet_visitor(app.public_key, anon)
    for event in batch.events:
        kind = event["type"]
        tip = event.get("tip")
        if kind in STAT_COLUMNS:
            if tip not in known:
                ignored += 1
                continue
            key = (tip, STAT_COLUMNS[kind])
            counts[key] = counts.get(key, 0) + 1
        if kind in ("frustration", "offer"):
            signal = (event.get("signal") or "unknown")[:16] if kind == "frustration" else "offer"
            bump_frustration(app, signal, today)
        accepted += 1
        data = _journey_data(event, app, tips)
        if visitor and journey.record_for_visitor(
            visitor,
            JOURNEY_KINDS[kind],
            data,
            consented=batch.consent,
            page_url=event.get("url") or batch.url,
            locale=batch.locale,
        ):
            written += 1
    for (tip, column), by in counts.items():
        bump_tip_stat(tip, column, today, by)
    return {"accepted": accepted, "ignored": ignored, "journey": written}


def stats_for(tip: Tip, since: date | None = None) -> dict[str, int]:
    rows = tip.daily_stats.all()
    if since:
        rows = rows.filter(day__gte=since)
    totals = rows.aggregate(
        shown=Sum("shown"),
        clicked=Sum("clicked"),
        dismissed=Sum("dismissed"),
        completed=Sum("completed"),
    )
    return {k: v or 0 for k, v in totals.items()}
