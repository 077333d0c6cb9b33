"""Named write operations for the community. Views (pages and API) validate the request shape
and call these; every rule lives here, so both interfaces enforce the same ones.

Order in every write: check permissions and input, count against rate limits, then write in
one transaction. A refused write raises ``CommunityError`` (with the HTTP status and a message
for the member) before anything is saved. Search re-indexing and e-mail happen after commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core import http

from . import trust
from .models import (
    Answer,
    Comment,
    CommunityIndexPage,
    Flag,
    Follow,
    ModerationAction,
    PostRevision,
    Question,
    Status,
    Vote,
    is_moderator,
)
from .tasks import index_thread, notify_followers
from .writing import (
    InvalidInput,
    clean_body,
    clean_tags,
    clean_title,
    content_hash,
    render_markdown,
)

AUTO_HOLD_FLAGS = 3


class CommunityError(Exception):
    """A refused write. ``status`` is the HTTP status both interfaces answer with."""

    status = 400


class NotAllowed(CommunityError):
    status = 403


class NotFound(CommunityError):
    status = 404


class RateLimited(CommunityError):
    status = 429


@dataclass(frozen=True)
class Actor:
    """Who is writing: the account and the salted hash of their network (core.visitors)."""

    user: Any
    ip_hash: str = ""


def _require_member(actor: Actor) -> None:
    if actor.user is None or not actor.user.is_authenticated:
        raise NotAllowed(_("Sign in to take part in the community."))


def _validated(func, *args: Any) -> Any:
    try:
        return func(*args)
    except InvalidInput as error:
        raise CommunityError(str(error)) from error


def _limit(actor: Actor, kind: str, rate: str) -> None:
    """Per-member and per-network windows; both must allow the attempt."""
    try:
        http.check_rate(
            f"community:{kind}",
            rate,
            visitor=f"user:{actor.user.pk}",
            network=actor.ip_hash,
            factor=trust.NETWORK_FACTOR,
        )
    except http.RateLimited as limited:
        message = _("You are posting too quickly; please wait a while and try again.")
        raise RateLimited(message) from limited


def _open_for_writing(question: Question, user: Any) -> None:
    if question.status != Status.VISIBLE and not is_moderator(user):
        raise NotFound(_("This thread is not open for replies."))
    if question.locked or question.duplicate_of_id:
        raise CommunityError(_("This thread is locked: it no longer takes new replies."))


def _new_post_status(user: Any, text: str) -> tuple[str, str]:
    reasons = trust.spam_reasons(user, text)
    return (Status.HELD, " ".join(reasons)[:200]) if reasons else (Status.VISIBLE, "")


def _log_auto_hold(post: Any) -> None:
    if post.status == Status.HELD:
        ModerationAction.objects.create(
            target=post, moderator=None, action=ModerationAction.Kind.AUTO_HOLD,
            reason=post.hold_reason,
        )  # fmt: skip


def reindex(question: Question) -> None:
    """Queue the thread's search update (runs on the worker; immediately in tests)."""
    index_thread.enqueue(question.pk)


def refresh_counts(question: Question) -> None:
    question.answer_count = question.answers.filter(status=Status.VISIBLE).count()
    question.score = question.votes.aggregate(total=Sum("value"))["total"] or 0
    question.save(update_fields=["answer_count", "score", "updated_at"])


# --- asking and answering ---------------------------------------------------------------------
def ask_question(
    page: CommunityIndexPage, actor: Actor, title: str, body: str, tags: Any = ()
) -> Question:
    _require_member(actor)
    title = _validated(clean_title, title)
    body = _validated(clean_body, body, "question")
    tags = _validated(clean_tags, tags)
    _limit(actor, "post", trust.post_rate(actor.user))
    status, reason = _new_post_status(actor.user, f"{title}\n{body}")
    with transaction.atomic():
        question = Question.objects.create(
            page=page, author=actor.user, title=title, body=body,
            body_html=render_markdown(body), body_hash=content_hash(body),
            status=status, hold_reason=reason, ip_hash=actor.ip_hash,
        )  # fmt: skip
        if tags:
            question.tags.set(tags)
        Follow.objects.create(user=actor.user, question=question)  # askers hear about answers
        _log_auto_hold(question)
    reindex(question)
    return question


def post_answer(question: Question, actor: Actor, body: str) -> Answer:
    _require_member(actor)
    _open_for_writing(question, actor.user)
    body = _validated(clean_body, body, "answer")
    _limit(actor, "post", trust.post_rate(actor.user))
    status, reason = _new_post_status(actor.user, body)
    with transaction.atomic():
        answer = Answer.objects.create(
            question=question, author=actor.user, body=body,
            body_html=render_markdown(body), body_hash=content_hash(body),
            status=status, hold_reason=reason, ip_hash=actor.ip_hash,
            is_official=bool(actor.user.is_staff),
        )  # fmt: skip
        _log_auto_hold(answer)
        question.last_activity_at = timezone.now()
        question.save(update_fields=["last_activity_at"])
        refresh_counts(question)
    if answer.status == Status.VISIBLE:
        notify_followers.enqueue("answered", answer.pk)
        reindex(question)
    return answer


def post_comment(question: Question, actor: Actor, body: str, answer_id: Any = None) -> Comment:
    _require_member(actor)
    _open_for_writing(question, actor.user)
    body = _validated(clean_body, body, "comment")
    answer = None
    if answer_id:
        answer = question.answers.visible_to(actor.user).filter(pk=_int(answer_id)).first()
        if answer is None:
            raise NotFound(_("That answer does not exist in this thread."))
    _limit(actor, "post", trust.post_rate(actor.user))
    status, reason = _new_post_status(actor.user, body)
    with transaction.atomic():
        comment = Comment.objects.create(
            question=question, answer=answer, author=actor.user, body=body,
            body_html=render_markdown(body), body_hash=content_hash(body),
            status=status, hold_reason=reason, ip_hash=actor.ip_hash,
        )  # fmt: skip
        _log_auto_hold(comment)
    return comment


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise CommunityError(_("That is not a valid identifier.")) from error


# --- votes and accepted answers ----------------------------------------------------------------
def vote(actor: Actor, target: Question | Answer, value: Any) -> int:
    """Up (+1) or down (-1). Voting the same way again takes the vote back; the other way
    changes it. Returns the post's new score."""
    _require_member(actor)
    value = _int(value)
    if value not in (1, -1):
        raise CommunityError(_("A vote is +1 or -1."))
    if target.author_id == actor.user.pk:
        raise NotAllowed(_("You cannot vote on your own post."))
    question = target.thread()
    if target.status != Status.VISIBLE or question.status != Status.VISIBLE:
        raise NotFound(_("This post is not open for votes."))
    if question.locked:
        raise CommunityError(_("This thread is locked: votes are closed."))
    _limit(actor, "vote", trust.vote_rate())
    field = "question" if isinstance(target, Question) else "answer"
    with transaction.atomic():
        existing = Vote.objects.select_for_update().filter(user=actor.user, **{field: target})
        previous = existing.first()
        before = previous.value if previous else 0
        try:
            if previous is None:
                Vote.objects.create(user=actor.user, value=value, **{field: target})
            elif previous.value == value:
                previous.delete()
            else:
                previous.value = value
                previous.save(update_fields=["value"])
        except IntegrityError as error:  # a concurrent double-click: the first one counts
            raise CommunityError(_("Your vote was already counted.")) from error
        _reputation_for_vote(target.author, before, value)
        if isinstance(target, Answer):
            target.score = target.votes.aggregate(total=Sum("value"))["total"] or 0
            target.save(update_fields=["score", "updated_at"])
        refresh_counts(question)
    reindex(question)
    target.refresh_from_db(fields=["score"])
    return target.score


def _reputation_for_vote(author: Any, before: int, asked: int) -> None:
    after = 0 if before == asked else asked
    events = {1: "upvote", -1: "downvote"}
    if before:
        trust.add_reputation(author, events[before], -1)
    if after:
        trust.add_reputation(author, events[after])


def accept_answer(question: Question, user: Any, answer_id: Any) -> Question:
    """The asker (or a moderator) marks the answer that solved it; ``answer_id`` empty clears."""
    if user is None or not user.is_authenticated:
        raise NotAllowed(_("Sign in to take part in the community."))
    if question.author_id != user.pk and not is_moderator(user):
        raise NotAllowed(_("Only the person who asked (or a moderator) can accept an answer."))
    if question.status != Status.VISIBLE or question.duplicate_of_id:
        raise CommunityError(_("This thread is not open for changes."))
    answer = None
    if answer_id:
        answer = question.answers.filter(pk=_int(answer_id), status=Status.VISIBLE).first()
        if answer is None:
            raise NotFound(_("That answer does not exist in this thread."))
    previous = question.accepted_answer
    with transaction.atomic():
        question.accepted_answer = answer
        question.last_activity_at = timezone.now()
        question.save(update_fields=["accepted_answer", "last_activity_at", "updated_at"])
        if previous and previous.author_id != question.author_id:
            trust.add_reputation(previous.author, "accepted", -1)
        if answer and answer.author_id != question.author_id:
            trust.add_reputation(answer.author, "accepted")
    if answer and answer != previous:
        notify_followers.enqueue("accepted", answer.pk, user.pk)
    reindex(question)
    return question


# --- following ---------------------------------------------------------------------------------
def follow(actor: Actor, question: Question, on: Any = True) -> bool:
    """Follow a thread (e-mail on new and accepted answers) or, with ``on`` false, stop.
    Idempotent; returns whether the member now follows it. Any thread the member may read."""
    _require_member(actor)
    if not Question.objects.visible_to(actor.user).filter(pk=question.pk).exists():
        raise NotFound(_("This thread does not exist."))
    _limit(actor, "follow", "60/hour")
    if on in (True, "1", "on", "true"):
        Follow.objects.get_or_create(user=actor.user, question=question)
        return True
    Follow.objects.filter(user=actor.user, question=question).delete()
    return False


# --- flags and edits ---------------------------------------------------------------------------
def flag_post(actor: Actor, target: Any, reason: str, note: str = "") -> Flag:
    """A member reports a post. Enough distinct reports hold it until a moderator looks."""
    _require_member(actor)
    if reason not in Flag.Reason.values:
        raise CommunityError(_("Choose one of the reasons offered."))
    if len(note or "") > 300:
        raise CommunityError(_("Keep the note under %(n)d characters.") % {"n": 300})
    if target.author_id == actor.user.pk:
        raise CommunityError(_("You cannot flag your own post."))
    _limit(actor, "flag", "20/hour")
    with transaction.atomic():
        flag, created = Flag.objects.get_or_create(
            reporter=actor.user, content_type=_ct(target), object_id=target.pk,
            defaults={"reason": reason, "note": note or ""},
        )  # fmt: skip
        if not created:
            raise CommunityError(_("You already flagged this post; a moderator will look."))
        open_flags = Flag.objects.filter(
            content_type=_ct(target), object_id=target.pk, resolved_at__isnull=True
        ).count()
        if open_flags >= AUTO_HOLD_FLAGS and target.status == Status.VISIBLE:
            target.status, target.hold_reason = Status.HELD, _("Flagged by several members.")
            target.save(update_fields=["status", "hold_reason", "updated_at"])
            _log_auto_hold(target)
    if target.status == Status.HELD:
        reindex(target.thread())
    return flag


def _ct(obj: Any):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj)


def edit_post(user: Any, target: Any, body: str, title: str = "", reason: str = "") -> Any:
    """The author or a moderator edits; the previous text is kept as a revision, and a
    moderator's edit of someone else's post is logged with its reason."""
    if user is None or not user.is_authenticated:
        raise NotAllowed(_("Sign in to take part in the community."))
    moderating = target.author_id != user.pk
    if moderating and not is_moderator(user):
        raise NotAllowed(_("You can only edit your own posts."))
    if moderating and not reason.strip():
        raise CommunityError(_("Give a reason for editing someone else's post."))
    if not moderating and target.thread().locked:
        raise CommunityError(_("This thread is locked: it can no longer be edited."))
    kind = {Question: "question", Answer: "answer"}.get(type(target), "comment")
    body = _validated(clean_body, body, kind)
    new_title = _validated(clean_title, title) if isinstance(target, Question) else ""
    with transaction.atomic():
        PostRevision.objects.create(
            target=target, editor=user, title=getattr(target, "title", ""),
            body=target.body, reason=reason.strip()[:500],
        )  # fmt: skip
        target.body, target.body_html = body, render_markdown(body)
        target.body_hash = content_hash(body)
        if new_title:
            target.title = new_title
        target.save()
        if moderating:
            ModerationAction.objects.create(
                target=target, moderator=user, action=ModerationAction.Kind.EDIT,
                reason=reason.strip()[:500],
            )  # fmt: skip
    reindex(target.thread())
    return target
