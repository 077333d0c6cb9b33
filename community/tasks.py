"""Background search updates for threads, through the search app's own indexing path."""

from __future__ import annotations

from django_tasks import task


@task()
def index_thread(question_id: int) -> int:
    """(Re)index one thread; a hidden, held or merged thread is removed from the index."""
    from search.indexing import index_object, refresh_vocabulary, remove_object

    from .models import Question

    question = Question.objects.select_related("page__locale").filter(pk=question_id).first()
    if question is None:
        removed = remove_object("thread", str(question_id))
        refresh_vocabulary()
        return removed
    embedded = index_object(question)
    refresh_vocabulary()
    return embedded
