"""Reliability check for support delivery: N requests submitted concurrently while the webhook
receiver is stopped and restarted and ``db_worker`` processes are SIGKILLed at random; asserts
every request reached the receiver exactly once (deduped by delivery id, as receivers must) and
that Faro recorded each delivery as delivered once. Figures go to docs/support.md.

    FARO_PGDATA=.data/pg-support .venv/bin/python benchmarks/support_reliability.py --requests 200

Uses its own database (``faro_support_bench``, recreated each run) on the embedded server of
``FARO_PGDATA`` (it refuses the demo's ``.data/pg``) and ports 8201-8209.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB = "faro_support_bench"
sys.path.insert(0, str(ROOT))


def setup_django(mail_dir: str) -> None:
    if Path(os.environ.get("FARO_PGDATA", ".data/pg")).resolve() == (ROOT / ".data" / "pg"):
        sys.exit("Set FARO_PGDATA to a folder other than the demo's .data/pg")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="tests.support.worker_settings",
        SUPPORT_TEST_DB=DB,
        SUPPORT_MAIL_DIR=mail_dir,
        SUPPORT_LEASE="3",
        SUPPORT_TIMEOUT="2",
        SUPPORT_RETRY_BASE="0.3",
        SUPPORT_RETRY_MAX="2",
    )
    import psycopg

    from config.database import start_embedded_postgres

    host = start_embedded_postgres()
    with psycopg.connect(host=host, user="postgres", dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def start_worker() -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--port", type=int, default=8201)
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()
    setup_django(tempfile.mkdtemp(prefix="faro-support-mail-"))

    from django.db import connection

    from support import actions
    from support.models import Delivery, DeliveryAttempt, Destination
    from support.validation import RequestInput
    from tests.support.receiver import Receiver

    receiver = Receiver(args.port).start()
    Destination.objects.create(
        name="bench", kind="webhook", target=receiver.url, secret=receiver.secret
    )
    workers = [start_worker() for _ in range(args.workers)]
    stop = threading.Event()
    kills = outages = 0

    def chaos() -> None:
        nonlocal kills, outages
        rng = random.Random(7)
        while not stop.is_set():
            time.sleep(rng.uniform(0.5, 2.0))
            if rng.random() < 0.6:
                index = rng.randrange(len(workers))
                workers[index].send_signal(signal.SIGKILL)
                workers[index].wait()
                workers[index] = start_worker()
                kills += 1
            else:
                receiver.stop()
                time.sleep(rng.uniform(1, 4))
                receiver.start()
                outages += 1

    def submit(i: int) -> None:
        data = RequestInput.parse(
            {"message": f"Reliability request {i}", "email": f"r{i}@x.test",
             "idempotency_key": f"bench-{i}"}
        )  # fmt: skip
        try:
            actions.create_request(data, actions.Requester(visitors=(f"bench-{i}",)))
            if i % 10 == 0:  # a client retry of the same submit must not add a request
                actions.create_request(data, actions.Requester(visitors=(f"bench-{i}",)))
        finally:
            connection.close()

    chaos_thread = threading.Thread(target=chaos, daemon=True)
    started = time.monotonic()
    chaos_thread.start()
    with ThreadPoolExecutor(args.threads) as pool:
        list(pool.map(submit, range(args.requests)))
    submitted = time.monotonic() - started
    deadline = started + args.timeout
    while Delivery.objects.unfinished().exists() and time.monotonic() < deadline:
        time.sleep(0.5)
        if time.monotonic() - started > 20:
            stop.set()  # after a while, let it settle
    stop.set()
    chaos_thread.join()
    elapsed = time.monotonic() - started
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    for worker in workers:
        worker.wait(15)
    receiver.stop()

    hooks = Delivery.objects.filter(kind="webhook")
    expected = {str(pk) for pk in hooks.values_list("pk", flat=True)}
    figures = {
        "requests": args.requests,
        "webhook deliveries": hooks.count(),
        "delivered (Faro's record)": hooks.filter(state="delivered").count(),
        "unique ids received": len(receiver.unique()),
        "duplicate POSTs (deduped by id)": sum(n - 1 for n in receiver.duplicates().values()),
        "attempts": DeliveryAttempt.objects.filter(delivery__kind="webhook").count(),
        "worker kills": kills,
        "receiver outages": outages,
        "submit seconds": round(submitted, 1),
        "seconds until all delivered": round(elapsed, 1),
    }
    for key, value in figures.items():
        print(f"{key:>32}: {value}")
    assert hooks.count() == args.requests, "one delivery per request and destination"
    assert receiver.unique() == expected, "every request arrived, and nothing else"
    assert set(hooks.values_list("state", flat=True)) == {"delivered"}
    print("OK: every request delivered exactly once per destination")


if __name__ == "__main__":
    main()
