"""`manage.py seed_demo`: the demo help centre for the fictional product Plano."""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kb.demo.markdown_blocks import ContentError
from kb.demo.seed import Seeder

# Apps that add their own demo data after the help centre exists, in this order. Each provides
# ``<app>/demo.py`` with ``seed(log) -> None`` that is safe to re-run.
DEMO_APPS = ("community", "guidance", "support", "insights")


def refusal() -> str:
    """Why seeding here is dangerous, or ``""``. The demo creates an ``admin`` superuser and
    staff accounts whose password (``faro-demo``) is in the README: on a real site that is an
    open door. Only the dev and test settings say they are not production; a settings module
    that says nothing counts as production."""
    environment = getattr(settings, "FARO_ENVIRONMENT", "production")
    if environment == "production":
        return "these are production settings (FARO_ENVIRONMENT=production)"
    if not settings.DEBUG and environment != "test":
        return "DEBUG is off, so this looks like a real site"
    return ""


class Command(BaseCommand):
    help = "Create the demo help centre (English and Spanish), demo users and sample traffic."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even with production settings or DEBUG off (creates demo passwords).",
        )

    def handle(self, *args, **options) -> None:
        reason = refusal()
        if reason and not options["force"]:
            raise CommandError(
                f"Refusing to load the demo: {reason}. It creates an admin and staff accounts "
                "with the published password 'faro-demo'. Run with --force if you really mean it."
            )
        try:
            Seeder(log=self.stdout.write).run()
            for app in DEMO_APPS:
                if find_spec(f"{app}.demo"):
                    import_module(f"{app}.demo").seed(log=self.stdout.write)
        except ContentError as error:
            raise CommandError(f"Demo content is malformed: {error}") from error
