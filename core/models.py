"""Shared storage: fixed-window rate-limit counters kept in PostgreSQL.

Counters live in the database rather than a per-process cache so that limits hold across every
worker process and survive restarts, without adding Redis to a self-hosted install.
"""

from django.db import models


class RateLimitCounter(models.Model):
    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="ratelimit_unique_window")
        ]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start:%Y-%m-%d %H:%M}: {self.count}"


class JourneyEvent(models.Model):
    """One step of a customer's journey: a search, an article read, a vote, a tip seen, a
    frustration signal, a page of the product they came from.

    Written only with the visitor's consent (``core.journey.record``), keyed by a salted visitor
    hash (never an IP or the raw cookie) and, when signed in, by account. Support requests attach
    the journey so a customer never starts over; Insights aggregates it. Old rows are purged after
    ``FARO_JOURNEY_RETENTION_DAYS``.
    """

    class Kind(models.TextChoices):
        SEARCH = "search", "Search"
        SEARCH_CLICK = "search_click", "Opened a search result"
        ARTICLE_VIEW = "article_view", "Read an article"
        FEEDBACK = "feedback", "Rated an article"
        TIP_SHOWN = "tip_shown", "Tip shown"
        TIP_CLICKED = "tip_clicked", "Tip clicked"
        TIP_DISMISSED = "tip_dismissed", "Tip dismissed"
        TIP_COMPLETED = "tip_completed", "Tip or tour step completed"
        FRUSTRATION = "frustration", "Frustration signal"
        PRODUCT_PAGE = "product_page", "Product page"
        COMMUNITY = "community", "Community activity"
        SUPPORT_REQUEST = "support_request", "Asked for a person"

    created_at = models.DateTimeField(db_index=True)
    visitor = models.CharField(max_length=64, db_index=True)
    user = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    channel = models.CharField(max_length=20, default="help_centre")  # help_centre, snippet, api
    page_url = models.CharField(max_length=500, blank=True)
    locale = models.CharField(max_length=10, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["visitor", "created_at"]),
            models.Index(fields=["user", "created_at"]),
            models.Index(fields=["kind", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.created_at:%Y-%m-%d %H:%M}"
