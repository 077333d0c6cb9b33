"""The content-gap backlog: every signal of a missing answer, clustered by meaning, ranked.

Signals (``GapSignal``, one row per day, text and kind) come from zero-result and no-click
searches, "not helpful" votes (the article's title stands for what was missing), support
requests whose session opened no article (the searches before them), and unanswered community
questions. Texts are clustered with the search model's embeddings (``insights.clustering``) so
that many phrasings of one missing answer make one row, ranked by customers affected: the sum
over its texts of distinct sessions per text and day (a customer who used two phrasings, or came
back on another day, counts twice; no visitor identity is kept to deduplicate further).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Sum

from .clustering import cluster
from .metrics import Period, Table
from .models import GapSignal, TextEmbedding

MAX_TEXTS = 1500  # the most frequent texts of the period; the long tail waits its turn
KIND_LABELS = dict(GapSignal.Kind.choices)


@dataclass
class Gap:
    label: str
    locale: str
    customers: int
    signals: int
    examples: list[str]
    kinds: dict[str, int] = field(default_factory=dict)


def backlog(period: Period, limit: int = 50) -> list[Gap]:
    """Ranked gaps for the period; languages are clustered separately (an article is written
    in one language)."""
    rows = list(
        period.filter(GapSignal.objects.all())
        .values("locale", "text", "kind")
        .annotate(c=Sum("customers"), n=Sum("count"))
        .order_by("-c")[: MAX_TEXTS * 3]
    )
    per_text: dict[tuple[str, str], dict] = {}
    for row in rows:
        entry = per_text.setdefault(
            (row["locale"], row["text"]), {"c": 0, "n": 0, "kinds": defaultdict(int)}
        )
        entry["c"] += row["c"] or 0
        entry["n"] += row["n"] or 0
        entry["kinds"][row["kind"]] += row["n"] or 0
    keys = sorted(per_text, key=lambda k: -per_text[k]["c"])[:MAX_TEXTS]
    vectors = dict(
        TextEmbedding.objects.filter(text__in={t for _, t in keys}).values_list("text", "embedding")
    )
    gaps: list[Gap] = []
    for locale in sorted({loc for loc, _ in keys}):
        texts = [t for loc, t in keys if loc == locale and t in vectors]
        if not texts:
            continue
        matrix = np.array([vectors[t] for t in texts], dtype=np.float32)
        weights = [per_text[(locale, t)]["c"] for t in texts]
        for members in cluster(matrix, weights):
            entries = [per_text[(locale, texts[i])] for i in members]
            kinds: dict[str, int] = defaultdict(int)
            for entry in entries:
                for kind, n in entry["kinds"].items():
                    kinds[kind] += n
            gaps.append(
                Gap(
                    label=texts[members[0]],
                    locale=locale,
                    customers=sum(e["c"] for e in entries),
                    signals=sum(e["n"] for e in entries),
                    examples=[texts[i] for i in members[:8]],
                    kinds=dict(kinds),
                )
            )
    gaps.sort(key=lambda g: (-g.customers, g.label))
    return gaps[:limit]


def backlog_table(gaps: list[Gap]) -> Table:
    return Table(
        "backlog",
        "Content-gap backlog",
        ["Missing answer", "Language", "Customers affected", "Signals", "From", "Examples"],
        [
            [
                g.label,
                g.locale,
                g.customers,
                g.signals,
                "; ".join(f"{KIND_LABELS.get(k, k)}: {n}" for k, n in g.kinds.items()),
                " | ".join(g.examples),
            ]
            for g in gaps
        ],
        "Signals of a missing answer clustered by meaning; customers affected = distinct "
        "sessions per phrasing and day, summed.",
        0,
    )
