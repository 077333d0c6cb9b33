"""Time the importer on generated Markdown: N articles, each with its own image, in categories.

Run on your own database folder (it refuses the lead's default ``.data/pg``):

    FARO_PGDATA=.data/pg-imp .venv/bin/python manage.py migrate
    FARO_PGDATA=.data/pg-imp .venv/bin/python benchmarks/import_content.py --articles 1000

Prints the time for the first import (pages, revisions, images, redirects), a re-run (nothing
changed: every article skipped by source hash), and the one search-indexing task the import
enqueues, run here in-process (embedding every section on this machine's CPU). Earlier benchmark
pages (categories ``bench-*``) and their images are deleted first, so runs are comparable.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

WORDS = [
    "plan", "invoice", "project", "timer", "report", "export", "member", "role", "billing", "seat",
    "client", "task", "budget", "approval", "week", "month", "owner", "admin", "guest", "webhook",
    "integration", "token", "calendar", "reminder",
]  # fmt: skip


def png(seed: int) -> bytes:
    from PIL import Image

    rng = random.Random(seed)
    image = Image.new("RGB", (64, 40), tuple(rng.randrange(256) for _ in range(3)))
    image.putpixel((seed % 64, seed % 40), (255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def sentence(rng: random.Random, n: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def article(rng: random.Random, number: int) -> str:
    steps = "\n".join(f"{i}. {sentence(rng, 6)}" for i in range(1, 4))
    return f"""---
title: Bench article {number} {rng.choice(WORDS)}
summary: {sentence(rng)}
tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]
translation_key: bench-{number}
---
{sentence(rng)} {sentence(rng)}

## {sentence(rng, 3)[:-1]}

{steps}

![Screen {number}](images/screen-{number}.png)

> Tip: {sentence(rng)}

```bash
plano {rng.choice(WORDS)} --{rng.choice(WORDS)}
```

Q: {sentence(rng, 6)[:-1]}?
A: {sentence(rng)}
"""


def generate(root: Path, count: int, per_category: int) -> None:
    rng = random.Random(7)
    for number in range(count):
        folder = root / "en" / f"bench-{number // per_category:02d}"
        (folder / "images").mkdir(parents=True, exist_ok=True)
        (folder / f"article-{number}.md").write_text(article(rng, number), encoding="utf-8")
        (folder / "images" / f"screen-{number}.png").write_bytes(png(number))


def clean() -> None:
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.images.models import Image

    from kb.models import CategoryPage

    for category in CategoryPage.objects.filter(slug__startswith="bench-"):
        category.delete()
    Redirect.objects.filter(old_path__startswith="/en/bench-").delete()
    for image in Image.objects.filter(title__startswith="Screen "):
        image.delete()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--per-category", type=int, default=100)
    parser.add_argument("--skip-indexing", action="store_true")
    args = parser.parse_args()
    if os.environ.get("FARO_PGDATA", ".data/pg").rstrip("/").endswith(".data/pg"):
        sys.exit("Set FARO_PGDATA to your own database folder (not the default .data/pg).")

    import django

    django.setup()
    from django.conf import settings

    from core.migrated import require_migrated
    from importing.actions import import_content
    from importing.files import FolderTree
    from kb.demo.seed import Seeder
    from kb.models import HelpCentrePage
    from search.tasks import index_pages

    require_migrated()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    if not HelpCentrePage.objects.exists():
        Seeder(log=lambda _: None).seed_homes()
    clean()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root, args.articles, args.per_category)
        start = time.perf_counter()
        report = import_content(FolderTree(root), "markdown")
        first = time.perf_counter() - start
        assert report.ok, report.failed[:3]
        start = time.perf_counter()
        rerun = import_content(FolderTree(root), "markdown")
        second = time.perf_counter() - start
    ids = sorted(report.pages.values())
    indexing = None
    if not args.skip_indexing:
        start = time.perf_counter()
        index_pages.call(ids)
        indexing = time.perf_counter() - start
    n = len(report.created)
    print(f"articles imported      {n}  ({len(report.categories_created)} categories)")
    print(f"images uploaded        {report.images}")
    print(f"redirects              {report.redirects}")
    print(f"first import           {first:.1f} s  ({first / max(n, 1) * 1000:.0f} ms/article)")
    print(f"re-run, unchanged      {second:.1f} s  ({len(rerun.unchanged)} skipped)")
    if indexing is not None:
        print(f"search indexing (1 task) {indexing:.1f} s")


if __name__ == "__main__":
    main()
