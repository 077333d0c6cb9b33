"""Background index updates, so publishing never waits for the embedding model."""

from __future__ import annotations

from django_tasks import task

from .indexing import index_object, refresh_vocabulary, remove_object


@task()
def index_page(page_id: int) -> int:
    """(Re)index a page and every article below it (a moved category moves its articles)."""
    from wagtail.models import Page

    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return 0
    embedded = 0
    for each in Page.objects.descendant_of(page, inclusive=True).specific():
        embedded += index_object(each)
    refresh_vocabulary()
    return embedded


@task()
def index_pages(page_ids: list[int]) -> int:
    """Index many pages in one task and refresh the vocabulary once (bulk imports)."""
    from wagtail.models import Page

    embedded = 0
    for page in Page.objects.filter(pk__in=page_ids).specific():
        embedded += index_object(page)
    refresh_vocabulary()
    return embedded


@task()
def remove_from_index(source: str, object_id: str) -> int:
    removed = remove_object(source, object_id)
    refresh_vocabulary()
    return removed
