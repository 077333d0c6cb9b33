"""Choose the content-gap merge threshold on a labelled set of paraphrases (dev data only)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from insights.clustering import THRESHOLD, cross_language, embed_texts, gap_embedder, tune_threshold

DEFAULT = Path(__file__).resolve().parents[2] / "tuning" / "gap_paraphrases_dev.jsonl"


class Command(BaseCommand):
    help = "Print purity / inverse purity per threshold on a JSONL of {intent, locale, text}."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT))

    def handle(self, *args, path: str, **options):
        try:
            rows = [json.loads(line) for line in Path(path).read_text().splitlines() if line]
            texts = [" ".join(r["text"].lower().split()) for r in rows]
            labels = [r["intent"] for r in rows]
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        embedder = gap_embedder()
        if not cross_language(embedder):
            self.stdout.write("The gap embedder is not multilingual: languages are apart.")
        best, results = tune_threshold(embed_texts(texts, embedder), labels)
        self.stdout.write(f"{embedder.name}: {len(texts)} texts, {len(set(labels))} intents")
        for threshold, score in results.items():
            mark = " <- best" if threshold == best else ""
            mark += " (current)" if abs(threshold - THRESHOLD) < 1e-9 else ""
            self.stdout.write(f"{threshold:.2f} {score}{mark}")
