"""Named write operations for the help centre. Views validate input and call these."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core import http

from .models import ArticleDailyViews, ArticleFeedback, ArticlePage
from .models.feedback import HELPFUL_REASONS, UNHELPFUL_REASONS

COMMENT_MAX_LENGTH = 1000


class FeedbackError(ValueError):
    """Input the visitor must fix; the message is shown to them as is."""


@dataclass(frozen=True)
class FeedbackInput:
    helpful: bool
    reason: str = ""
    comment: str = ""

    @classmethod
    def parse(cls, data: dict) -> FeedbackInput:
        """Validate raw form or JSON data; raise FeedbackError with a reason a person can act on."""
        raw = str(data.get("helpful", "")).strip().lower()
        if raw in {"yes", "true", "1"}:
            helpful = True
        elif raw in {"no", "false", "0"}:
            helpful = False
        else:
            raise FeedbackError(_("Say whether the article helped: “helpful” must be yes or no."))
        reason = str(data.get("reason", "") or "").strip()
        allowed = HELPFUL_REASONS if helpful else UNHELPFUL_REASONS
        if reason and reason not in {r.value for r in allowed}:
            raise FeedbackError(_("That reason is not one of the choices offered."))
        comment = str(data.get("comment", "") or "").strip()
        if len(comment) > COMMENT_MAX_LENGTH:
            raise FeedbackError(
                _("Keep the comment under %(n)d characters.") % {"n": COMMENT_MAX_LENGTH}
            )
        return cls(helpful=helpful, reason=reason, comment=comment)


def record_feedback(
    article: ArticlePage, visitor_hash: str, network_hash: str, data: FeedbackInput
) -> tuple[ArticleFeedback, bool]:
    """Store one visitor's vote on an article, replacing their earlier vote if they changed their
    mind. Returns (feedback, created). Rate limits count per visitor and per network, both every
    time (``core.http.check_rate`` raises ``RateLimited``)."""
    http.check_rate(
        "feedback", settings.FARO_FEEDBACK_RATE, visitor=visitor_hash, network=network_hash
    )
    with transaction.atomic():
        feedback, created = ArticleFeedback.objects.update_or_create(
            article=article,
            visitor_hash=visitor_hash,
            defaults={"helpful": data.helpful, "reason": data.reason, "comment": data.comment},
        )
    return feedback, created


def count_article_view(article: ArticlePage) -> None:
    """Add one to today's anonymous view counter (no visitor data is kept)."""
    day = timezone.localdate()
    updated = ArticleDailyViews.objects.filter(article=article, day=day).update(
        views=F("views") + 1
    )
    if not updated:
        ArticleDailyViews.objects.bulk_create(
            [ArticleDailyViews(article=article, day=day, views=1)],
            update_conflicts=True,
            unique_fields=["article", "day"],
            update_fields=["views"],
        )
