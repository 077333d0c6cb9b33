"""Reads shared by the pages and the API: listings, a thread with what this viewer may see and
do, and duplicate suggestions from the search engine."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When

from core import http
from kb.models import ArticlePage

from .models import Answer, Comment, CommunityIndexPage, Question, Vote, is_moderator
from .moderation import can_promote, promotion_categories

LISTINGS = {"unanswered", "solved", "open"}
SIMILAR_RATE = "120/minute"


def listing(page: CommunityIndexPage, user: Any, show: str = "") -> QuerySet:
    threads = (
        Question.objects.filter(page=page)
        .open_threads()
        .visible_to(user)
        .select_related("author")
        .prefetch_related("tags")
    )
    if show == "unanswered":
        threads = threads.filter(answer_count=0)
    elif show == "solved":
        threads = threads.solved()
    elif show == "open":
        threads = threads.filter(accepted_answer__isnull=True)
    return threads.order_by("-last_activity_at", "-pk")


def thread_context(question: Question, user: Any) -> dict:
    """The thread as this viewer may see it, with what they may do."""
    comments = Comment.objects.visible_to(user).select_related("author")
    answers = (
        question.answers.visible_to(user)
        .select_related("author")
        .prefetch_related(Prefetch("comments", queryset=comments, to_attr="visible_comments"))
        .annotate(
            accepted_first=Case(
                When(pk=question.accepted_answer_id or 0, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("accepted_first", "-is_official", "-score", "created_at")
    )
    signed_in = bool(user is not None and user.is_authenticated)
    votes: dict[str, int] = {}
    if signed_in:
        for vote in Vote.objects.filter(user=user).filter(question=question) | Vote.objects.filter(
            user=user, answer__question=question
        ):
            key = f"q{vote.question_id}" if vote.question_id else f"a{vote.answer_id}"
            votes[key] = vote.value
    articles = ArticlePage.objects.live().visible_to(user).filter(community_question=question)
    promotable = signed_in and can_promote(user) and question.best_answer() is not None
    return {
        "thread": question,
        "answers": list(answers),
        "question_comments": list(comments.filter(question=question, answer__isnull=True)),
        "tags": list(question.tags.all()),
        "my_votes": votes,
        "signed_in": signed_in,
        "is_moderator": is_moderator(user),
        "can_accept": signed_in and (question.author_id == user.pk or is_moderator(user)),
        "can_write": signed_in and not question.locked and not question.duplicate_of_id,
        "article": articles.first(),
        "promote_categories": promotion_categories(user, question) if promotable else [],
    }


def similar(query: str, locale: str, user: Any, network: str, limit: int = 6) -> list[dict]:
    """Suggestions while a member types a question: the hybrid engine over articles and
    threads, so the answer may be found before anyone posts."""
    from search.engine import QueryError, SearchRequest, search

    query = " ".join(str(query or "").split())[:300]
    if len(query) < 4:
        return []
    try:
        http.check_rate("community:similar", SIMILAR_RATE, network=network, factor=1)
    except http.RateLimited:
        return []
    try:
        result = search(
            SearchRequest(
                query=query, locale=locale, sources=("article", "thread"), limit=limit, user=user
            )
        )
    except QueryError:
        return []
    return [
        {"type": hit.type, "title": hit.title, "url": hit.url, "summary": hit.summary}
        for hit in result.hits
    ]


def unanswered_for_staff(locale: str = "") -> QuerySet:
    threads = Question.objects.unanswered().select_related("page__locale", "author")
    return threads.in_locale(locale) if locale else threads


__all__ = ["Answer", "listing", "similar", "thread_context", "unanswered_for_staff"]
