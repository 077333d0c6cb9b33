"""Honest evaluation: a split must be named, test runs are logged with their commit, figures
come with bootstrap intervals, and a mode only "beats" another when the paired interval says so.

The command runs end to end on a small corpus through the real indexing and query code.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from search import eval_stats as stats
from search.eval_splits import held_out_articles, restrict

from .test_evaluation import collection  # noqa: F401  (the four-document corpus)


@pytest.fixture(autouse=True)
def run_log(tmp_path, settings) -> Path:
    settings.FARO_EVAL_TEST_LOG = str(tmp_path / "runs.jsonl")
    return Path(settings.FARO_EVAL_TEST_LOG)


def run(*args: str) -> dict:
    out = StringIO()
    call_command("search_eval", *args, "--json", stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


# --- statistics ------------------------------------------------------------------------------


def test_bootstrap_interval_surrounds_the_mean_and_narrows_with_more_queries():
    few = [1.0, 0.0, 1.0, 0.5, 0.0, 1.0, 0.5, 1.0]
    low, high = stats.bootstrap_ci(few)
    assert low < sum(few) / len(few) < high
    many_low, many_high = stats.bootstrap_ci(few * 50)
    assert many_high - many_low < (high - low) / 3
    assert stats.bootstrap_ci([0.7] * 20) == pytest.approx((0.7, 0.7))
    assert stats.bootstrap_ci(few) == stats.bootstrap_ci(few)  # fixed seed: same figures


def test_a_paired_difference_holds_only_when_its_interval_excludes_zero():
    base = {f"q{i}": (i % 3) / 2 for i in range(60)}
    same = dict(base)
    noisy = {q: v + (0.1 if i % 2 else -0.1) for i, (q, v) in enumerate(base.items())}
    better = {q: min(1.0, v + 0.3) for q, v in base.items()}
    assert not stats.paired_difference(same, base)["holds"]
    assert not stats.paired_difference(noisy, base)["holds"]
    diff = stats.paired_difference(better, base)
    assert diff["holds"] and diff["mean"] > 0 and diff["ci95"][0] > 0
    assert diff["queries"] == 60


# --- the Spanish dev split -------------------------------------------------------------------


def test_xquad_es_dev_split_holds_out_whole_articles():
    dev = held_out_articles(Path("/anywhere/xquad_es"))
    assert dev and len(dev) == 12
    qrels = {
        "a": {"6-0": 1},  # a dev article
        "b": {"0-3": 1},  # a test article
        "c": {"6-1": 1, "0-1": 1},  # touches both: neither side may use it
        "s": {"7-2-4": 1},  # sentence ids name their article the same way
    }
    assert set(restrict(qrels, dev, "dev")) == {"a", "s"}
    assert set(restrict(qrels, dev, "test")) == {"b"}
    assert held_out_articles(Path("/anywhere/banking77")) is None  # ships its own dev queries


# --- the command -----------------------------------------------------------------------------


def test_the_split_must_be_named(db, collection):  # noqa: F811
    with pytest.raises(CommandError, match="--split"):
        call_command("search_eval", str(collection))


def test_dev_split_of_a_collection_without_one_is_refused(db, collection):  # noqa: F811
    with pytest.raises(CommandError, match="has no dev split"):
        call_command("search_eval", str(collection), "--split", "dev")


def test_sweeps_run_on_dev_only(db, collection):  # noqa: F811
    with pytest.raises(CommandError, match="--split dev"):
        call_command("search_eval", str(collection), "--split", "test", "--sweep", "0.5")


def test_test_runs_are_logged_with_commit_and_intervals(db, collection, run_log):  # noqa: F811
    report = run(str(collection), "--split", "test", "--mode", "hybrid", "--compare", "keyword")
    low, high = report["intervals"]["ndcg@10"]["ci95"]
    assert low <= report["ndcg@10"] <= high
    paired = report["paired"]["keyword"]["ndcg@10"]
    assert paired["queries"] == 5
    assert paired["ci95"][0] <= paired["mean"] <= paired["ci95"][1]
    assert paired["holds"] == (paired["ci95"][0] > 0 or paired["ci95"][1] < 0)
    lines = run_log.read_text().splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["commit"] and entry["mode"] == "hybrid" and entry["queries"] == 5
    assert entry["metrics"]["ndcg@10"]["ci95"] == [low, high]
    assert "keyword" in entry["paired"]


def test_dev_runs_are_not_logged(db, collection, run_log):  # noqa: F811
    (collection / "dev_queries.jsonl").write_text(json.dumps({"id": "q2", "text": "new card"}))
    (collection / "dev_qrels.tsv").write_text("query-id\tdoc-id\trelevance\nq2\tcard\t1\n")
    report = run(str(collection), "--split", "dev", "--mode", "keyword")
    assert report["queries"] == 1
    assert not run_log.exists()


def test_compare_refuses_an_unknown_or_identical_mode(db, collection):  # noqa: F811
    with pytest.raises(CommandError, match="--compare takes other modes"):
        call_command("search_eval", str(collection), "--split", "test", "--compare", "hybrid")
