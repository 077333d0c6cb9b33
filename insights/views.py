"""Insights admin pages: thin views that read ``metrics``/``gaps`` and call ``actions``."""

from __future__ import annotations

import csv
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from wagtail.models import Locale

from kb.models import ProductArea

from . import actions, charts, gaps, metrics
from .metrics import DEFINITIONS, Period, Table

SECTIONS = {
    "overview": "Self-service",
    "search": "Search quality",
    "content": "Content",
    "guidance": "Guidance",
    "backlog": "Content gaps",
}
PERIODS = (7, 28, 90)


def _require(request: HttpRequest, perm: str = "insights.view_insights") -> None:
    user = request.user
    if not (user.is_authenticated and user.is_staff and user.has_perm(perm)):
        raise PermissionDenied


def period_from(request: HttpRequest) -> Period:
    """The chosen period: ``days`` back from today, or ``start``/``end`` (ISO dates)."""
    locale = request.GET.get("locale", "")
    locale = locale if locale in actions.LOCALES else ""
    area = request.GET.get("area", "")[:40]
    try:
        start, end = (
            date.fromisoformat(request.GET["start"]),
            date.fromisoformat(request.GET["end"]),
        )
        if start <= end and (end - start).days <= 400:
            return Period(start, end, locale, area)
    except (KeyError, ValueError):
        pass
    days = request.GET.get("days", "28")
    return Period.last(int(days) if days.isdigit() and int(days) in PERIODS else 28, locale, area)


def tables_for(section: str, period: Period, found: gaps.Backlog | None = None) -> list[Table]:
    if section == "search":
        return [
            metrics.top_queries(period),
            metrics.zero_result_queries(period),
            metrics.no_click_queries(period),
            metrics.queries_before_support(period),
        ]
    if section == "content":
        return [
            metrics.article_helpfulness(period),
            metrics.stale_articles(period),
            metrics.read_before_support(period),
        ]
    if section == "guidance":
        return [metrics.tips(period), metrics.frustration_pages(period)]
    if section == "backlog":
        return [gaps.backlog_table((found or gaps.analyse(period)).open)]
    return [outcomes_table(period)]


def outcomes_table(period: Period) -> Table:
    rows = metrics.outcomes_by_day(period)
    return Table(
        "outcomes",
        "Search sessions by outcome, per day",
        ["Day", "Searches", "Helpful article", "Support request", "Nothing"],
        [[r["day"], r["searches"], r["helpful"], r["support"], r["nothing"]] for r in rows],
    )


def dashboard(request: HttpRequest, section: str = "overview") -> HttpResponse:
    _require(request)
    if section not in SECTIONS:
        section = "overview"
    period = period_from(request)
    export = request.GET.get("export")
    if export:
        return _csv(period, [t for t in tables_for(section, period) if t.name == export])
    found = gaps.analyse(period) if section == "backlog" else None
    tables = tables_for(section, period, found)
    context = {
        "section": section,
        "sections": SECTIONS,
        "period": period,
        "periods": PERIODS,
        "days": request.GET.get("days", "28"),
        "filters": urlencode({k: v for k, v in request.GET.items() if k != "export"}),
        "locales": Locale.objects.values_list("language_code", flat=True),
        "areas": ProductArea.objects.filter(locale=Locale.get_default()).values_list(
            "translation_key", "name"
        ),
        "tables": tables,
        "definitions": DEFINITIONS,
        "charts": _charts(section, period, tables),
        "can_tune": request.user.has_perm("insights.tune_search"),
        "last_aggregated": last_aggregated(),
        "subscribed": _subscribed(request.user),
    }
    if section == "overview":
        totals = metrics.outcomes(period)
        context["kpis"] = [
            (key, label, totals[key], unit, DEFINITIONS[key]) for key, label, unit in metrics.KPIS
        ]
    if found is not None:
        context["gaps"], context["answered"] = found.open, found.answered
    return render(request, "insights/dashboard.html", context)


# Per table: (column charted, chart title, x-axis label). Tables not listed get no chart.
CHARTS = {
    "top_queries": (2, "Most searched queries", "searches"),
    "zero_results": (2, "Queries with no result", "searches with no result"),
    "no_click": (3, "Queries whose results were not opened", "searches with no result opened"),
    "before_support": (2, "Queries before asking for a person", "sessions that then asked"),
    "helpfulness": (4, "Articles with the most 'not helpful' votes", "'not helpful' votes"),
    "read_before_support": (2, "Read just before asking for a person", "sessions that then asked"),
    "tips": (2, "Guidance tips shown most", "times shown"),
    "frustration": (1, "Pages with the most frustration signals", "frustration signals"),
    "backlog": (2, "Content gaps by customers affected", "customers affected"),
}
OUTCOME_LABELS = {
    "helpful": "Ended in a helpful article",
    "support": "Then asked for a person",
    "nothing": "Ended in neither",
}


def _charts(section: str, period: Period, tables: list[Table]) -> list:
    """Titled charts with axes and the period's dates; the tables under them hold every value."""
    if section == "overview":
        days = metrics.outcomes_by_day(period)
        return [
            charts.stacked_days(
                days, tuple(OUTCOME_LABELS), OUTCOME_LABELS, "Search sessions by outcome, per day",
                "search sessions", period.start, period.end,
            )
        ]  # fmt: skip
    out = []
    for table in tables:
        if table.name not in CHARTS or not table.rows:
            continue
        col, title, axis = CHARTS[table.name]
        items = [(_chart_label(table, r), r[col] or 0) for r in table.rows[:10]]
        out.append(charts.bars(items, title, axis, period.start, period.end))
    return out


def _chart_label(table: Table, row: list) -> str:
    """The row's name, with its language when the table mixes languages."""
    return f"{row[0]} ({row[1]})" if table.columns[1] == "Language" else str(row[0])


def _csv(period: Period, tables: list[Table]) -> HttpResponse:
    if not tables:
        return HttpResponse("Unknown table", status=404, content_type="text/plain")
    table = tables[0]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="insights-{table.name}-{period.start}-{period.end}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow(["'" + c if isinstance(c, str) and c[:1] in "=+-@" else c for c in row])
    return response


def tune(request: HttpRequest) -> HttpResponse:
    """One query: what search returns now, the editor's corrections, and how to undo them."""
    _require(request)
    query, locale = request.GET.get("q", ""), request.GET.get("locale", "en")
    if request.method == "POST":
        _require(request, "insights.tune_search")
        query, locale = request.POST.get("q", ""), request.POST.get("locale", "en")
        try:
            ref = actions.QueryRef.parse(query, locale)
            _apply(request, ref)
        except actions.ActionError as error:
            messages.error(request, str(error))
        return redirect(f"{reverse('insights_tune')}?{urlencode({'q': query, 'locale': locale})}")
    find = request.GET.get("find", "")[:100]
    choices = actions.find_articles(find, locale) if find.strip() else []
    can_tune = request.user.has_perm("insights.tune_search")
    if request.GET.get("fragment") == "articles":
        context = {"choices": choices, "find": find, "query": query, "query_locale": locale}
        return render(request, "insights/_article_choices.html", context)
    hits, error = _search_now(request, query, locale)
    wrong = actions.wrong_results(query, locale)
    related = gaps.related_phrasings(query, locale) if can_tune and query.strip() else []
    context = {
        "query": query,
        "query_locale": locale,
        "hits": [(hit, (hit.type, str(hit.id)) in wrong) for hit in hits],
        "error": error,
        "preview": f"/{locale}/search/?{urlencode({'q': query})}",
        "can_tune": can_tune,
        "find": find,
        "choices": choices,
        "synonym_placeholder": ", ".join(related) or f"other words for “{query.strip()}”",
        "pins": actions.pins_for(query, locale) if query.strip() else [],
        "synonyms": actions.synonyms_for(query, locale) if query.strip() else [],
        "can_unpin": request.user.has_perm("search.delete_promotedresult"),
        "can_unsynonym": request.user.has_perm("search.delete_synonym"),
        "can_list_synonyms": request.user.has_perm("search.view_synonym"),
        "can_list_pins": request.user.has_perm("search.view_promotedresult"),
    }
    return render(request, "insights/tune.html", context)


def _search_now(request: HttpRequest, query: str, locale: str) -> tuple[list, str]:
    if not (query.strip() and locale in actions.LOCALES):
        return [], ""
    from search.engine import QueryError, SearchRequest, search

    try:
        return search(SearchRequest(query=query, locale=locale, user=request.user)).hits, ""
    except QueryError as exc:
        return [], str(exc)


def _apply(request: HttpRequest, ref: actions.QueryRef) -> None:
    action, user = request.POST.get("action"), request.user
    if action == "pin" and request.POST.get("id", "").isdigit():
        actions.pin_result(user, ref, int(request.POST["id"]))
        messages.success(request, "Pinned: it shows first for this query now.")
    elif action == "wrong":
        actions.mark_wrong(user, ref, request.POST.get("type", ""), request.POST.get("id", ""))
        messages.success(request, "Marked wrong for this query.")
    elif action == "synonym":
        actions.add_synonym(user, ref, request.POST.get("terms", ""))
        messages.success(request, "Synonym added.")
    elif action == "unpin" and request.POST.get("id", "").isdigit():
        actions.unpin_result(user, int(request.POST["id"]))
        messages.success(request, "Unpinned: search ranks this query on its own again.")
    elif action == "unsynonym" and request.POST.get("id", "").isdigit():
        actions.remove_synonym(user, int(request.POST["id"]))
        messages.success(request, "Synonym removed.")
    else:
        raise actions.ActionError("Unknown action.")


def create_draft(request: HttpRequest) -> HttpResponse:
    _require(request)
    if request.method != "POST":
        return redirect("insights_section", section="backlog")
    examples = [e for e in request.POST.getlist("example") if e.strip()][:20]
    try:
        page = actions.create_article_draft(
            request.user, request.POST.get("locale", ""), request.POST.get("title", ""), examples
        )
    except actions.ActionError as error:
        messages.error(request, str(error))
        return redirect("insights_section", section="backlog")
    messages.success(request, "Draft created from the backlog; write the answer, then submit it.")
    return redirect("wagtailadmin_pages:edit", page.pk)


def last_aggregated() -> date | None:
    from .models import AggregationRun

    run = AggregationRun.objects.order_by("-day").first()
    return run.day if run else None


def digest_opt(request: HttpRequest) -> HttpResponse:
    """Opt in or out of the weekly email (POST ``subscribe=1`` or ``0``)."""
    _require(request)
    from .models import DigestSubscription

    if request.method == "POST":
        if request.POST.get("subscribe") == "1":
            DigestSubscription.objects.get_or_create(user=request.user)
            messages.success(request, "You will get the Insights digest every week.")
        else:
            DigestSubscription.objects.filter(user=request.user).delete()
            messages.success(request, "Weekly digest turned off.")
    return redirect("insights")


def _subscribed(user) -> bool:
    from .models import DigestSubscription

    return DigestSubscription.objects.filter(user=user).exists()
