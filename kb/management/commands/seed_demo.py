"""`manage.py seed_demo`: the demo help centre for the fictional product Plano."""

from importlib import import_module
from importlib.util import find_spec

from django.core.management.base import BaseCommand, CommandError

from kb.demo.markdown_blocks import ContentError
from kb.demo.seed import Seeder

# Apps that add their own demo data after the help centre exists, in this order. Each provides
# ``<app>/demo.py`` with ``seed(log) -> None`` that is safe to re-run.
DEMO_APPS = ("community", "guidance", "support", "insights")


class Command(BaseCommand):
    help = "Create the demo help centre (English and Spanish), demo users and sample traffic."

    def handle(self, *args, **options) -> None:
        try:
            Seeder(log=self.stdout.write).run()
            for app in DEMO_APPS:
                if find_spec(f"{app}.demo"):
                    import_module(f"{app}.demo").seed(log=self.stdout.write)
        except ContentError as error:
            raise CommandError(f"Demo content is malformed: {error}") from error
