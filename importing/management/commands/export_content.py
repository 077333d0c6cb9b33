"""`manage.py export_content DIR --format markdown`: the help centre as a Markdown folder that
`import_content DIR --format markdown` reads back (docs/importing.md)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.migrated import require_migrated
from importing.export import export_markdown


class Command(BaseCommand):
    help = "Export every category and article as Markdown files with front matter and images."

    def add_arguments(self, parser) -> None:
        parser.add_argument("target", help="A folder (created if missing; files are replaced).")
        parser.add_argument("--format", default="markdown", choices=["markdown"])

    def handle(self, *args, **options) -> None:
        require_migrated()
        target = Path(options["target"])
        if target.exists() and not target.is_dir():
            raise CommandError(f"{target} exists and is not a folder.")
        target.mkdir(parents=True, exist_ok=True)
        report = export_markdown(target)
        for note in report.notes:
            self.stdout.write(f"  note: {note}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {report.articles} articles, {report.categories} categories, "
                f"{report.images} images and {report.documents} documents to {target}."
            )
        )
