"""E-mail to a thread's followers when it gets an answer or an accepted answer.

The asker follows their question automatically and anyone signed in may follow or unfollow
(``community.actions.follow``). Sending happens on the task worker (``tasks.notify_followers``,
queued by the actions), so a post never waits on SMTP. Each message goes out in the thread's
language, only to members who have not turned community e-mails off, and carries two signed
links: stop following this thread, and stop all community e-mails (also as
``List-Unsubscribe``). Failures are logged, never raised: a post is not undone by SMTP.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from .models import Answer, Follow, MemberProfile, Question, Status

logger = logging.getLogger(__name__)
UNSUBSCRIBE_SALT = "community-unsubscribe"
UNFOLLOW_SALT = "community-unfollow"


def unsubscribe_token(user: Any) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def user_for_token(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=UNSUBSCRIBE_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def unfollow_token(user: Any, question: Question) -> str:
    return signing.dumps([user.pk, question.pk], salt=UNFOLLOW_SALT)


def follow_for_token(token: str) -> tuple[int, int] | None:
    """(user id, question id) from an e-mail's "stop following" link, or None if forged."""
    try:
        user_id, question_id = signing.loads(token, salt=UNFOLLOW_SALT)
        return int(user_id), int(question_id)
    except (signing.BadSignature, TypeError, ValueError):
        return None


def _absolute(path: str) -> str:
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or ""
    return base.rstrip("/") + path


def recipients(question: Question, exclude: set[int]) -> list[Any]:
    """Followers who want e-mail: an address, community e-mails on, not the one who acted."""
    follows = (
        Follow.objects.of(question)
        .exclude(user_id__in=exclude)
        .exclude(user__email="")
        .exclude(user__community_profile__email_notifications=False)
        .filter(user__is_active=True)
        .select_related("user")
        .order_by("pk")
    )
    return [follow.user for follow in follows]


def _send(question: Question, recipient: Any, subject: str, template: str, context: dict) -> bool:
    with override(question.language_code):
        unsubscribe = _absolute(
            reverse("community_unsubscribe", args=[unsubscribe_token(recipient)])
        )
        context = {
            **context,
            "question": question,
            "recipient": recipient,
            "is_asker": recipient.pk == question.author_id,
            "thread_url": _absolute(question.url),
            "unfollow_url": _absolute(
                reverse("community_unfollow", args=[unfollow_token(recipient, question)])
            ),
            "unsubscribe_url": unsubscribe,
        }
        message = EmailMessage(
            subject=str(subject),
            body=render_to_string(template, context),
            to=[recipient.email],
            headers={"List-Unsubscribe": f"<{unsubscribe}>"},
        )
    try:
        message.send()
    except Exception:  # the write already succeeded; a mail outage must not undo it
        logger.exception("Could not send community notification for question %s", question.pk)
        return False
    return True


def answered(answer: Answer) -> int:
    """Tell followers (not the answer's author) about a new visible answer. Returns how many
    e-mails went out."""
    question = answer.question
    if answer.status != Status.VISIBLE or question.status != Status.VISIBLE:
        return 0
    sent = 0
    for recipient in recipients(question, {answer.author_id}):
        with override(question.language_code):
            if recipient.pk == question.author_id:
                subject = _("New answer to “%(title)s”") % {"title": question.title}
            else:
                subject = _("New answer in “%(title)s”") % {"title": question.title}
        sent += _send(
            question, recipient, subject, "community/email/answered.txt", {"answer": answer}
        )
    return sent


def accepted(question: Question, answer: Answer, by: Any) -> int:
    """Tell followers an answer was accepted; not the person who accepted it (the asker knows
    what they did; when a moderator accepts, the asker is told)."""
    sent = 0
    for recipient in recipients(question, {by.pk} if by is not None else set()):
        with override(question.language_code):
            if recipient.pk == question.author_id:
                subject = _("An answer was accepted for “%(title)s”") % {"title": question.title}
            else:
                subject = _("An answer was accepted in “%(title)s”") % {"title": question.title}
        sent += _send(
            question, recipient, subject, "community/email/accepted.txt", {"answer": answer}
        )
    return sent


def unsubscribe(user_id: int) -> None:
    MemberProfile.objects.update_or_create(user_id=user_id, defaults={"email_notifications": False})
