"""`manage.py answerability_fit --lang en DIR [DIR …]`: fit the answerability model on dev.

For each collection and seed, some topics are held out of the corpus (their dev queries become
"no answer here" examples), the corpus is indexed into a throwaway index through the real code,
and every dev query runs through ``search.engine.search``; the features it computed
(``SearchResult.signals``) and whether the query is answerable are the training rows. A
logistic regression (scikit-learn, offline) is fitted on them, and the threshold is chosen on
cross-validated probabilities (folds by collection and seed, so a threshold never sees its own
topics) as the highest that sends at most ``--answerable-cost`` of answerable queries to a
person. The model and the settings it was trained under go to
``search/answerability_models/<lang>.json``. Only dev splits are read: there is no ``--split``.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from core.migrated import require_migrated
from search import answerability
from search import evaluation as ev
from search.eval_splits import article_of, commit, held_out_articles, restrict

Rows = list[tuple[dict[str, float], int, str]]  # (features, answerable, group)


class Command(BaseCommand):
    help = (
        "Fit the answerability model for a language on dev queries with held-out topics and "
        "write it to search/answerability_models/<lang>.json (see search/answerability.py)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dirs", nargs="+", help="BEIR-style folders with a dev split.")
        parser.add_argument("--lang", choices=["en", "es"], required=True)
        parser.add_argument(
            "--holdout",
            type=int,
            default=15,
            help="Documents held out per seed (articles: a quarter of the dev articles).",
        )
        parser.add_argument("--seeds", default="1,2,3,4,5", help="Comma-separated seeds.")
        parser.add_argument(
            "--answerable-cost",
            type=float,
            default=0.05,
            help="Highest share of answerable dev queries that may be sent to a person.",
        )
        parser.add_argument("--out", help="Output file (default: the language's model file).")

    def handle(self, *args, **options) -> None:
        try:
            seeds = [int(s) for s in options["seeds"].split(",") if s.strip()]
        except ValueError:
            raise CommandError("--seeds takes comma-separated integers.") from None
        if not seeds or not 0 < options["answerable_cost"] < 0.5:
            raise CommandError("Give at least one seed and an --answerable-cost in (0, 0.5).")
        require_migrated()
        lang = options["lang"]
        rows: Rows = []
        with override_settings(DEBUG=False, FARO_SEARCH=_without_model()):
            for folder in map(Path, options["dirs"]):
                for seed in seeds:
                    rows += self._rows(folder, lang, options["holdout"], seed)
        model, report = fit(rows, lang, options["answerable_cost"])
        out = Path(options["out"] or answerability.model_path(lang))
        data = model.to_json()
        data["trained_for"].update(
            collections=[Path(d).resolve().name for d in options["dirs"]],
            seeds=seeds,
            holdout=options["holdout"],
            answerable_cost=options["answerable_cost"],
            rows=len(rows),
            dev_cross_validated=report,
            fitted_at=datetime.now(UTC).isoformat(timespec="seconds"),
            commit=commit(),
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        self.stdout.write(
            f"{len(rows)} dev queries; cross-validated at threshold {model.threshold:.3f}: "
            f"{report['oos_to_human']:.1%} of out-of-scope sent to a person, "
            f"{report['answerable_to_human']:.1%} of answerable. Written to {out}."
        )

    def _rows(self, folder: Path, lang: str, holdout: int, seed: int) -> Rows:
        collection = dev_collection(folder, holdout, seed)
        queries = {q: collection.queries[q] for q in collection.qrels}
        queries.update(collection.oos)
        self.stderr.write(f"{folder.name} seed {seed}: {len(queries)} dev queries…")
        with ev.temporary_index(collection.corpus, lang) as index_name:
            runs = ev.run_queries(index_name, queries, lang, None, limit=ev.PAGE_SIZE)
        group = f"{folder.name}:{seed}"
        return [(r.signals, int(r.query_id not in collection.oos), group) for r in runs]


def _without_model() -> dict:
    """Features must not depend on a model already in place (they do not, but the verdict
    does): collect them with the model switched off."""
    return {**settings.FARO_SEARCH, "ANSWERABILITY": False}


def dev_collection(folder: Path, holdout: int, seed: int) -> ev.Collection:
    """The dev queries of ``folder`` with topics held out: documents for collections with dev
    query files, whole articles for those whose dev split is a set of articles."""
    if not folder.is_dir():
        raise CommandError(f"{folder} is not a folder.")
    try:
        corpus = ev.read_corpus(folder / "corpus.jsonl")
        articles = held_out_articles(folder)
        if articles is None:
            queries = ev.read_queries(folder / "dev_queries.jsonl")
            qrels = ev.read_qrels(folder / "dev_qrels.tsv")
            held = ev.pick_holdout(corpus, holdout, seed)
        else:
            queries = ev.read_queries(folder / "queries.jsonl")
            qrels = restrict(ev.read_qrels(folder / "qrels.tsv"), articles, "dev")
            picked = random.Random(seed).sample(sorted(articles), max(1, len(articles) // 4))
            held = [doc for doc in corpus if article_of(doc) in picked]
        return ev.hold_out(ev.Collection(corpus, queries, qrels), held)
    except ev.EvalError as exc:
        raise CommandError(str(exc)) from None


def fit(rows: Rows, lang: str, cost: float) -> tuple[answerability.Model, dict]:
    """Logistic regression on standardised features; the threshold from cross-validated
    probabilities (grouped folds), as the ``cost`` quantile of the answerable queries'."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    names = answerability.FEATURES
    x = np.array([[features.get(n, 0.0) for n in names] for features, _, _ in rows])
    y = np.array([label for _, label, _ in rows])
    groups = [group for _, _, group in rows]
    if len(set(y)) < 2:
        raise CommandError("The dev queries need both answerable and held-out examples.")

    def pipeline():
        return make_pipeline(
            StandardScaler(), LogisticRegression(class_weight="balanced", max_iter=2000)
        )

    folds = min(5, len(set(groups)))
    if folds >= 2:
        cv = GroupKFold(n_splits=folds)
        held_probs = cross_val_predict(
            pipeline(), x, y, groups=groups, cv=cv, method="predict_proba"
        )[:, 1]
    else:
        held_probs = pipeline().fit(x, y).predict_proba(x)[:, 1]
    threshold = float(np.quantile(held_probs[y == 1], cost))
    report = {
        "oos_to_human": float(np.mean(held_probs[y == 0] < threshold)),
        "answerable_to_human": float(np.mean(held_probs[y == 1] < threshold)),
        "oos_queries": int((y == 0).sum()),
        "answerable_queries": int((y == 1).sum()),
    }
    final = pipeline().fit(x, y)
    scaler, logistic = final[0], final[1]
    model = answerability.Model(
        language=lang,
        features=tuple(names),
        means=tuple(float(v) for v in scaler.mean_),
        scales=tuple(float(v) if v > 0 else 1.0 for v in scaler.scale_),
        coefficients=tuple(float(v) for v in logistic.coef_[0]),
        intercept=float(logistic.intercept_[0]),
        threshold=threshold,
        trained_for=answerability.running_settings(lang),
    )
    return model, report
