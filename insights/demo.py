"""Demo traffic for Insights: three weeks of searches, clicks, votes and journeys in English and
Spanish over the demo help centre, then the aggregation, so every panel has something to show.

Safe to re-run: rows it made carry a ``demo-insights`` marker (session hash, visitor hash) and
are replaced. Randomness is seeded, so the dashboard looks the same after each run.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from core.models import JourneyEvent
from kb.models import ArticleFeedback, ArticlePage
from search.models import SearchClick, SearchQueryLog

MARK = "demo-insights"
DAYS = 21
MISSING = {
    "en": ["refund to paypal", "refund paypal account", "paypal refund", "get my money back paypal",
           "dark mode", "night theme", "enable dark theme", "offline mode", "use app offline"],
    "es": ["reembolso paypal", "devolver dinero paypal", "modo oscuro", "tema oscuro"],
}  # fmt: skip
PAGES = ["https://app.plano.example/settings/integrations", "https://app.plano.example/billing"]


def seed(log: Callable[[str], object] = print) -> None:
    rng = random.Random(7)
    _clear()
    articles = {
        code: list(ArticlePage.objects.live().filter(locale__language_code=code)[:30])
        for code in ("en", "es")
    }
    now = timezone.now()
    logs = clicks = events = 0
    requests: list = []
    for visitor_no in range(900):
        locale = "es" if visitor_no % 4 == 0 else "en"
        if not articles[locale]:
            continue
        at = now - timedelta(days=rng.random() * DAYS)
        visitor = f"{MARK}-{visitor_no}"
        article = rng.choice(articles[locale])
        found = rng.random() < 0.7
        query = article.title.lower() if found else rng.choice(MISSING[locale])
        row = SearchQueryLog.objects.create(
            session_hash=visitor, query=query, locale=locale, semantic_ratio=0.85,
            result_count=rng.randint(1, 8) if found else 0, confidence=0.7 if found else 0.1,
            top_results=[{"type": "article", "id": str(article.pk)}] if found else [],
            answer_likely_missing=not found, latency_ms=30, channel="page",
        )  # fmt: skip
        SearchQueryLog.objects.filter(pk=row.pk).update(created_at=at)
        logs += 1
        steps = [("search", {"q": query, "results": row.result_count, "query_id": row.pk})]
        if found and rng.random() < 0.75:
            SearchClick.objects.create(
                query_log=row, source="article", object_id=str(article.pk), position=1
            )
            clicks += 1
            steps.append(("article_view", {"id": article.pk, "title": article.title}))
            helpful = rng.random() < 0.75
            if rng.random() < 0.4:
                steps.append(("feedback", {"id": article.pk, "helpful": helpful}))
                ArticleFeedback.objects.update_or_create(
                    article=article, visitor_hash=visitor,
                    defaults={"helpful": helpful, "reason": "" if helpful else "incomplete"},
                )  # fmt: skip
        if visitor_no % 3 == 0:
            page = PAGES[visitor_no % 2]
            steps.insert(0, ("tip_shown", {"tip": 1 + visitor_no % 2, "page": page}))
            if visitor_no % 5 == 0:
                steps.insert(1, ("frustration", {"signal": "rage_click", "page": page}))
        if (not found and rng.random() < 0.35) or rng.random() < 0.06:
            steps.append(("support_request", {"reference": f"DEMO{visitor_no}"}))
            requests.append(_request(visitor, visitor_no, locale, at + timedelta(minutes=8)))
        for i, (kind, data) in enumerate(steps):
            page_url = data.pop("page", "") if isinstance(data, dict) else ""
            JourneyEvent.objects.create(
                created_at=at + timedelta(minutes=i * 2), visitor=visitor, kind=kind,
                page_url=page_url, locale=locale, data=data,
            )  # fmt: skip
            events += 1
    _save_requests(requests)
    from .aggregate import aggregate_range

    today = timezone.localdate()
    aggregate_range(today - timedelta(days=DAYS + 1), today)
    log(
        f"Insights: {logs} searches, {clicks} clicks, {events} journey events, "
        f"{len(requests)} answered support requests; aggregated."
    )


def _request(visitor: str, number: int, locale: str, at):
    """The support request behind a journey's "asked for a person": without it the dashboard
    showed more sessions that asked than requests received. Already answered, so the agents'
    inbox is not flooded; no email or webhook is sent (rows are inserted directly)."""
    model = _support_model()
    if model is None:
        return None
    return model(
        reference=f"DEMOI{number}", created_at=at, status="answered", visitor=visitor,
        locale=locale, channel="help_centre", entry_point="search", consented=True,
        message="(demo) I searched and could not find the answer.",
    )  # fmt: skip


def _save_requests(requests: list) -> None:
    model = _support_model()
    if model is not None:
        model.objects.bulk_create([r for r in requests if r is not None])


def _support_model():
    from django.apps import apps

    try:
        return apps.get_model("support", "SupportRequest")
    except LookupError:
        return None


def _clear() -> None:
    model = _support_model()
    if model is not None:
        model.objects.filter(visitor__startswith=MARK).delete()
    SearchQueryLog.objects.filter(session_hash__startswith=MARK).delete()
    JourneyEvent.objects.filter(visitor__startswith=MARK).delete()
    ArticleFeedback.objects.filter(visitor_hash__startswith=MARK).delete()
