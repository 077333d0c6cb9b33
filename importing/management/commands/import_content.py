"""`manage.py import_content SOURCE --format zendesk|markdown|html`: bring a help centre in.

SOURCE is a folder or a ZIP. Re-runs update in place; ``--dry-run`` prints what would change and
writes nothing; ``--overwrite`` also replaces pages editors changed in Faro since the last import.
Exits non-zero when any file failed (the others are imported).
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from core.migrated import require_migrated
from importing.actions import FORMATS, import_content
from importing.files import UnsafeSource, open_source


class Command(BaseCommand):
    help = "Import help-centre content from Zendesk JSON, a Markdown folder or HTML files."

    def add_arguments(self, parser) -> None:
        parser.add_argument("source", help="A folder or a .zip file.")
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument(
            "--locale",
            choices=[code for code, _ in settings.LANGUAGES],
            help="Markdown/HTML without language folders: their language (default: the site's). "
            "Zendesk: import only this language.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Report, write nothing.")
        parser.add_argument(
            "--overwrite", action="store_true", help="Also replace pages edited in Faro."
        )

    def handle(self, *args, **options) -> None:
        require_migrated()
        try:
            tree = open_source(options["source"])
        except UnsafeSource as error:
            raise CommandError(f"Cannot read {options['source']}: {error}") from error
        bar = tqdm(total=0, unit="article", disable=options["verbosity"] == 0, file=sys.stderr)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        report = import_content(
            tree,
            options["format"],
            locale=options["locale"],
            dry_run=options["dry_run"],
            overwrite=options["overwrite"],
            progress=progress,
        )
        bar.close()
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(f"{len(report.failed)} item(s) failed; the rest were imported.")
        self.stdout.write(
            self.style.SUCCESS("Dry run: nothing written." if report.dry_run else "Done.")
        )
