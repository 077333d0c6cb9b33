"""`manage.py search_eval DIR`: measure search quality on a test collection.

The collection is indexed into a throwaway index (``eval-<uuid>``) with the same code that indexes
the help centre, every query runs through ``search.engine.search``, and the index is deleted at
the end — also on Ctrl-C or SIGTERM. See docs/search.md ("Quality") for the figures and commands.
"""

from __future__ import annotations

import json
import signal
import sys
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from core.migrated import require_migrated
from search import answerability
from search import eval_stats as stats
from search import evaluation as ev
from search.embedders import embedder_for, tuned
from search.engine import default_ratio
from search.eval_splits import held_out_articles, log_test_run, restrict
from search.ranking import FUSIONS

MODES = {"keyword": 0.0, "semantic": 1.0, "hybrid": None}
METRIC_LABELS = {
    "ndcg@10": "nDCG@10",
    "mrr@10": "MRR@10",
    "p@1": "P@1",
    "recall@10": "R@10",
    "recall@100": "R@100",
}


class Command(BaseCommand):
    help = (
        "Evaluate search on a BEIR-style folder (corpus.jsonl, queries.jsonl, qrels.tsv) through "
        "the real indexing and query code, in a throwaway index that is always deleted. Prints "
        "nDCG@10, MRR@10, P@1, Recall@10/100 and p50/p95 latency. Out-of-scope queries (no answer "
        "in the corpus) come from --oos and/or from holding documents out (--holdout N --seed S "
        "or --exclude-docs FILE: the held-out docs are removed from the corpus and the queries "
        "judged only against them become out-of-scope); for those the share sent to a person "
        "(answer_likely_missing) is reported, with the share of answerable queries sent there, "
        "and --json adds the same two shares for a range of thresholds (to calibrate "
        "MISSING_THRESHOLD). Each query runs as the search page runs it (10 results, timed: the "
        "latency shown) and then with 100 results (the ranking metrics); queries are cut to the "
        "search box's 300 characters. See docs/search.md, section Quality."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dir", help="Folder with corpus.jsonl, queries.jsonl and qrels.tsv.")
        parser.add_argument("--mode", default="hybrid", help="hybrid (default), keyword, semantic.")
        parser.add_argument(
            "--split",
            choices=["test", "dev"],
            required=True,
            help="dev (tune here): dev_queries.jsonl and dev_qrels.tsv, or the dev articles kept "
            "in search/eval_data/ for a collection without them; test (report only): every run "
            "is appended to docs/search_test_runs.jsonl with its commit.",
        )
        parser.add_argument("--queries", help="Queries file (default: DIR/queries.jsonl).")
        parser.add_argument("--qrels", help="Judgements file (default: DIR/qrels.tsv).")
        parser.add_argument("--corpus", help="Corpus file (default: DIR/corpus.jsonl).")
        parser.add_argument("--oos", help="Out-of-scope queries (jsonl {id,text}).")
        parser.add_argument("--exclude-docs", help="File of doc ids (one a line) to hold out.")
        parser.add_argument(
            "--holdout", type=int, default=0, help="Hold out N documents picked with --seed."
        )
        parser.add_argument("--seed", type=int, default=0, help="Seed for --holdout.")
        parser.add_argument("--lang", choices=["en", "es"], default="en", help="Corpus locale.")
        parser.add_argument(
            "--query-lang",
            choices=["en", "es"],
            help="The visitors' language when it is not the corpus's: cross-lingual search "
            "(e.g. Spanish questions over corpus_en.jsonl). Default: --lang.",
        )
        parser.add_argument(
            "--ratio", type=float, help="Semantic ratio for hybrid (default: the setting)."
        )
        parser.add_argument(
            "--embedder",
            help="Embed the corpus and queries with the embedder configured under this alias "
            "(FARO_SEARCH['EMBEDDERS']) instead of the language's own: to choose a model's "
            "settings on dev splits in another language.",
        )
        parser.add_argument(
            "--fusion", choices=sorted(FUSIONS), help="Fusion for this run (default: the setting)."
        )
        parser.add_argument(
            "--sweep",
            default="",
            help="Comma-separated ratios: compare every fusion at each, on the "
            "same candidates (tuning; use with --split dev).",
        )
        parser.add_argument(
            "--compare",
            default="",
            help="Comma-separated other modes to run on the same index and queries; prints the "
            "paired difference (this mode minus each) with its 95%% interval.",
        )
        parser.add_argument("--json", action="store_true",
                            help="Print one JSON object as the last line.")  # fmt: skip

    def handle(self, *args, **options) -> None:
        if options["mode"] not in MODES:
            raise CommandError(
                f"--mode must be one of {', '.join(MODES)}, not {options['mode']!r}."
            )
        if options["ratio"] is not None and options["mode"] != "hybrid":
            raise CommandError("--ratio only applies to --mode hybrid.")
        ratio = MODES[options["mode"]] if options["ratio"] is None else options["ratio"]
        if ratio is not None and not 0.0 <= ratio <= 1.0:
            raise CommandError("--ratio must be between 0 and 1.")
        sweep = self._ratios(options["sweep"])
        compare = self._compare(options["compare"], options["mode"])
        if sweep and options["split"] == "test":
            raise CommandError("--sweep is for tuning: run it with --split dev.")
        embedders = settings.FARO_SEARCH["EMBEDDERS"]
        if options["embedder"] and options["embedder"] not in embedders:
            raise CommandError(
                f"--embedder must be one of {', '.join(embedders)}, not {options['embedder']!r}."
            )
        require_migrated()
        try:
            collection = self._collection(options)
        except ev.EvalError as exc:
            raise CommandError(str(exc)) from None
        fusion = options["fusion"] or settings.FARO_SEARCH["FUSION"]
        lang = options["lang"]
        try:
            with _sigterm_as_interrupt(), _production_like(fusion, lang, options["embedder"]):
                if sweep and ratio is None:
                    ratio = default_ratio(lang)
                report = self._evaluate(
                    collection, lang, ratio, sweep, compare, options["query_lang"] or lang
                )
                report.update(
                    semantic_ratio=report.get(
                        "semantic_ratio", default_ratio(lang) if ratio is None else ratio
                    ),
                    missing_threshold=_handover_threshold(lang),
                    answerability_model=answerability.model_for(lang) is not None,
                    embedder=embedder_for(lang).name,
                )
        except KeyboardInterrupt:
            raise CommandError(
                "Interrupted; the evaluation index was deleted.", returncode=130
            ) from None
        report.update(
            mode=options["mode"],
            fusion=fusion,
            dir=str(options["dir"]),
            lang=options["lang"],
            query_lang=options["query_lang"] or options["lang"],
            docs=len(collection.corpus),
            held_out=collection.held_out,
        )
        if options["split"] == "test":
            logged = log_test_run(report, sys.argv[1:] or ["search_eval", str(options["dir"])])
            self.stderr.write(f"Test-split run logged in {logged}.")
        self._print(report)
        if options["json"]:
            self.stdout.write(json.dumps(report, sort_keys=True))

    def _collection(self, options) -> ev.Collection:
        folder = Path(options["dir"])
        if not folder.is_dir():
            raise ev.EvalError(f"{folder} is not a folder.")
        split = options["split"]
        dev_articles = held_out_articles(folder)
        prefix = "dev_" if split == "dev" and dev_articles is None else ""
        if prefix and not (folder / "dev_queries.jsonl").exists() and not options["queries"]:
            raise ev.EvalError(f"{folder} has no dev split (dev_queries.jsonl).")
        corpus = ev.read_corpus(_path(folder, options["corpus"], "corpus.jsonl"))
        queries = ev.read_queries(_path(folder, options["queries"], f"{prefix}queries.jsonl"))
        qrels = ev.read_qrels(_path(folder, options["qrels"], f"{prefix}qrels.tsv"))
        if dev_articles is not None:
            qrels = restrict(qrels, dev_articles, split)
        if not set(qrels) & set(queries):
            raise ev.EvalError("No query in the queries file has a judgement in the qrels file.")
        oos = ev.read_queries(_path(folder, options["oos"], "")) if options["oos"] else {}
        collection = ev.Collection(corpus, queries, qrels, oos)
        excluded = []
        if options["exclude_docs"]:
            text = _path(folder, options["exclude_docs"], "").read_text(encoding="utf-8")
            excluded = [line.strip() for line in text.splitlines() if line.strip()]
        if options["holdout"]:
            excluded += ev.pick_holdout(corpus, options["holdout"], options["seed"])
        if excluded:
            collection = ev.hold_out(collection, excluded)
        else:
            collection.qrels = {q: r for q, r in qrels.items() if q in queries}
        return collection

    def _evaluate(
        self,
        collection: ev.Collection,
        lang: str,
        ratio,
        sweep: list[float],
        compare: list[str],
        query_lang: str,
    ) -> dict:
        queries = {q: collection.queries[q] for q in collection.qrels}
        queries.update(collection.oos)
        self.stderr.write(f"Indexing {len(collection.corpus)} documents…")
        with ev.temporary_index(collection.corpus, lang) as index_name:
            self.stderr.write(f"Running {len(queries)} queries…")
            if not sweep:
                runs = ev.run_queries(index_name, queries, query_lang, ratio)
                report = ev.summarise(runs, collection)
                report.update(stats.intervals(runs, collection))
                others = {}
                for other in compare:
                    self.stderr.write(f"Running them again as {other}…")
                    others[other] = ev.run_queries(index_name, queries, query_lang, MODES[other])
                report["paired"] = stats.paired_report(runs, others, collection)
                return report
            captured: ev.Captured = {}
            with ev.capture_candidates(captured) as current:
                mid = ratio if ratio is not None and 0 < ratio < 1 else 0.5
                judged = {q: t for q, t in queries.items() if q not in collection.oos}
                runs = ev.run_queries(
                    index_name, judged, lang, mid, before=lambda q: current.__setitem__(0, q)
                )
            report = ev.summarise(runs, collection)
            report.update(stats.intervals(runs, collection))
            floor = tuned(lang, "RELEVANCE_FLOOR")
            report["sweep"] = ev.sweep(captured, collection.qrels, sweep, floor)
            report["semantic_ratio"] = mid
            return report

    def _compare(self, text: str, mode: str) -> list[str]:
        others = [part.strip() for part in text.split(",") if part.strip()]
        wrong = [m for m in others if m not in MODES or m == mode]
        if wrong:
            raise CommandError(
                f"--compare takes other modes among {', '.join(MODES)}, not {', '.join(wrong)}."
            )
        return others

    def _ratios(self, text: str) -> list[float]:
        try:
            ratios = [float(part) for part in text.split(",") if part.strip()]
        except ValueError:
            raise CommandError(f"--sweep takes comma-separated numbers, not {text!r}.") from None
        if any(not 0.0 < r < 1.0 for r in ratios):
            raise CommandError("--sweep ratios must be strictly between 0 and 1.")
        return ratios

    def _print(self, report: dict) -> None:
        out = self.stdout.write
        out(
            f"{report['dir']} · {report['mode']} · fusion {report['fusion']} · ratio "
            f"{report['semantic_ratio']} · {report['docs']} docs · {report['queries']} queries"
            f" · {report['embedder']}"
        )
        out("  ".join(f"{label} {report[key]:.4f}" for key, label in METRIC_LABELS.items()))
        for key, label in METRIC_LABELS.items():
            low, high = report["intervals"][key]["ci95"]
            out(f"  {label:<8} {report[key]:.4f}  95% CI [{low:.4f}, {high:.4f}]")
        for other, diffs in report.get("paired", {}).items():
            for key in stats.PAIRED_METRICS:
                diff = diffs[key]
                low, high = diff["ci95"]
                verdict = "differs" if diff["holds"] else "no difference shown"
                out(
                    f"  {report['mode']} - {other} {METRIC_LABELS[key]}: {diff['mean']:+.4f} "
                    f"[{low:+.4f}, {high:+.4f}] ({verdict})"
                )
        out(f"latency p50 {report['latency_p50_ms']:.1f} ms  p95 {report['latency_p95_ms']:.1f} ms")
        if report["errors"]:
            out(f"{report['errors']} queries were refused by the engine (scored as misses).")
        if report["truncated"]:
            out(
                f"{report['truncated']} queries were cut to 300 characters, as the search box does."
            )
        if "escalation" in report:
            esc = report["escalation"]
            out(
                f"out-of-scope: {esc['oos_queries']} queries, {esc['oos_to_human']:.1%} sent to a "
                f"person; answerable sent there: {esc['answerable_to_human']:.1%} "
                f"(threshold {report['missing_threshold']})"
            )
            for key in ("oos_to_human", "answerable_to_human"):
                low, high = report["escalation_intervals"][key]
                out(f"  {key} 95% CI [{low:.1%}, {high:.1%}]")
        for row in report.get("sweep", []):
            out(
                f"sweep {row['fusion']:<8} ratio {row['ratio']:.2f}  nDCG@10 {row['ndcg@10']:.4f}"
                f"  MRR@10 {row['mrr@10']:.4f}  P@1 {row['p@1']:.4f}"
            )


def _handover_threshold(lang: str) -> float:
    """The threshold the verdicts were taken against: the answerability model's when one
    applies to these settings, else the similarity threshold."""
    model = answerability.model_for(lang)
    return model.threshold if model else tuned(lang, "MISSING_THRESHOLD")


def _path(folder: Path, given: str | None, default: str) -> Path:
    """A file named on the command line (as given, or inside DIR), else DIR/default."""
    if not given:
        return folder / default
    path = Path(given)
    return path if path.exists() or path.is_absolute() else folder / given


@contextmanager
def _production_like(fusion: str, lang: str, embedder: str | None):
    """The chosen fusion (and embedder), and DEBUG off so query logging does not inflate the
    latency."""
    config = {**settings.FARO_SEARCH, "FUSION": fusion}
    if embedder:
        config["EMBEDDERS"] = {**config["EMBEDDERS"], lang: config["EMBEDDERS"][embedder]}
    with override_settings(DEBUG=False, FARO_SEARCH=config):
        yield


@contextmanager
def _sigterm_as_interrupt():
    """Turn SIGTERM into KeyboardInterrupt so the throwaway index is deleted either way."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
