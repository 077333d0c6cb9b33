"""`manage.py search_languages`: give every language in settings.LANGUAGES its text search
configuration and its vector graph (search/languages.py). ``migrate`` does the same after
migrating; this runs it alone, e.g. after adding a language on a large index (the graph is built
``CONCURRENTLY``, so the site keeps indexing meanwhile)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from core.migrated import require_migrated
from search.languages import ensure_languages


class Command(BaseCommand):
    help = "Create the search configuration and vector graph of each language in LANGUAGES."

    def handle(self, *args, **options) -> None:
        require_migrated()
        created = ensure_languages(log=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(f"Created: {', '.join(created)}." if created else "Up to date.")
        )
