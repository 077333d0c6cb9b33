"""The content-gap backlog: every signal of a missing answer, clustered by meaning, ranked.

Signals (``GapSignal``, one row per day, text and kind) come from zero-result and no-click
searches, "not helpful" votes (the article's title stands for what was missing), support
requests whose session opened no article (the searches before them), and unanswered community
questions. Texts are clustered with a multilingual model's embeddings (``insights.clustering``)
so that many phrasings of one missing answer, in English or Spanish, make one row, ranked by
customers affected: the sum over its texts of distinct sessions per text and day (a customer
who used two phrasings, or came back on another day, counts twice; no visitor identity is kept
to deduplicate further).

A gap that a published article already answers is not a missing article: an article with that
very title exists (a "not helpful" vote names it), or the nearest public article section is as
close to the leading phrasing as search requires before it stops saying "answer likely missing"
(``MISSING_THRESHOLD`` of that language's model). Those are listed apart, with the article, as
"answered: check or improve it".
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.core.cache import cache
from django.db.models import Sum
from django.db.models.functions import Lower

from kb.models import ArticlePage

from .aggregate import embed_and_store
from .clustering import cluster, cross_language, embed_texts, gap_embedder
from .metrics import DEFINITIONS, Period, Table
from .models import GapSignal, TextEmbedding

MAX_TEXTS = 1500  # the most frequent texts of the period; the long tail waits its turn
EMBED_AT_VIEW = 300  # texts without a vector embedded while the page renders (then stored)
VERDICT_SECONDS = 600  # how long the engine's "already answered" verdict is reused
KIND_LABELS = dict(GapSignal.Kind.choices)


@dataclass(frozen=True)
class Answer:
    title: str
    url: str
    why: str


@dataclass
class Gap:
    label: str
    locale: str  # the leading phrasing's language: a draft starts there
    customers: int
    signals: int
    examples: list[str]
    kinds: dict[str, int] = field(default_factory=dict)
    locales: list[str] = field(default_factory=list)  # every language customers asked in
    example_locales: list[tuple[str, str]] = field(default_factory=list)
    answered_by: Answer | None = None


@dataclass
class Backlog:
    open: list[Gap]
    answered: list[Gap]


def backlog(period: Period, limit: int = 50) -> list[Gap]:
    """Ranked gaps that no published article answers yet."""
    return analyse(period, limit).open


def analyse(period: Period, limit: int = 50) -> Backlog:
    """Cluster the period's gap texts (across languages when the model allows), rank them, and
    set apart the ones an existing article already answers."""
    per_text = _texts(period)
    keys = sorted(per_text, key=lambda k: -per_text[k]["c"])[:MAX_TEXTS]
    embedder = gap_embedder()
    vectors = _vectors({t for _, t in keys}, embedder)
    keys = [k for k in keys if k[1] in vectors]
    if cross_language(embedder):
        batches = [keys]
    else:
        batches = [[k for k in keys if k[0] == loc] for loc in sorted({k[0] for k in keys})]
    gaps: list[Gap] = []
    for batch in batches:
        if not batch:
            continue
        matrix = np.array([vectors[t] for _, t in batch], dtype=np.float32)
        for members in cluster(matrix, [per_text[k]["c"] for k in batch]):
            gaps.append(_gap([batch[i] for i in members], per_text))
    gaps.sort(key=lambda g: (-g.customers, g.label))
    return _split(gaps, limit)


def _texts(period: Period) -> dict[tuple[str, str], dict]:
    rows = (
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
    return per_text


def _vectors(texts: set[str], embedder) -> dict[str, list[float]]:
    """Stored vectors from the gap model; texts the daily job has not embedded yet (or that
    another model embedded) are embedded now, a bounded number per view, and stored."""
    stored = TextEmbedding.objects.filter(text__in=texts, model=embedder.name)
    vectors = dict(stored.values_list("text", "embedding"))
    missing = sorted(texts - set(vectors))[:EMBED_AT_VIEW]
    if missing:
        embed_and_store(missing, embedder, embed_texts)
        vectors.update(
            TextEmbedding.objects.filter(text__in=missing, model=embedder.name).values_list(
                "text", "embedding"
            )
        )
    return vectors


def _gap(members: list[tuple[str, str]], per_text: dict) -> Gap:
    entries = [per_text[k] for k in members]
    kinds: dict[str, int] = defaultdict(int)
    for entry in entries:
        for kind, n in entry["kinds"].items():
            kinds[kind] += n
    return Gap(
        label=members[0][1],
        locale=members[0][0],
        customers=sum(e["c"] for e in entries),
        signals=sum(e["n"] for e in entries),
        examples=list(dict.fromkeys(t for _, t in members))[:8],
        kinds=dict(kinds),
        locales=sorted({loc for loc, _ in members}),
        example_locales=[(t, loc) for loc, t in members[:8]],
    )


def _split(gaps: list[Gap], limit: int) -> Backlog:
    result = Backlog([], [])
    titles = _titles({t for g in gaps[: limit * 2] for t, _ in g.example_locales})
    for gap in gaps:
        if len(result.open) >= limit:
            break
        gap.answered_by = _title_answer(gap, titles) or _engine_answer(gap)
        (result.answered if gap.answered_by else result.open).append(gap)
    return result


def _titles(texts: set[str]) -> dict[str, ArticlePage]:
    pages = ArticlePage.objects.live().annotate(lower_title=Lower("title"))
    return {p.lower_title: p for p in pages.filter(lower_title__in=texts)}


def _title_answer(gap: Gap, titles: dict[str, ArticlePage]) -> Answer | None:
    for text, _ in gap.example_locales:
        page = titles.get(text)
        if page is not None:
            return Answer(page.title, page.url or "", "a published article has this title")
    return None


def _engine_answer(gap: Gap) -> Answer | None:
    """The nearest public article section to the leading phrasing, if search would be confident
    in it: cosine similarity at least the language's ``MISSING_THRESHOLD``, the line under which
    the engine says "answer likely missing". One cached query embedding and one index lookup."""
    digest = hashlib.sha256(f"{gap.locale}:{gap.label}".encode()).hexdigest()[:32]
    key = f"insights-answered:{digest}"
    verdict = cache.get(key)
    if verdict is None:
        verdict = _nearest_section(gap.label, gap.locale)
        cache.set(key, verdict, VERDICT_SECONDS)
    return Answer(*verdict) if verdict else None


def _nearest_section(text: str, locale: str) -> tuple:
    from search.backends.base import Scope, get_vector_backend
    from search.embedders import embedder_for, tuned
    from search.models import DEFAULT_INDEX, SearchDocument

    vector = embedder_for(locale).embed_query(text)
    scope = Scope(index_name=DEFAULT_INDEX, locale=locale, sources=("article",))
    hits = get_vector_backend().search(vector, scope, 1)
    threshold = tuned(locale, "MISSING_THRESHOLD")
    if not hits or hits[0].score < threshold:
        return ()
    doc = SearchDocument.objects.filter(pk=hits[0].doc_id).first()
    if doc is None:
        return ()
    why = f"nearest section similarity {hits[0].score:.2f} ≥ search's threshold {threshold:.2f}"
    return (doc.title, doc.url, why)


def related_phrasings(query: str, locale: str, limit: int = 3) -> list[str]:
    """Other phrasings in this language that the backlog (last 90 days) clustered with
    ``query``: the words customers actually used, to suggest as synonyms."""
    text = " ".join(query.lower().split())
    if not text:
        return []
    found = analyse(Period.last(90))
    for gap in found.open + found.answered:
        if any(t == text for t, _ in gap.example_locales):
            return [t for t, loc in gap.example_locales if loc == locale[:2] and t != text][:limit]
    return []


def backlog_table(gaps: list[Gap]) -> Table:
    return Table(
        "backlog",
        "Content-gap backlog",
        ["Missing answer", "Languages", "Customers affected", "Signals", "From", "Examples"],
        [
            [
                g.label,
                ", ".join(g.locales),
                g.customers,
                g.signals,
                "; ".join(f"{KIND_LABELS.get(k, k)}: {n}" for k, n in g.kinds.items()),
                " | ".join(f"{t} ({loc})" for t, loc in g.example_locales),
            ]
            for g in gaps
        ],
        DEFINITIONS["customers_affected"],
    )
