"""E-mail to the asker when their question is answered or an answer is accepted for them.

Sent through Django's e-mail backend (console in development), in the thread's language, only
to members who have not unsubscribed; every message carries a one-click unsubscribe link (also
as ``List-Unsubscribe``). Failures are logged, never raised: a post is not undone by SMTP.
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

from .models import Answer, MemberProfile, Question

logger = logging.getLogger(__name__)
UNSUBSCRIBE_SALT = "community-unsubscribe"


def unsubscribe_token(user: Any) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def user_for_token(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=UNSUBSCRIBE_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def _wants_email(user: Any) -> bool:
    if not user.email:
        return False
    profile = MemberProfile.objects.filter(user=user).first()
    return profile is None or profile.email_notifications


def _absolute(path: str) -> str:
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or ""
    return base.rstrip("/") + path


def _send(question: Question, subject: str, template: str, context: dict) -> bool:
    asker = question.author
    if not _wants_email(asker):
        return False
    language = question.language_code
    with override(language):
        unsubscribe = _absolute(reverse("community_unsubscribe", args=[unsubscribe_token(asker)]))
        context = {
            **context,
            "question": question,
            "asker": asker,
            "thread_url": _absolute(question.url),
            "unsubscribe_url": unsubscribe,
        }
        message = EmailMessage(
            subject=str(subject),
            body=render_to_string(template, context),
            to=[asker.email],
            headers={"List-Unsubscribe": f"<{unsubscribe}>"},
        )
    try:
        message.send()
    except Exception:  # the write already succeeded; a mail outage must not undo it
        logger.exception("Could not send community notification for question %s", question.pk)
        return False
    return True


def answered(answer: Answer) -> bool:
    question = answer.question
    if answer.author_id == question.author_id:
        return False
    with override(question.language_code):
        subject = _("New answer to “%(title)s”") % {"title": question.title}
    return _send(question, subject, "community/email/answered.txt", {"answer": answer})


def accepted(question: Question, answer: Answer, by: Any) -> bool:
    """Told only when someone else (a moderator) accepted: the asker knows what they did."""
    if by.pk == question.author_id:
        return False
    with override(question.language_code):
        subject = _("An answer was accepted for “%(title)s”") % {"title": question.title}
    return _send(question, subject, "community/email/accepted.txt", {"answer": answer})


def unsubscribe(user_id: int) -> None:
    MemberProfile.objects.update_or_create(user_id=user_id, defaults={"email_notifications": False})
