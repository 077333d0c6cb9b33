"""The daily pre-aggregation: raw logs of one day → the ``insights`` tables.

Each run replaces the day's rows in one transaction, so it is idempotent and can be repeated
for late events. Searches are grouped in SQL (the query log is the big table); journeys, which
need ordering per visitor, are read once per day in ``insights.journeys``.
"""

from __future__ import annotations

import logging
import time as clock
from collections import defaultdict
from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

from kb.models import ArticleDailyViews, ArticleFeedback

from . import sources
from .journeys import DayJourneys, analyse_day, norm
from .models import (
    AggregationRun,
    DailyArticleStat,
    DailyFrustration,
    DailyOutcome,
    DailyQueryStat,
    DailyTipStat,
    GapSignal,
    TextEmbedding,
)

log = logging.getLogger(__name__)
Kind = GapSignal.Kind

# The product area of a search is the area of its top result (when that is an article).
AREA_OF_TOP = """
    LEFT JOIN kb_articlepage ap ON ap.page_ptr_id = CASE
        WHEN l.top_results->0->>'type' = 'article' AND l.top_results->0->>'id' ~ '^[0-9]{1,9}$'
        THEN (l.top_results->0->>'id')::int END
    LEFT JOIN kb_productarea pa ON pa.id = ap.product_area_id
"""
QUERY_SQL = f"""
    SELECT left(l.locale, 2), left(lower(regexp_replace(btrim(l.query), '\\s+', ' ', 'g')), 200),
           coalesce(pa.translation_key::text, ''),
           count(*),
           count(DISTINCT coalesce(nullif(l.session_hash, ''), 'log' || l.id)),
           count(*) FILTER (WHERE l.result_count = 0),
           count(*) FILTER (WHERE l.result_count > 0 AND c.n = 0),
           coalesce(sum(c.n), 0),
           count(*) FILTER (WHERE l.answer_likely_missing)
    FROM search_searchquerylog l
    LEFT JOIN LATERAL (
        SELECT count(*) AS n FROM search_searchclick sc WHERE sc.query_log_id = l.id
    ) c ON true
    {AREA_OF_TOP}
    WHERE l.created_at >= %s AND l.created_at < %s AND l.channel <> 'suggest'
      AND btrim(l.query) <> ''
    GROUP BY 1, 2, 3
"""
LOG_INFO_SQL = f"""
    SELECT l.id, left(l.locale, 2), coalesce(pa.translation_key::text, '')
    FROM search_searchquerylog l {AREA_OF_TOP}
    WHERE l.created_at >= %s AND l.created_at < %s
"""
ARTICLE_SQL = """
    SELECT ap.page_ptr_id, p.title, l.language_code, coalesce(pa.translation_key::text, '')
    FROM kb_articlepage ap JOIN wagtailcore_page p ON p.id = ap.page_ptr_id
    JOIN wagtailcore_locale l ON l.id = p.locale_id
    LEFT JOIN kb_productarea pa ON pa.id = ap.product_area_id
"""
DAY_MODELS = (DailyQueryStat, DailyOutcome, DailyArticleStat, DailyTipStat, DailyFrustration)


def aggregate_day(day: date) -> dict[str, int]:
    """Rebuild every daily table for ``day``; returns how many rows each got."""
    started = clock.monotonic()
    start, end = sources.day_bounds(day)
    with connection.cursor() as cursor:
        cursor.execute(QUERY_SQL, [start, end])
        query_rows = cursor.fetchall()
        cursor.execute(LOG_INFO_SQL, [start - timedelta(hours=12), end + timedelta(days=1)])
        log_info = {pk: (locale, area) for pk, locale, area in cursor.fetchall()}
        cursor.execute(ARTICLE_SQL)
        articles = {pk: (title, loc[:2], area) for pk, title, loc, area in cursor.fetchall()}
    journeys = analyse_day(day, log_info)
    queries = _query_stats(day, query_rows, journeys)
    rows = {
        DailyQueryStat: list(queries.values()),
        DailyOutcome: _outcomes(day, queries.values(), journeys),
        DailyArticleStat: _articles(day, articles, journeys),
        DailyTipStat: _tips(day, journeys),
        DailyFrustration: _frustration(day, journeys),
    }
    signals = _gap_signals(day, queries.values(), journeys, articles)
    with transaction.atomic():
        for model in DAY_MODELS:
            model.objects.filter(day=day).delete()
            model.objects.bulk_create(rows[model], batch_size=2000)
        GapSignal.objects.filter(day=day).exclude(kind=Kind.COMMUNITY).delete()
        GapSignal.objects.bulk_create(signals, batch_size=2000)
        AggregationRun.objects.update_or_create(
            day=day,
            defaults={"finished_at": timezone.now(), "seconds": clock.monotonic() - started},
        )
    return {model.__name__: len(rows[model]) for model in DAY_MODELS} | {"GapSignal": len(signals)}


def aggregate_range(first: date, last: date, embed: bool = True) -> dict[str, int]:
    """Aggregate every day from ``first`` to ``last`` inclusive, refresh community signals
    (answers arrive later) and embed the gap texts the backlog clusters."""
    totals: dict[str, int] = defaultdict(int)
    day = first
    while day <= last:
        for name, count in aggregate_day(day).items():
            totals[name] += count
        day += timedelta(days=1)
    totals["community"] = refresh_community(first - timedelta(days=90), last)
    if embed:
        totals["embedded"] = embed_missing_texts()
    return dict(totals)


def _query_stats(day: date, rows: list[tuple], journeys: DayJourneys) -> dict:
    stats: dict[tuple, DailyQueryStat] = {}
    for locale, query, area, searches, sessions, zero, no_click, clicks, missing in rows:
        stats[(locale, area, query)] = DailyQueryStat(
            day=day,
            locale=locale,
            area=area,
            query=query,
            searches=searches,
            sessions=sessions,
            zero_results=zero,
            no_click=no_click,
            clicks=clicks,
            answer_missing=missing,
        )
    for (locale, area, query), count in journeys.query_before_support.items():
        row = stats.get((locale, area, query))
        if row is None:
            row = stats[(locale, area, query)] = DailyQueryStat(
                day=day, locale=locale, area=area, query=query
            )
        row.before_support += count
    return stats


def _outcomes(day: date, queries, journeys: DayJourneys) -> list[DailyOutcome]:
    counts: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in queries:
        counts[(row.locale, row.area)]["searches"] += row.searches
    for key, bucket in journeys.outcomes.items():
        for name, value in bucket.items():
            counts[key][name] += value
    for locale, n in sources.support_requests_by_locale(day).items():
        counts[(locale, "")]["support_requests"] += n
    for locale, bucket in sources.deflections_by_locale(day).items():
        for name, value in bucket.items():
            counts[(locale, "")][f"deflection_{name}"] += value
    return [
        DailyOutcome(day=day, locale=locale, area=area, **values)
        for (locale, area), values in counts.items()
    ]


def _articles(day: date, articles: dict, journeys: DayJourneys) -> list[DailyArticleStat]:
    per: dict[int, dict] = defaultdict(lambda: {"reasons": defaultdict(int)})
    for article_id, views in ArticleDailyViews.objects.filter(day=day).values_list(
        "article_id", "views"
    ):
        per[article_id]["views"] = views
    start, end = sources.day_bounds(day)
    votes = ArticleFeedback.objects.filter(updated_at__gte=start, updated_at__lt=end)
    for article_id, helpful, reason in votes.values_list("article_id", "helpful", "reason"):
        bucket = per[article_id]
        bucket["helpful" if helpful else "unhelpful"] = (
            bucket.get("helpful" if helpful else "unhelpful", 0) + 1
        )
        if reason:
            bucket["reasons"][reason] += 1
    for article_id, count in journeys.article_before_support.items():
        per[article_id]["before_support"] = count
    rows = []
    for article_id, bucket in per.items():
        if article_id not in articles:
            continue
        title, locale, area = articles[article_id]
        rows.append(
            DailyArticleStat(
                day=day,
                locale=locale,
                area=area,
                article_id=article_id,
                title=title[:255],
                views=bucket.get("views", 0),
                helpful=bucket.get("helpful", 0),
                unhelpful=bucket.get("unhelpful", 0),
                reasons=dict(bucket["reasons"]),
                before_support=bucket.get("before_support", 0),
            )
        )
    return rows


def _tips(day: date, journeys: DayJourneys) -> list[DailyTipStat]:
    return [
        DailyTipStat(
            day=day,
            locale=locale,
            tip=tip,
            page=page,
            shown=c["shown"],
            clicked=c["clicked"],
            dismissed=c["dismissed"],
            completed=c["completed"],
            viewers=len(journeys.tip_viewers[(locale, tip, page)]),
            later_support=len(journeys.tip_later[(locale, tip, page)]),
        )
        for (locale, tip, page), c in journeys.tips.items()
    ]


def _frustration(day: date, journeys: DayJourneys) -> list[DailyFrustration]:
    return [
        DailyFrustration(
            day=day,
            locale=locale,
            page=page,
            signals=dict(signals),
            total=sum(signals.values()),
            visitors=len(journeys.frustrated[(locale, page)]),
            visitors_support=len(journeys.frustrated_support[(locale, page)]),
        )
        for (locale, page), signals in journeys.frustration.items()
    ]


def _gap_signals(day: date, queries, journeys: DayJourneys, articles: dict) -> list[GapSignal]:
    signals = []
    for row in queries:
        if row.zero_results:
            customers = min(row.sessions, row.zero_results) or row.zero_results
            signals.append(_signal(day, row, Kind.ZERO_RESULTS, row.zero_results, customers))
        if row.no_click:
            customers = min(row.sessions, row.no_click) or row.no_click
            signals.append(_signal(day, row, Kind.NO_CLICK, row.no_click, customers))
    for (locale, area, query), count in journeys.support_nothing.items():
        signals.append(
            GapSignal(
                day=day,
                locale=locale,
                area=area,
                kind=Kind.SUPPORT_NOTHING,
                text=query,
                count=count,
                customers=count,
            )
        )
    start, end = sources.day_bounds(day)
    votes = ArticleFeedback.objects.filter(updated_at__gte=start, updated_at__lt=end, helpful=False)
    per_article: dict[int, int] = defaultdict(int)
    for article_id in votes.values_list("article_id", flat=True):
        per_article[article_id] += 1
    for article_id, count in per_article.items():
        if article_id in articles:
            title, locale, area = articles[article_id]
            signals.append(
                GapSignal(
                    day=day,
                    locale=locale,
                    area=area,
                    kind=Kind.NOT_HELPFUL,
                    text=norm(title),
                    count=count,
                    customers=count,
                )
            )
    return signals


def _signal(day, row: DailyQueryStat, kind: str, count: int, customers: int) -> GapSignal:
    return GapSignal(
        day=day,
        locale=row.locale,
        area=row.area,
        kind=kind,
        text=row.query,
        count=count,
        customers=customers,
    )


def refresh_community(first: date, last: date) -> int:
    """Unanswered community questions, re-read every run because answers arrive later."""
    GapSignal.objects.filter(kind=Kind.COMMUNITY, day__gte=first, day__lte=last).delete()
    rows = []
    day = first
    while day <= last:
        for locale, title in sources.unanswered_questions(day):
            rows.append(
                GapSignal(
                    day=day,
                    locale=locale,
                    kind=Kind.COMMUNITY,
                    text=norm(title),
                    count=1,
                    customers=1,
                )
            )
        day += timedelta(days=1)
    GapSignal.objects.bulk_create(rows)
    return len(rows)


def embed_missing_texts(batch: int = 256) -> int:
    """Embed gap texts that have no vector from the gap model yet (``clustering.gap_embedder``:
    the multilingual one when configured); a vector from another model is replaced."""
    from .clustering import embed_texts, gap_embedder

    embedder = gap_embedder()
    return embed_and_store(
        GapSignal.objects.exclude(
            text__in=TextEmbedding.objects.filter(model=embedder.name).values("text")
        )
        .values_list("text", flat=True)
        .distinct(),
        embedder,
        embed_texts,
        batch,
    )


def embed_and_store(texts, embedder, embed, batch: int = 256) -> int:
    missing = list(texts)
    for i in range(0, len(missing), batch):
        chunk = missing[i : i + batch]
        vectors = embed(chunk, embedder)
        TextEmbedding.objects.bulk_create(
            [
                TextEmbedding(text=t, embedding=v.tolist(), model=embedder.name[:200])
                for t, v in zip(chunk, vectors, strict=True)
            ],
            update_conflicts=True,
            unique_fields=["text"],
            update_fields=["embedding", "model"],
        )
    return len(missing)
