""" "Was this helpful?" votes and anonymous daily view counts.

Neither table holds personal data: a vote is keyed by a salted hash of the visitor (see
``core.visitors``) and views are plain per-day counters.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _


class FeedbackReason(models.TextChoices):
    SOLVED = "solved", _("It solved my problem")
    EASY = "easy", _("Easy to follow")
    UNCLEAR = "unclear", _("Hard to understand")
    INCOMPLETE = "incomplete", _("Missing information")
    INCORRECT = "incorrect", _("Incorrect or out of date")
    NOT_RELEVANT = "not_relevant", _("Not what I was looking for")
    OTHER = "other", _("Something else")


HELPFUL_REASONS = {FeedbackReason.SOLVED, FeedbackReason.EASY, FeedbackReason.OTHER}
UNHELPFUL_REASONS = {
    FeedbackReason.UNCLEAR,
    FeedbackReason.INCOMPLETE,
    FeedbackReason.INCORRECT,
    FeedbackReason.NOT_RELEVANT,
    FeedbackReason.OTHER,
}


class ArticleFeedbackQuerySet(models.QuerySet):
    def summary(self) -> dict:
        """Counts editors see on the article: yes, no, total and share helpful (0-100)."""
        totals = self.aggregate(yes=Count("pk", filter=Q(helpful=True)), total=Count("pk"))
        totals["no"] = totals["total"] - totals["yes"]
        totals["helpful_percent"] = (
            round(100 * totals["yes"] / totals["total"]) if totals["total"] else None
        )
        return totals

    def reason_counts(self) -> list[tuple[str, int]]:
        rows = (
            self.exclude(reason="")
            .values("reason")
            .annotate(n=Count("pk"))
            .order_by("-n", "reason")
        )
        labels = dict(FeedbackReason.choices)
        return [(labels.get(row["reason"], row["reason"]), row["n"]) for row in rows]


class ArticleFeedback(models.Model):
    article = models.ForeignKey("kb.ArticlePage", on_delete=models.CASCADE, related_name="feedback")
    visitor_hash = models.CharField(max_length=64)
    helpful = models.BooleanField()
    reason = models.CharField(max_length=20, choices=FeedbackReason.choices, blank=True)
    comment = models.TextField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleFeedbackQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "visitor_hash"], name="feedback_one_vote_per_visitor"
            )
        ]
        indexes = [models.Index(fields=["article", "helpful"])]
        verbose_name = _("article feedback")

    def __str__(self) -> str:
        return f"{'yes' if self.helpful else 'no'} on {self.article_id}"


class ArticleDailyViews(models.Model):
    article = models.ForeignKey(
        "kb.ArticlePage", on_delete=models.CASCADE, related_name="daily_views"
    )
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="views_one_row_per_day")
        ]
        verbose_name_plural = _("article daily views")

    def __str__(self) -> str:
        return f"{self.article_id} {self.day}: {self.views}"
