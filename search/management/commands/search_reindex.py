"""`manage.py search_reindex`: rebuild the search index from every registered source.

Safe to interrupt (Ctrl-C) and run again: sections whose text and embedding model are unchanged
are skipped by content hash, so a second run resumes where the first stopped, and a model change
re-embeds everything. Rows of objects that no longer exist are swept at the end.
"""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand

from core.migrated import require_migrated
from search.indexing import CHUNK, index_objects, iter_batches, refresh_vocabulary, remove_object
from search.models import DEFAULT_INDEX, SearchDocument
from search.sources import all_sources


class Command(BaseCommand):
    help = "Rebuild the search index (resumable: unchanged sections are not re-embedded)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--source", action="append", help="Only these source names.")

    def handle(self, *args, **options) -> None:
        require_migrated()
        wanted = set(options["source"] or [])
        started = time.perf_counter()
        embedded = indexed = 0
        for source in all_sources():
            if wanted and source.name not in wanted:
                continue
            objects = list(source.all_objects())
            seen: set[str] = set()
            number = 0
            # CHUNK objects at a time: one embedding batch per model, one short transaction
            for batch in iter_batches(objects, CHUNK):
                items = []
                for obj in batch:
                    object_id = source.object_id(obj)
                    sections = source.sections(obj)
                    if sections:
                        seen.add(object_id)
                        items.append((source.name, object_id, sections))
                        indexed += len(sections)
                embedded += index_objects(items)
                number += len(batch)
                self._progress(source.name, number, len(objects))
            stale = (
                SearchDocument.objects.filter(index_name=DEFAULT_INDEX, source=source.name)
                .exclude(object_id__in=seen)
                .values_list("object_id", flat=True)
                .distinct()
            )
            for object_id in list(stale):
                remove_object(source.name, object_id)
            self.stdout.write("")
        # The vocabulary is kept by delta; rebuilt here as well, which repairs any drift.
        refresh_vocabulary()
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {indexed} sections ({embedded} embedded, "
                f"{indexed - embedded} unchanged) in {time.perf_counter() - started:.1f} s."
            )
        )

    def _progress(self, name: str, done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        bar = "█" * filled + "·" * (width - filled)
        end = "\r" if sys.stdout.isatty() else "\n" if done == total else ""
        if end:
            self.stdout.write(f"{name:<10} {bar} {done}/{total}", ending=end)
