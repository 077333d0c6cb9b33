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
