"""Work a search hands to another thread, to use the second core while the first waits.

A search spends most of its time waiting: on PostgreSQL for the keyword SQL (another process,
another core) and on the model for the query vector. Embedding the query on a thread overlaps
the keyword SQL; and when this process keeps database connections (``CONN_MAX_AGE``), the thread
goes on to run the vector search on its own connection while the keyword SQL is still running.
The two still share the machine's cores and memory: embedding takes about twice as long while
PostgreSQL works on the other core (docs/search_speed.md has the measurements).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connection, connections


@lru_cache(maxsize=1)
def _pool() -> ThreadPoolExecutor:
    # A few threads: one per concurrent request a threaded server may run in this process.
    return ThreadPoolExecutor(max_workers=4, thread_name_prefix="faro-search")


def side_connection_usable() -> bool:
    """Whether work on another thread may query the database for the current request.

    Its connection must see what this one sees, so not while this one has a transaction open
    (its uncommitted rows, as in tests, are invisible elsewhere); and it must be kept between
    requests, or opening one per search would cost more than the overlap saves.
    """
    return not connection.in_atomic_block and connection.settings_dict.get("CONN_MAX_AGE") != 0


def soon(work: Callable[..., Any], *args: Any, uses_database: bool = False) -> Future:
    """Run ``work(*args)`` on the search pool and return its future at once."""
    return _pool().submit(_run, work, args, uses_database)


def _run(work: Callable[..., Any], args: tuple, uses_database: bool) -> Any:
    if not uses_database:
        return work(*args)
    side = connections[DEFAULT_DB_ALIAS]
    # Django checks a kept connection with a round trip before each request (CONN_HEALTH_CHECKS).
    # A search hands this thread two or three pieces of work within milliseconds, and a check
    # before each cost a round trip apiece on the search's critical path. So: no check; a
    # connection lost while idle (a restart, a proxy's timeout) is replaced and the work, which
    # only reads, runs once more. Like Django after a request, drop a connection that had
    # errors and is no longer usable, or that is older than CONN_MAX_AGE.
    try:
        try:
            return work(*args)
        except (InterfaceError, OperationalError):
            if side.connection is None or side.is_usable():
                raise
            side.close()
            return work(*args)
    finally:
        expired = side.close_at is not None and time.monotonic() >= side.close_at
        if side.errors_occurred or expired:
            side.close_if_unusable_or_obsolete()
