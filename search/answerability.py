"""Answerability: how likely the index holds an answer to this query, and when to hand over.

One raw number (the top hit's cosine similarity) against one threshold behaved completely
differently on two sites: it sent 4.5 % of out-of-scope banking questions to a person and 55 %
of home-assistant ones. The evidence for "no answer here" is spread over several signals —
how close the best section is, how far ahead of the next it is, whether the query's words are
known to the index and found in the top hit, whether keywords and meaning agree, whether the
query needed a spelling fix — so a small logistic model combines them.

The model is trained by ``manage.py answerability_fit`` on dev queries with held-out topics (the
held-out topics' queries are the "no answer" examples) and shipped as a JSON file per language in
``search/answerability_models/`` with the settings it was trained under (embedder, fusion,
ratio, floor). When the running settings differ, or no file exists, the engine falls back to the
calibrated similarity threshold: a model fitted to another model's similarity scale would be
wrong silently. Pure arithmetic at query time: no scikit-learn import on the request path.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from .backends.base import Scope, get_keyword_backend
from .embedders import embedder_for, tuned
from .ranking import Candidate

logger = logging.getLogger(__name__)

MODELS_DIR = Path(__file__).resolve().parent / "answerability_models"

FEATURES = (
    "sim_top",  # cosine similarity of the top hit's best section
    "sim_margin",  # ... minus the next object's
    "sim_best",  # best similarity among all candidates (the top may lead on words)
    "coverage",  # IDF-weighted share of the query's known words found in the top hit
    "known",  # share of the typed words the index knows (unknown words: likely off-topic)
    "agree",  # 1 when the best keyword object is also the best semantic object
    "keyword_top",  # 1 when the top hit matched any query word
    "near",  # log(1 + candidates within 0.05 of the best similarity): a crowd of near-equals
    "corrected",  # 1 when "did you mean" rewrote the query
    "words",  # log(1 + typed words)
)


def signals(
    query: str, candidates: list[Candidate], scope: Scope, correction: str | None
) -> dict[str, float]:
    """The features of one search, from what the engine already computed (plus the memoised
    vocabulary lookup, so no extra statement)."""
    words = query.split()
    top = candidates[0] if candidates else None
    second = candidates[1] if len(candidates) > 1 else None
    sims = [c.semantic for c in candidates]
    best = max(sims, default=0.0)
    keyword = get_keyword_backend()
    terms = keyword.terms(correction or query, scope) if words else []
    unknown = len(keyword.unknown_words(query, scope)) if words else 0
    total_idf = sum(idf for _, idf in terms)
    matched = set(top.matched) if top else set()
    coverage = sum(idf for lex, idf in terms if lex in matched) / total_idf if total_idf else 0.0
    best_kw = max(candidates, key=lambda c: c.keyword, default=None)
    best_sem = max(candidates, key=lambda c: c.semantic, default=None)
    return {
        "sim_top": top.semantic if top else 0.0,
        "sim_margin": (top.semantic - second.semantic) if top and second else 0.0,
        "sim_best": best,
        "coverage": coverage,
        "known": 1.0 - unknown / len(words) if words else 0.0,
        "agree": float(bool(best_kw and best_sem and best_kw.key == best_sem.key)),
        "keyword_top": float(bool(top and top.keyword > 0)),
        "near": math.log1p(sum(1 for s in sims if s >= best - 0.05)),
        "corrected": float(bool(correction)),
        "words": math.log1p(len(words)),
    }


@dataclass(frozen=True)
class Model:
    """A fitted logistic model: standardised features, coefficients, and the threshold chosen
    on dev (the probability below which a person is offered first)."""

    language: str
    features: tuple[str, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]
    coefficients: tuple[float, ...]
    intercept: float
    threshold: float
    trained_for: dict

    def probability(self, values: dict[str, float]) -> float:
        z = self.intercept
        for name, mean, scale, coef in zip(
            self.features, self.means, self.scales, self.coefficients, strict=True
        ):
            z += coef * (values.get(name, 0.0) - mean) / scale
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def to_json(self) -> dict:
        return {
            "language": self.language,
            "features": list(self.features),
            "means": list(self.means),
            "scales": list(self.scales),
            "coefficients": list(self.coefficients),
            "intercept": self.intercept,
            "threshold": self.threshold,
            "trained_for": self.trained_for,
        }

    @classmethod
    def from_json(cls, data: dict) -> Model:
        return cls(
            language=data["language"],
            features=tuple(data["features"]),
            means=tuple(data["means"]),
            scales=tuple(data["scales"]),
            coefficients=tuple(data["coefficients"]),
            intercept=float(data["intercept"]),
            threshold=float(data["threshold"]),
            trained_for=dict(data["trained_for"]),
        )


def running_settings(locale: str) -> dict:
    """The settings a model's features depend on; a model applies only when they match."""
    return {
        "embedder": embedder_for(locale).name,
        "fusion": settings.FARO_SEARCH["FUSION"],
        "relevance_floor": tuned(locale, "RELEVANCE_FLOOR"),
    }


def model_path(locale: str) -> Path:
    configured = settings.FARO_SEARCH.get("ANSWERABILITY_MODELS", {}).get(locale)
    return Path(configured) if configured else MODELS_DIR / f"{locale}.json"


@cache
def _load(path: str) -> Model | None:
    try:
        return Model.from_json(json.loads(Path(path).read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError) as exc:
        logger.warning("Ignoring the answerability model %s: %s", path, exc)
        return None


def model_for(locale: str) -> Model | None:
    """The language's model when it was trained under the running settings, else None."""
    if settings.FARO_SEARCH.get("ANSWERABILITY") is False:
        return None
    model = _load(str(model_path(locale)))
    if model is None:
        return None
    wanted = running_settings(locale)
    if any(model.trained_for.get(key) != value for key, value in wanted.items()):
        _warn_once(locale, str(model_path(locale)))
        return None
    return model


@cache
def _warn_once(locale: str, path: str) -> None:
    logger.warning(
        "The answerability model %s was trained under other search settings; %s searches use "
        "the similarity threshold until `manage.py answerability_fit` is run again.",
        path,
        locale,
    )


@dataclass(frozen=True)
class Judgement:
    confidence: float  # 0..1
    missing: bool  # answer likely missing: offer a person first
    signals: dict[str, float]  # the features (kept for fitting; not part of the API)


def judge(
    query: str,
    locale: str,
    candidates: list[Candidate],
    scope: Scope,
    correction: str | None,
) -> Judgement:
    """The engine's verdict on one search. An editor's promotion is a confident answer; with no
    model for the running settings, the top similarity against the calibrated threshold."""
    values = signals(query, candidates, scope, correction)
    top = candidates[0] if candidates else None
    if top is None:
        return Judgement(0.0, True, values)
    if top.promoted:
        return Judgement(1.0, False, values)
    model = model_for(locale)
    if model is None:
        confidence = max(0.0, min(1.0, top.semantic))
        return Judgement(confidence, confidence < tuned(locale, "MISSING_THRESHOLD"), values)
    probability = model.probability(values)
    return Judgement(probability, probability < model.threshold, values)
