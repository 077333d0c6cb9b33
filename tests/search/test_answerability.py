"""Answerability: a model fitted on dev queries with held-out topics decides when a person is
offered first, it applies only under the settings it was trained for, and the engine falls back
to the similarity threshold otherwise.

Everything runs through the real indexing, engine, model and PostgreSQL: the fit command is run
on a small dev collection, and its file is then used by ``search()``.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from search import answerability
from search.engine import SearchRequest, search
from search.evaluation import Doc, sections_for
from search.indexing import index_sections, refresh_vocabulary

TOPICS = {
    "refund": ("Refund not showing up", "Where is my refund? My refund has not arrived yet."),
    "card": ("Activate my card", "How do I activate my new card? The card came by post."),
    "pin": ("Change PIN", "I want a new PIN for my card. How to change the PIN code."),
    "topup": ("Top up", "How can I add money to my account with a bank transfer?"),
    "lost": ("Lost or stolen card", "My card was stolen. I lost my card, block it please."),
    "fx": ("Exchange rates", "What exchange rate do you use for foreign currency payments?"),
    "limits": ("Spending limits", "What is the maximum I can spend in a day with my card?"),
    "close": ("Close my account", "I want to close my account and delete my profile."),
}
DEV = {
    "refund": ["my refund is missing", "still waiting for the refund", "refund not received"],
    "card": ["how to activate the card", "activate new card", "card arrived how to start it"],
    "pin": ["change my pin", "new pin code please", "how do I reset the pin"],
    "topup": ["add money to account", "top up by transfer", "how to put money in"],
    "lost": ["card stolen", "I lost my card", "block my stolen card"],
    "fx": ["which exchange rate", "rate for foreign currency", "currency conversion rate"],
    "limits": ["daily spending limit", "maximum I can spend", "how much can I spend a day"],
    "close": ["close account", "delete my profile", "I want to leave and close my account"],
}


@pytest.fixture
def dev_collection(tmp_path) -> Path:
    corpus = [{"id": k, "title": t, "text": body} for k, (t, body) in TOPICS.items()]
    (tmp_path / "corpus.jsonl").write_text("\n".join(json.dumps(d) for d in corpus))
    queries, qrels = [], ["query-id\tdoc-id\trelevance"]
    for topic, texts in DEV.items():
        for n, text in enumerate(texts):
            queries.append(json.dumps({"id": f"{topic}{n}", "text": text}))
            qrels.append(f"{topic}{n}\t{topic}\t1")
    (tmp_path / "dev_queries.jsonl").write_text("\n".join(queries))
    (tmp_path / "dev_qrels.tsv").write_text("\n".join(qrels) + "\n")
    return tmp_path


@pytest.fixture
def fitted(db, dev_collection, tmp_path, settings) -> Path:
    out = tmp_path / "en.json"
    call_command(
        "answerability_fit", str(dev_collection), "--lang", "en", "--holdout", "2",
        "--seeds", "1,2,3", "--answerable-cost", "0.2", "--out", str(out), stdout=StringIO(),
    )  # fmt: skip
    settings.FARO_SEARCH = {**settings.FARO_SEARCH, "ANSWERABILITY_MODELS": {"en": str(out)}}
    answerability._load.cache_clear()
    yield out
    answerability._load.cache_clear()


def index_topics(index_name: str = "answerability-test") -> str:
    for key, (title, body) in TOPICS.items():
        index_sections(
            "eval", key, sections_for(Doc(key, title, body), "en"), index_name=index_name
        )
    refresh_vocabulary(index_name)
    return index_name


def run(query: str, index_name: str):
    return search(SearchRequest(query=query, locale="en", index_name=index_name))


def test_the_fit_writes_a_model_for_the_running_settings(fitted):
    data = json.loads(fitted.read_text())
    assert data["features"] == list(answerability.FEATURES)
    assert len(data["coefficients"]) == len(answerability.FEATURES)
    assert 0.0 < data["threshold"] < 1.0
    trained = data["trained_for"]
    assert trained["rows"] == 3 * sum(len(v) for v in DEV.values())
    assert {k: trained[k] for k in answerability.running_settings("en")} == (
        answerability.running_settings("en")
    )
    assert answerability.model_for("en") is not None


def test_the_engine_follows_the_model(fitted):
    index_name = index_topics()
    model = answerability.model_for("en")
    answerable = run("my new card needs activating", index_name)
    off_topic = run("best pizza recipe with mozzarella", index_name)
    for result in (answerable, off_topic):
        # Nothing relevant at all is "no answer" without asking the model.
        expected = model.probability(result.signals) if result.hits else 0.0
        assert result.confidence == pytest.approx(expected, abs=1e-4)
        assert result.answer_likely_missing == (expected < model.threshold)
    assert answerable.confidence > off_topic.confidence
    assert not answerable.answer_likely_missing
    assert off_topic.answer_likely_missing
    assert answerable.next_steps[0]["type"] != "contact_human"
    assert off_topic.next_steps[0]["type"] == "contact_human"


def test_a_model_trained_under_other_settings_is_not_used(fitted, settings, caplog):
    data = json.loads(fitted.read_text())
    data["trained_for"]["embedder"] = "some-other-model"
    fitted.write_text(json.dumps(data))
    answerability._load.cache_clear()
    assert answerability.model_for("en") is None
    result = run("activate my card", index_topics())
    top_similarity = result.hits[0].explanation["semantic_similarity"]
    assert result.confidence == pytest.approx(top_similarity, abs=1e-3)


def test_signals_describe_the_search(db):
    index_name = index_topics()
    known = run("activate my card", index_name).signals
    unknown = run("zzyzx qwerty", index_name).signals
    assert set(known) == set(answerability.FEATURES)
    assert known["coverage"] > 0.5 and known["known"] > 0.5 and known["keyword_top"] == 1.0
    assert unknown["known"] == 0.0 and unknown["keyword_top"] == 0.0
    assert known["sim_top"] > unknown["sim_top"]


def test_signals_are_not_part_of_the_api_result(db):
    result = run("activate my card", index_topics())
    assert "signals" not in result.as_dict()


def test_fit_refuses_bad_arguments(db, dev_collection):
    with pytest.raises(CommandError, match="comma-separated integers"):
        call_command("answerability_fit", str(dev_collection), "--lang", "en", "--seeds", "a")
    with pytest.raises(CommandError, match="not a folder"):
        call_command("answerability_fit", "/nowhere", "--lang", "en")
