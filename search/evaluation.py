"""Offline retrieval evaluation: the code behind ``manage.py search_eval``.

A test collection (BEIR layout: ``corpus.jsonl``, ``queries.jsonl``, ``qrels.tsv``) is indexed into
a throwaway index through ``index_sections`` — the path the live site uses — and every query goes
through ``search.engine.search``, so the figures describe what users get, not a re-implementation.

Metrics follow trec_eval conventions (linear gain for nDCG, relevance > 0 counts as relevant,
queries without judgements are skipped). Out-of-scope (OOS) queries have no answer in the corpus;
for them the question is whether the engine sends the visitor to a person
(``answer_likely_missing``), and for answerable queries whether it wrongly does so.
"""

from __future__ import annotations

import json
import math
import random
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.conf import settings
from django.test.utils import override_settings

from . import engine
from .indexing import delete_index, index_sections, refresh_vocabulary
from .ranking import FUSIONS, Candidate
from .sources import Section, overview_section, split_plain_text

SOURCE = "eval"
PAGE_SIZE = 10  # what the search page shows
THRESHOLDS = [round(0.20 + 0.025 * i, 3) for i in range(31)]  # 0.20 … 0.95 (e5 scores high)


class EvalError(ValueError):
    """An unusable collection (missing file, bad line); the message says which and why."""


@dataclass
class Doc:
    id: str
    title: str
    text: str


@dataclass
class Collection:
    """What one evaluation run needs: documents, judged queries and out-of-scope queries."""

    corpus: dict[str, Doc]
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]
    oos: dict[str, str] = field(default_factory=dict)
    held_out: list[str] = field(default_factory=list)


@dataclass
class QueryRun:
    """One query as the engine answered it."""

    query_id: str
    ranked: list[str]
    latency_ms: float
    confidence: float
    missing: bool
    error: str = ""
    truncated: bool = False
    signals: dict = field(default_factory=dict)  # what the answerability model saw


# --- reading collections ---------------------------------------------------------------------


def read_jsonl(path: Path, required: tuple[str, ...]) -> list[dict]:
    """Rows of a JSON-lines file, each checked for the keys the evaluation relies on."""
    if not path.is_file():
        raise EvalError(f"{path} does not exist or is not a file.")
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise EvalError(f"{path}:{number} is not valid JSON ({exc}).") from None
        missing = [key for key in required if key not in row]
        if missing:
            raise EvalError(f"{path}:{number} lacks {', '.join(missing)}.")
        rows.append(row)
    if not rows:
        raise EvalError(f"{path} is empty.")
    return rows


def read_corpus(path: Path) -> dict[str, Doc]:
    rows = read_jsonl(path, ("id", "text"))
    return {
        str(r["id"]): Doc(str(r["id"]), str(r.get("title") or ""), str(r["text"])) for r in rows
    }


def read_queries(path: Path) -> dict[str, str]:
    return {str(r["id"]): str(r["text"]) for r in read_jsonl(path, ("id", "text"))}


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    """``query-id<TAB>doc-id<TAB>relevance`` with a header line, as BEIR writes them."""
    if not path.is_file():
        raise EvalError(f"{path} does not exist or is not a file.")
    qrels: dict[str, dict[str, int]] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or not lines[0].lower().startswith("query-id"):
        raise EvalError(f"{path} must start with the header query-id<TAB>doc-id<TAB>relevance.")
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 3 or not parts[2].strip().lstrip("-").isdigit():
            raise EvalError(f"{path}:{number} is not query-id<TAB>doc-id<TAB>relevance.")
        qrels.setdefault(parts[0], {})[parts[1]] = int(parts[2])
    return qrels


def hold_out(collection: Collection, doc_ids: list[str]) -> Collection:
    """Drop ``doc_ids`` from the corpus; queries whose every relevant doc was dropped become
    out-of-scope. This simulates "the help centre has no article on that" with real queries."""
    dropped = set(doc_ids)
    unknown = sorted(dropped - set(collection.corpus))
    if unknown:
        raise EvalError(f"Unknown doc ids to hold out: {', '.join(unknown[:5])}.")
    corpus = {k: d for k, d in collection.corpus.items() if k not in dropped}
    oos = dict(collection.oos)
    qrels = {}
    for qid, rels in collection.qrels.items():
        if qid not in collection.queries:
            continue
        if any(rel > 0 and doc in corpus for doc, rel in rels.items()):
            qrels[qid] = {doc: rel for doc, rel in rels.items() if doc in corpus}
        elif any(rel > 0 for rel in rels.values()):
            oos[qid] = collection.queries[qid]
    return replace(collection, corpus=corpus, qrels=qrels, oos=oos, held_out=sorted(dropped))


def pick_holdout(corpus: dict[str, Doc], count: int, seed: int) -> list[str]:
    """``count`` documents chosen reproducibly by ``seed`` (sorted ids, then shuffled)."""
    if not 0 < count < len(corpus):
        raise EvalError(f"--holdout must be between 1 and {len(corpus) - 1}.")
    return sorted(random.Random(seed).sample(sorted(corpus), count))


# --- metrics -----------------------------------------------------------------------------------


def ndcg_at(ranked: list[str], rels: dict[str, int], k: int = 10) -> float:
    """Normalised discounted cumulative gain: rewards putting the relevant docs high up."""
    dcg = sum(rels.get(doc, 0) / math.log2(i + 2) for i, doc in enumerate(ranked[:k]))
    ideal = sorted((r for r in rels.values() if r > 0), reverse=True)[:k]
    idcg = sum(r / math.log2(i + 2) for i, r in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def mrr_at(ranked: list[str], rels: dict[str, int], k: int = 10) -> float:
    """Reciprocal rank of the first relevant doc: how far the visitor has to read."""
    for i, doc in enumerate(ranked[:k]):
        if rels.get(doc, 0) > 0:
            return 1.0 / (i + 1)
    return 0.0


def precision_at(ranked: list[str], rels: dict[str, int], k: int = 1) -> float:
    return sum(1 for doc in ranked[:k] if rels.get(doc, 0) > 0) / k


def recall_at(ranked: list[str], rels: dict[str, int], k: int) -> float:
    relevant = {doc for doc, rel in rels.items() if rel > 0}
    if not relevant:
        return 0.0
    return len(relevant & set(ranked[:k])) / len(relevant)


def percentile(values: list[float], pct: float) -> float:
    """Linear-interpolated percentile (numpy's default), without numpy for a list of floats."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * pct / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


METRICS: dict[str, Callable[[list[str], dict[str, int]], float]] = {
    "ndcg@10": lambda r, q: ndcg_at(r, q, 10),
    "mrr@10": lambda r, q: mrr_at(r, q, 10),
    "p@1": lambda r, q: precision_at(r, q, 1),
    "recall@10": lambda r, q: recall_at(r, q, 10),
    "recall@100": lambda r, q: recall_at(r, q, 100),
}


def score_rankings(rankings: dict[str, list[str]], qrels: dict[str, dict[str, int]]) -> dict:
    """Mean of every metric over the judged queries (a query with no ranking scores zero)."""
    judged = [qid for qid, rels in qrels.items() if any(r > 0 for r in rels.values())]
    if not judged:
        return {name: 0.0 for name in METRICS}
    return {
        name: sum(metric(rankings.get(qid, []), qrels[qid]) for qid in judged) / len(judged)
        for name, metric in METRICS.items()
    }


def escalation(runs: list[QueryRun], oos_ids: set[str], threshold: float | None = None) -> dict:
    """Share of OOS queries sent to a person, and of answerable ones sent there wrongly.

    With ``threshold`` the decision is recomputed from the reported confidence (for calibration);
    without it, the engine's own ``answer_likely_missing`` is used."""

    def sent(run: QueryRun) -> bool:
        return run.missing if threshold is None else run.confidence < threshold

    oos = [sent(run) for run in runs if run.query_id in oos_ids]
    answerable = [sent(run) for run in runs if run.query_id not in oos_ids]
    return {
        "oos_queries": len(oos),
        "oos_to_human": sum(oos) / len(oos) if oos else 0.0,
        "answerable_to_human": sum(answerable) / len(answerable) if answerable else 0.0,
    }


# --- running the engine ------------------------------------------------------------------------


def sections_for(doc: Doc, locale: str) -> list[Section]:
    """One section per passage, each carrying the document title (as an article's would), and
    the document's overview (as every article has)."""
    passages = split_plain_text(doc.text)
    sections = [
        Section(
            section="" if i == 0 else f"p{i}",
            position=i,
            locale=locale,
            title=doc.title,
            heading="",
            body=passage,
            url="",
        )
        for i, passage in enumerate(passages)
    ]
    return [*sections, overview_section(sections[0], passages, len(sections))]


@contextmanager
def temporary_index(
    corpus: dict[str, Doc], locale: str, progress: Callable[[int, int], None] | None = None
) -> Iterator[str]:
    """Index ``corpus`` under a unique name and always delete it again, even on Ctrl-C, so an
    evaluation never leaves rows next to the live index."""
    index_name = f"eval-{uuid.uuid4().hex}"
    try:
        for number, doc in enumerate(corpus.values(), start=1):
            index_sections(SOURCE, doc.id, sections_for(doc, locale), index_name=index_name)
            if progress:
                progress(number, len(corpus))
        refresh_vocabulary(index_name)
        yield index_name
    finally:
        delete_index(index_name)


@contextmanager
def deep_results(limit: int) -> Iterator[None]:
    """Let the engine return ``limit`` results (for Recall@100) while the API keeps its cap.

    The engine caps ``limit`` at ``MAX_LIMIT`` (50) for the public API; evaluation raises that cap
    for the duration of the run only."""
    original = engine.MAX_LIMIT
    engine.MAX_LIMIT = max(original, limit)
    try:
        yield
    finally:
        engine.MAX_LIMIT = original


def run_queries(
    index_name: str,
    queries: dict[str, str],
    locale: str,
    ratio: float | None,
    limit: int = 100,
    before: Callable[[str], None] | None = None,
) -> list[QueryRun]:
    """Every query through ``engine.search`` exactly as a visitor's search would run.

    Each query runs twice: first as the search page runs it (10 results), which is the latency
    reported — a deep run pays for snippets of 100 hits, which no visitor waits for, and the
    query's embedding is not yet cached; then with ``limit`` results for the ranking metrics.
    Queries are cut to the search box's 300 characters, as a browser would cut them."""
    runs = []
    with deep_results(limit):
        for qid, text in queries.items():
            if before:
                before(qid)
            text = " ".join(text.split())
            cut = text[: engine.MAX_QUERY_CHARS]
            try:
                page = _search(index_name, cut, locale, ratio, PAGE_SIZE)
                deep = _search(index_name, cut, locale, ratio, limit) if limit > PAGE_SIZE else page
            except engine.QueryError as exc:
                runs.append(QueryRun(qid, [], 0.0, 0.0, True, error=str(exc)))
                continue
            ranked = [hit.id for hit in deep.hits]
            missing = page.answer_likely_missing
            runs.append(
                QueryRun(
                    qid,
                    ranked,
                    page.latency_ms,
                    page.confidence,
                    missing,
                    truncated=cut != text,
                    signals=page.signals,
                )
            )
    return runs


def _search(index_name: str, text: str, locale: str, ratio: float | None, limit: int):
    request = engine.SearchRequest(
        text, locale, semantic_ratio=ratio, limit=limit, index_name=index_name
    )
    return engine.search(request)


def summarise(runs: list[QueryRun], collection: Collection) -> dict:
    """The report: ranking metrics on answerable queries, latency, and escalation figures."""
    answerable = [run for run in runs if run.query_id not in collection.oos]
    report = score_rankings({run.query_id: run.ranked for run in answerable}, collection.qrels)
    latencies = [run.latency_ms for run in runs if not run.error]
    report.update(
        {
            "queries": len(answerable),
            "errors": sum(1 for run in runs if run.error),
            "truncated": sum(1 for run in runs if run.truncated),
            "latency_p50_ms": percentile(latencies, 50),
            "latency_p95_ms": percentile(latencies, 95),
        }
    )
    if collection.oos:
        oos_ids = set(collection.oos)
        report["escalation"] = escalation(runs, oos_ids)
        report["threshold_sweep"] = [
            {"threshold": t, **escalation(runs, oos_ids, t)} for t in THRESHOLDS
        ]
    return report


# --- tuning: re-fusing the engine's own candidates ---------------------------------------------


Captured = dict[str, list[Candidate]]


@contextmanager
def capture_candidates(store: Captured) -> Iterator[list[str]]:
    """Record, per query, the collapsed candidates the engine hands to its fusion.

    For any ratio strictly between 0 and 1 the engine builds the same candidate set (both
    retrievers run and each side's missing scores are completed), so one pass lets every fusion
    and ratio be compared on identical evidence. Yields a list to put the current query id in.
    """
    current: list[str] = [""]
    name = "_eval_capture"
    fuse = FUSIONS[settings.FARO_SEARCH["FUSION"]]

    def capture(candidates: list[Candidate], ratio: float) -> list[Candidate]:
        store[current[0]] = [replace(c, matched=list(c.matched)) for c in candidates]
        return fuse(candidates, ratio)

    FUSIONS[name] = capture
    try:
        with override_settings(FARO_SEARCH={**settings.FARO_SEARCH, "FUSION": name}):
            yield current
    finally:
        FUSIONS.pop(name, None)


def refuse(captured: list[Candidate], fusion: str, ratio: float, floor: float) -> list[str]:
    """The ranking ``fusion`` at ``ratio`` would give the captured candidates, after the same
    relevance filter ``search()`` applies to the fused list."""
    candidates = [replace(c, matched=list(c.matched)) for c in captured]
    return [c.object_id for c in FUSIONS[fusion](candidates, ratio) if engine._relevant(c, floor)]


def sweep(
    captured: Captured, qrels: dict[str, dict[str, int]], ratios: list[float], floor: float
) -> list[dict]:
    """nDCG@10 and MRR@10 of every registered fusion at every ratio, on the same candidates
    (``floor``: the relevance floor of the language's embedder)."""
    rows = []
    judged = {qid: qrels[qid] for qid in captured if qid in qrels}
    for fusion in [name for name in FUSIONS if not name.startswith("_")]:
        for ratio in ratios:
            rankings = {qid: refuse(c, fusion, ratio, floor) for qid, c in captured.items()}
            rows.append({"fusion": fusion, "ratio": ratio, **score_rankings(rankings, judged)})
    return rows
