"""`manage.py purge_journeys`: delete journey events older than FARO_JOURNEY_RETENTION_DAYS.

Run daily (cron, or a scheduler). Requests keep the snapshot the customer agreed to share, so
purging the live journey never changes what an agent sees on an existing request.
"""

from django.core.management.base import BaseCommand

from core.journey import purge_expired


class Command(BaseCommand):
    help = "Delete journey events older than the retention limit (FARO_JOURNEY_RETENTION_DAYS)."

    def handle(self, *args, **options) -> None:
        deleted = purge_expired()
        self.stdout.write(f"Deleted {deleted} journey events.")
