"""`manage.py insights_aggregate [--days N | --since YYYY-MM-DD] [--enqueue]`: rebuild the daily
Insights tables (idempotent). Run it daily; ``--enqueue`` hands it to the task worker."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from insights.aggregate import aggregate_range


class Command(BaseCommand):
    help = "Pre-aggregate search, feedback and journey logs for Insights."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=2, help="Days back, today included.")
        parser.add_argument("--since", type=date.fromisoformat, help="First day (ISO date).")
        parser.add_argument("--no-embed", action="store_true", help="Skip embedding gap texts.")
        parser.add_argument("--enqueue", action="store_true", help="Run in the task worker.")

    def handle(self, *args, days: int, since, no_embed: bool, enqueue: bool, **options) -> None:
        if enqueue:
            from insights.tasks import aggregate_recent

            aggregate_recent.enqueue(days=days)
            self.stdout.write("Enqueued.")
            return
        today = timezone.localdate()
        first = since or today - timedelta(days=max(days, 1) - 1)
        totals = aggregate_range(first, today, embed=not no_embed)
        self.stdout.write(f"Aggregated {first} … {today}: {totals}")
