"""Moderators' decisions and editors' promotion of a thread to an article draft.

Every decision needs a reason and leaves a ``ModerationAction`` row (the audit log shown in the
admin queue). Same error classes as ``actions.py``, so pages, admin and API answer alike.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kb.models import ArticlePage, CategoryPage

from . import trust
from .actions import CommunityError, NotAllowed, NotFound, refresh_counts, reindex
from .models import Answer, Flag, Follow, ModerationAction, Question, Status, is_moderator
from .tasks import notify_followers
from .writing import plain_text

Kind = ModerationAction.Kind
# What each decision does to the post's status (None: status unchanged).
STATUS_AFTER = {
    Kind.APPROVE: Status.VISIBLE,
    Kind.HOLD: Status.HELD,
    Kind.HIDE: Status.HIDDEN,
    Kind.DISMISS: None,
    Kind.LOCK: None,
    Kind.UNLOCK: None,
    Kind.MERGE: None,
}
QUESTION_ONLY = {Kind.LOCK, Kind.UNLOCK, Kind.MERGE}
RESOLVES_FLAGS = {Kind.APPROVE, Kind.HIDE, Kind.DISMISS}


def moderate(
    moderator: Any, target: Any, action: str, reason: str, merge_into: Any = None
) -> ModerationAction:
    """Apply one decision to a question, answer or comment, with its reason."""
    if not is_moderator(moderator):
        raise NotAllowed(_("Only moderators can do that."))
    if action not in STATUS_AFTER:
        raise CommunityError(_("Unknown moderation action."))
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise CommunityError(_("Give a reason: it is kept in the moderation log."))
    if len(reason) > 500:
        raise CommunityError(_("Keep the reason under %(n)d characters.") % {"n": 500})
    if action in QUESTION_ONLY and not isinstance(target, Question):
        raise CommunityError(_("Only whole threads can be locked or merged."))
    original = _merge_target(target, merge_into) if action == Kind.MERGE else None
    was_visible = target.status == Status.VISIBLE
    question = target.thread()
    with transaction.atomic():
        new_status = STATUS_AFTER[action]
        if new_status is not None:
            target.status = new_status
            target.hold_reason = reason[:200] if new_status == Status.HELD else ""
        if action in (Kind.LOCK, Kind.UNLOCK):
            target.locked = action == Kind.LOCK
        if original is not None:
            _merge(target, original)
        target.save()
        if action in RESOLVES_FLAGS:
            Flag.objects.filter(
                content_type=_ct(target), object_id=target.pk, resolved_at__isnull=True
            ).update(resolved_at=timezone.now())
        accepted = isinstance(target, Answer) and question.accepted_answer_id == target.pk
        if accepted and new_status in (Status.HIDDEN, Status.HELD):
            question.accepted_answer = None
            question.save(update_fields=["accepted_answer"])
        if action == Kind.APPROVE and not was_visible:
            trust.add_reputation(target.author, "approved")
        refresh_counts(question)
        logged = ModerationAction.objects.create(
            target=target, moderator=moderator, action=action, reason=reason,
            data={"merged_into": original.pk} if original else {},
        )  # fmt: skip
    if action == Kind.APPROVE and not was_visible and isinstance(target, Answer):
        notify_followers.enqueue("answered", target.pk)
    reindex(question)
    if original is not None:
        reindex(original)
    return logged


def _merge_target(question: Question, merge_into: Any) -> Question:
    try:
        pk = int(merge_into)
    except (TypeError, ValueError) as error:
        raise CommunityError(_("Say which thread to merge into (its number).")) from error
    original = Question.objects.filter(pk=pk, page__locale=question.page.locale).first()
    if original is None or original.pk == question.pk or original.duplicate_of_id:
        raise NotFound(_("There is no other open thread with that number in this language."))
    return original


def _merge(duplicate: Question, original: Question) -> None:
    """Answers (with their comments) and followers move to the original; the duplicate stays
    as a locked pointer, so links to it keep working and search no longer shows it."""
    followers = duplicate.follows.values_list("user_id", flat=True)
    Follow.objects.bulk_create(
        [Follow(user_id=user_id, question=original) for user_id in followers],
        ignore_conflicts=True,
    )
    moved = list(duplicate.answers.values_list("pk", flat=True))
    duplicate.answers.update(question=original)
    duplicate.comments.filter(answer_id__in=moved).update(question=original)
    duplicate.accepted_answer = None
    duplicate.duplicate_of = original
    duplicate.locked = True
    refresh_counts(original)


def _ct(obj: Any):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj)


# --- promotion to an article draft -------------------------------------------------------------
def can_promote(user: Any) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and (user.is_superuser or user.has_perm("community.promote_question"))
    )


def promotion_categories(user: Any, question: Question) -> list[CategoryPage]:
    """Categories in the thread's language where this editor may add an article."""
    categories = CategoryPage.objects.filter(locale=question.page.locale).order_by("path")
    return [c for c in categories if c.permissions_for_user(user).can_add_subpage()]


def promote_to_article(user: Any, question: Question, category_id: Any) -> ArticlePage:
    """Create an unpublished article from a solved thread: the question as the introduction,
    the accepted (or official) answer under a heading; it links back to the thread. Editors
    then rewrite it and send it through the usual workflow."""
    if not can_promote(user):
        raise NotAllowed(_("Only editors can turn a thread into an article."))
    if question.status != Status.VISIBLE:
        raise CommunityError(_("Only visible threads can become articles."))
    answer = question.best_answer()
    if answer is None:
        raise CommunityError(_("The thread needs an accepted or official answer first."))
    category = next(
        (c for c in promotion_categories(user, question) if str(c.pk) == str(category_id)), None
    )
    if category is None:
        raise NotFound(_("Choose a category in the thread's language that you can add to."))
    body = [
        _block("paragraph", question.body_html),
        _block("heading", {"text": _("Answer"), "level": "h2"}),
        _block("paragraph", answer.body_html),
    ]
    with transaction.atomic():
        article = ArticlePage(
            title=question.title,
            slug=f"{slugify(question.title)[:60] or 'thread'}-q{question.pk}",
            summary=plain_text(question.body_html)[:240],
            body=json.dumps(body),
            live=False,
            community_question=question,
        )
        category.add_child(instance=article)
        article.save_revision(user=user, log_action=True)
        ModerationAction.objects.create(
            target=question, moderator=user, action=Kind.PROMOTE,
            reason=_("Turned into an article draft"), data={"article": article.pk},
        )  # fmt: skip
    return article


def _block(kind: str, value: Any) -> dict:
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}
