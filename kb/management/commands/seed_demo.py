"""`manage.py seed_demo`: the demo help centre for the fictional product Plano."""

from django.core.management.base import BaseCommand, CommandError

from kb.demo.markdown_blocks import ContentError
from kb.demo.seed import Seeder


class Command(BaseCommand):
    help = "Create the demo help centre (English and Spanish), demo users and sample traffic."

    def handle(self, *args, **options) -> None:
        try:
            Seeder(log=self.stdout.write).run()
        except ContentError as error:
            raise CommandError(f"Demo content is malformed: {error}") from error
