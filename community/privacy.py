"""The community's part of "export / delete everything about me" (``support.privacy``).

Policy (docs/support.md): a person's votes, follows, flags, profile and any posts not yet public
(held or hidden) are deleted. Their public questions, answers and comments stay readable for the
people who were helped by them, but are no longer theirs: they move to a shared "deleted
member" account, lose their network hash, and their edit history keeps no text of theirs. This
is how Q&A sites keep threads whole while forgetting the person.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from .models import (
    Answer,
    Comment,
    Flag,
    Follow,
    MemberProfile,
    PostRevision,
    Question,
    Status,
    Vote,
)

GHOST_USERNAME = "deleted-member"
POST_MODELS = (Question, Answer, Comment)


def _accounts(subject) -> list:
    """The subject's account, or accounts registered with the (link-proven) email address."""
    if getattr(subject, "user", None) is not None:
        return [subject.user]
    if subject.email:
        return list(get_user_model().objects.filter(email__iexact=subject.email))
    return []


def export(subject) -> dict:
    users = _accounts(subject)
    posts = {}
    for model in POST_MODELS:
        rows = model.objects.filter(author__in=users).order_by("created_at")
        posts[model._meta.model_name + "s"] = [
            {
                "id": post.pk,
                "title": getattr(post, "title", ""),
                "body": post.body,
                "status": post.status,
                "at": post.created_at.isoformat(),
            }
            for post in rows
        ]
    posts["votes"] = [
        {"question": v.question_id, "answer": v.answer_id, "value": v.value}
        for v in Vote.objects.filter(user__in=users)
    ]
    posts["follows"] = list(
        Follow.objects.filter(user__in=users).order_by("pk").values_list("question_id", flat=True)
    )
    return posts


def ghost():
    """The shared owner of posts whose authors asked to be forgotten (cannot sign in)."""
    user, created = get_user_model().objects.get_or_create(
        username=GHOST_USERNAME, defaults={"is_active": False, "first_name": "Deleted member"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def erase(subject) -> int:
    """Apply the policy above; returns how many rows were deleted or reassigned."""
    users = _accounts(subject)
    if not users:
        return 0
    changed = 0
    with transaction.atomic():
        changed += Vote.objects.filter(user__in=users).delete()[0]
        changed += Follow.objects.filter(user__in=users).delete()[0]
        changed += Flag.objects.filter(reporter__in=users).delete()[0]
        changed += MemberProfile.objects.filter(user__in=users).delete()[0]
        owner = ghost()
        for model in POST_MODELS:
            mine = model.objects.filter(author__in=users)
            changed += mine.exclude(status=Status.VISIBLE).delete()[0]
            kind = ContentType.objects.get_for_model(model)
            ids = list(mine.values_list("pk", flat=True))
            PostRevision.objects.filter(content_type=kind, object_id__in=ids).update(
                body="", title=""
            )
            changed += mine.update(author=owner, ip_hash="")
    return changed
