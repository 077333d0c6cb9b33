"""Reads shared by the pages and the API: listings, a thread with what this viewer may see and
do, and duplicate suggestions from the search engine."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, IntegerField, Prefetch, QuerySet, Value, When
from django.utils.translation import gettext, ngettext
from taggit.models import Tag

from core import http
from kb.models import ArticlePage

from .models import (
    Answer,
    Comment,
    CommunityIndexPage,
    Follow,
    MemberProfile,
    Question,
    Status,
    Vote,
    is_moderator,
)
from .moderation import can_promote, promotion_categories

LISTINGS = {"unanswered", "solved", "open"}
SIMILAR_RATE = "120/minute"


def listing(page: CommunityIndexPage, user: Any, show: str = "", tag: Any = None) -> QuerySet:
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
    if tag is not None:
        threads = threads.filter(tags=tag)
    return threads.order_by("-last_activity_at", "-pk")


def tag_in(page: CommunityIndexPage, slug: str) -> Tag | None:
    """The tag behind /community/tags/<slug>/, if any thread in this community carries it."""
    return Tag.objects.filter(
        slug=slug, community_questiontag_items__content_object__page=page
    ).first()


def popular_tags(page: CommunityIndexPage, user: Any, limit: int = 12) -> list[Tag]:
    """Tags on the threads this person can see here, most used first: "browse by tag"."""
    threads = Question.objects.filter(page=page).open_threads().visible_to(user)
    return list(
        Tag.objects.filter(community_questiontag_items__content_object__in=threads)
        .annotate(uses=Count("community_questiontag_items"))
        .order_by("-uses", "name")[:limit]
    )


SEARCH_LIMIT = 20


def search_threads(page: CommunityIndexPage, query: str, user: Any) -> list:
    """The community's search box: the hybrid engine over this language's threads only, then
    checked against the database, so a thread hidden or merged a moment ago (before its index
    update ran) is never shown. Raises ``search.engine.QueryError`` for a query it won't run."""
    from search.engine import SearchRequest, search

    result = search(
        SearchRequest(
            query=query,
            locale=page.locale.language_code,
            sources=("thread",),
            limit=SEARCH_LIMIT,
            user=user,
        )
    )
    ids = [int(hit.id) for hit in result.hits if str(hit.id).isdigit()]
    visible = set(
        Question.objects.filter(page=page, pk__in=ids, status=Status.VISIBLE)
        .open_threads()
        .values_list("pk", flat=True)
    )
    return [hit for hit in result.hits if str(hit.id).isdigit() and int(hit.id) in visible]


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
    question.my_vote = votes.get(f"q{question.pk}", 0)
    answers = list(answers)
    for answer in answers:
        answer.my_vote = votes.get(f"a{answer.pk}", 0)
    articles = ArticlePage.objects.live().visible_to(user).filter(community_question=question)
    promotable = signed_in and can_promote(user) and question.best_answer() is not None
    return {
        "thread": question,
        "answers": answers,
        "question_comments": list(comments.filter(question=question, answer__isnull=True)),
        "tags": list(question.tags.all()),
        "my_votes": votes,
        "following": signed_in and Follow.objects.filter(user=user, question=question).exists(),
        "emails_off": signed_in
        and MemberProfile.objects.filter(user=user, email_notifications=False).exists(),
        "signed_in": signed_in,
        "is_moderator": is_moderator(user),
        "can_accept": signed_in and (question.author_id == user.pk or is_moderator(user)),
        "can_write": signed_in and not question.locked and not question.duplicate_of_id,
        "article": articles.first(),
        "promote_categories": promotion_categories(user, question) if promotable else [],
    }


def vote_label(score: int) -> str:
    """Say "1 vote", "-1 vote", "3 votes": plural forms follow the language (ngettext, |score|)."""
    return ngettext("%(count)d vote", "%(count)d votes", abs(score)) % {"count": score}


def my_vote_label(value: int) -> str:
    """The words next to a pressed vote button, so the state is not told by colour alone."""
    return {1: gettext("You voted this up."), -1: gettext("You voted this down.")}.get(value, "")


def my_vote(user: Any, target: Question | Answer) -> int:
    """This member's vote on a post (+1, -1, or 0 for none): what the buttons show as pressed."""
    field = "question" if isinstance(target, Question) else "answer"
    vote = Vote.objects.filter(user=user, **{field: target}).values_list("value", flat=True)
    return vote.first() or 0


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
