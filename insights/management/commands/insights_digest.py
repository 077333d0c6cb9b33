"""`manage.py insights_digest`: the weekly Insights email to editors who opted in."""

from django.core.management.base import BaseCommand

from insights.digest import send_weekly_digest


class Command(BaseCommand):
    help = "Email the weekly Insights digest to subscribed editors."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"Sent {send_weekly_digest()} digest(s).")
