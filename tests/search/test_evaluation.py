"""The evaluation harness: metrics checked by hand, and ``search_eval`` run end to end.

The metrics decide which fusion ships, so each is checked on a ranking small enough to work out
on paper; the command is run on a four-document corpus to show it reports every figure and
leaves no index rows behind (it shares the database with the live index).
"""

from __future__ import annotations

import json
import math
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from search import evaluation as ev
from search.models import SearchDocument, SearchTerm
from search.ranking import Candidate, soft_max, zscore

# --- metrics ------------------------------------------------------------------------------------


def test_ndcg_single_relevant_at_rank_two():
    assert ev.ndcg_at(["a", "b", "c"], {"b": 1}) == pytest.approx(1 / math.log2(3))


def test_ndcg_graded_relevance_uses_the_ideal_order():
    rels = {"a": 2, "c": 1}
    dcg = 1 / math.log2(2) + 2 / math.log2(3)
    ideal = 2 / math.log2(2) + 1 / math.log2(3)
    assert ev.ndcg_at(["c", "a"], rels) == pytest.approx(dcg / ideal)
    assert ev.ndcg_at(["a", "c"], rels) == pytest.approx(1.0)


def test_ndcg_ignores_hits_below_the_cut_off():
    assert ev.ndcg_at([str(i) for i in range(20)], {"15": 1}, k=10) == 0.0


def test_mrr_precision_and_recall():
    ranked = ["x", "y", "a", "b"]
    rels = {"a": 1, "b": 1, "z": 1}
    assert ev.mrr_at(ranked, rels) == pytest.approx(1 / 3)
    assert ev.mrr_at(ranked, rels, k=2) == 0.0
    assert ev.precision_at(ranked, rels, 1) == 0.0
    assert ev.precision_at(["a"], rels, 1) == 1.0
    assert ev.recall_at(ranked, rels, 3) == pytest.approx(1 / 3)
    assert ev.recall_at(ranked, rels, 100) == pytest.approx(2 / 3)


def test_zero_relevance_is_not_relevant():
    assert ev.mrr_at(["a"], {"a": 0}) == 0.0
    assert ev.recall_at(["a"], {"a": 0}, 10) == 0.0


def test_percentile_interpolates_like_numpy():
    values = [10.0, 20.0, 30.0, 40.0]
    assert ev.percentile(values, 50) == pytest.approx(25.0)
    assert ev.percentile(values, 95) == pytest.approx(38.5)
    assert ev.percentile([], 95) == 0.0


def test_score_rankings_averages_and_counts_missing_rankings_as_misses():
    qrels = {"q1": {"a": 1}, "q2": {"b": 1}}
    scores = ev.score_rankings({"q1": ["a", "b"]}, qrels)
    assert scores["p@1"] == pytest.approx(0.5)
    assert scores["ndcg@10"] == pytest.approx(0.5)


def test_hold_out_turns_queries_of_dropped_docs_out_of_scope():
    corpus = {k: ev.Doc(k, k, "text") for k in "abc"}
    queries = {"q1": "one", "q2": "two", "q3": "three"}
    qrels = {"q1": {"a": 1}, "q2": {"b": 1}, "q3": {"a": 1, "c": 1}}
    held = ev.hold_out(ev.Collection(corpus, queries, qrels), ["a"])
    assert set(held.corpus) == {"b", "c"}
    assert held.oos == {"q1": "one"}
    assert held.qrels == {"q2": {"b": 1}, "q3": {"c": 1}}
    assert held.held_out == ["a"]


def test_holdout_choice_is_reproducible_and_bounded():
    corpus = {str(i): ev.Doc(str(i), "", "") for i in range(10)}
    assert ev.pick_holdout(corpus, 3, seed=1) == ev.pick_holdout(corpus, 3, seed=1)
    assert len(ev.pick_holdout(corpus, 3, seed=1)) == 3
    with pytest.raises(ev.EvalError):
        ev.pick_holdout(corpus, 10, seed=1)


def test_escalation_shares_and_threshold_recomputation():
    runs = [
        ev.QueryRun("in1", ["a"], 1.0, 0.9, False),
        ev.QueryRun("in2", ["a"], 1.0, 0.4, True),
        ev.QueryRun("out1", ["a"], 1.0, 0.3, True),
        ev.QueryRun("out2", ["a"], 1.0, 0.5, False),
    ]
    assert ev.escalation(runs, {"out1", "out2"}) == {
        "oos_queries": 2,
        "oos_to_human": 0.5,
        "answerable_to_human": 0.5,
    }
    strict = ev.escalation(runs, {"out1", "out2"}, threshold=0.6)
    assert strict["oos_to_human"] == 1.0
    assert strict["answerable_to_human"] == 0.5


def test_bad_qrels_header_is_a_clear_error(tmp_path):
    path = tmp_path / "qrels.tsv"
    path.write_text("q1\ta\t1\n")
    with pytest.raises(ev.EvalError, match="header"):
        ev.read_qrels(path)


# --- fusion -------------------------------------------------------------------------------------


def test_soft_max_is_the_max_plus_a_bounded_bonus():
    assert soft_max([0.5, 0.1], 0) == 0.5
    assert soft_max([0.5], 0.05) == pytest.approx(0.5)
    assert soft_max([0.5, 0.5], 0.05) == pytest.approx(0.5 + 0.05 * math.log(2))


def test_zscore_follows_the_ratio_to_each_channel():
    def candidates():
        return [
            Candidate("eval", "lexical", keyword=2.0, matched=["refund", "card"], support=0.3),
            Candidate("eval", "semantic", keyword=0.5, matched=["card"], support=0.8),
            Candidate("eval", "neither", keyword=0.1, matched=[], support=0.2),
        ]

    assert zscore(candidates(), 0.0)[0].object_id == "lexical"
    assert zscore(candidates(), 1.0)[0].object_id == "semantic"
    assert zscore(candidates(), 0.5)[-1].object_id == "neither"


# --- the command end to end ---------------------------------------------------------------------

CORPUS = [
    {"id": "refund", "title": "Refund not showing up", "text": "Where is my refund?\nRefund late"},
    {"id": "card", "title": "Activate my card", "text": "How do I activate my new card?"},
    {"id": "pin", "title": "Change PIN", "text": "I want a new PIN for my card."},
    {"id": "topup", "title": "Top up", "text": "How can I add money to my account?"},
]
QUERIES = {
    "q1": "my refund has not arrived",
    "q2": "activate the card I received",
    "q3": "change my pin number",
    "q4": "put money in my account",
    "q5": "I can't see my refund in the app",
}
QRELS = {"q1": "refund", "q2": "card", "q3": "pin", "q4": "topup", "q5": "refund"}


@pytest.fixture(autouse=True)
def test_run_log(tmp_path, settings) -> Path:
    """Test-split runs are logged; the suite's go to a temporary file, not docs/."""
    settings.FARO_EVAL_TEST_LOG = str(tmp_path / "test_runs.jsonl")
    return Path(settings.FARO_EVAL_TEST_LOG)


@pytest.fixture
def collection(tmp_path) -> Path:
    (tmp_path / "corpus.jsonl").write_text("\n".join(json.dumps(doc) for doc in CORPUS))
    (tmp_path / "queries.jsonl").write_text(
        "\n".join(json.dumps({"id": q, "text": t}) for q, t in QUERIES.items())
    )
    lines = ["query-id\tdoc-id\trelevance"] + [f"{q}\t{d}\t1" for q, d in QRELS.items()]
    (tmp_path / "qrels.tsv").write_text("\n".join(lines) + "\n")
    (tmp_path / "oos.jsonl").write_text(json.dumps({"id": "o1", "text": "weather in Paris"}))
    (tmp_path / "exclude.txt").write_text("refund\nnot-a-doc\n")
    return tmp_path


def test_search_eval_reports_metrics_and_leaves_nothing_behind(db, collection):
    out = StringIO()
    call_command(
        "search_eval",
        str(collection),
        "--split",
        "test",
        "--oos",
        "oos.jsonl",
        "--json",
        stdout=out,
    )
    lines = out.getvalue().strip().splitlines()
    assert "nDCG@10" in out.getvalue() and "latency p50" in out.getvalue()
    report = json.loads(lines[-1])
    assert report["queries"] == 5 and report["docs"] == 4
    for key in ("ndcg@10", "mrr@10", "p@1", "recall@10", "recall@100"):
        assert 0.0 <= report[key] <= 1.0
    assert report["recall@100"] == 1.0
    assert report["escalation"]["oos_queries"] == 1
    assert report["latency_p95_ms"] >= report["latency_p50_ms"] > 0
    assert not SearchDocument.objects.exists()
    assert not SearchTerm.objects.exists()


def test_search_eval_can_run_a_language_with_another_languages_model(db, collection):
    """How the Spanish model's settings were chosen: English dev queries through e5."""
    out = StringIO()
    call_command(
        "search_eval", str(collection), "--split", "test", "--embedder", "es", "--json", stdout=out
    )
    report = json.loads(out.getvalue().strip().splitlines()[-1])
    assert "multilingual-e5-small" in report["embedder"]
    spanish = settings.FARO_SEARCH["EMBEDDERS"]["es"]
    assert report["missing_threshold"] == spanish["MISSING_THRESHOLD"]
    assert report["recall@100"] == 1.0 and report["p@1"] > 0.5
    assert not SearchDocument.objects.exists()


def test_search_eval_cleans_up_when_interrupted(db, collection, monkeypatch):
    def interrupt(*args, **kwargs):
        assert SearchDocument.objects.filter(index_name__startswith="eval-").exists()
        raise KeyboardInterrupt

    monkeypatch.setattr(ev, "run_queries", interrupt)
    with pytest.raises(CommandError, match="Interrupted") as caught:
        call_command("search_eval", str(collection), "--split", "test")
    assert caught.value.returncode == 130
    assert not SearchDocument.objects.exists()
    assert not SearchTerm.objects.exists()


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--mode", "fuzzy"], "--mode must be one of"),
        (["--corpus", "missing.jsonl"], "does not exist"),
        (["--holdout", "9"], "--holdout must be between"),
        (["--exclude-docs", "exclude.txt"], "Unknown doc ids to hold out: not-a-doc"),
        (["--mode", "keyword", "--ratio", "0.5"], "only applies to --mode hybrid"),
        (["--queries", "oos.jsonl"], "No query in the queries file has a judgement"),
        (["--embedder", "klingon"], "--embedder must be one of default, es"),
    ],
)
def test_search_eval_rejects_bad_arguments(db, collection, args, reason):
    with pytest.raises(CommandError, match=reason):
        call_command("search_eval", str(collection), "--split", "test", *args)


def test_search_eval_rejects_a_missing_folder(db, tmp_path):
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("search_eval", str(tmp_path / "nowhere"), "--split", "test")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "command", [["search_eval", "/nonexistent", "--split", "dev"], ["search_reindex"]]
)
def test_commands_on_an_unmigrated_database_say_to_migrate(command):
    """A fresh database folder (a new ``FARO_PGDATA``) gets "run migrate", not a traceback."""
    from django.db.migrations.recorder import MigrationRecorder

    MigrationRecorder.Migration.objects.filter(app="search").delete()  # rolled back after
    with pytest.raises(CommandError, match=r"run `python manage\.py migrate` first"):
        call_command(*command)
