"""Synthetic help-centre sections for the search speed benchmark, and building the indexes.

Sections are recombined from the demo help centre (``kb/demo_content/{en,es}``): each synthetic
article takes a demo article as its base (title with a varied qualifier, summary, category,
product area, tags) and fills 4-8 sections with H2 headings and FAQ questions of the same product
area, each followed by sentences drawn mostly from that heading's own text and partly from other
articles of the area. Object ``k`` is a pure function of ``k``, so a build is reproducible and can
grow or shrink to a size without redoing the objects it already holds.

Everything goes through ``search.indexing.index_sections`` (the path the live site uses) into the
default index, with source ``bench``. Only the model calls are batched: the vectors of a chunk of
objects are computed in one ``embed()`` call and kept in a cache table (``bench_embedding_cache``,
keyed by content hash) in the benchmark database, so shrinking and growing again costs no
re-embedding.

Embedding a ~130-token section takes the model ~35-70 ms of one core here (15-30 sections/s on the
2 cores, far less when the machine is shared), so 100k sections would take an hour or more. The
first ``model_sections`` sections (default 10k) get the model's vectors; sections beyond get
*composed* vectors: the model's vectors of their parts (title, heading, each sentence), weighted by
length, summed and normalised — the mean pooling the model does over tokens, done over sentences.
Those rows are labelled ``bench-composed:<model>`` in ``embedding_model`` (so a later build with a
higher ``model_sections`` re-embeds them for real). Query vectors are always the model's.
"""

from __future__ import annotations

import html
import random
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

CONTENT = Path(__file__).resolve().parent.parent / "kb" / "demo_content"
SOURCE = "bench"
HNSW_INDEX = "search_doc_embedding_hnsw"
# Same definition as search/migrations/0002_initial.py (pgvector.django.HnswIndex).
HNSW_SQL = (
    f'CREATE INDEX IF NOT EXISTS "{HNSW_INDEX}" ON "search_searchdocument" '
    'USING hnsw ("embedding" vector_cosine_ops) WITH (m = 16, ef_construction = 64)'
)
CHUNK_OBJECTS = 150  # objects per embed() call and per transaction

_TAG = re.compile(r"<[^>]+>")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÁÉÍÓÚÑ¿¡\"“*0-9])")

QUALIFIERS = {
    "en": [
        "for agency teams", "in the mobile app", "on the Business plan", "on the Team plan",
        "for Enterprise workspaces", "for project managers", "for freelancers", "for admins",
        "for new members", "with several clients", "in shared workspaces", "step by step",
        "when you work across time zones", "for consulting teams", "on the desktop app",
        "for accountants", "with Jira projects", "with Slack", "for fixed-price projects",
        "for retainers", "after a migration", "for large teams", "for the Owner",
        "in the web app", "with Google Workspace", "with Microsoft 365", "for contractors",
        "for billable work", "for internal projects", "at month end", "in practice",
        "explained", "quick guide", "common questions", "troubleshooting tips",
        "for partners", "for team leads", "in multi-currency workspaces", "for approvers",
        "in 2026",
    ],
    "es": [
        "para agencias", "en la aplicación móvil", "en el plan Business", "en el plan Team",
        "para espacios Enterprise", "para jefes de proyecto", "para autónomos",
        "para administradores", "para nuevos miembros", "con varios clientes",
        "en espacios compartidos", "paso a paso", "con equipos en varias zonas horarias",
        "para consultoras", "en la aplicación de escritorio", "para contables",
        "con proyectos de Jira", "con Slack", "para proyectos de precio cerrado",
        "para igualas mensuales", "después de una migración", "para equipos grandes",
        "para el Propietario", "en la aplicación web", "con Google Workspace",
        "con Microsoft 365", "para colaboradores externos", "para trabajo facturable",
        "para proyectos internos", "a final de mes", "en la práctica", "explicado",
        "guía rápida", "preguntas frecuentes", "consejos para resolver problemas",
        "para partners", "para responsables de equipo", "con varias monedas",
        "para aprobadores", "en 2026",
    ],
}  # fmt: skip
PREFIXES = {
    "en": ["", "", "", "Guide: ", "FAQ: ", "How to: ", "Troubleshooting: "],
    "es": ["", "", "", "Guía: ", "Preguntas: ", "Cómo: ", "Problemas: "],
}


@dataclass
class Unit:
    heading: str
    sentences: list[str] = field(default_factory=list)


@dataclass
class Article:
    locale: str
    key: str
    title: str
    summary: str
    category: str
    product_area: str
    tags: list[str]
    intro: list[str]
    units: list[Unit]


def _plain(value: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", value)).split())


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(_plain(text)) if len(s.strip()) > 3]


def _block_text(block: dict) -> str:
    kind, value = block["type"], block["value"]
    if kind in ("paragraph",):
        return value
    if kind == "steps":
        return " ".join(step["value"]["text"] for step in value["steps"])
    if kind == "callout":
        return value["text"]
    if kind == "code":
        return ""
    if kind == "image":
        return value.get("caption") or ""
    return ""


def load_articles() -> dict[str, list[Article]]:
    from kb.demo.markdown_blocks import parse_file

    articles: dict[str, list[Article]] = {"en": [], "es": []}
    for locale in articles:
        for path in sorted((CONTENT / locale).glob("*/*.md")):
            if path.name.startswith("_"):
                continue
            doc = parse_file(path)
            intro: list[str] = []
            units: list[Unit] = []
            current: Unit | None = None
            for block in doc.blocks:
                if block["type"] == "heading":
                    if block["value"]["level"] == "h2":
                        current = Unit(block["value"]["text"])
                        units.append(current)
                    elif current is not None:
                        current.sentences.append(block["value"]["text"] + ".")
                    continue
                if block["type"] == "faq":
                    units.append(
                        Unit(block["value"]["question"], _sentences(block["value"]["answer"]))
                    )
                    continue
                sentences = _sentences(_block_text(block))
                (current.sentences if current else intro).extend(sentences)
            articles[locale].append(
                Article(
                    locale=locale,
                    key=doc.meta["key"],
                    title=doc.meta["title"],
                    summary=doc.meta.get("summary", ""),
                    category=path.parent.name,
                    product_area=doc.meta.get("product_area", ""),
                    tags=doc.list("tags"),
                    intro=intro,
                    units=[u for u in units if u.sentences],
                )
            )
    return articles


class Generator:
    """``sections(k)``: the sections of synthetic object ``k`` (deterministic)."""

    def __init__(self) -> None:
        self.articles = load_articles()
        self.units_by_area: dict[tuple[str, str], list[Unit]] = defaultdict(list)
        self.sentences_by_area: dict[tuple[str, str], list[str]] = defaultdict(list)
        for locale, articles in self.articles.items():
            for article in articles:
                area = (locale, article.product_area)
                self.units_by_area[area] += article.units
                self.sentences_by_area[area] += article.intro
                for unit in article.units:
                    self.sentences_by_area[area] += unit.sentences

    @staticmethod
    def locale(k: int) -> str:
        """Object ``k``'s language: the first draw of its generator (as in ``sections``)."""
        return "en" if random.Random(1_000_003 * k + 17).random() < 0.5 else "es"

    def sections(self, k: int):
        from search.sources import Section

        rng = random.Random(1_000_003 * k + 17)
        locale = "en" if rng.random() < 0.5 else "es"
        base = rng.choice(self.articles[locale])
        area = (locale, base.product_area)
        units, pool = self.units_by_area[area], self.sentences_by_area[area]
        title = (rng.choice(PREFIXES[locale]) + base.title + " " + rng.choice(QUALIFIERS[locale]))[
            :300
        ]
        summary = " ".join([base.summary, *rng.sample(pool, rng.randint(1, 2))])[:500]
        common = {
            "locale": locale,
            "title": title,
            "summary": summary,
            "category": base.category,
            "product_area": base.product_area,
            "tags": base.tags[:6],
            "audience": "customers" if rng.random() < 0.1 else "public",
        }
        url = f"/{locale}/bench/{k}/"
        intro = list(base.intro) or [rng.choice(pool)]
        intro_body = rng.sample(intro, min(len(intro), rng.randint(1, 3)))
        intro_body += rng.sample(pool, rng.randint(1, 2))
        out = [
            Section(section="", position=0, heading="", body=summary, url=url, **common),
            Section(
                section="intro", position=1, heading="", body=" ".join(intro_body), url=url,
                **common,
            ),
        ]  # fmt: skip
        own = [u for u in base.units]
        for position in range(2, 2 + rng.randint(2, 6)):
            unit = rng.choice(own) if own and rng.random() < 0.5 else rng.choice(units)
            mine = rng.sample(unit.sentences, min(len(unit.sentences), rng.randint(2, 4)))
            other = rng.sample(pool, rng.randint(1, 3))
            body = mine + other
            if rng.random() < 0.3:
                rng.shuffle(body)
            anchor = f"s{position}"
            out.append(
                Section(
                    section=anchor,
                    position=position,
                    heading=unit.heading[:300],
                    body=" ".join(body),
                    url=f"{url}#{anchor}",
                    **common,
                )
            )
        return out


class CachedEmbedder:
    """Hands ``index_sections`` vectors computed in advance (same model name, so the rows are
    exactly what a normal reindex writes)."""

    def __init__(self, name: str, vectors: dict[str, np.ndarray]):
        self.name = name
        self.vectors = vectors

    def embed(self, texts: list[str]) -> np.ndarray:
        return np.stack([self.vectors[text] for text in texts])


COMPOSED = "bench-composed:"


class Composer:
    """Section vectors composed from the model's vectors of their parts (see the module doc)."""

    def __init__(self, model) -> None:
        self.model = model
        self.units: dict[str, np.ndarray] = {}
        self.embedded = 0

    @staticmethod
    def parts(section) -> list[tuple[str, int]]:
        texts = [section.title, section.heading, *_SENTENCE.split(section.body)]
        return [(t.strip(), len(t.split()) + 1) for t in texts if t and t.strip()]

    def vectors(self, sections) -> dict[str, np.ndarray]:
        parts = {s.embedding_text(): self.parts(s) for s in sections}
        todo = sorted({text for p in parts.values() for text, _ in p} - self.units.keys())
        if todo:
            self.units.update(zip(todo, self.model.embed(todo), strict=True))
            self.embedded += len(todo)
        out = {}
        for text, weighted in parts.items():
            vector = np.sum([w * self.units[t] for t, w in weighted], axis=0, dtype=np.float32)
            out[text] = vector / np.linalg.norm(vector)
        return out


def _wanted(gen: Generator, k: int, composed_from: int) -> str:
    """The embedding_model the rows of object ``k`` should carry."""
    from search.embedders import embedder_for

    name = embedder_for(gen.locale(k)).name
    return COMPOSED + name if k >= composed_from else name


def _chunk_embedders(objects: dict, composed_from: int, composers: dict, embedded: list) -> dict:
    """Per object, an embedder handing ``index_sections`` its vectors: its language's model for
    the first ``composed_from`` objects (through the vector cache), composed ones after."""
    from search.embedders import embedder_for

    by_locale: dict[str, list[int]] = defaultdict(list)
    for k, secs in objects.items():
        by_locale[secs[0].locale].append(k)
    chosen = {}
    for locale, keys in by_locale.items():
        model = embedder_for(locale)
        real = [s for k in keys if k < composed_from for s in objects[k]]
        texts = {s.embedding_text() for s in real}
        by_hash = {_cache_key(model, t): t for t in texts}
        vectors = _cached_vectors(list(by_hash))
        todo = [t for h, t in by_hash.items() if h not in vectors]
        if todo:
            fresh = dict(zip([_cache_key(model, t) for t in todo], model.embed(todo), strict=True))
            _store_vectors(fresh)
            vectors.update(fresh)
            embedded[0] += len(todo)
        own = CachedEmbedder(model.name, {t: vectors[_cache_key(model, t)] for t in texts})
        composer = composers.setdefault(model.name, Composer(model))
        rest = [s for k in keys if k >= composed_from for s in objects[k]]
        composed = CachedEmbedder(COMPOSED + model.name, composer.vectors(rest))
        for k in keys:
            chosen[k] = composed if k >= composed_from else own
    return chosen


def _cache_key(model, text: str) -> str:
    """Vector cache key: the text's hash for the default model (as before per-language models),
    the model name and text for any other."""
    from search.embedders import get_embedder

    if model.name == get_embedder().name:
        return content_hash_text(text)
    return content_hash_text(model.name + "\n" + text)


def composition_check(gen: Generator, model, objects: int = 20) -> dict:
    """Cosine similarity between composed and model vectors of the same sections."""
    sections = [s for k in range(objects) for s in gen.sections(k)]
    texts = [s.embedding_text() for s in sections]
    cached = _cached_vectors([content_hash_text(t) for t in texts])
    real = [cached.get(content_hash_text(t)) for t in texts]
    if any(v is None for v in real):
        real = model.embed(texts)
    composed = Composer(model).vectors(sections)
    cosines = [float(np.dot(composed[t], r)) for t, r in zip(texts, real, strict=True)]
    return {
        "sections": len(cosines),
        "median_cosine": round(float(np.median(cosines)), 3),
        "min_cosine": round(min(cosines), 3),
    }


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def bench_counts() -> tuple[int, int]:
    """(objects, sections) of the benchmark source in the default index."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(DISTINCT object_id), count(*) FROM search_searchdocument "
            "WHERE index_name = 'default' AND source = %s",
            [SOURCE],
        )
        return cursor.fetchone()


def _ensure_cache_table() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_embedding_cache "
            "(content_hash varchar(64) PRIMARY KEY, embedding vector(384) NOT NULL)"
        )


def _hnsw_exists() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [HNSW_INDEX])
        return cursor.fetchone() is not None


def _create_hnsw() -> None:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET max_parallel_maintenance_workers = 1")
        cursor.execute(HNSW_SQL)
        cursor.execute("RESET maintenance_work_mem")
        cursor.execute("RESET max_parallel_maintenance_workers")
    _log(f"  HNSW index built in {time.perf_counter() - started:.0f} s")


def _target_objects(gen: Generator, sections: int) -> int:
    """How many objects (0..n-1) it takes to reach ``sections`` sections."""
    total, k = 0, 0
    while total < sections:
        total += len(gen.sections(k))
        k += 1
    return k


def build(sections: int, model_sections: int = 10_000) -> dict:
    """Make the default index hold exactly objects 0..n-1 (the fewest reaching ``sections``
    sections), the first ``model_sections`` sections' worth with model vectors and the rest with
    composed ones, then refresh the vocabulary and the Wagtail index. Resumable and idempotent."""
    from django.db import connection, transaction

    from search.indexing import index_sections, refresh_vocabulary
    from search.models import SearchDocument

    started = time.perf_counter()
    gen = Generator()
    target = _target_objects(gen, sections)
    composed_from = _target_objects(gen, model_sections)
    _ensure_cache_table()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT object_id::int, min(embedding_model) FROM search_searchdocument "
            "WHERE index_name = 'default' AND source = %s GROUP BY object_id",
            [SOURCE],
        )
        present = dict(cursor.fetchall())
    extra = [k for k in present if k >= target]
    # An object is redone when its rows were not made the way they are wanted now: by its
    # language's embedder (real or composed), so a model change for a language re-embeds it.
    missing = [k for k in range(target) if present.get(k) != _wanted(gen, k, composed_from)]
    changed = bool(extra or missing)
    if extra:
        _log(f"  removing {len(extra)} objects beyond the target")
        SearchDocument.objects.filter(
            index_name="default", source=SOURCE, object_id__in=[str(k) for k in extra]
        ).delete()
    if missing:
        composers: dict[str, Composer] = {}
        rebuild_hnsw = len(missing) > 1000 and len(missing) * 4 > len(present)
        if rebuild_hnsw and _hnsw_exists():
            _log("  dropping the HNSW index for the bulk load (rebuilt after)")
            with connection.cursor() as cursor:
                cursor.execute(f'DROP INDEX IF EXISTS "{HNSW_INDEX}"')
        _log(f"  indexing {len(missing)} objects (of {target})")
        done, embedded = 0, [0]
        for offset in range(0, len(missing), CHUNK_OBJECTS):
            chunk = missing[offset : offset + CHUNK_OBJECTS]
            objects = {k: gen.sections(k) for k in chunk}
            chosen = _chunk_embedders(objects, composed_from, composers, embedded)
            with transaction.atomic():
                for k, secs in objects.items():
                    index_sections(SOURCE, str(k), secs, embedder=chosen[k])
            done += len(chunk)
            elapsed = time.perf_counter() - started
            parts = sum(c.embedded for c in composers.values())
            _log(
                f"  {done}/{len(missing)} objects, {embedded[0]} sections and "
                f"{parts} parts embedded, {elapsed:.0f} s"
            )
    if not _hnsw_exists():
        _create_hnsw()
    if changed:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchdocument")
        t0 = time.perf_counter()
        refresh_vocabulary()
        _log(f"  vocabulary refreshed in {time.perf_counter() - t0:.0f} s")
    wagtail = sync_wagtail_index()
    _vacuum(full=bool(extra))
    objects, rows = bench_counts()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(DISTINCT content_hash), locale, count(*) FROM search_searchdocument "
            "WHERE index_name = 'default' AND source = %s GROUP BY locale ORDER BY locale",
            [SOURCE],
        )
        per_locale = {row[1]: {"sections": row[2], "distinct": row[0]} for row in cursor}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM search_searchdocument WHERE index_name = 'default' "
            "AND source = %s AND embedding_model LIKE %s",
            [SOURCE, COMPOSED + "%"],
        )
        (composed_rows,) = cursor.fetchone()
    return {
        "objects": objects,
        "sections": rows,
        "composed_vectors": composed_rows,
        "per_locale": per_locale,
        "wagtail_entries": wagtail,
        "build_seconds": round(time.perf_counter() - started, 1),
    }


VACUUMED = ("search_searchdocument", "search_searchposting", "search_searchterm",
            "wagtailsearch_indexentry")  # fmt: skip


def _vacuum(full: bool = False) -> None:
    """A steady-state index: no dead rows left by the load (each row is inserted, then its
    search_vector updated) and no autovacuum starting during the measurements.

    ``full`` after shrinking (100k → 10k): plain VACUUM leaves the tables at their old size, and
    a small index's exact vector scan then reads every page of the 100k-sized table (seventh
    session, 10k: semantic p95 40.1 ms before VACUUM FULL, 21.5 after; hybrid 43.6 and 35.4).
    VACUUM FULL rewrites them compactly.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        if full:
            tables = list(VACUUMED)
        else:
            cursor.execute(
                "SELECT relname FROM pg_stat_user_tables WHERE relname = ANY(%s) "
                "AND (n_dead_tup > 0.01 * greatest(n_live_tup, 1000) "
                # never vacuumed: index-only scans would still visit the table
                "OR coalesce(last_vacuum, last_autovacuum) IS NULL)",
                [list(VACUUMED)],
            )
            tables = [row[0] for row in cursor.fetchall()]
        how = "FULL, ANALYZE" if full else "ANALYZE"
        for table in tables:
            started = time.perf_counter()
            cursor.execute(f'VACUUM ({how}) "{table}"')
            _log(f"  VACUUM ({how}) {table}: {time.perf_counter() - started:.0f} s")


def content_hash_text(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


def _cached_vectors(hashes: list[str]) -> dict[str, np.ndarray]:
    from django.db import connection

    if not hashes:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT content_hash, embedding::text FROM bench_embedding_cache "
            "WHERE content_hash = ANY(%s)",
            [hashes],
        )
        return {h: np.asarray(text.strip("[]").split(","), dtype=np.float32) for h, text in cursor}


def _store_vectors(vectors: dict[str, np.ndarray]) -> None:
    from django.db import connection

    from search.backends.pgvector import _vector

    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO bench_embedding_cache (content_hash, embedding) VALUES (%s, %s::vector) "
            "ON CONFLICT (content_hash) DO NOTHING",
            [(h, _vector(v)) for h, v in vectors.items()],
        )


def sync_wagtail_index(batch: int = 1000) -> int:
    """Make Wagtail's stock database search index (``wagtailsearch_indexentry``) hold exactly
    the benchmark sections of the default index, through the backend's own ``add_bulk``."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from wagtail.search.backends import get_search_backend
    from wagtail.search.models import IndexEntry

    from benchmarks.models import BenchSection

    content_type = ContentType.objects.get_for_model(BenchSection)
    entries = IndexEntry.objects.filter(content_type=content_type)
    docs = BenchSection.objects.filter(index_name="default", source=SOURCE)
    doc_ids = set(docs.values_list("pk", flat=True))
    entry_ids = {int(pk) for pk in entries.values_list("object_id", flat=True)}
    stale = entry_ids - doc_ids
    if stale:
        entries.filter(object_id__in=[str(pk) for pk in stale]).delete()
    todo = sorted(doc_ids - entry_ids)
    if todo:
        started = time.perf_counter()
        _log(f"  Wagtail database search index: adding {len(todo)} sections")
        backend = get_search_backend()
        for offset in range(0, len(todo), batch):
            ids = todo[offset : offset + batch]
            backend.add_bulk(BenchSection, list(BenchSection.objects.filter(pk__in=ids)))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE wagtailsearch_indexentry")
        _log(f"  Wagtail index updated in {time.perf_counter() - started:.0f} s")
    return entries.count()
