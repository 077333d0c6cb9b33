"""Background index updates, so publishing never waits for the embedding model.

A publish puts its page on the index's queue (``queue_pages``: one row per page however often
it is published) and enqueues ``drain_queue`` only if no drain task is waiting already, so a
burst of publishes costs one task. Several workers may drain at once: each claims its own rows
(``FOR UPDATE SKIP LOCKED``), and the index writes themselves are safe to run concurrently
(search/indexing.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.db import connection
from django.utils import timezone
from django_tasks import task

from .indexing import index_many, remove_object
from .models import DEFAULT_INDEX

CLAIM = timedelta(minutes=15)  # a claimed row is someone else's to index for this long
STALE_TASK = timedelta(minutes=10)  # a drain task not started by then is enqueued again
BATCH = 32  # queue rows claimed at a time


def queue_pages(
    page_ids: Iterable[int], *, subtree: bool = False, index_name: str = DEFAULT_INDEX
) -> bool:
    """Ask for these pages (with ``subtree``, and everything below them) to be indexed.
    Returns whether a drain task was enqueued (False: one is already waiting)."""
    ids = sorted(set(page_ids))
    if not ids:
        return False
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO search_indexqueue (index_name, page_id, subtree, queued_at)
            SELECT %s, p, %s, %s FROM unnest(%s::int[]) AS p ORDER BY p
            ON CONFLICT (index_name, page_id) DO UPDATE
            SET subtree = search_indexqueue.subtree OR EXCLUDED.subtree,
                queued_at = EXCLUDED.queued_at, claimed_until = NULL
            """,
            [index_name, subtree, now, ids],
        )
        cursor.execute(
            """
            INSERT INTO search_indexqueuetask (index_name, enqueued_at) VALUES (%s, %s)
            ON CONFLICT (index_name) DO UPDATE SET enqueued_at = EXCLUDED.enqueued_at
            WHERE search_indexqueuetask.enqueued_at < %s
            RETURNING index_name
            """,
            [index_name, now, now - STALE_TASK],
        )
        enqueue = cursor.fetchone() is not None
    if enqueue:
        drain_queue.enqueue(index_name)
    return enqueue


@task()
def drain_queue(index_name: str = DEFAULT_INDEX) -> int:
    """Index every page on the queue, ``BATCH`` rows at a time. Returns sections embedded."""
    with connection.cursor() as cursor:
        # From now on a publish enqueues a new task: nothing queued after this line is missed.
        cursor.execute("DELETE FROM search_indexqueuetask WHERE index_name = %s", [index_name])
    embedded = 0
    while claimed := _claim(index_name):
        embedded += index_page_ids(
            [page_id for _, page_id, subtree, _ in claimed if not subtree],
            [page_id for _, page_id, subtree, _ in claimed if subtree],
            index_name=index_name,
        )
        with connection.cursor() as cursor:
            # A row published again meanwhile has a newer queued_at: it stays for another pass.
            cursor.execute(
                """
                DELETE FROM search_indexqueue q
                USING unnest(%s::bigint[], %s::timestamptz[]) AS c(id, queued_at)
                WHERE q.id = c.id AND q.queued_at = c.queued_at
                """,
                [[row[0] for row in claimed], [row[3] for row in claimed]],
            )
    return embedded


def _claim(index_name: str) -> list[tuple]:
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE search_indexqueue SET claimed_until = %s
            WHERE id IN (SELECT id FROM search_indexqueue
                         WHERE index_name = %s AND (claimed_until IS NULL OR claimed_until < %s)
                         ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED)
            RETURNING id, page_id, subtree, queued_at
            """,
            [now + CLAIM, index_name, now, BATCH],
        )
        return cursor.fetchall()


def index_page_ids(
    page_ids: list[int], subtree_ids: list[int] = (), *, index_name: str = DEFAULT_INDEX
) -> int:
    """Index these pages, and for ``subtree_ids`` every page below them too, in batches."""
    from wagtail.models import Page

    wanted = set(page_ids) | set(subtree_ids)
    for root in Page.objects.filter(pk__in=subtree_ids):
        wanted.update(Page.objects.descendant_of(root).values_list("pk", flat=True))
    pages = Page.objects.filter(pk__in=wanted).order_by("path").specific().iterator(200)
    return index_many(pages, index_name=index_name)


@task()
def index_page(page_id: int) -> int:
    """(Re)index a page and every page below it (a moved category moves its articles)."""
    return index_page_ids([], [page_id])


@task()
def index_pages(page_ids: list[int]) -> int:
    """Index many pages in one task (bulk imports): sections of ``indexing.CHUNK`` pages are
    embedded in one batch per model and written in one short transaction."""
    return index_page_ids(list(page_ids))


@task()
def remove_from_index(source: str, object_id: str) -> int:
    return remove_object(source, object_id)
