"""Insights at volume: 1,000,000 logged searches, the daily aggregation, and page load times.

    FARO_PGDATA=.data/pg-insights-bench .venv/bin/python benchmarks/insights_volume.py [--rows N]

Rows are generated inside PostgreSQL (``INSERT … SELECT generate_series``) over 30 days: a
vocabulary of real-looking queries in English and Spanish, ~12 % without results, clicks on
~40 % of the rest, and consented journeys for 20,000 visitors. Then every day is aggregated
(timed) and each Insights page is requested through the Django test client as a permitted editor
(timed, best and worst of 5, default 28-day period and 90 days). Re-running reuses the data.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("FARO_PGDATA", str(BASE_DIR / ".data" / "pg-insights-bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

DAYS = 30
BASES = [
    "refund", "change plan", "cancel subscription", "export data", "invoice", "reset password",
    "two factor", "webhook", "api key", "delete account", "add user", "sso", "calendar sync",
    "import csv", "billing address", "vat number", "dark mode", "mobile app", "notifications",
    "slack integration", "factura", "cambiar plan", "contraseña", "exportar datos", "cancelar",
]  # fmt: skip
MODS = ["", "how to", "cannot", "error", "help", "where is", "not working", "change", "2fa", "es"]


def generate(rows: int) -> None:
    words = "ARRAY[" + ",".join(f"'{b}'" for b in BASES) + "]"
    mods = "ARRAY[" + ",".join(f"'{m}'" for m in MODS) + "]"
    with connection.cursor() as c:
        c.execute("TRUNCATE search_searchclick, search_searchquerylog, core_journeyevent")
        c.execute(
            f"""
            INSERT INTO search_searchquerylog (created_at, session_hash, query, locale,
                semantic_ratio, filters, result_count, top_results, confidence,
                answer_likely_missing, latency_ms, channel)
            SELECT now() - (i % {DAYS * 1440}) * interval '1 minute',
                   md5((i / 3)::text),
                   btrim(({mods})[1 + (i * 7) % 10] || ' ' || ({words})[1 + i % 25] || ' ' ||
                         CASE WHEN i % 11 = 0 THEN (i % 97)::text ELSE '' END),
                   CASE WHEN i % 25 >= 20 THEN 'es' ELSE 'en' END,
                   0.85, '{{}}', CASE WHEN i % 8 = 0 THEN 0 ELSE 1 + i % 9 END, '[]'::jsonb,
                   0.5, i % 8 = 0, 20, 'page'
            FROM generate_series(1, {int(rows)}) AS i
            """
        )
        c.execute(
            """
            INSERT INTO search_searchclick (query_log_id, created_at, source, object_id,
                section, position)
            SELECT id, created_at, 'article', '1', '', 1 FROM search_searchquerylog
            WHERE result_count > 0 AND id % 5 < 2
            """
        )
        c.execute(
            f"""
            INSERT INTO core_journeyevent (created_at, visitor, kind, channel, page_url, locale,
                data)
            SELECT now() - (v % {DAYS * 1440}) * interval '1 minute' + s * interval '1 minute',
                   md5('v' || v),
                   (ARRAY['search', 'article_view', 'feedback', 'support_request', 'tip_shown',
                          'frustration'])[1 + CASE WHEN s = 0 THEN 0 ELSE (v + s) % 6 END],
                   'help_centre', 'https://app.example/page' || (v % 40), 'en',
                   jsonb_build_object('q', ({words})[1 + v % 25], 'results', v % 5,
                                      'tip', v % 12, 'signal', 'rage_click', 'id', 1,
                                      'helpful', v % 3 = 0)
            FROM generate_series(1, 20000) AS v, generate_series(0, 5) AS s
            """
        )
        c.execute("ANALYZE")


def time_pages(client: Client) -> dict:
    out = {}
    for query in ("days=28", "days=90", "days=28&locale=es"):
        for section in ("overview", "search", "content", "guidance", "backlog"):
            times = []
            for _ in range(5):
                started = time.perf_counter()
                response = client.get(f"/admin/insights/{section}/?{query}")
                times.append(time.perf_counter() - started)
                assert response.status_code == 200, (section, response.status_code)
            out[f"{section}?{query}"] = {
                "best_ms": round(min(times) * 1000),
                "median_ms": round(statistics.median(times) * 1000),
                "worst_ms": round(max(times) * 1000),
            }
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    from search.models import SearchQueryLog

    result: dict = {"rows": args.rows}
    if args.fresh or SearchQueryLog.objects.count() < args.rows:
        started = time.perf_counter()
        generate(args.rows)
        result["generate_s"] = round(time.perf_counter() - started, 1)
    result["search_logs"] = SearchQueryLog.objects.count()
    from insights.aggregate import aggregate_range

    today = timezone.localdate()
    started = time.perf_counter()
    totals = aggregate_range(today - timedelta(days=DAYS), today)
    result["aggregate_s"] = round(time.perf_counter() - started, 1)
    result["aggregate_per_day_s"] = round(result["aggregate_s"] / (DAYS + 1), 2)
    result["aggregated_rows"] = totals
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user, _ = get_user_model().objects.get_or_create(username="insights-bench", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(user)
    client.get("/admin/insights/")  # warm-up: templates, embedder-free paths
    result["pages"] = time_pages(client)
    result["slowest_page_ms"] = max(p["median_ms"] for p in result["pages"].values())
    print(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    main()
