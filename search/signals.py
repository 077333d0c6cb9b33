"""Keep the index fresh from Wagtail's own events: publish, unpublish, move, slug change, privacy
change, delete. Each puts the page on the index queue (search/tasks.py: one task drains a
burst); ``migrate`` also makes sure every language in settings.LANGUAGES has its text search
configuration and vector graph (search/languages.py).

A published page is indexed alone: its descendants' rows change only when their paths do
(slug change, move) or when the page's title or privacy changes, and only then is the subtree
queued; publishing a category re-reads none of its articles otherwise.
"""

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
    of pages, and indexing them in batches embeds many sections per model call."""
    pending: set[int] = set()
    token = _deferred.set(pending)
    try:
        yield pending
    finally:
        _deferred.reset(token)


def _queue(page_id: int, *, subtree: bool) -> None:
    from .tasks import queue_pages

    pending = _deferred.get()
    if pending is not None and not subtree:
        pending.add(page_id)
        return
    queue_pages([page_id], subtree=subtree)


def page_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Published or unpublished: the page itself (unpublishing a subtree signals each page)."""
    _queue(instance.pk, subtree=False)


def page_published(sender: Any, instance: Any, revision: Any = None, **kwargs: Any) -> None:
    """The page itself, or its subtree too when a page with children changed its title (a
    slug change arrives separately, as ``page_slug_changed``)."""
    _queue(instance.pk, subtree=_title_changed(instance, revision))


def _title_changed(page: Any, revision: Any) -> bool:
    if revision is None or not getattr(page, "numchild", 0):
        return False
    from wagtail.models import Revision

    try:
        previous = revision.get_previous()
    except Revision.DoesNotExist:
        return False
    return previous.content.get("title") != page.title


def subtree_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Moved, or its slug changed: every path below it changed."""
    _queue(instance.pk, subtree=True)


def restriction_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A view restriction added, changed or removed: what below it may be indexed changed."""
    page_id = getattr(instance, "page_id", None)
    if page_id:
        _queue(page_id, subtree=True)


def page_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    from .tasks import remove_from_index

    source = source_for(instance)
    if source is not None:
        remove_from_index.enqueue(source.name, source.object_id(instance))


def languages_migrated(sender: Any, using: str = "default", **kwargs: Any) -> None:
    from django.db import connections

    if getattr(sender, "name", None) != "search":
        return
    from .languages import ensure_languages

    connection = connections[using]
    if "search_searchdocument" in connection.introspection.table_names():
        ensure_languages(connection)


def connect() -> None:
    from django.db.models.signals import post_delete, post_migrate, post_save
    from wagtail.models import PageViewRestriction
    from wagtail.signals import page_published as published
    from wagtail.signals import page_slug_changed, page_unpublished, post_page_move

    published.connect(page_published, dispatch_uid="faro_search_published")
    page_unpublished.connect(page_changed, dispatch_uid="faro_search_unpublished")
    post_page_move.connect(subtree_changed, dispatch_uid="faro_search_moved")
    page_slug_changed.connect(subtree_changed, dispatch_uid="faro_search_slug")
    post_save.connect(
        restriction_changed, sender=PageViewRestriction, dispatch_uid="faro_search_private"
    )
    post_delete.connect(
        restriction_changed, sender=PageViewRestriction, dispatch_uid="faro_search_public"
    )
    post_migrate.connect(languages_migrated, dispatch_uid="faro_search_languages")
    for source_model in {s.model for s in _sources()}:
        post_delete.connect(
            page_deleted, sender=source_model, dispatch_uid=f"faro_del_{source_model}"
        )


def _sources():
    from .sources import all_sources

    return all_sources()
