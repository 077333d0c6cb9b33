"""The moderators' records: flags raised by members, every moderation decision with its reason,
and the revision history of edited posts. Generic relations, because all three apply to
questions, answers and comments alike."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TargetMixin(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")

    class Meta:
        abstract = True
        indexes = [models.Index(fields=["content_type", "object_id"])]


class PostRevision(TargetMixin):
    """The content a post had before an edit (the current content lives on the post)."""

    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=150, blank=True)
    body = models.TextField()
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta(TargetMixin.Meta):
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Revision of {self.content_type_id}:{self.object_id}"


class Flag(TargetMixin):
    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        OFFENSIVE = "offensive", _("Rude or offensive")
        OFF_TOPIC = "off_topic", _("Off topic")
        OTHER = "other", _("Something else")

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta(TargetMixin.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "content_type", "object_id"], name="community_one_flag"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reason} on {self.content_type_id}:{self.object_id}"


class ModerationAction(TargetMixin):
    """The audit log: who did what to which post, and why."""

    class Kind(models.TextChoices):
        APPROVE = "approve", _("Approve")
        HOLD = "hold", _("Hold for review")
        HIDE = "hide", _("Hide")
        LOCK = "lock", _("Lock")
        UNLOCK = "unlock", _("Unlock")
        MERGE = "merge", _("Merge into another thread")
        EDIT = "edit", _("Edit")
        DISMISS = "dismiss", _("Dismiss flags")
        AUTO_HOLD = "auto_hold", _("Held automatically")
        PROMOTE = "promote", _("Turned into an article draft")

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.CharField(max_length=500)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta(TargetMixin.Meta):
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.content_type.model} {self.object_id}"
