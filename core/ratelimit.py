"""Fixed-window rate limits counted atomically in PostgreSQL.

One ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` per check: correct under concurrency and across
processes, and cheap enough for the write paths it guards (votes, posts, requests).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection

_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(second|minute|hour|day)\s*$")


@dataclass(frozen=True)
class Rate:
    limit: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """Parse ``"20/hour"``; a malformed setting fails loudly at first use."""
        match = _RATE.match(text)
        if not match:
            raise ValueError(f"Bad rate {text!r}: expected e.g. '20/hour'")
        return cls(int(match.group(1)), _UNITS[match.group(2)])


def hit(key: str, rate: Rate | str, now: datetime | None = None) -> bool:
    """Count one attempt for ``key``; return False when the window's limit is exceeded."""
    return hit_all([(key, rate)], now)


def hit_all(checks: list[tuple[str, Rate | str]], now: datetime | None = None) -> bool:
    """Count one attempt against each (key, rate) in one statement (a visitor and their
    network, say); return False when any window's limit is exceeded. Every key is counted;
    keys must differ (one statement cannot update a row twice)."""
    now = now or datetime.now(UTC)
    epoch = int(now.timestamp())
    rows, limits = [], {}
    for key, rate in checks:
        rate = Rate.parse(rate) if isinstance(rate, str) else rate
        window = datetime.fromtimestamp(epoch - epoch % rate.seconds, tz=UTC)
        rows.append((key[:200], window))
        limits[key[:200]] = rate.limit
    values = ", ".join(["(%s, %s, 1)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO core_ratelimitcounter (key, window_start, count) VALUES {values}
            ON CONFLICT (key, window_start)
            DO UPDATE SET count = core_ratelimitcounter.count + 1
            RETURNING key, count
            """,
            [value for row in rows for value in row],
        )
        counts = cursor.fetchall()
    return all(count <= limits[key] for key, count in counts)


def purge_expired(older_than_seconds: int = 2 * 86400) -> int:
    """Delete windows older than any rate we use; run from a periodic task."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM core_ratelimitcounter"
            " WHERE window_start < now() - %s * interval '1 second'",
            [older_than_seconds],
        )
        return cursor.rowcount
