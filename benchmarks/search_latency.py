"""End-to-end HTTP latency of ``GET /api/v1/search`` next to Wagtail's stock database search.

For each corpus size: build (or reuse) that many synthetic help-centre sections in the benchmark
database (``benchmarks/search_corpus.py``), serve the project with gunicorn on 127.0.0.1, replay a
few hundred help-centre queries (``benchmarks/search_queries.py``) at each concurrency through
hybrid (default ``semantic_ratio``), keyword (``semantic_ratio=0``), semantic
(``semantic_ratio=1``) and Wagtail's stock search (``/bench/wagtail-search``), then time the
parts of one hybrid search in-process. Every query is embedded (no query-vector cache).

    .venv/bin/pip install gunicorn==27.0.1       # once; not a project dependency
    .venv/bin/python benchmarks/search_latency.py --sections 10000 100000

Uses its own database folder (``FARO_PGDATA``, default ``.data/pg-bench``) and port 8765; the
server it starts is stopped before the script exits. See benchmarks/README.md and
docs/search_speed.md.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("FARO_PGDATA", str(BASE_DIR / ".data" / "pg-bench"))
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.bench_settings"

MODES = {
    "hybrid": ("/api/v1/search", {}),
    "keyword": ("/api/v1/search", {"semantic_ratio": "0"}),
    "semantic": ("/api/v1/search", {"semantic_ratio": "1"}),
    "wagtail": ("/bench/wagtail-search", {}),
    "wagtail-or": ("/bench/wagtail-search", {"operator": "or"}),
}
GUNICORN_VERSION = "27.0.1"


@dataclass
class Run:
    sections: int
    mode: str
    concurrency: int
    requests: int
    p50_ms: float
    p95_ms: float
    mean_ms: float
    req_per_s: float
    errors: int
    avg_hits: float
    load_before: str
    server_cpu_ms: float
    others_cpu_pct: float


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def loadavg() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


# --- the server --------------------------------------------------------------------------------


class Server:
    """gunicorn in its own process group, stopped by ``stop()`` (and at exit, whatever happens)."""

    def __init__(self, port: int, workers: int):
        self.port, self.workers = port, workers
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        if _port_busy(self.port):
            sys.exit(f"Port {self.port} is in use; pass --port with a free port >= 8700.")
        command = [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--config", "python:benchmarks.gunicorn_conf",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers),
            "--timeout", "120",
            # as production should run it: models loaded once in the master (config/wsgi.py)
            "--preload",
        ]  # fmt: skip
        self.ready_dir = tempfile.mkdtemp(prefix="faro-bench-ready-")
        env = {**os.environ, "BENCH_READY_DIR": self.ready_dir}
        self.process = subprocess.Popen(command, cwd=BASE_DIR, env=env,
                                        start_new_session=True)  # fmt: skip
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn exited with code {self.process.returncode}")
            if _get(self.port, "/healthz")[0] == 200 and self._booted() >= self.workers:
                return
            time.sleep(0.5)
        self.stop()
        sys.exit("gunicorn did not become ready within 240 s")

    def _booted(self) -> int:
        """Live workers past their warm-up: both query encoders built and checked (~5 s of CPU
        each), which ``gunicorn_conf.post_worker_init`` marks with a file named by its pid.
        Measuring earlier would time the warm-up of the slower workers."""
        import psutil

        try:
            children = {child.pid for child in psutil.Process(self.process.pid).children()}
        except psutil.Error:
            return 0
        return sum(1 for name in os.listdir(self.ready_dir) if int(name) in children)

    def pids(self) -> list[int]:
        import psutil

        if self.process is None or self.process.poll() is not None:
            return []
        try:
            parent = psutil.Process(self.process.pid)
            return [parent.pid, *(child.pid for child in parent.children(recursive=True))]
        except psutil.Error:
            return []

    def stop(self) -> None:
        if getattr(self, "ready_dir", None):
            shutil.rmtree(self.ready_dir, ignore_errors=True)
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def _port_busy(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _get(port: int, path: str) -> tuple[int, bytes]:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        conn.close()
        return response.status, body
    except OSError:
        return 0, b""


# --- CPU used by others during a run -----------------------------------------------------------


class CpuMeter:
    """Share of the machine's CPU used by processes other than this benchmark (its client, its
    server and its PostgreSQL) during a run, to flag figures taken on a busy machine."""

    def __init__(self, server: Server):
        self.server = server

    def _ours(self) -> dict[int, float]:
        import psutil

        pids = {os.getpid(), *self.server.pids()}
        data_dir = os.path.realpath(os.environ["FARO_PGDATA"])
        for proc in psutil.process_iter(["name", "cmdline"]):
            try:
                if proc.info["name"] == "postgres" and data_dir in " ".join(
                    proc.info["cmdline"] or []
                ):
                    pids.add(proc.pid)
                    pids.update(child.pid for child in proc.children(recursive=True))
            except psutil.Error:
                continue
        times = {}
        for pid in pids:
            try:
                cpu = psutil.Process(pid).cpu_times()
                times[pid] = cpu.user + cpu.system
            except psutil.Error:
                continue
        return times

    @staticmethod
    def _busy() -> float:
        import psutil

        t = psutil.cpu_times()
        return t.user + t.nice + t.system + t.irq + t.softirq + getattr(t, "steal", 0.0)

    def start(self) -> None:
        self.t0, self.busy0, self.ours0 = time.monotonic(), self._busy(), self._ours()

    def finish(self) -> tuple[float, float]:
        """(others' share of the machine in %, CPU seconds used by the server and its
        PostgreSQL)."""
        elapsed = time.monotonic() - self.t0
        busy = self._busy() - self.busy0
        used = {pid: v - self.ours0.get(pid, 0.0) for pid, v in self._ours().items()}
        ours = sum(used.values())
        server = ours - used.get(os.getpid(), 0.0)
        cores = os.cpu_count() or 1
        return max(0.0, 100.0 * (busy - ours) / (elapsed * cores)), server


# --- the client --------------------------------------------------------------------------------


def _paths(mode: str, queries: list[tuple[str, str]]) -> list[str]:
    path, extra = MODES[mode]
    return [f"{path}?{urlencode({'q': q, 'locale': locale, **extra})}" for q, locale in queries]


def load(
    port: int, paths: list[str], concurrency: int
) -> tuple[list[float], int, list[int], float]:
    """Closed loop: ``concurrency`` threads send the requests one after another (HTTP/1.1,
    connection reused when the server allows). Returns latencies (ms), errors, hit counts and the
    wall time."""
    lock = threading.Lock()
    position = iter(range(len(paths)))
    latencies: list[float] = []
    hits: list[int] = []
    errors = [0]

    def worker() -> None:
        conn: http.client.HTTPConnection | None = None
        while True:
            with lock:
                index = next(position, None)
            if index is None:
                break
            started = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                conn.request("GET", paths[index], headers={"User-Agent": "faro-bench"})
                response = conn.getresponse()
                body = response.read()
                elapsed = (time.perf_counter() - started) * 1000
                if response.will_close:
                    conn.close()
                    conn = None
                if response.status != 200:
                    raise ValueError(f"HTTP {response.status}: {body[:200]!r}")
                count = len(json.loads(body)["hits"])
            except (OSError, ValueError, KeyError, http.client.HTTPException) as error:
                with lock:
                    errors[0] += 1
                    if errors[0] <= 3:
                        log(f"    error: {error}")
                if conn is not None:
                    conn.close()
                    conn = None
                continue
            with lock:
                latencies.append(elapsed)
                hits.append(count)
        if conn is not None:
            conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors[0], hits, time.perf_counter() - started


def measure(server: Server, sections: int, args, warm, measured) -> list[Run]:
    runs = []
    log(f"  warming up ({len(warm)} queries x {len(args.modes)} modes)")
    for mode in args.modes:
        load(args.port, _paths(mode, warm), max(args.concurrency))
    for concurrency in args.concurrency:
        for mode in args.modes:
            paths = _paths(mode, measured)[: args.requests]
            meter = CpuMeter(server)
            before = loadavg()
            meter.start()
            latencies, errors, hits, wall = load(args.port, paths, concurrency)
            others, server_cpu = meter.finish()
            run = Run(
                sections=sections,
                mode=mode,
                concurrency=concurrency,
                requests=len(paths),
                p50_ms=round(statistics.median(latencies), 1) if latencies else 0.0,
                p95_ms=round(p95(latencies), 1) if latencies else 0.0,
                mean_ms=round(statistics.fmean(latencies), 1) if latencies else 0.0,
                req_per_s=round(len(latencies) / wall, 1),
                errors=errors,
                avg_hits=round(statistics.fmean(hits), 1) if hits else 0.0,
                load_before=before,
                server_cpu_ms=round(1000 * server_cpu / max(1, len(latencies)), 1),
                others_cpu_pct=round(others),
            )
            log(f"  {table_row(run)}")
            runs.append(run)
    return runs


TABLE_HEAD = (
    "| sections | mode | concurrency | requests | p50 ms | p95 ms | req/s | errors | avg hits "
    "| server CPU ms/req | load avg before (1/5/15 min) | others' CPU % |\n"
    "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|"
)


def table_row(run: Run) -> str:
    return (
        f"| {run.sections:,} | {run.mode} | {run.concurrency} | {run.requests} | {run.p50_ms} "
        f"| {run.p95_ms} | {run.req_per_s} | {run.errors} | {run.avg_hits} | {run.server_cpu_ms} "
        f"| {run.load_before} "
        f"| {run.others_cpu_pct} |"
    )


# --- in-process breakdown ----------------------------------------------------------------------

_depth = threading.local()


SIDE = " (side thread)"


def _timed(name: str, function, totals: dict[str, float]):
    """Time ``function``'s outermost calls into ``totals``, apart when they run on one of the
    search's side threads (search/parallel.py): those overlap the request thread's parts."""

    def wrapper(*args, **kwargs):
        outer = getattr(_depth, "value", 0) == 0
        _depth.value = getattr(_depth, "value", 0) + 1
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            _depth.value -= 1
            if outer:
                key = name if threading.current_thread() is threading.main_thread() else name + SIDE
                totals[key] = totals.get(key, 0.0) + (time.perf_counter() - started) * 1000

    return wrapper


PARTS = {
    "query embedding": ("benchmarks.bench_embedder", "UncachedSentenceTransformerEmbedder",
                        "embed_query"),
    "query embedding (e5)": ("benchmarks.bench_embedder", "UncachedE5Embedder", "embed_query"),
    "vocabulary + did you mean": ("search.backends.postgres", "PostgresKeywordBackend",
                                  "did_you_mean"),
    "keyword retrieval (BM25)": ("search.backends.postgres", "PostgresKeywordBackend", "search"),
    "vector retrieval (HNSW)": ("search.backends.pgvector", "PgvectorBackend", "search"),
    "complete keyword scores": ("search.backends.postgres", "PostgresKeywordBackend", "score"),
    "complete vector scores": ("search.backends.pgvector", "PgvectorBackend", "score"),
    "snippets (ts_headline)": ("search.backends.postgres", "PostgresKeywordBackend",
                               "highlight_many"),
    "related articles (HNSW)": ("search.backends.pgvector", "PgvectorBackend", "neighbours"),
    "waiting for side threads": ("concurrent.futures", "Future", "result"),
}  # fmt: skip


def breakdown(queries: list[tuple[str, str]], count: int) -> dict:
    """Time one hybrid ``search()`` per query in this process, split by part, then again with
    the query vector given (no embedding), and count its SQL statements."""
    import importlib

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from benchmarks.bench_embedder import UncachedE5Embedder, UncachedSentenceTransformerEmbedder
    from search import engine
    from search.embedders import embedder_for

    sample = queries[:count]
    totals: dict[str, float] = {}
    originals = []
    for name, (module, cls, attr) in PARTS.items():
        klass = getattr(importlib.import_module(module), cls)
        originals.append((klass, attr, klass.__dict__.get(attr)))
        setattr(klass, attr, _timed(name, getattr(klass, attr), totals))
    timings: list[dict[str, float]] = []
    sql_counts = []
    try:
        for text, locale in sample[:10]:  # warm up
            engine.search(engine.SearchRequest(query=text, locale=locale))
        for text, locale in sample:
            totals.clear()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                engine.search(engine.SearchRequest(query=text, locale=locale))
                whole = (time.perf_counter() - started) * 1000
            sql_counts.append(len(captured))
            own = sum(ms for name, ms in totals.items() if not name.endswith(SIDE))
            timings.append(
                {**totals, "whole search()": whole, "other (Python, promotions, rows)": whole - own}
            )
    finally:
        for klass, attr, original in originals:
            if original is None:
                delattr(klass, attr)
            else:
                setattr(klass, attr, original)
    # The same searches with the query vector precomputed: SQL + Python only.
    vectors = {text: embedder_for(locale).embed_query(text) for text, locale in sample}
    precomputed = []
    uncached = (UncachedSentenceTransformerEmbedder, UncachedE5Embedder)
    for klass in uncached:
        klass.embed_query = lambda self, text: vectors[text]
    try:
        for text, locale in sample:
            started = time.perf_counter()
            engine.search(engine.SearchRequest(query=text, locale=locale))
            precomputed.append((time.perf_counter() - started) * 1000)
    finally:
        for klass in uncached:
            del klass.embed_query
    candidates = [*PARTS, *(name + SIDE for name in PARTS)]
    names = [name for name in candidates if any(name in t for t in timings)]
    per_part = {name: [t.get(name, 0.0) for t in timings] for name in names}
    for name in ("other (Python, promotions, rows)", "whole search()"):
        per_part[name] = [t[name] for t in timings]
    per_part["search() with the vector given"] = precomputed
    rows = {
        name: {
            "p50_ms": round(statistics.median(values), 1),
            "p95_ms": round(p95(values), 1),
            "mean_ms": round(statistics.fmean(values), 1),
        }
        for name, values in per_part.items()
    }
    return {
        "queries": len(sample),
        # on the request's own connection; side threads run theirs on their own
        "sql_statements_median": statistics.median(sql_counts),
        "parts": rows,
    }


_VECTOR_LITERAL = re.compile(r"'\[[^\]]*\]'::vector")


def explain(text: str, locale: str) -> dict:
    """EXPLAIN ANALYZE of the keyword and the vector retrieval SQL of one hybrid search."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from search import engine

    age = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = 0  # every statement on this connection
    try:
        with CaptureQueriesContext(connection) as captured:
            engine.search(engine.SearchRequest(query=text, locale=locale))
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = age
    statements = [q["sql"] for q in captured.captured_queries]
    keyword = next(s for s in statements if "WITH cand AS MATERIALIZED" in s)
    vector = next(s for s in statements if "ORDER BY d.embedding <=> '[" in s)
    plans = {}
    for name, sql in (("keyword", keyword), ("vector", vector)):
        with connection.cursor() as cursor:  # pgvector settings come with the connection
            for _ in range(3):  # warm; keep the last
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = [row[0] for row in cursor.fetchall()]
        plans[name] = [_VECTOR_LITERAL.sub("'[…384 floats…]'::vector", line) for line in plan]
    return {"query": text, "locale": locale, "plans": plans}


# --- main --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sections", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--modes", nargs="+", default=list(MODES), choices=list(MODES))
    parser.add_argument(
        "--requests",
        type=int,
        default=10_000,
        help="at most this many measured queries per run (default: all)",
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--torch-threads",
        type=int,
        default=0,
        help="torch intra-op threads per worker (0: library default)",
    )
    parser.add_argument(
        "--breakdown-queries",
        type=int,
        default=100,
        help="queries timed in-process per size (0: skip)",
    )
    parser.add_argument(
        "--model-sections",
        type=int,
        default=10_000,
        help="sections with model vectors; beyond, composed vectors (see search_corpus.py)",
    )
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--json", type=Path, help="also write all figures to this file")
    args = parser.parse_args()  # fmt: skip

    data_dir = Path(os.environ["FARO_PGDATA"]).resolve()
    if data_dir == (BASE_DIR / ".data" / "pg").resolve():
        sys.exit("Refusing to use the development database (.data/pg): set FARO_PGDATA.")
    if args.port < 8700 and not args.build_only:
        sys.exit("Use a port >= 8700.")
    if importlib.util.find_spec("gunicorn") is None and not args.build_only:
        sys.exit(
            "This benchmark serves the project with gunicorn, which is not a project "
            f"dependency: .venv/bin/pip install gunicorn=={GUNICORN_VERSION}"
        )

    if args.torch_threads:
        os.environ["BENCH_TORCH_THREADS"] = str(args.torch_threads)

    import django

    django.setup()
    if args.torch_threads:  # this process builds the corpus and runs the breakdown
        import torch

        torch.set_num_threads(args.torch_threads)
    from django.core.management import call_command
    from django.db import connection

    from benchmarks import search_corpus
    from benchmarks.search_queries import split

    call_command("migrate", verbosity=0)
    warm, measured = split()
    report: dict = {"sizes": []}
    all_runs: list[Run] = []
    for size in args.sections:
        log(f"== {size:,} sections (load {loadavg()})")
        info = search_corpus.build(size, args.model_sections)
        log(f"  corpus: {json.dumps(info)}")
        entry = {"target": size, "corpus": info, "uptime_before": _uptime()}
        if not args.build_only:
            log(f"  prewarmed {prewarm()} MB of search indexes into shared_buffers")
            connection.close()
            server = Server(args.port, args.workers)
            try:
                server.start()
                runs = measure(server, info["sections"], args, warm, measured)
            finally:
                server.stop()
            all_runs += runs
            entry["runs"] = [asdict(run) for run in runs]
            if args.breakdown_queries:
                log(f"  in-process breakdown ({args.breakdown_queries} hybrid searches)")
                entry["breakdown"] = breakdown(measured, args.breakdown_queries)
                entry["explain"] = explain("how do i change my password", "en")
        entry["uptime_after"] = _uptime()
        report["sizes"].append(entry)
        if args.json:
            args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    _print_report(report, all_runs, args)


# What a search reads, most used first; together ~1 GB at 100k, the embedded server's
# shared_buffers. The posting rows themselves (418 MB) warm up as queries fetch them.
PREWARM = [
    "search_searchterm", "search_term_unique", "search_term_trgm",
    "search_searchdocument", "search_searchdocument_pkey", "search_one_row_per_section",
    "search_doc_embedding_en", "search_doc_embedding_es",
    "search_searchposting_pkey", "search_posting_impact",
]  # fmt: skip


def prewarm() -> int:
    """Load the search indexes into PostgreSQL's buffers before measuring.

    The embedded server starts with each benchmark run, its buffers empty, while a production
    server has been answering searches for hours: without this the first mode measured pays for
    copying ~1 GB of pages from the OS cache (hybrid 47.6 ms of CPU per request when measured
    first, 35.2 when measured second, in the seventh session). Returns the megabytes loaded.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        cursor.execute(
            "SELECT coalesce(sum(pg_prewarm(c.oid)), 0) FROM unnest(%s::text[]) AS r(name)"
            " JOIN pg_class c ON c.relname = r.name",
            [PREWARM],
        )
        blocks = cursor.fetchone()[0]
    return int(blocks) * 8192 // 2**20


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def _print_report(report: dict, runs: list[Run], args) -> None:
    threads = args.torch_threads or "library default"
    print(f"gunicorn {args.workers} sync workers, torch threads: {threads}; {os.cpu_count()} CPUs")
    for entry in report["sizes"]:
        print(f"\n{entry['target']:,} sections: corpus {json.dumps(entry['corpus'])}")
        print(f"  before: {entry['uptime_before']}\n  after:  {entry['uptime_after']}")
    if runs:
        print("\n" + TABLE_HEAD)
        for run in runs:
            print(table_row(run))
    for entry in report["sizes"]:
        if "breakdown" not in entry:
            continue
        b = entry["breakdown"]
        print(
            f"\nHybrid search() in-process at {entry['corpus']['sections']:,} sections "
            f"({b['queries']} queries, median {b['sql_statements_median']} SQL statements):"
        )
        print("| part | p50 ms | p95 ms | mean ms |\n|---|---:|---:|---:|")
        for name, row in b["parts"].items():
            print(f"| {name} | {row['p50_ms']} | {row['p95_ms']} | {row['mean_ms']} |")
        plans = entry["explain"]
        for name, plan in plans["plans"].items():
            print(f"\nEXPLAIN ANALYZE, {name} retrieval, {plans['query']!r}:")
            print("\n".join("    " + line for line in plan))


if __name__ == "__main__":
    main()
