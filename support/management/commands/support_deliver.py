"""`manage.py support_deliver`: drain the support outbox now (or keep draining with --loop).

The db_worker normally does this through tasks; this command is for operators (after an outage,
or where no task worker runs) and for the reliability benchmark. Safe alongside workers: rows are
claimed with SKIP LOCKED and leases.
"""

import time

from django.core.management.base import BaseCommand

from support import outbox


class Command(BaseCommand):
    help = "Send due support deliveries (emails, webhooks); --loop keeps polling."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args, loop: bool = False, interval: float = 1.0, **options) -> None:
        while True:
            sent = outbox.process_due(limit=1000)
            if sent:
                self.stdout.write(f"Attempted {sent} deliveries.")
            if not loop:
                return
            time.sleep(interval)
