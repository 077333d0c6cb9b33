"""The daily background job: aggregate yesterday and today (late events land in both)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from .aggregate import aggregate_range


@task()
def aggregate_recent(days: int = 2) -> dict[str, int]:
    today = timezone.localdate()
    return aggregate_range(today - timedelta(days=days - 1), today)
