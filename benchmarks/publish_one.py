"""What publishing one article costs the index: time and rows written, in an N-section index.

Builds (or reuses) the speed benchmark's corpus (``benchmarks/search_corpus.py``: N synthetic
sections through the live indexing path, half English, half Spanish), adds a small real help
centre (a category and its articles, published through Wagtail), then measures, each through
the same task the worker runs (``search.tasks.drain_queue``, called in-process):

- ``edit``: an article published with one sentence changed;
- ``unchanged``: the same article published again with nothing changed;
- ``new section``: an article published with one more H2 section;
- ``category``: its category published again (nothing changed);
- ``burst``: the three articles published three times each (one task drains them).

Rows are counted from PostgreSQL's own statistics (``pg_stat_user_tables`` deltas: inserted,
updated, deleted, of which HOT updates), so they include every index write the engine does.

    FARO_PGDATA=.data/pg-index FARO_TORCH_THREADS=1 .venv/bin/python benchmarks/publish_one.py \\
        --sections 10000 [--model-sections 10000] [--json /tmp/publish.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.bench_settings")

TABLES = ("search_searchdocument", "search_searchposting", "search_searchterm")
PARAGRAPH = (
    "To rotate an API key, open Settings, then Developer, and click Regenerate next to the key. "
    "The old key stops working after one hour."
)


def stats() -> dict[str, tuple[int, int, int, int]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
    time.sleep(1.2)  # the backend flushes its counters when idle, at most once a second
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del, n_tup_hot_upd "
            "FROM pg_stat_user_tables WHERE relname = ANY(%s)",
            [list(TABLES)],
        )
        return {row[0]: tuple(row[1:]) for row in cursor.fetchall()}


def measure(label: str, publish) -> dict:
    from search.tasks import drain_queue

    publish()  # Wagtail's publish with the dummy task backend: the page goes on the queue
    before = stats()
    started = time.perf_counter()
    embedded = drain_queue.call()
    seconds = time.perf_counter() - started
    after = stats()
    rows = {
        table.removeprefix("search_search"): dict(
            zip(
                ("inserted", "updated", "deleted", "hot"),
                (a - b for a, b in zip(after[table], before[table], strict=True)),
                strict=True,
            )
        )
        for table in TABLES
    }
    result = {"case": label, "seconds": round(seconds, 3), "embedded": embedded, "rows": rows}
    print(
        f"{label:<12} {seconds * 1000:8.1f} ms  embedded {embedded:3d}  "
        + "  ".join(
            f"{t}: +{r['inserted']} ~{r['updated']} (hot {r['hot']}) -{r['deleted']}"
            for t, r in rows.items()
        ),
        flush=True,
    )
    return result


def body(*sections: tuple[str, str]) -> str:
    blocks = []
    for heading, text in sections:
        if heading:
            blocks.append({"type": "heading", "value": {"text": heading, "level": "h2"}})
        blocks.append({"type": "paragraph", "value": f"<p>{text}</p>"})
    return json.dumps(blocks)


def help_centre():
    """A category with three articles, published (and indexed) once."""
    from kb.demo.seed import Seeder
    from kb.models import ArticlePage, CategoryPage, HelpCentrePage
    from search.tasks import drain_queue

    home = HelpCentrePage.objects.filter(locale__language_code="en").first()
    if home is None:
        Seeder(log=lambda _: None).seed_homes()
        home = HelpCentrePage.objects.get(locale__language_code="en")
    category = CategoryPage.objects.child_of(home).filter(slug="publish-bench").first()
    if category is None:
        category = home.add_child(
            instance=CategoryPage(title="Publish bench", slug="publish-bench")
        )
        category.save_revision().publish()
    articles = []
    for n, title in enumerate(["Manage API keys", "Rotate tokens", "Revoke access"]):
        page = ArticlePage.objects.child_of(category).filter(slug=f"bench-{n}").first()
        if page is None:
            page = category.add_child(
                instance=ArticlePage(
                    title=title, slug=f"bench-{n}", summary="Keys, tokens and access.",
                    body=body(("", PARAGRAPH), ("Revoke a key", "Click Revoke; it stops at once.")),
                )
            )  # fmt: skip
        page.save_revision().publish()
        articles.append(page)
    drain_queue.call()
    return category, articles


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sections", type=int, default=10_000)
    parser.add_argument("--model-sections", type=int, default=10_000)
    parser.add_argument("--json")
    args = parser.parse_args()
    if os.environ.get("FARO_PGDATA", ".data/pg").rstrip("/").endswith(".data/pg"):
        sys.exit("Set FARO_PGDATA to your own database folder (not the default .data/pg).")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from benchmarks import search_corpus

    call_command("migrate", verbosity=0)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    print(f"building {args.sections} sections …", flush=True)
    info = search_corpus.build(args.sections, args.model_sections)
    print(f"build: {json.dumps(info)}", flush=True)
    category, articles = help_centre()
    article = articles[0]
    results = []

    def edit():
        article.body = body(("", PARAGRAPH.replace("one hour", "two hours")),
                            ("Revoke a key", "Click Revoke; it stops at once."))  # fmt: skip
        article.save_revision().publish()

    def again():
        article.save_revision().publish()

    def new_section():
        article.body = body(("", PARAGRAPH), ("Revoke a key", "Click Revoke; it stops at once."),
                            ("Expiry", "Keys never expire on their own."))  # fmt: skip
        article.save_revision().publish()

    def parent():
        category.save_revision().publish()

    def burst():
        for _ in range(3):
            for page in articles:
                page.save_revision().publish()

    for label, publish in [("edit", edit), ("unchanged", again), ("new section", new_section),
                           ("category", parent), ("burst 3x3", burst)]:  # fmt: skip
        results.append(measure(label, publish))
    # back to the first text, so a rerun measures the same edits
    article.body = body(("", PARAGRAPH), ("Revoke a key", "Click Revoke; it stops at once."))
    article.save_revision().publish()
    measure("restore", lambda: None)
    if args.json:
        Path(args.json).write_text(json.dumps({"build": info, "publish": results}, indent=2))


if __name__ == "__main__":
    main()
