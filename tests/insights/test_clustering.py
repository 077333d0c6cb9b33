"""The backlog's clustering on a labelled sample of BANKING77 *dev* queries (the threshold was
tuned on dev only): paraphrases share a cluster, unrelated intents stay apart."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from insights.clustering import THRESHOLD, cluster, score
from search.embedders import get_embedder

# 180 BANKING77 dev queries of the 18 intents below (see data/README.md for source and licence).
SAMPLE = Path(__file__).resolve().parent / "data" / "banking77_dev_sample.jsonl"
INTENTS = (
    "activate_my_card", "age_limit", "apple_pay_or_google_pay", "atm_support", "card_arrival",
    "change_pin", "country_support", "exchange_rate", "lost_or_stolen_card", "passcode_forgotten",
    "terminate_account", "verify_my_identity", "visa_or_mastercard", "top_up_failed",
    "cash_withdrawal_charge", "receiving_money", "edit_personal_details", "disposable_card_limits",
)  # fmt: skip


@pytest.fixture(scope="module")
def sample():
    texts, labels = [], []
    for line in SAMPLE.read_text().splitlines():
        row = json.loads(line)
        if row["intent"] in INTENTS:
            texts.append(" ".join(row["text"].lower().split()))
            labels.append(row["intent"])
    assert len(set(labels)) == len(INTENTS)
    return get_embedder().embed(texts), labels


def test_paraphrases_cluster_and_unrelated_stay_apart(sample):
    vectors, labels = sample
    result = score(cluster(vectors, threshold=THRESHOLD), labels)
    print("banking77 dev sample", len(labels), result)
    assert len(labels) == 10 * len(INTENTS)
    assert result["purity"] >= 0.8  # few clusters mix intents
    assert result["inverse_purity"] >= 0.55  # most phrasings of an intent land together
    assert result["clusters"] < len(labels) / 2


def test_threshold_matters(sample):
    vectors, labels = sample
    assert score(cluster(vectors, threshold=0.0), labels)["purity"] < 0.2  # one big cluster
    assert score(cluster(vectors, threshold=0.999), labels)["inverse_purity"] < 0.2


def test_weights_choose_the_leader():
    vectors = np.array([[1.0, 0.0], [0.99, 0.141], [0.0, 1.0]], dtype=np.float32)
    groups = cluster(vectors, weights=[1, 5, 2], threshold=0.9)
    assert groups == [[1, 0], [2]]
