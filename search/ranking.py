"""Fusing keyword and semantic evidence into one ranking, per object (sections collapsed).

Two fusions are implemented and compared on the dev splits (see docs/search.md):

- ``blend``: each channel's scores are normalised over the candidate set (keyword by the best
  keyword score, semantic by min-max of cosine similarity), then mixed linearly by
  ``semantic_ratio``. Keeps score *magnitudes*: a strong keyword match is not flattened to "rank 1".
- ``rrf``: reciprocal rank fusion, ``ratio/(k + rank_sem) + (1-ratio)/(k + rank_kw)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .backends.base import Hit


@dataclass
class Candidate:
    """One object (article, thread…) with its best section and the evidence for it."""

    source: str
    object_id: str
    section: str = ""
    doc_id: int = 0
    keyword: float = 0.0
    semantic: float = 0.0
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
    for doc_id, (kw, sem) in sections.items():
        hit = kw or sem
        key = (hit.source, hit.object_id)
        cand = objects.setdefault(key, Candidate(hit.source, hit.object_id))
        kw_score = kw.score if kw else 0.0
        sem_score = sem.score if sem else 0.0
        cand.keyword = max(cand.keyword, kw_score)
        cand.semantic = max(cand.semantic, sem_score)
        if kw:
            cand.matched = sorted(set(cand.matched) | set(kw.matched))
        mix = (1 - ratio) * kw_score + ratio * sem_score
        if mix > best_mix.get(key, -1.0):
            best_mix[key] = mix
            cand.section, cand.doc_id = hit.section, doc_id
    return objects


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


FUSIONS = {"blend": blend, "rrf": rrf}
