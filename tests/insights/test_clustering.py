"""The backlog's clustering with the real multilingual model (multilingual-e5-small).

The threshold was tuned on ``insights/tuning/gap_paraphrases_dev.jsonl`` only; these tests use
other data: a labelled BANKING77 sample (English) and a bilingual set of needs written for this
test, none of them in the tuning file."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from insights.clustering import THRESHOLD, cluster, cross_language, embed_texts, gap_embedder, score

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
    return embed_texts(texts), labels


def test_paraphrases_cluster_and_unrelated_stay_apart(sample):
    vectors, labels = sample
    result = score(cluster(vectors, threshold=THRESHOLD), labels)
    print("banking77 dev sample", len(labels), result)
    assert len(labels) == 10 * len(INTENTS)
    # BANKING77 separates near-identical intents (card arrival vs. card delivery estimate), so
    # some mixing is expected; measured with e5 at the tuned threshold: purity 0.678, inverse
    # purity 0.85, 21 clusters for 18 intents.
    assert result["purity"] >= 0.65  # most clusters are one intent
    assert result["inverse_purity"] >= 0.8  # most phrasings of an intent land together
    assert result["clusters"] < len(labels) / 4


def test_threshold_matters(sample):
    vectors, labels = sample
    assert score(cluster(vectors, threshold=0.0), labels)["purity"] < 0.2  # one big cluster
    assert score(cluster(vectors, threshold=0.999), labels)["inverse_purity"] < 0.2


def test_weights_choose_the_leader():
    vectors = np.array([[1.0, 0.0], [0.99, 0.141], [0.0, 1.0]], dtype=np.float32)
    groups = cluster(vectors, weights=[1, 5, 2], threshold=0.9)
    assert groups == [[1, 0], [2]]


# Needs written for this test (none is in the tuning file), each asked in English and Spanish.
BILINGUAL = {
    "dark_mode": (
        ["dark mode", "night theme", "enable dark theme"],
        ["modo oscuro", "tema oscuro"],
    ),
    "paypal_refund": (
        ["refund to paypal", "paypal refund", "get my money back paypal"],
        ["reembolso paypal", "devolver dinero paypal"],
    ),
    "offline": (
        ["offline mode", "use app offline"],
        ["modo sin conexión", "usar la app sin internet"],
    ),
    "time_zone": (
        ["change my time zone", "wrong timezone on timesheets"],
        ["cambiar la zona horaria", "zona horaria incorrecta en las horas"],
    ),
    "keyboard_shortcuts": (
        ["keyboard shortcuts", "list of hotkeys"],
        ["atajos de teclado", "lista de teclas rápidas"],
    ),
}


def test_one_need_asked_in_two_languages_is_one_cluster():
    embedder = gap_embedder()
    assert cross_language(embedder), "the Spanish model (multilingual e5) is configured in tests"
    texts, labels, locales = [], [], []
    for need, (en, es) in BILINGUAL.items():
        for locale, phrasings in (("en", en), ("es", es)):
            texts += phrasings
            labels += [need] * len(phrasings)
            locales += [locale] * len(phrasings)
    groups = cluster(embed_texts(texts, embedder), threshold=THRESHOLD)
    result = score(groups, labels)
    print("bilingual held-out", result, [[texts[i] for i in g] for g in groups])
    dark = {texts[i] for i in next(g for g in groups if texts.index("dark mode") in g)}
    assert {"dark mode", "night theme", "enable dark theme", "modo oscuro", "tema oscuro"} <= dark
    # Measured: purity 0.955, inverse purity 0.955, 5 clusters; the one slip is "modo sin
    # conexión" (offline) joining "modo oscuro" on the shared word.
    assert result["purity"] >= 0.9
    assert result["inverse_purity"] >= 0.9
    mixed = [g for g in groups if len({locales[i] for i in g}) == 2]
    assert len(mixed) == len(BILINGUAL)  # every need is one row whatever the language
