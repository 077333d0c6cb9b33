"""Which queries a ``search_eval`` run may look at, and the log of every test-split run.

Settings are tuned on dev queries only; the test queries are for reporting. A collection that
ships no dev queries (``xquad_es``) gets a dev split kept in the repository
(``search/eval_data/<collection>.json``): whole source articles held out, so that no dev
question shares its article with a test question. Every ``--split test`` run is appended to a
log (``docs/search_test_runs.jsonl``) with its commit, so how often a test split was looked at
is on record.
"""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

DATA_DIR = Path(__file__).resolve().parent / "eval_data"
DEFAULT_LOG = Path(settings.BASE_DIR) / "docs" / "search_test_runs.jsonl"


def article_of(doc_id: str) -> str:
    """The source article of a document or sentence id (``<article>-<paragraph>[-<sentence>]``)."""
    return doc_id.split("-", 1)[0]


def held_out_articles(folder: Path) -> set[str] | None:
    """The dev articles of a collection whose dev split lives in the repository, else None."""
    path = DATA_DIR / f"{folder.resolve().name}.json"
    if not path.exists():
        return None
    return set(json.loads(path.read_text(encoding="utf-8"))["dev_articles"])


def restrict(qrels: dict[str, dict[str, int]], dev_articles: set[str], split: str) -> dict:
    """The judgements of the ``split`` side: dev keeps queries answered inside the dev
    articles, test keeps the others (a query touching both sides is dropped from both)."""
    kept = {}
    for qid, rels in qrels.items():
        articles = {article_of(doc) for doc, rel in rels.items() if rel > 0}
        inside = articles <= dev_articles
        outside = not articles & dev_articles
        if (split == "dev" and inside and articles) or (split == "test" and outside):
            kept[qid] = rels
    return kept


def commit() -> str:
    """The checked-out commit, marked ``-dirty`` when the tree has uncommitted changes."""
    base = Path(settings.BASE_DIR)
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=base, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=base,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}-dirty" if dirty else head


def log_test_run(report: dict, argv: list[str]) -> Path:
    """Append one line for a test-split run: when, which commit, the command and the figures."""
    path = Path(getattr(settings, "FARO_EVAL_TEST_LOG", "") or DEFAULT_LOG)
    keep = (
        "dir",
        "lang",
        "query_lang",
        "mode",
        "queries",
        "embedder",
        "semantic_ratio",
        "held_out",
    )
    entry = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit(),
        "argv": argv,
        **{key: report.get(key) for key in keep},
        "metrics": report.get("intervals", {}),
        "paired": report.get("paired", {}),
        "escalation": report.get("escalation", {}),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, sort_keys=True) + "\n")
    return path
