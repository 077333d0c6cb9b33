"""Keep the index fresh from Wagtail's own events: publish, unpublish, move, delete."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from .sources import source_for

_deferred: ContextVar[set[int] | None] = ContextVar("faro_deferred_indexing", default=None)


@contextmanager
def indexing_deferred() -> Iterator[set[int]]:
    """Inside the block, published pages are collected instead of each enqueuing a task; the
    caller indexes the collected ids once (``tasks.index_pages``). Bulk imports publish hundreds
    of pages, and one task per page would re-count the vocabulary hundreds of times."""
    pending: set[int] = set()
    token = _deferred.set(pending)
    try:
        yield pending
    finally:
        _deferred.reset(token)


def page_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from .tasks import index_page

    pending = _deferred.get()
    if pending is not None:
        pending.add(instance.pk)
        return
    index_page.enqueue(instance.pk)


def page_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    from .tasks import remove_from_index

    source = source_for(instance)
    if source is not None:
        remove_from_index.enqueue(source.name, source.object_id(instance))


def connect() -> None:
    from django.db.models.signals import post_delete
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(page_changed, dispatch_uid="faro_search_published")
    page_unpublished.connect(page_changed, dispatch_uid="faro_search_unpublished")
    post_page_move.connect(page_changed, dispatch_uid="faro_search_moved")
    for source_model in {s.model for s in _sources()}:
        post_delete.connect(
            page_deleted, sender=source_model, dispatch_uid=f"faro_del_{source_model}"
        )


def _sources():
    from .sources import all_sources

    return all_sources()
