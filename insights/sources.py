"""Small adapters over apps that are still changing (support, community, guidance).

Insights builds on ``search``, ``kb`` and ``core.JourneyEvent``; everything it needs from the
other apps passes through the functions below. Each one tolerates the app or model being absent
(or renamed mid-development) and then returns an empty answer, so a change there degrades one
number on the dashboard instead of breaking it.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.db import DatabaseError
from django.utils import timezone

log = logging.getLogger(__name__)


def _model(app_label: str, name: str) -> Any | None:
    try:
        if not apps.is_installed(app_label):
            return None
        return apps.get_model(app_label, name)
    except (LookupError, ValueError):
        return None


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def support_requests_by_locale(day: date) -> dict[str, int]:
    """All support requests created that day per language, consented or not."""
    model = _model("support", "SupportRequest")
    if model is None:
        return {}
    start, end = day_bounds(day)
    try:
        rows = model.objects.filter(created_at__gte=start, created_at__lt=end).values_list(
            "locale", flat=True
        )
        counts: dict[str, int] = {}
        for locale in rows:
            counts[(locale or "")[:2]] = counts.get((locale or "")[:2], 0) + 1
        return counts
    except (DatabaseError, AttributeError, ValueError):
        log.exception("insights: support requests unavailable")
        return {}


def deflections_by_locale(day: date) -> dict[str, dict[str, int]]:
    """Contact-form deflections that day: {locale: {"offered", "resolved", "sent"}}.

    ``support.Deflection`` records that the contact form offered an article for the typed
    message and whether the customer then sent the request anyway.
    """
    model = _model("support", "Deflection")
    if model is None:
        return {}
    start, end = day_bounds(day)
    out: dict[str, dict[str, int]] = {}
    try:
        rows = model.objects.filter(created_at__gte=start, created_at__lt=end).values_list(
            "locale", "outcome"
        )
        for locale, outcome in rows:
            bucket = out.setdefault((locale or "")[:2], {"offered": 0, "resolved": 0, "sent": 0})
            bucket["offered"] += 1
            if outcome in ("resolved", "sent"):
                bucket[outcome] += 1
    except (DatabaseError, AttributeError, ValueError):
        log.exception("insights: deflections unavailable")
        return {}
    return out


def unanswered_questions(day: date) -> list[tuple[str, str]]:
    """(locale, title) of community questions asked that day that still have no answer."""
    model = _model("community", "Question")
    if model is None:
        return []
    start, end = day_bounds(day)
    try:
        qs = model.objects.filter(
            created_at__gte=start, created_at__lt=end, answer_count=0, status="visible"
        )
        if hasattr(model, "duplicate_of"):
            qs = qs.filter(duplicate_of__isnull=True)
        return [
            ((locale or "")[:2], title)
            for title, locale in qs.values_list("title", "page__locale__language_code")
        ]
    except Exception:  # the community app is in flux: never break Insights
        log.exception("insights: community questions unavailable")
        return []


def tip_titles(tip_ids: list[str]) -> dict[str, str]:
    """Editor-facing names for guidance tips, by the id the journey recorded."""
    model = _model("guidance", "Tip")
    ids = [int(t) for t in tip_ids if str(t).isdigit()]
    if model is None or not ids:
        return {}
    try:
        return {str(tip.pk): str(tip) for tip in model.objects.filter(pk__in=ids)}
    except (DatabaseError, AttributeError, ValueError):
        log.exception("insights: tips unavailable")
        return {}
