"""Measure server-side render time and query count of help-centre pages on the demo content.

Run after `make demo` has seeded the database (the server need not be running):

    .venv/bin/python benchmarks/page_render.py [--requests 50]

Prints, per page kind, median and 95th-percentile time and the number of SQL queries, measured
through Django's test client (full middleware, templates and database, no network).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")


def main() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kb.models import ArticlePage, Audience, CategoryPage

    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()

    article = ArticlePage.objects.live().filter(audience=Audience.PUBLIC).first()
    if article is None:
        sys.exit("No articles: run `make demo` (or `manage.py seed_demo`) first.")
    pages = {
        "home": "/en/",
        "category": CategoryPage.objects.live().first().url,
        "article": article.url,
        "sitemap": "/sitemap.xml",
    }
    client = Client(HTTP_HOST="127.0.0.1")
    print(f"{'page':<10}{'median ms':>12}{'p95 ms':>10}{'queries':>10}")
    for name, url in pages.items():
        client.get(url)  # warm caches and connections
        timings = []
        for _ in range(args.requests):
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        p95 = statistics.quantiles(timings, n=20)[-1]
        print(f"{name:<10}{statistics.median(timings):>12.1f}{p95:>10.1f}{len(queries):>10}")


if __name__ == "__main__":
    main()
