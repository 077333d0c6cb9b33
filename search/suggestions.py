"""As-you-type suggestions ranked the way customers choose: the title that completes what they
are typing, then what people open most.

The keyword backend finds titles whose text matches every typed word, the last one as a prefix;
its text rank alone put "Archive and restore projects" and "REST API" above "Reset your password"
for "how do I res", because the prefix matches all three equally. Here each candidate is scored
on the title itself (a title word that completes the last word, the other typed words found in
the title) and on how often it was opened in the last weeks: opens from search results (the
click log) and each source's own counters (``SearchSource.popularity``: the help centre's daily
article views). Relevance to the title leads; popularity orders titles that match equally; the
backend's rank breaks what remains.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from . import sources
from .backends.base import Hit
from .models import SearchClick

_WORD = re.compile(r"\w+", re.UNICODE)
POPULAR_DAYS = 30
CANDIDATES = 40  # titles fetched from the backend before re-ranking
CLICK_SHARE = 0.7  # of popularity: opens from search; the rest, the sources' own views
CLICKS_KEY = "faro:suggest:clicks"
CLICKS_SECONDS = 600


@dataclass(frozen=True)
class Candidate:
    hit: Hit
    title: str


def title_match(typed: str, title: str) -> float:
    """How well the title completes what was typed: 2 when a title word completes the last
    (partial) word, plus the share of the other typed words (of three letters or more, so
    "how do I" does not count) that the title contains as words or word starts."""
    words = [w.lower() for w in _WORD.findall(typed)]
    if not words:
        return 0.0
    title_words = [w.lower() for w in _WORD.findall(title)]
    last, others = words[-1], [w for w in words[:-1] if len(w) >= 3]
    score = 0.0
    if any(w.startswith(last) for w in title_words):
        score += 2.0
        if last in title_words:
            score += 0.5  # a whole word already typed
    if others:
        found = sum(1 for o in others if any(w.startswith(o[:5]) for w in title_words))
        score += found / len(others)
    return score


def object_views(keys: list[tuple[str, str]]) -> dict[str, int]:
    """Opens outside search in the last ``POPULAR_DAYS`` days per ``source:id``, as each
    source counts them (``SearchSource.popularity``)."""
    since = timezone.localdate() - timedelta(days=POPULAR_DAYS)
    return sources.popularity(keys, since)


def search_clicks() -> dict[str, int]:
    """Results opened from search in the last ``POPULAR_DAYS`` days, per ``source:id``.

    One aggregate over the click log, kept for ``CLICKS_SECONDS``: suggestions fire on every
    pause in typing, and yesterday's choices do not change by the minute."""

    def count() -> dict[str, int]:
        since = timezone.now() - timedelta(days=POPULAR_DAYS)
        rows = (
            SearchClick.objects.filter(created_at__gte=since)
            .values("source", "object_id")
            .annotate(total=Count("id"))
        )
        return {f"{row['source']}:{row['object_id']}": row["total"] for row in rows}

    return cache.get_or_set(CLICKS_KEY, count, CLICKS_SECONDS)


def _scaled(counts: dict[str, int]) -> Callable[[str], float]:
    top = max(counts.values(), default=0)
    return lambda key: math.log1p(counts.get(key, 0)) / math.log1p(top) if top else 0.0


def rank(typed: str, candidates: list[Candidate]) -> list[Candidate]:
    """Best first: title match, then popularity, then the backend's rank.

    Popularity mixes opens from search (a choice made after typing: the suggestion's own
    situation, so it weighs most) with the sources' views (which also count browsing), each
    log-scaled to 0..1 among the candidates' best."""
    keys = {id(c): f"{c.hit.source}:{c.hit.object_id}" for c in candidates}
    clicks = search_clicks()
    by_click = _scaled({keys[id(c)]: clicks.get(keys[id(c)], 0) for c in candidates})
    by_view = _scaled(object_views([(c.hit.source, c.hit.object_id) for c in candidates]))

    def popularity(c: Candidate) -> float:
        return CLICK_SHARE * by_click(keys[id(c)]) + (1 - CLICK_SHARE) * by_view(keys[id(c)])

    return sorted(
        candidates,
        key=lambda c: (-title_match(typed, c.title), -popularity(c), -c.hit.score, c.title),
    )
