"""Uncertainty for ``search_eval``: bootstrap confidence intervals and paired mode differences.

A mean nDCG over a few hundred queries moves by a point or more when the queries change, so a
figure without its interval cannot say whether a target was met, and two modes can only be
called different when the interval of their *paired* difference (the same queries, scored both
ways) excludes zero. The bootstrap resamples queries with replacement (percentile method); the
seed is fixed so that the same runs always print the same interval.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .evaluation import METRICS, Collection, QueryRun

RESAMPLES = 2000
SEED = 20261204


def per_query(
    rankings: dict[str, list[str]],
    qrels: dict[str, dict[str, int]],
    metric: Callable[[list[str], dict[str, int]], float],
) -> dict[str, float]:
    """The metric for every judged query (a query without a ranking scores zero), by query id,
    so that two modes' values can be paired query by query."""
    judged = [qid for qid, rels in qrels.items() if any(r > 0 for r in rels.values())]
    return {qid: metric(rankings.get(qid, []), qrels[qid]) for qid in judged}


def bootstrap_ci(
    values: list[float], resamples: int = RESAMPLES, level: float = 0.95
) -> tuple[float, float]:
    """The percentile-bootstrap interval of the mean of ``values`` at ``level``."""
    if not values:
        return (0.0, 0.0)
    data = np.asarray(values, dtype=np.float64)
    rng = np.random.default_rng(SEED)
    means = np.empty(resamples)
    # Chunks keep memory flat for a few thousand queries x a few thousand resamples.
    for start in range(0, resamples, 250):
        stop = min(start + 250, resamples)
        picks = rng.integers(0, len(data), size=(stop - start, len(data)))
        means[start:stop] = data[picks].mean(axis=1)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return (float(low), float(high))


def interval(values: list[float]) -> dict:
    """Mean and 95 % interval, as the report prints them."""
    low, high = bootstrap_ci(values)
    mean = float(np.mean(values)) if values else 0.0
    return {"mean": mean, "ci95": [low, high]}


def paired_difference(a: dict[str, float], b: dict[str, float]) -> dict:
    """``a - b`` over the queries both have, with its interval; ``holds`` says whether the
    interval excludes zero (only then may the report claim one mode beats the other)."""
    common = [qid for qid in a if qid in b]
    diffs = [a[qid] - b[qid] for qid in common]
    result = interval(diffs)
    low, high = result["ci95"]
    result.update(queries=len(common), holds=bool(low > 0 or high < 0))
    return result


def share_interval(flags: list[bool]) -> dict:
    """A proportion (e.g. out-of-scope queries sent to a person) with its interval."""
    return interval([1.0 if flag else 0.0 for flag in flags])


PAIRED_METRICS = ("ndcg@10", "mrr@10", "p@1")


def intervals(runs: list[QueryRun], collection: Collection) -> dict:
    """Every metric's mean and interval over the answerable queries, and the escalation shares'
    intervals when the run has out-of-scope queries (merged into the report by the command)."""
    answerable = {run.query_id: run.ranked for run in runs if run.query_id not in collection.oos}
    result: dict = {
        "intervals": {
            name: interval(list(per_query(answerable, collection.qrels, metric).values()))
            for name, metric in METRICS.items()
        }
    }
    if collection.oos:
        oos = [run.missing for run in runs if run.query_id in collection.oos]
        kept = [run.missing for run in runs if run.query_id not in collection.oos]
        result["escalation_intervals"] = {
            "oos_to_human": share_interval(oos)["ci95"],
            "answerable_to_human": share_interval(kept)["ci95"],
        }
    return result


def paired_report(
    runs: list[QueryRun], others: dict[str, list[QueryRun]], collection: Collection
) -> dict:
    """``{other mode: {metric: paired difference}}``: this run minus each other run, per query."""

    def scores(mode_runs: list[QueryRun], name: str) -> dict[str, float]:
        ranked = {r.query_id: r.ranked for r in mode_runs if r.query_id not in collection.oos}
        return per_query(ranked, collection.qrels, METRICS[name])

    return {
        other: {
            name: paired_difference(scores(runs, name), scores(other_runs, name))
            for name in PAIRED_METRICS
        }
        for other, other_runs in others.items()
    }
