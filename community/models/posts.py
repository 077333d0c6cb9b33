"""What members write: questions, answers, comments, and their votes.

Every post keeps its Markdown source and the sanitized HTML rendered from it at write time
(``community/writing.py``), so reads never re-render and templates never filter HTML.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase


class Status(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    HELD = "held", _("Held for review")
    HIDDEN = "hidden", _("Hidden")


def is_moderator(user: Any) -> bool:
    """Moderators see and act on everything; the permission is granted to Wagtail's
    "Moderators" group by a data migration."""
    return bool(
        user is not None
        and user.is_authenticated
        and (user.is_superuser or user.has_perm("community.moderate_community"))
    )


def unanswered_after() -> timedelta:
    """How long a question may wait for its first answer before staff see it as overdue."""
    return timedelta(hours=getattr(settings, "FARO_COMMUNITY_UNANSWERED_HOURS", 48))


class PostQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> PostQuerySet:
        """Posts this person may read: visible ones, plus their own held ones (so an author
        sees "awaiting review" instead of a vanished post); moderators see all."""
        if is_moderator(user):
            return self
        allowed = Q(status=Status.VISIBLE)
        if user is not None and user.is_authenticated:
            allowed |= Q(status=Status.HELD, author=user)
        return self.filter(allowed)

    def awaiting_review(self) -> PostQuerySet:
        return self.filter(status=Status.HELD)


class QuestionQuerySet(PostQuerySet):
    def in_locale(self, language_code: str) -> QuestionQuerySet:
        return self.filter(page__locale__language_code=language_code)

    def open_threads(self) -> QuestionQuerySet:
        """Threads listed publicly: not merged into another one."""
        return self.filter(duplicate_of__isnull=True)

    def solved(self) -> QuestionQuerySet:
        return self.filter(accepted_answer__isnull=False)

    def unanswered(self, older_than: timedelta | None = None) -> QuestionQuerySet:
        """Visible threads with no visible answer, oldest first; with ``older_than``, only
        those asked longer ago than that (``unanswered_after()`` is the overdue line)."""
        threads = self.filter(status=Status.VISIBLE, duplicate_of__isnull=True, answer_count=0)
        if older_than is not None:
            threads = threads.filter(created_at__lt=timezone.now() - older_than)
        return threads.order_by("created_at")


class Post(models.Model):
    """Fields every kind of post shares. ``ip_hash`` is a salted digest (core.visitors), never
    an address; ``body_hash`` finds repeated content cheaply."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_%(class)ss"
    )
    body = models.TextField()
    body_html = models.TextField()
    body_hash = models.CharField(max_length=64, db_index=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.VISIBLE, db_index=True
    )
    hold_reason = models.CharField(max_length=200, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_visible(self) -> bool:
        return self.status == Status.VISIBLE

    def thread(self) -> Question:
        raise NotImplementedError


class QuestionTag(TaggedItemBase):
    content_object = models.ForeignKey(
        "community.Question", on_delete=models.CASCADE, related_name="tagged_items"
    )


class Question(Post):
    page = models.ForeignKey(
        "community.CommunityIndexPage", on_delete=models.CASCADE, related_name="questions"
    )
    title = models.CharField(max_length=150)
    locked = models.BooleanField(default=False)
    accepted_answer = models.ForeignKey(
        "community.Answer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    tags = TaggableManager(through=QuestionTag, blank=True)
    score = models.IntegerField(default=0)
    answer_count = models.PositiveIntegerField(default=0)
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-last_activity_at"]
        permissions = [
            ("moderate_community", "Can moderate community threads"),
            ("promote_question", "Can turn a community thread into an article draft"),
        ]

    def __str__(self) -> str:
        return self.title

    def thread(self) -> Question:
        return self

    @property
    def slug(self) -> str:
        return slugify(self.title)[:60] or "thread"

    @property
    def url(self) -> str:
        return self.page.thread_url(self)

    @property
    def language_code(self) -> str:
        return self.page.locale.language_code

    def best_answer(self) -> Answer | None:
        """What search and the article draft use: the accepted answer, else the best official
        one; only visible answers count."""
        answers = self.answers.filter(status=Status.VISIBLE)
        if self.accepted_answer_id:
            accepted = answers.filter(pk=self.accepted_answer_id).first()
            if accepted:
                return accepted
        return answers.filter(is_official=True).order_by("-score", "created_at").first()


class Answer(Post):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    is_official = models.BooleanField(default=False)
    score = models.IntegerField(default=0)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Answer {self.pk} to {self.question_id}"

    def thread(self) -> Question:
        return self.question

    @property
    def is_accepted(self) -> bool:
        return self.question.accepted_answer_id == self.pk


class Comment(Post):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="comments")
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Comment {self.pk}"

    def thread(self) -> Question:
        return self.question


class Vote(models.Model):
    """One per member per post: a changed mind updates the row, the same vote again removes it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_votes"
    )
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="votes"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="votes"
    )
    value = models.SmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=False, answer__isnull=True)
                | Q(question__isnull=True, answer__isnull=False),
                name="community_vote_one_target",
            ),
            models.CheckConstraint(condition=Q(value__in=[-1, 1]), name="community_vote_value"),
            models.UniqueConstraint(
                fields=["user", "question"],
                condition=Q(question__isnull=False),
                name="community_one_vote_per_question",
            ),
            models.UniqueConstraint(
                fields=["user", "answer"],
                condition=Q(answer__isnull=False),
                name="community_one_vote_per_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value:+d} by {self.user_id}"


class MemberProfile(models.Model):
    """Trust (reputation earned from votes and accepted answers) and e-mail preferences."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_profile"
    )
    reputation = models.IntegerField(default=0)
    email_notifications = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.user} ({self.reputation})"


class FollowQuerySet(models.QuerySet):
    def of(self, question: Question) -> FollowQuerySet:
        return self.filter(question=question)


class Follow(models.Model):
    """A member who wants an e-mail when a thread gets an answer or an accepted answer. The
    asker follows their own question automatically; anyone signed in can follow or unfollow.
    E-mails still respect ``MemberProfile.email_notifications`` (community/notifications.py)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_follows"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    objects = FollowQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="community_one_follow")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.question_id}"
