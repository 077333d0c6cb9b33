"""Group texts that mean the same thing, with the embeddings search already uses.

The backlog must show fifty phrasings of one missing answer as one row. Texts are grouped by
average-linkage agglomerative clustering on cosine similarity (scipy): two groups merge while the
mean similarity between their members reaches ``THRESHOLD``. Average linkage does not drift the
way running centroids do and scored better on the tuning set (F 0.673 against 0.613 for leader
clustering). The most frequent phrasing leads each cluster, so its label is the wording most
customers used. It is deterministic and takes tens of milliseconds for 1,500 texts.

Texts are embedded with a model that covers every site language when one is configured
(multilingual-e5-small, the Spanish search model): "dark mode" and "modo oscuro" then land in one
space and one cluster, so a need is counted once whatever language customers asked in. Both sides
are encoded as queries (e5's "query: " cue), the setting e5 uses for text-to-text similarity.

``THRESHOLD`` was tuned only on ``insights/tuning/gap_paraphrases_dev.jsonl``, a bilingual set of
help-desk paraphrases written for that purpose (``manage.py insights_gap_threshold``; figures in
docs/insights.md); the tests measure other data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

THRESHOLD = 0.855  # F-best on the tuning set (purity 0.745, inverse purity 0.615); see docs
SITE_LANGUAGES = ("en", "es")


def gap_embedder():
    """The configured embedder that covers every site language (multilingual e5), else the
    default one; ``cross_language`` says whether texts of different languages may share a
    cluster."""
    from django.conf import settings

    from search.embedders import get_embedder

    for alias in settings.FARO_SEARCH["EMBEDDERS"]:
        embedder = get_embedder(alias)
        if embedder.languages and all(embedder.covers(lang) for lang in SITE_LANGUAGES):
            return embedder
    return get_embedder()


def cross_language(embedder) -> bool:
    return bool(embedder.languages) and all(embedder.covers(lang) for lang in SITE_LANGUAGES)


def embed_texts(texts: list[str], embedder=None) -> np.ndarray:
    """Unit vectors for short texts compared with each other (queries, titles)."""
    embedder = embedder or gap_embedder()
    if getattr(embedder, "asymmetric", False):
        return embedder.embed_queries(list(texts))
    return embedder.embed(list(texts))


def cluster(
    vectors: np.ndarray, weights: Sequence[float] | None = None, threshold: float = THRESHOLD
) -> list[list[int]]:
    """Cluster unit vectors; returns lists of input indexes (heaviest member first), heaviest
    cluster first."""
    n = len(vectors)
    if n == 0:
        return []
    weights = np.asarray(weights if weights is not None else np.ones(n), dtype=float)
    if n == 1:
        labels = np.array([1])
    else:
        from scipy.cluster.hierarchy import fcluster, linkage

        tree = linkage(np.asarray(vectors, dtype=np.float64), method="average", metric="cosine")
        labels = fcluster(tree, t=max(0.0, 1.0 - threshold), criterion="distance")
    groups: dict[int, list[int]] = {}
    for i in np.argsort(-weights, kind="stable"):
        groups.setdefault(int(labels[i]), []).append(int(i))
    return sorted(groups.values(), key=lambda m: (-weights[m].sum(), m[0]))


def purity(groups: list[list[int]], labels: Sequence[str]) -> float:
    """Share of items whose cluster's majority label is their own label (1.0 = no mixing)."""
    right = sum(Counter(labels[i] for i in g).most_common(1)[0][1] for g in groups if g)
    return right / max(1, len(labels))


def inverse_purity(groups: list[list[int]], labels: Sequence[str]) -> float:
    """Share of items that sit in their label's biggest cluster (1.0 = no label split up)."""
    biggest: dict[str, int] = {}
    for g in groups:
        for label, n in Counter(labels[i] for i in g).items():
            biggest[label] = max(biggest.get(label, 0), n)
    return sum(biggest.values()) / max(1, len(labels))


def score(groups: list[list[int]], labels: Sequence[str]) -> dict[str, float]:
    p, ip = purity(groups, labels), inverse_purity(groups, labels)
    return {
        "purity": round(p, 3),
        "inverse_purity": round(ip, 3),
        "f": round(2 * p * ip / (p + ip), 3) if p + ip else 0.0,
        "clusters": len(groups),
    }


def tune_threshold(
    vectors: np.ndarray, labels: Sequence[str], grid: Sequence[float] | None = None
) -> tuple[float, dict]:
    """The threshold with the best harmonic mean of purity and inverse purity (use dev data)."""
    grid = grid or [round(x, 2) for x in np.arange(0.40, 0.97, 0.01)]
    results = {t: score(cluster(vectors, threshold=t), labels) for t in grid}
    best = max(results, key=lambda t: (results[t]["f"], results[t]["purity"]))
    return best, results
