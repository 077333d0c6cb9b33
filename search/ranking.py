"""Fusing keyword and semantic evidence into one ranking, per object (sections collapsed).

Three fusions are implemented and compared on the dev splits (see docs/search.md):

- ``blend``: each channel's scores are normalised over the candidate set (keyword by the best
  keyword score, semantic by min-max of cosine similarity), then mixed linearly by
  ``semantic_ratio``. Keeps score *magnitudes*: a strong keyword match is not flattened to "rank 1".
- ``rrf``: reciprocal rank fusion, ``ratio/(k + rank_sem) + (1-ratio)/(k + rank_kw)``.
- ``zscore`` (the default, chosen on the dev splits): each channel's object-level evidence is
  standardised over the candidate set (z-score) and mixed linearly by ``semantic_ratio``. A
  z-score measures how exceptional a candidate is *within its channel*, so a channel that singles
  out one object (a rare product name in the keyword channel) gets a loud voice and a flat channel
  (a model that cannot tell the candidates apart, e.g. in a language it was not trained on) a
  quiet one — unlike min-max, which stretches even a flat channel to the full 0..1 range.
  Evidence per object: semantic = soft maximum (log-sum-exp, temperature ``SUPPORT_TEMPERATURE``)
  of its sections' cosine similarities, so several sections close to the query count for a little
  more than one; keyword = the best section's keyword score (relative to the best candidate)
  plus the share of the query words the object contains anywhere (relative to the candidate that
  contains most), because the words of a question are often spread over an article's sections.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from statistics import pstdev

from .backends.base import Hit
from .sources import OVERVIEW

# Cosine differences between paraphrases and near-misses are a few hundredths for MiniLM-class
# models: at 0.05 a second section as close as the best adds up to 0.05·ln 2 ≈ 0.035, one 0.1
# further away almost nothing. Tuned on the dev splits (docs/search.md); 0 would be the plain max.
SUPPORT_TEMPERATURE = 0.05


@dataclass
class Candidate:
    """One object (article, thread…) with its best section and the evidence for it."""

    source: str
    object_id: str
    section: str = ""
    doc_id: int = 0
    keyword: float = 0.0
    semantic: float = 0.0  # best section's cosine similarity (also the engine's confidence)
    support: float = 0.0  # soft maximum over the sections' similarities (see zscore)
    matched: list[str] = field(default_factory=list)
    keyword_part: float = 0.0
    semantic_part: float = 0.0
    score: float = 0.0
    promoted: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.object_id)


def collapse(
    sections: dict[int, tuple[Hit | None, Hit | None]], ratio: float
) -> dict[tuple[str, str], Candidate]:
    """Per object: the best keyword and semantic score of any of its sections, and as best
    section the one that scores highest on the mix (so the deep link fits the query)."""
    objects: dict[tuple[str, str], Candidate] = {}
    best_mix: dict[tuple[str, str], float] = {}
    similarities: dict[tuple[str, str], list[float]] = {}
    overviews: dict[tuple[str, str], tuple[int, float]] = {}
    for doc_id, (kw, sem) in sections.items():
        hit = kw or sem
        key = (hit.source, hit.object_id)
        cand = objects.setdefault(key, Candidate(hit.source, hit.object_id))
        kw_score = kw.score if kw else 0.0
        sem_score = sem.score if sem else 0.0
        if sem:
            similarities.setdefault(key, []).append(sem_score)
        if hit.section == OVERVIEW:
            # evidence about the whole object, never the place to send the reader
            overviews[key] = (doc_id, sem_score)
            continue
        cand.keyword = max(cand.keyword, kw_score)
        cand.semantic = max(cand.semantic, sem_score)
        if kw:
            cand.matched = sorted(set(cand.matched) | set(kw.matched))
        mix = (1 - ratio) * kw_score + ratio * sem_score
        if mix > best_mix.get(key, -1.0):
            best_mix[key] = mix
            cand.section, cand.doc_id = hit.section, doc_id
    for key, cand in objects.items():
        cand.support = soft_max(similarities.get(key, [0.0]), SUPPORT_TEMPERATURE)
        if key not in best_mix and key in overviews:  # only the overview came back
            cand.doc_id, cand.semantic = overviews[key]
    return objects


def soft_max(values: list[float], temperature: float) -> float:
    """``t·log Σ exp(v/t)``, computed stably: the maximum plus a bonus for close runners-up,
    at most ``t·ln n``. With ``temperature`` 0 it is the plain maximum."""
    top = max(values)
    if temperature <= 0:
        return top
    return top + temperature * math.log(sum(math.exp((v - top) / temperature) for v in values))


def blend(candidates: list[Candidate], ratio: float) -> list[Candidate]:
    if not candidates:
        return []
    top_kw = max(c.keyword for c in candidates) or 1.0
    sems = [c.semantic for c in candidates]
    low, high = min(sems), max(sems)
    spread = (high - low) or 1.0
    for c in candidates:
        c.keyword_part = (1 - ratio) * (c.keyword / top_kw)
        c.semantic_part = ratio * ((c.semantic - low) / spread if high > low else c.semantic)
        c.score = c.keyword_part + c.semantic_part
    return sorted(candidates, key=lambda c: (-c.score, c.object_id))


def rrf(candidates: list[Candidate], ratio: float, k: int = 60) -> list[Candidate]:
    by_kw = sorted((c for c in candidates if c.keyword > 0), key=lambda c: -c.keyword)
    by_sem = sorted(candidates, key=lambda c: -c.semantic)
    kw_rank = {c.key: i for i, c in enumerate(by_kw, start=1)}
    sem_rank = {c.key: i for i, c in enumerate(by_sem, start=1)}
    for c in candidates:
        c.keyword_part = (1 - ratio) / (k + kw_rank[c.key]) if c.key in kw_rank else 0.0
        c.semantic_part = ratio / (k + sem_rank[c.key])
        c.score = c.keyword_part + c.semantic_part
    return sorted(candidates, key=lambda c: (-c.score, c.object_id))


def zscore(candidates: list[Candidate], ratio: float) -> list[Candidate]:
    """Standardise each channel's evidence over the candidates, then mix by ``ratio``."""
    if not candidates:
        return []
    top_kw = max(c.keyword for c in candidates) or 1.0
    most_words = max(len(c.matched) for c in candidates) or 1
    lexical = [c.keyword / top_kw + len(c.matched) / most_words for c in candidates]
    for c, kw, sem in zip(
        candidates,
        _standardised(lexical),
        _standardised([c.support for c in candidates]),
        strict=True,
    ):
        c.keyword_part = (1 - ratio) * kw
        c.semantic_part = ratio * sem
        c.score = c.keyword_part + c.semantic_part
    return sorted(candidates, key=lambda c: (-c.score, c.object_id))


def _standardised(values: list[float]) -> list[float]:
    """How many standard deviations each candidate stands above the weakest one: the z-score
    shifted by a per-channel constant (same ranking), so the parts "why this result" shows are
    never negative. A channel that does not separate the candidates counts the same for all."""
    low, spread = min(values), pstdev(values)
    if spread == 0:
        return [1.0 if low > 0 else 0.0 for _ in values]
    return [(v - low) / spread for v in values]


FUSIONS = {"blend": blend, "rrf": rrf, "zscore": zscore}
