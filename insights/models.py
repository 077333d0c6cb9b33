"""Daily pre-aggregates of the search, feedback and journey logs, plus the editors' own records.

Dashboards read only these tables: one row per (day, dimension) keeps page views fast however
large the raw logs grow. ``insights.aggregate`` (re)builds a day idempotently: it deletes the
day's rows and inserts fresh ones, so re-running after late events or a fix is always safe.
None of these tables holds a visitor hash, an account or an address: only counts and texts
customers typed into search (which agents already see in journeys).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from pgvector.django import VectorField


class DayRow(models.Model):
    """Fields every daily row shares: the day, the page language and the product area.

    ``area`` is the product area's ``translation_key`` (the same in every language), or ``""``
    when the row belongs to no area.
    """

    day = models.DateField()
    locale = models.CharField(max_length=10, blank=True)
    area = models.CharField(max_length=40, blank=True)

    class Meta:
        abstract = True


class DailyQueryStat(DayRow):
    """One normalised query text per day, language and area."""

    query = models.CharField(max_length=200)
    searches = models.PositiveIntegerField(default=0)
    sessions = models.PositiveIntegerField(default=0)  # distinct anonymous sessions that day
    zero_results = models.PositiveIntegerField(default=0)
    no_click = models.PositiveIntegerField(default=0)  # had results, none opened
    clicks = models.PositiveIntegerField(default=0)
    answer_missing = models.PositiveIntegerField(default=0)
    before_support = models.PositiveIntegerField(default=0)  # journeys: ran it, then asked

    class Meta:
        indexes = [models.Index(fields=["day", "locale"]), models.Index(fields=["query"])]

    def __str__(self) -> str:
        return f"{self.day} {self.locale} {self.query!r}"


class DailyOutcome(DayRow):
    """Search sessions (consented journeys) by how they ended, plus log-wide counters."""

    searches = models.PositiveIntegerField(default=0)  # every logged search (anonymous log)
    search_sessions = models.PositiveIntegerField(default=0)
    helpful = models.PositiveIntegerField(default=0)
    support = models.PositiveIntegerField(default=0)
    nothing = models.PositiveIntegerField(default=0)
    offered = models.PositiveIntegerField(default=0)  # sessions shown at least one result
    offered_support = models.PositiveIntegerField(default=0)  # …that still asked for a person
    support_requests = models.PositiveIntegerField(default=0)  # all requests (support app)
    deflection_offered = models.PositiveIntegerField(default=0)  # contact form offered article
    deflection_resolved = models.PositiveIntegerField(default=0)
    deflection_sent = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day", "locale"])]

    def __str__(self) -> str:
        return f"{self.day} {self.locale} {self.search_sessions} sessions"


class DailyArticleStat(DayRow):
    article_id = models.IntegerField()
    title = models.CharField(max_length=255)
    views = models.PositiveIntegerField(default=0)
    helpful = models.PositiveIntegerField(default=0)
    unhelpful = models.PositiveIntegerField(default=0)
    reasons = models.JSONField(default=dict, blank=True)  # reason value -> count
    before_support = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day", "locale"])]

    def __str__(self) -> str:
        return f"{self.day} {self.title}"


class DailyTipStat(DayRow):
    """Journey events per guidance tip and product page; ``later_support`` counts visitors who
    saw the tip and asked for a person from the same page within a day."""

    tip = models.CharField(max_length=64)
    page = models.CharField(max_length=300, blank=True)
    shown = models.PositiveIntegerField(default=0)
    clicked = models.PositiveIntegerField(default=0)
    dismissed = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    viewers = models.PositiveIntegerField(default=0)
    later_support = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day", "locale"])]

    def __str__(self) -> str:
        return f"{self.day} tip {self.tip}"


class DailyFrustration(DayRow):
    page = models.CharField(max_length=300)
    signals = models.JSONField(default=dict, blank=True)  # signal -> count
    total = models.PositiveIntegerField(default=0)
    visitors = models.PositiveIntegerField(default=0)
    visitors_support = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day", "locale"])]

    def __str__(self) -> str:
        return f"{self.day} {self.page}"


class GapSignal(DayRow):
    """One text that suggests a missing answer, by kind; the backlog clusters these."""

    class Kind(models.TextChoices):
        ZERO_RESULTS = "zero_results", _("Search found nothing")
        NO_CLICK = "no_click", _("Search results not opened")
        NOT_HELPFUL = "not_helpful", _("Article voted not helpful")
        SUPPORT_NOTHING = "support_nothing", _("Asked for a person after finding nothing")
        COMMUNITY = "community", _("Unanswered community question")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.CharField(max_length=200)
    count = models.PositiveIntegerField(default=0)
    customers = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day", "locale"])]

    def __str__(self) -> str:
        return f"{self.kind}: {self.text}"


class TextEmbedding(models.Model):
    """The search model's vector for a gap text, computed once (in the daily task)."""

    text = models.CharField(max_length=200, unique=True)
    embedding = VectorField(dimensions=384)
    model = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.text


class AggregationRun(models.Model):
    day = models.DateField(unique=True)
    finished_at = models.DateTimeField()
    seconds = models.FloatField(default=0)

    def __str__(self) -> str:
        return f"{self.day} at {self.finished_at:%H:%M}"


class WrongResult(models.Model):
    """An editor said this result is wrong for this query (and in this language)."""

    query = models.CharField(max_length=200)
    locale = models.CharField(max_length=10)
    source = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["query", "locale", "source", "object_id"], name="insights_wrong_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.query!r} ✗ {self.source}:{self.object_id}"


class TuningLog(models.Model):
    """Who changed search from Insights, when, and what (pin, synonym, wrong result, undo)."""

    class Kind(models.TextChoices):
        PIN = "pin", _("Pinned a result")
        SYNONYM = "synonym", _("Added a synonym")
        WRONG = "wrong", _("Marked a result wrong")
        DRAFT = "draft", _("Created an article draft")
        UNPIN = "unpin", _("Removed a pinned result")
        UNSYNONYM = "unsynonym", _("Removed a synonym")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    query = models.CharField(max_length=200, blank=True)
    locale = models.CharField(max_length=10, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        # The custom permissions that gate the Insights area and its search-tuning actions.
        permissions = [
            ("view_insights", "Can view Insights"),
            ("tune_search", "Can tune search from Insights"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.query!r}"


class DigestSubscription(models.Model):
    """An editor's opt-in to the weekly Insights email."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="insights_digest"
    )
    locale = models.CharField(max_length=10, blank=True)  # "" = all languages
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"digest for {self.user_id}"
