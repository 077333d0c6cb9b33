"""`manage.py answer_eval DIR --split dev|test --lang es`: measure the answer card's sentence.

For a collection with sentence judgements (``corpus_sentences.jsonl`` + ``qrels_sentences.tsv``,
as xquad_es ships), the paragraphs are indexed through the real code into a throwaway index,
every query runs through ``search.engine.search``, and the card's sentence is picked from the
top hit's best section by ``search.answers`` exactly as the API does. Reported, with bootstrap
intervals: how often the top hit holds the gold sentence, answer-sentence P@1 (the card quotes
the gold sentence) and MRR over the section's ranked sentences, overall and over the queries
where the card would be shown (the engine is confident).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from core.migrated import require_migrated
from search import answers
from search import eval_stats as stats
from search import evaluation as ev
from search.engine import QueryError, SearchRequest, search
from search.eval_splits import held_out_articles, log_test_run, restrict


def _norm(text: str) -> str:
    return " ".join(text.split()).strip().lower()


def is_gold(sentence: str, wanted: set[str]) -> bool:
    """The splitter may cut a judged sentence differently: containment either way counts."""
    s = _norm(sentence)
    return any(s and (s in g or g in s) for g in wanted)


class Command(BaseCommand):
    help = "Answer-sentence accuracy of the answer card on a collection with sentence qrels."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dir")
        parser.add_argument("--split", choices=["dev", "test"], required=True)
        parser.add_argument("--lang", choices=["en", "es"], default="es")
        parser.add_argument(
            "--meaning-weights",
            default="",
            help="Comma-separated weights of sentence similarity to compare (dev only); default: "
            "the shipped weight.",
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options) -> None:
        folder = Path(options["dir"])
        try:
            weights = [float(w) for w in options["meaning_weights"].split(",") if w.strip()]
        except ValueError:
            raise CommandError("--meaning-weights takes comma-separated numbers.") from None
        if weights and options["split"] == "test":
            raise CommandError("Compare weights on --split dev only.")
        self.weights = weights or [answers.ANSWER_MEANING_WEIGHT]
        try:
            corpus = ev.read_corpus(folder / "corpus.jsonl")
            queries = ev.read_queries(folder / "queries.jsonl")
            sentences = ev.read_corpus(folder / "corpus_sentences.jsonl")
            gold = ev.read_qrels(folder / "qrels_sentences.tsv")
        except ev.EvalError as exc:
            raise CommandError(str(exc)) from None
        articles = held_out_articles(folder)
        if articles is None:
            raise CommandError(f"{folder} has no article split in search/eval_data/.")
        gold = restrict(gold, articles, options["split"])
        require_migrated()
        lang = options["lang"]
        rows = []
        with override_settings(DEBUG=False), ev.temporary_index(corpus, lang) as index_name:
            self.stderr.write(f"Running {len(gold)} queries…")
            for qid, rels in gold.items():
                wanted = {_norm(sentences[s].text) for s, r in rels.items() if r > 0}
                rows.append(self._one(queries[qid], wanted, lang, index_name))
        report = summarise(rows, self.weights)
        report.update(dir=str(folder), split=options["split"], lang=lang, mode="answer-card")
        if options["split"] == "test":
            log_test_run({**report, "intervals": report["intervals"]}, ["answer_eval", *args])
        self._print(report)
        if options["json"]:
            self.stdout.write(json.dumps(report, sort_keys=True))

    def _one(self, text: str, wanted: set[str], lang: str, index_name: str) -> dict:
        try:
            result = search(SearchRequest(text, lang, limit=3, index_name=index_name))
        except QueryError:
            return self._miss()
        if not result.hits:
            return self._miss()
        top = result.hits[0]
        scope = SearchRequest(text, lang, index_name=index_name).scope()
        passages = answers.object_passages([(top.type, top.id)], index_name)
        split = [s for s, _ in answers.object_sentences(passages.get((top.type, top.id), []))]
        words = answers.word_scores(text, split, scope)
        meaning = answers.meaning_scores(text, split, lang) if self.weights != [0.0] else []
        gold = [is_gold(sentence, wanted) for sentence in split]
        row = {"shown": not result.answer_likely_missing, "in_top": float(any(gold))}
        for weight in self.weights:
            ranked = answers.combine(words, meaning, weight)
            rank = next((n for n, (_, i, _) in enumerate(ranked, 1) if gold[i]), 0)
            row[f"p1@{weight}"] = 1.0 if rank == 1 and ranked[0][0] > 0 else 0.0
            row[f"rr@{weight}"] = 1.0 / rank if rank else 0.0
        return row

    def _miss(self) -> dict:
        row: dict = {"shown": False, "in_top": 0.0}
        for weight in self.weights:
            row[f"p1@{weight}"] = row[f"rr@{weight}"] = 0.0
        return row

    def _print(self, report: dict) -> None:
        for key, value in report["intervals"].items():
            low, high = value["ci95"]
            self.stdout.write(f"{key}: {value['mean']:.4f} [{low:.4f}, {high:.4f}]")
        shown = report["shown"]
        self.stdout.write(f"card shown for {shown['share']:.1%} of {report['queries']} queries")
        for key, value in shown.items():
            if key != "share":
                low, high = value["ci95"]
                self.stdout.write(
                    f"  when shown, {key}: {value['mean']:.4f} [{low:.4f}, {high:.4f}]"
                )


def summarise(rows: list[dict], weights: list[float]) -> dict:
    """Means with intervals: gold sentence in the top section, and P@1 / MRR per weight."""
    keys = ["in_top"] + [f"{m}@{w}" for w in weights for m in ("p1", "rr")]
    shown = [row for row in rows if row["shown"]]
    return {
        "queries": len(rows),
        "intervals": {key: stats.interval([row[key] for row in rows]) for key in keys},
        "shown": {
            "share": len(shown) / len(rows) if rows else 0.0,
            **{key: stats.interval([row[key] for row in shown]) for key in keys if "p1" in key},
        },
    }
