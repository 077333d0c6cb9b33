"""Tips API latency and throughput with 1,000 tips in one app, next to a trivial Django endpoint
(``/healthz``) on the same server; plus the snippet's gzipped size.

    FARO_PGDATA=.data/pg-guidance-bench .venv/bin/python benchmarks/guidance_api.py \
        [--tips 1000] [--requests 300] [--concurrency 4] [--port 8311]

The script seeds its own database folder (refuses ``.data/pg``), then serves the project with a
threaded WSGI server (wsgiref; DEBUG off, rate limits out of reach) in a child process and measures
over real HTTP with keep-alive-less ``http.client`` requests. Figures go to docs/guidance.md.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("DEBUG", "0")
ORIGIN = "http://localhost:3000"
KEY = "pk_bench_1000"


def setup_django() -> None:
    if os.environ.get("FARO_PGDATA", ".data/pg").rstrip("/").endswith(".data/pg"):
        sys.exit("Set FARO_PGDATA to a benchmark folder, e.g. .data/pg-guidance-bench")
    import django

    django.setup()
    from django.conf import settings

    settings.FARO_GUIDANCE_RATES = {"page": "1000000/minute", "events": "1000000/minute"}


def seed(tips: int) -> None:
    from django.core.management import call_command

    from guidance.models import GuidedApp, Tip

    call_command("migrate", verbosity=0)
    app, _ = GuidedApp.objects.get_or_create(
        public_key=KEY, defaults={"name": "Bench", "allowed_origins": ORIGIN}
    )
    have = app.tips.count()
    kinds = ["tooltip", "banner", "modal", "checklist", "tour"]
    rows = []
    for i in range(have, tips):
        rows.append(
            Tip(
                app=app,
                name=f"Tip {i}",
                title=f"Tip {i}",
                body=f"<p>Body of tip {i} with a <b>bit</b> of text.</p>",
                kind=kinds[i % 5] if i % 5 not in (3, 4) else "banner",
                selector="#x" if i % 5 == 0 else "",
                url_patterns="" if i % 50 == 0 else f"/area{i % 100}/*",
                locale=("", "en", "es")[i % 3],
                audience_rules="plan = pro" if i % 7 == 0 else "",
                priority=i % 10,
                live=True,
            )
        )
    Tip.objects.bulk_create(rows)
    print(f"app {KEY}: {app.tips.count()} tips")


def serve(port: int) -> None:
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    from django.core.wsgi import get_wsgi_application

    class Server(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args) -> None:
            pass

    make_server("127.0.0.1", port, get_wsgi_application(), Server, Quiet).serve_forever()


def measure(port: int, path: str, requests: int, concurrency: int) -> dict:
    def one(_i: int) -> float:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        start = time.perf_counter()
        conn.request("GET", path, headers={"Origin": ORIGIN})
        response = conn.getresponse()
        response.read()
        assert response.status == 200, (path, response.status)
        conn.close()
        return (time.perf_counter() - start) * 1000

    for i in range(10):
        one(i)
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        timings = sorted(pool.map(one, range(requests)))
    elapsed = time.perf_counter() - started
    return {
        "p50": statistics.median(timings),
        "p95": timings[int(len(timings) * 0.95) - 1],
        "rps": requests / elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tips", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--port", type=int, default=8311)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    setup_django()
    if args.serve:
        serve(args.port)
        return
    seed(args.tips)
    server = subprocess.Popen([sys.executable, __file__, "--serve", "--port", str(args.port)])
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=1).request("GET", "/")
                break
            except OSError:
                time.sleep(0.2)
        paths = {
            "trivial /healthz": "/healthz",
            "tips API (path with tips)": f"/api/v1/guidance/page?key={KEY}&url=/area7/x&locale=en",
            "tips API (no URL match)": f"/api/v1/guidance/page?key={KEY}&url=/none&locale=es",
        }
        print(f"{'endpoint':<28}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>9}   c={args.concurrency}")
        for name, path in paths.items():
            r = measure(args.port, path, args.requests, args.concurrency)
            print(f"{name:<28}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['rps']:>9.1f}")
    finally:
        server.terminate()
        server.wait()
    snippet = (ROOT / "frontend/static/faro/snippet/faro.js").read_bytes()
    print(f"snippet faro.js: {len(snippet)} bytes, {len(gzip.compress(snippet, 9))} gzipped")


if __name__ == "__main__":
    main()
