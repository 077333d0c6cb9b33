"""Every number on the Insights pages, defined once, read from the daily tables only.

Each function takes a ``Period`` (days, language, product area) and returns plain data that the
dashboard renders and the CSV export writes. The docstring of each metric is its definition;
the dashboard shows ``DEFINITIONS`` verbatim so editors and code never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from kb.models import ArticlePage
from kb.models.feedback import FeedbackReason

from .models import (
    DailyArticleStat,
    DailyFrustration,
    DailyOutcome,
    DailyQueryStat,
    DailyTipStat,
)
from .sources import tip_titles

DEFINITIONS = {
    "searches": "Searches: every search run on the help centre, the API or the snippet "
    "(typeahead suggestions excluded), from the anonymous search log. Not linked to visitors.",
    "search_sessions": "Search sessions: consented journeys only. A session is one visitor's "
    "events with no gap over 30 minutes; it counts if it contains a search.",
    "helpful": "Ended in a helpful article: a search session that, after its first search, opened "
    "an article and voted none 'not helpful' (or voted one helpful), and did not ask for a person.",
    "support": "Then asked for a person: a search session in which the visitor sent a support "
    "request after searching. A subset of 'Support requests received'.",
    "nothing": "Ended in neither: a search session with no helpful article and no support request.",
    "self_service_rate": "Self-service rate = search sessions that ended in a helpful article ÷ "
    "search sessions.",
    "deflection_rate": "Deflection rate = search sessions that were shown at least one result and "
    "did not ask for a person ÷ search sessions that were shown at least one result.",
    "form_deflection_rate": "Contact-form deflection = requests not sent after the contact "
    "form suggested an article ÷ suggestions answered (resolved + sent).",
    "support_requests": "Support requests received: every request created in the support app in "
    "the period, from any channel, with or without consent or a search before it. Not filtered "
    "by product area (a request has none).",
    "zero_results": "Zero-result query: a search that returned no result.",
    "no_click": "No click: searches that returned results of which none was opened.",
    "before_support": "Preceded a support request: consented sessions that ran this query and "
    "then asked for a person in the same session.",
    "helpful_pct": "Helpful % = 'yes' votes ÷ votes cast or changed in the period; reasons are "
    "summed over the period.",
    "read_before_support": "Read just before asking: the article was read in the same session, "
    "before a support request.",
    "stale": "Stale article: a live article not reviewed within the review interval (or never), "
    "or a translation whose source was published after its last sync.",
    "tip_later_support": "Later asked for help: visitors who saw the tip and, within 24 hours, "
    "sent a support request from the same page.",
    "frustration_support": "Ended in a request: visitors with a frustration signal on the page who "
    "sent a support request from that page within 24 hours.",
    "customers_affected": "Customers affected (content gap): distinct sessions per phrasing and "
    "day, summed over the phrasings of one missing answer. Gaps an existing published article "
    "already answers are listed apart.",
}

# The self-service panel: (key in ``outcomes``, label saying exactly what is counted, unit).
KPIS = [
    ("searches", "searches (search log)", ""),
    ("search_sessions", "search sessions (consented journeys)", ""),
    ("helpful", "search sessions ended in a helpful article", ""),
    ("support", "search sessions then asked for a person", ""),
    ("nothing", "search sessions ended in neither", ""),
    ("self_service_rate", "self-service rate", "%"),
    ("deflection_rate", "deflection rate", "%"),
    ("form_deflection_rate", "contact-form deflection", "%"),
    ("support_requests", "support requests received (all channels)", ""),
]


@dataclass(frozen=True)
class Period:
    """What the editor chose: a date range (inclusive), a language and a product area."""

    start: date
    end: date
    locale: str = ""
    area: str = ""

    @classmethod
    def last(cls, days: int = 28, locale: str = "", area: str = "") -> Period:
        today = timezone.localdate()
        return cls(today - timedelta(days=days - 1), today, locale, area)

    def filter(self, qs: QuerySet, area: bool = True) -> QuerySet:
        qs = qs.filter(day__gte=self.start, day__lte=self.end)
        if self.locale:
            qs = qs.filter(locale=self.locale)
        if self.area and area:
            qs = qs.filter(area=self.area)
        return qs

    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]


@dataclass
class Table:
    """A titled table: the dashboard renders it, the CSV export writes it."""

    name: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    definition: str = ""
    query_column: int | None = None  # which column holds a search query (for preview links)


def rate(part: int, whole: int) -> float | None:
    """A share in percent with one decimal, or None when there is nothing to divide."""
    return round(100 * part / whole, 1) if whole else None


def outcomes(period: Period) -> dict:
    """Totals for the self-service panel (see ``DEFINITIONS``)."""
    names = [
        f.name for f in DailyOutcome._meta.fields if f.name not in {"id", "day", "locale", "area"}
    ]
    qs = period.filter(DailyOutcome.objects.all())
    totals = {k: v or 0 for k, v in qs.aggregate(**{n: Sum(n) for n in names}).items()}
    totals["self_service_rate"] = rate(totals["helpful"], totals["search_sessions"])
    totals["deflection_rate"] = rate(
        totals["offered"] - totals["offered_support"], totals["offered"]
    )
    answered = totals["deflection_resolved"] + totals["deflection_sent"]
    totals["form_deflection_rate"] = rate(totals["deflection_resolved"], answered)
    return totals


def outcomes_by_day(period: Period) -> list[dict]:
    qs = period.filter(DailyOutcome.objects.all()).values("day")
    per = {
        row["day"]: row
        for row in qs.annotate(
            s=Sum("searches"), h=Sum("helpful"), r=Sum("support"), n=Sum("nothing")
        )
    }
    return [
        {
            "day": d,
            "searches": (per.get(d) or {}).get("s") or 0,
            "helpful": (per.get(d) or {}).get("h") or 0,
            "support": (per.get(d) or {}).get("r") or 0,
            "nothing": (per.get(d) or {}).get("n") or 0,
        }
        for d in period.days()
    ]


def _queries(period: Period) -> QuerySet:
    return (
        period.filter(DailyQueryStat.objects.all())
        .values("locale", "query")
        .annotate(
            n_searches=Sum("searches"),
            n_zero=Sum("zero_results"),
            n_no_click=Sum("no_click"),
            n_clicks=Sum("clicks"),
            n_before=Sum("before_support"),
        )
    )


def top_queries(period: Period, limit: int = 25) -> Table:
    """Most searched queries (normalised: lower case, single spaces)."""
    rows = _queries(period).filter(n_searches__gt=0).order_by("-n_searches", "query")[:limit]
    return Table(
        "top_queries", "Top queries", ["Query", "Language", "Searches", "Zero results", "No click"],
        [[r["query"], r["locale"], r["n_searches"], r["n_zero"], r["n_no_click"]] for r in rows],
        DEFINITIONS["searches"], 0,
    )  # fmt: skip


def zero_result_queries(period: Period, limit: int = 25) -> Table:
    """Queries that returned nothing, by how often."""
    rows = _queries(period).filter(n_zero__gt=0).order_by("-n_zero", "query")[:limit]
    return Table(
        "zero_results", "Zero-result queries", ["Query", "Language", "Searches with no result"],
        [[r["query"], r["locale"], r["n_zero"]] for r in rows], DEFINITIONS["zero_results"], 0,
    )  # fmt: skip


def no_click_queries(period: Period, limit: int = 25) -> Table:
    """Queries whose results were shown but not opened, by how often."""
    rows = _queries(period).filter(n_no_click__gt=0).order_by("-n_no_click", "query")[:limit]
    return Table(
        "no_click", "Results but no click", ["Query", "Language", "Searches", "Not clicked"],
        [[r["query"], r["locale"], r["n_searches"], r["n_no_click"]] for r in rows],
        DEFINITIONS["no_click"], 0,
    )  # fmt: skip


def queries_before_support(period: Period, limit: int = 25) -> Table:
    """Queries that most often came right before a support request (same session)."""
    rows = _queries(period).filter(n_before__gt=0).order_by("-n_before", "query")[:limit]
    return Table(
        "before_support", "Queries before a support request",
        ["Query", "Language", "Sessions that then asked"],
        [[r["query"], r["locale"], r["n_before"]] for r in rows], DEFINITIONS["before_support"], 0,
    )  # fmt: skip


def _articles(period: Period) -> QuerySet:
    return (
        period.filter(DailyArticleStat.objects.all())
        .values("article_id", "title", "locale")
        .annotate(
            n_views=Sum("views"),
            yes=Sum("helpful"),
            no=Sum("unhelpful"),
            before=Sum("before_support"),
        )
    )


def article_helpfulness(period: Period, limit: int = 30) -> Table:
    """Articles with votes, least helpful first; reasons are summed over the period.

    Helpful % = "yes" votes ÷ all votes cast (or changed) in the period.
    """
    rows = list(
        _articles(period)
        .annotate(votes=F("yes") + F("no"))
        .filter(votes__gt=0)
        .order_by(F("yes") * 1.0 / F("votes"), "-votes")[:limit]
    )
    reasons: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    ids = [r["article_id"] for r in rows]
    for article_id, per in period.filter(
        DailyArticleStat.objects.filter(article_id__in=ids)
    ).values_list("article_id", "reasons"):
        for reason, n in (per or {}).items():
            reasons[article_id][reason] += n
    labels = dict(FeedbackReason.choices)
    return Table(
        "helpfulness", "Articles by helpfulness",
        ["Article", "Language", "Views", "Helpful", "Not helpful", "Helpful %", "Reasons"],
        [
            [r["title"], r["locale"], r["n_views"], r["yes"], r["no"], rate(r["yes"], r["votes"]),
             "; ".join(f"{labels.get(k, k)}: {n}" for k, n in sorted(
                 reasons[r["article_id"]].items(), key=lambda kv: -kv[1]))]
            for r in rows
        ],
        DEFINITIONS["helpful_pct"],
    )  # fmt: skip


def read_before_support(period: Period, limit: int = 20) -> Table:
    """Articles most often read in the same session just before someone asked for a person."""
    rows = _articles(period).filter(before__gt=0).order_by("-before", "title")[:limit]
    return Table(
        "read_before_support", "Read just before asking for a person",
        ["Article", "Language", "Sessions that then asked", "Views"],
        [[r["title"], r["locale"], r["before"], r["n_views"]] for r in rows],
        DEFINITIONS["read_before_support"],
    )  # fmt: skip


def stale_articles(period: Period, limit: int = 50) -> Table:
    """Live articles due for review, and translations whose source changed since they were
    last synced (the same rules as the Reports menu, as one query)."""
    live = ArticlePage.objects.live().select_related("locale")
    if period.locale:
        live = live.filter(locale__language_code=period.locale)
    if period.area:
        live = live.filter(product_area__translation_key=period.area)
    review = live.review_due().values_list("title", "locale__language_code", "last_reviewed")
    sources = ArticlePage.objects.filter(
        translation_key=OuterRef("translation_key"), locale__language_code=default_language()
    ).values("last_published_at")[:1]
    translations = (
        live.exclude(locale__language_code=default_language())
        .annotate(source_published=Subquery(sources))
        .filter(
            Q(source_published__isnull=False)
            & (Q(source_synced_at__isnull=True) | Q(source_published__gt=F("source_synced_at")))
        )
        .values_list("title", "locale__language_code", "last_reviewed")
    )
    rows = [[t, loc, str(lr or "never"), "Review due"] for t, loc, lr in review[:limit]]
    rows += [
        [t, loc, str(lr or "never"), "Translation out of date"]
        for t, loc, lr in translations[:limit]
    ]
    return Table(
        "stale", "Stale articles", ["Article", "Language", "Last reviewed", "Why"], rows,
        DEFINITIONS["stale"],
    )  # fmt: skip


def default_language() -> str:
    return settings.LANGUAGE_CODE[:2]


def tips(period: Period, limit: int = 30) -> Table:
    """Per tip and page: journey counts, and how many viewers later asked for help there."""
    rows = list(
        period.filter(DailyTipStat.objects.all(), area=False)
        .values("tip", "page")
        .annotate(
            s=Sum("shown"), c=Sum("clicked"), d=Sum("dismissed"), k=Sum("completed"),
            v=Sum("viewers"), later=Sum("later_support"),
        )
        .order_by("-s", "tip")[:limit]
    )  # fmt: skip
    names = tip_titles([r["tip"] for r in rows])
    return Table(
        "tips", "Guidance tips",
        ["Tip", "Page", "Shown", "Clicked", "Dismissed", "Completed", "Viewers",
         "Later asked for help", "Later asked %"],
        [[names.get(r["tip"], f"Tip {r['tip']}"), r["page"], r["s"], r["c"], r["d"], r["k"],
          r["v"], r["later"], rate(r["later"], r["v"])] for r in rows],
        DEFINITIONS["tip_later_support"],
    )  # fmt: skip


def frustration_pages(period: Period, limit: int = 20) -> Table:
    """Product pages with the most frustration signals, and the share that ended in a request."""
    rows = list(
        period.filter(DailyFrustration.objects.all(), area=False)
        .values("page")
        .annotate(t=Sum("total"), v=Sum("visitors"), sup=Sum("visitors_support"))
        .order_by("-t", "page")[:limit]
    )
    kinds: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    pages = [r["page"] for r in rows]
    for page, signals in period.filter(
        DailyFrustration.objects.filter(page__in=pages), area=False
    ).values_list("page", "signals"):
        for signal, n in (signals or {}).items():
            kinds[page][signal] += n
    return Table(
        "frustration", "Pages with the most frustration",
        ["Page", "Signals", "By kind", "Visitors", "Then asked for help", "Ended in a request %"],
        [[r["page"], r["t"], ", ".join(f"{k}: {n}" for k, n in sorted(kinds[r["page"]].items())),
          r["v"], r["sup"], rate(r["sup"], r["v"])] for r in rows],
        DEFINITIONS["frustration_support"],
    )  # fmt: skip


def search_counts(period: Period) -> dict[str, int]:
    return period.filter(DailyQueryStat.objects.all()).aggregate(
        searches=Coalesce(Sum("searches"), 0),
        zero=Coalesce(Sum("zero_results"), 0),
        no_click=Coalesce(Sum("no_click"), 0),
    )
