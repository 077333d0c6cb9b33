"""Commits that need not wait for the disk, for counters and analytics rows only.

PostgreSQL waits for each commit's WAL to reach the disk (``synchronous_commit``): about 2 ms
here, paid three times by every search (two rate-limit counters and the query log). For those
rows, losing the last fraction of a second in a crash of the *database server* is acceptable:
an asynchronous commit never corrupts or half-writes anything, it may only forget the newest
commits. Data a customer entrusts to us (support requests, posts, consent) keeps the server's
durable default, and so does any write already inside a larger transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def relaxed_commit() -> Iterator[None]:
    """Run the block in one transaction committed asynchronously.

    Inside an outer transaction this changes nothing: ``SET LOCAL`` would otherwise apply to
    the outer commit too, and that commit may carry data that must not be lost.
    """
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield
