"""Background work for threads: search updates through the search app's own indexing path, and
e-mail to a thread's followers (community/notifications.py)."""

from __future__ import annotations

from django_tasks import task


@task()
def index_thread(question_id: int) -> int:
    """(Re)index one thread; a hidden, held or merged thread is removed from the index."""
    from search.indexing import index_object, remove_object

    from .models import Question

    question = Question.objects.select_related("page__locale").filter(pk=question_id).first()
    if question is None:
        # the vocabulary follows each write by delta (search/indexing.py): no full rebuild
        return remove_object("thread", str(question_id))
    return index_object(question)


@task()
def notify_followers(event: str, answer_id: int, by_id: int | None = None) -> int:
    """E-mail the followers of an answer's thread: ``answered`` (a new visible answer) or
    ``accepted`` (``by_id`` accepted it). Looks everything up again: by the time the worker
    runs, the answer may be gone or hidden, and then nobody is told."""
    from django.contrib.auth import get_user_model

    from . import notifications
    from .models import Answer, Status

    answer = (
        Answer.objects.select_related("question__page__locale", "question__author")
        .filter(pk=answer_id, status=Status.VISIBLE)
        .first()
    )
    if answer is None:
        return 0
    if event == "answered":
        return notifications.answered(answer)
    if event == "accepted" and answer.question.accepted_answer_id == answer.pk:
        by = get_user_model().objects.filter(pk=by_id).first()
        return notifications.accepted(answer.question, answer, by)
    return 0
