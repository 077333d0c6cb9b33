"""Writing to the index. One path for everything: the live site, `search_reindex`, imports and
the evaluation command all call ``index_objects`` (``index_sections`` for one object), so what
is measured is what serves users.

Incremental by design (docs/search.md, "Indexing"):

- A section whose text (content hash), model and metadata are unchanged is not written at all:
  no new row version (which would re-insert it into every vector graph), no postings, no
  vocabulary change. Metadata such as URL or audience is updated in place, its postings' copies
  of the scope columns with it; only changed postings are rewritten.
- Vectors are made before the write transaction (several objects' sections in one batch per
  model), so locks are held for milliseconds, not for the model's time.
- The vocabulary (``SearchTerm``) follows by delta in the same transaction: minus the old
  words of every changed or removed section, plus the new ones, one UPSERT in key order (two
  workers neither collide on the unique constraint nor lose an update, nor deadlock), and rows
  that reach zero are deleted. ``refresh_vocabulary`` rebuilds it from scratch (repair; the
  two give the same rows: tests/search/test_incremental_indexing.py).
- Objects are serialised by a transaction-scoped advisory lock, so two workers indexing the same
  object write one after the other.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import connection, transaction
from django.db.models import TextField, Value
from django.db.models.expressions import RawSQL
from django.utils import timezone
from pgvector.django import VectorField

from . import crosslingual
from .embedders import Embedder, embedder_for
from .languages import text_search_config
from .models import DEFAULT_INDEX, IndexQueue, SearchDocument, SearchPosting, SearchTerm
from .sources import OVERVIEW, Section, source_for

# BM25 (k1 and b as in the evaluation sets' BM25 baseline, not tuned) and BM25F field weights:
# an occurrence in the title counts as ``A`` occurrences in the body. Weights chosen on the dev
# splits (docs/search.md); occurrences are counted at write time.
BM25_K1 = 0.9
BM25_B = 0.4
FIELD_WEIGHTS = {"A": 2.0, "B": 1.5, "C": 1.0, "D": 1.0}
DEFAULT_LENGTH = 50.0  # average section length assumed before the vocabulary is computed
CHUNK = 32  # objects per embedding batch and write transaction in bulk indexing


def bm25_weight(tf: str, length: str, average: str) -> tuple[str, list]:
    """SQL for a word's BM25 weight in a section, without IDF, from SQL expressions for its
    term frequency, the section's length and the average length; with its parameters.
    The one formula behind posting impacts and query-time scores."""
    sql = f"{tf} * %s / ({tf} + %s * (1 - %s + %s * {length} / {average}))"
    return sql, [BM25_K1 + 1, BM25_K1, BM25_B, BM25_B]


def ts_config(locale: str) -> str:
    """The locale's text search configuration (``search.languages``: from settings.LANGUAGES)."""
    return text_search_config(locale)


def content_hash(section: Section) -> str:
    return hashlib.sha256(section.embedding_text().encode()).hexdigest()


# The row's copy of the section: every Section field the document has (the key excepted).
METADATA = [
    f.name
    for f in dataclasses.fields(Section)
    if f.name != "section" and f.name in {g.name for g in SearchDocument._meta.concrete_fields}
]
# Changing these changes the full-text vector, hence postings and vocabulary.
TEXT_FIELDS = {"title", "heading", "body", "locale"}
# Copied onto every posting (search.backends.sql.scope_clause reads them there).
SCOPE_FIELDS = ["locale", "source", "category", "product_area", "audience", "audience_groups"]
# Never loaded to plan a write: the vectors.
_HEAVY = [
    f.name
    for f in SearchDocument._meta.concrete_fields
    if isinstance(f, (VectorField, SearchVectorField))
]


def index_sections(
    source: str,
    object_id: str,
    sections: Sequence[Section],
    *,
    index_name: str = DEFAULT_INDEX,
    embedder: Embedder | None = None,
) -> int:
    """Make the index hold exactly ``sections`` for one object. Returns how many were embedded.

    The object's language picks the embedder (``embedders.alias_for``); a model change for that
    language re-embeds, since each row stores the name of the model that made its vector."""
    return index_objects([(source, object_id, sections)], index_name=index_name, embedder=embedder)


@dataclasses.dataclass
class _Plan:
    """What one object's write needs, worked out before the transaction."""

    key: tuple[str, str]
    sections: Sequence[Section]
    embedder: Embedder
    seen: frozenset = frozenset()  # (id, updated_at) of the rows the plan started from
    docs: list = dataclasses.field(default_factory=list)  # (doc, section, before)
    stale: list = dataclasses.field(default_factory=list)  # ids of sections gone
    to_embed: list = dataclasses.field(default_factory=list)  # (doc, section)


def index_objects(
    items: Sequence[tuple[str, str, Sequence[Section]]],
    *,
    index_name: str = DEFAULT_INDEX,
    embedder: Embedder | None = None,
) -> int:
    """Make the index hold exactly these sections for each (source, object id, sections);
    an empty list removes the object. Returns how many sections were embedded.

    Vectors are made first, outside any transaction, in one batch per model; then one short
    transaction writes only what changed, its postings and the vocabulary's delta."""
    remove_objects([(s, o) for s, o, sections in items if not sections], index_name=index_name)
    items = [item for item in items if item[2]]
    if not items:
        return 0
    plans = _plan(items, index_name, embedder)
    embedded = _embed(plans)
    with transaction.atomic():
        _lock_objects(index_name, [plan.key for plan in plans])
        current = _existing(index_name, [plan.key for plan in plans])
        for number, plan in enumerate(plans):
            rows = current.get(plan.key, {})
            if frozenset((d.pk, d.updated_at) for d in rows.values()) != plan.seen:
                # Another worker wrote this object since the plan: plan again, under the lock.
                plans[number] = plan = _plan_one(plan, rows, index_name)
                embedded += _embed([plan])
        _write(plans, index_name)
    return embedded


def _plan(items, index_name: str, embedder: Embedder | None) -> list[_Plan]:
    existing = _existing(index_name, [(source, object_id) for source, object_id, _ in items])
    plans = []
    for source, object_id, sections in items:
        chosen = embedder or embedder_for(sections[0].locale)
        plan = _Plan((source, object_id), sections, chosen)
        plans.append(_plan_one(plan, existing.get(plan.key, {}), index_name))
    return plans


def _plan_one(plan: _Plan, rows: dict[str, SearchDocument], index_name: str) -> _Plan:
    source, object_id = plan.key
    plan = dataclasses.replace(
        plan, seen=frozenset((d.pk, d.updated_at) for d in rows.values()), docs=[], to_embed=[]
    )
    keep = {s.section for s in plan.sections}
    plan.stale = [doc.pk for name, doc in rows.items() if name not in keep]
    for section in plan.sections:
        doc = rows.get(section.section)
        before = dict(doc.__dict__) if doc is not None else None
        if doc is None:
            doc = SearchDocument(
                index_name=index_name, source=source, object_id=object_id, section=section.section
            )
        for name in METADATA:
            setattr(doc, name, getattr(section, name))
        digest = content_hash(section)
        if doc.content_hash != digest or doc.embedding_model != plan.embedder.name:
            doc.content_hash = digest
            doc.embedding_model = plan.embedder.name
            plan.to_embed.append((doc, section))
        plan.docs.append((doc, section, before))
    return plan


def _embed(plans: list[_Plan]) -> int:
    """One ``embed`` call per model for every section these plans need, then the multilingual
    vectors (search/crosslingual.py) in one batch."""
    by_model: dict[int, tuple[Embedder, list]] = {}
    for plan in plans:
        if plan.to_embed:
            by_model.setdefault(id(plan.embedder), (plan.embedder, []))[1].extend(plan.to_embed)
    for model, todo in by_model.values():
        vectors = model.embed([section.embedding_text() for _, section in todo])
        for (doc, _), vector in zip(todo, vectors, strict=True):
            doc.embedding = vector
    pairs = [(doc, section) for plan in plans for doc, section, _ in plan.docs]
    changed = {id(doc) for plan in plans for doc, _ in plan.to_embed}
    crosslingual.attach_vectors(pairs, changed)
    return len(changed)


def _existing(index_name: str, keys: list[tuple[str, str]]) -> dict:
    """The rows now stored for these objects: {(source, object id): {section: doc}}, vectors
    deferred."""
    found: dict[tuple[str, str], dict[str, SearchDocument]] = {}
    by_source: dict[str, list[str]] = {}
    for source, object_id in keys:
        by_source.setdefault(source, []).append(object_id)
    for source, object_ids in by_source.items():
        for doc in SearchDocument.objects.filter(
            index_name=index_name, source=source, object_id__in=object_ids
        ).defer(*_HEAVY):
            found.setdefault((doc.source, doc.object_id), {})[doc.section] = doc
    return found


def _lock_objects(index_name: str, keys: list[tuple[str, str]]) -> None:
    """Transaction-scoped advisory locks on these objects, always taken in the same order."""
    numbers = sorted(
        {
            int.from_bytes(
                hashlib.blake2b(f"{index_name}\0{s}\0{o}".encode(), digest_size=8).digest(),
                "big",
                signed=True,
            )
            for s, o in keys
        }
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_advisory_xact_lock(k)) FROM "
            "(SELECT k FROM unnest(%s::bigint[]) AS k ORDER BY k) AS ordered",
            [numbers],
        )


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return a is not None and b is not None and np.array_equal(np.asarray(a), np.asarray(b))
    return a == b


def _dirty(doc: SearchDocument, before: dict) -> set[str]:
    """The fields to write: changed since loading, or loaded later (a vector made for it)."""
    missing = object()
    return {
        f.name
        for f in SearchDocument._meta.concrete_fields
        if f.attname in doc.__dict__
        and not f.primary_key
        and not _same(before.get(f.attname, missing), doc.__dict__[f.attname])
    } - {"updated_at"}


def _search_vector(doc: SearchDocument):
    """Weighted full-text vector (title A > heading B > body C), in the row's own language."""
    if doc.section == OVERVIEW:
        return RawSQL("''::tsvector", [])
    config = ts_config(doc.locale)
    return (
        SearchVector(_text(doc.title), config=config, weight="A")
        + SearchVector(_text(doc.heading), config=config, weight="B")
        + SearchVector(_text(doc.body), config=config, weight="C")
    )


def _text(value: str) -> Value:
    return Value(value or "", output_field=TextField())


def _write(plans: list[_Plan], index_name: str) -> None:
    """Inside the transaction: remove gone sections, insert new ones, update changed ones (only
    their changed fields), then their postings and the vocabulary's delta."""
    now = timezone.now()
    stale = [pk for plan in plans for pk in plan.stale]
    new, updates = [], {}
    retext, rescope = [], []  # existing rows whose full-text vector / scope columns change
    for plan in plans:
        for doc, _, before in plan.docs:
            if before is None:
                doc.search_vector = _search_vector(doc)
                new.append(doc)
                continue
            fields = _dirty(doc, before)
            if not fields:
                continue
            if fields & TEXT_FIELDS:
                doc.search_vector = _search_vector(doc)
                fields.add("search_vector")
                retext.append(doc.pk)
            elif set(SCOPE_FIELDS) & fields:
                rescope.append(doc.pk)
            doc.updated_at = now
            updates.setdefault(frozenset(fields | {"updated_at"}), []).append(doc)
    if not (stale or new or updates):
        return
    delta: Counter = Counter()
    with connection.cursor() as cursor:
        delta.subtract(_contributions(cursor, "d.id = ANY(%s)", [stale + retext]))
        if stale:
            cursor.execute("DELETE FROM search_searchposting WHERE document_id = ANY(%s)", [stale])
            cursor.execute("DELETE FROM search_searchdocument WHERE id = ANY(%s)", [stale])
    if new:
        SearchDocument.objects.bulk_create(new, batch_size=200)
    for fields, docs in updates.items():
        SearchDocument.objects.bulk_update(docs, sorted(fields), batch_size=100)
    added = [doc.pk for doc in new] + retext
    with connection.cursor() as cursor:
        delta.update(_contributions(cursor, "d.id = ANY(%s)", [added]))
        _sync_postings(cursor, added + rescope)
        _apply_delta(cursor, delta)


# --- vocabulary ----------------------------------------------------------------------------------

# A section's contribution to the vocabulary, as (index, locale, kind, word, documents) rows:
# one per distinct lexeme of its full-text vector, one per distinct surface word (any field,
# overview rows' titles included), one to the section count (overview rows excepted) and its
# weighted length, rounded, to the locale's total length. Summed over sections, the vocabulary.
_WEIGHT = "CASE w " + " ".join(f"WHEN '{k}' THEN {v}" for k, v in FIELD_WEIGHTS.items())
CONTRIBUTIONS = f"""
    SELECT d.index_name, d.locale, 'lexeme' AS kind, v.lexeme AS word, count(*) AS n
    FROM search_searchdocument d CROSS JOIN LATERAL unnest(d.search_vector) v
    WHERE {{where}} AND length(v.lexeme) BETWEEN 2 AND 100
    GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT d.index_name, d.locale, 'word', w.lexeme, count(*)
    FROM search_searchdocument d CROSS JOIN LATERAL
         unnest(to_tsvector('simple', d.title || ' ' || d.heading || ' ' || d.body)) w
    WHERE {{where}} AND length(w.lexeme) BETWEEN 2 AND 100
    GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT d.index_name, d.locale, 'total', '', count(*) FILTER (WHERE d.section <> '{OVERVIEW}')
    FROM search_searchdocument d WHERE {{where}} GROUP BY 1, 2
    UNION ALL
    SELECT d.index_name, d.locale, 'length', '',
           sum((SELECT coalesce(round(sum({_WEIGHT} ELSE 1 END)::numeric), 0)
                FROM unnest(d.search_vector) v CROSS JOIN LATERAL unnest(v.weights) w))
    FROM search_searchdocument d WHERE {{where}} GROUP BY 1, 2
"""


def _contributions(cursor, where: str, params: list) -> Counter:
    if not params or params[0] == []:
        return Counter()
    cursor.execute(CONTRIBUTIONS.format(where=where), params * 4)
    return Counter({(i, loc, kind, word): int(n) for i, loc, kind, word, n in cursor.fetchall()})


def _apply_delta(cursor, delta: Counter) -> None:
    """Add the delta in one UPSERT, rows in key order (so concurrent writers lock them in the
    same order), then delete the rows it brought to zero (already locked by this transaction)."""
    changes = sorted((key, n) for key, n in delta.items() if n)
    if not changes:
        return
    columns = [list(column) for column in zip(*[(*key, n) for key, n in changes], strict=True)]
    cursor.execute(
        """
        INSERT INTO search_searchterm (index_name, locale, kind, word, documents)
        SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::int[])
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (index_name, locale, kind, word)
        DO UPDATE SET documents = search_searchterm.documents + EXCLUDED.documents
        """,
        columns,
    )
    fallen = [key for key, n in changes if n < 0]
    if fallen:
        cursor.execute(
            """
            DELETE FROM search_searchterm t
            USING unnest(%s::text[], %s::text[], %s::text[], %s::text[]) AS k(i, l, kind, word)
            WHERE t.index_name = k.i AND t.locale = k.l AND t.kind = k.kind AND t.word = k.word
              AND t.documents <= 0
            """,
            [list(column) for column in zip(*fallen, strict=True)],
        )


def refresh_vocabulary(index_name: str = DEFAULT_INDEX) -> None:
    """Rebuild the index's vocabulary from its rows: the repair path (``search_reindex``).
    Live writes keep it by delta; while this runs they wait (the table is locked against
    writes, not reads), so none is counted twice or lost."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE search_searchterm IN EXCLUSIVE MODE")
        cursor.execute("DELETE FROM search_searchterm WHERE index_name = %s", [index_name])
        cursor.execute(
            "INSERT INTO search_searchterm (index_name, locale, kind, word, documents) "
            "SELECT index_name, locale, kind, word, n FROM ("
            + CONTRIBUTIONS.format(where="d.index_name = %s")
            + ") c WHERE n > 0",
            [index_name] * 4,
        )


# --- postings ------------------------------------------------------------------------------------


def _sync_postings(cursor, ids: list[int]) -> None:
    """Make these sections' postings match their search vectors (see ``SearchPosting``):
    postings of words gone are deleted, new ones inserted, and a kept one is rewritten only if
    its frequency, the section's length or a copied scope column changed.

    ``impact`` (the BM25 term weight that orders each word's postings) uses the average length
    known now; scores are computed with the current average at query time, so a drifting
    average only nudges which few hundred postings per word are read first.
    """
    if not ids:
        return
    average = """coalesce((SELECT l.documents::float / nullif(n.documents, 0)
                           FROM search_searchterm l JOIN search_searchterm n
                             ON n.index_name = l.index_name AND n.locale = l.locale
                            AND n.kind = 'total'
                           WHERE l.index_name = t.index_name AND l.locale = t.locale
                             AND l.kind = 'length'), %s)"""
    impact, impact_params = bm25_weight("t.tf", "t.length", average)
    scope = ", ".join(SCOPE_FIELDS)
    cursor.execute(
        f"""
        WITH new AS (
            SELECT t.id AS document_id, t.lexeme, t.tf, t.length, {impact} AS impact,
                   t.index_name, {", ".join("t." + f for f in SCOPE_FIELDS)}
            FROM (
                SELECT d.id, d.index_name, {", ".join("d." + f for f in SCOPE_FIELDS)},
                       u.lexeme, u.tf, sum(u.tf) OVER (PARTITION BY d.id) AS length
                FROM search_searchdocument d CROSS JOIN LATERAL (
                    SELECT v.lexeme,
                           (SELECT sum({_WEIGHT} ELSE 1 END) FROM unnest(v.weights) w) AS tf
                    FROM unnest(d.search_vector) v) u
                WHERE d.id = ANY(%s)
            ) t
        ), gone AS (
            DELETE FROM search_searchposting p
            WHERE p.document_id = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM new n
                              WHERE n.document_id = p.document_id AND n.lexeme = p.lexeme)
        )
        INSERT INTO search_searchposting AS p
            (document_id, lexeme, tf, length, impact, index_name, {scope})
        SELECT document_id, lexeme, tf, length, impact, index_name, {scope} FROM new
        ON CONFLICT (document_id, lexeme) DO UPDATE SET
            tf = EXCLUDED.tf, length = EXCLUDED.length,
            impact = CASE WHEN p.tf = EXCLUDED.tf AND p.length = EXCLUDED.length
                          THEN p.impact ELSE EXCLUDED.impact END,
            index_name = EXCLUDED.index_name,
            {", ".join(f"{f} = EXCLUDED.{f}" for f in SCOPE_FIELDS)}
        WHERE (p.tf, p.length, p.index_name, {", ".join("p." + f for f in SCOPE_FIELDS)})
              IS DISTINCT FROM (EXCLUDED.tf, EXCLUDED.length, EXCLUDED.index_name,
                                {", ".join("EXCLUDED." + f for f in SCOPE_FIELDS)})
        """,
        [*impact_params, DEFAULT_LENGTH, ids, ids],
    )


def _update_postings(ids: list[int]) -> None:
    """Postings for these sections from their search vectors (migration 0003 fills them)."""
    with connection.cursor() as cursor:
        _sync_postings(cursor, ids)


# --- removal and whole objects -------------------------------------------------------------------


def remove_objects(keys: Sequence[tuple[str, str]], *, index_name: str = DEFAULT_INDEX) -> int:
    """Remove these (source, object id)s from the index, the vocabulary's delta with them.
    Returns how many sections were removed."""
    if not keys:
        return 0
    with transaction.atomic():
        _lock_objects(index_name, list(keys))
        rows = _existing(index_name, list(keys))
        ids = [doc.pk for sections in rows.values() for doc in sections.values()]
        if not ids:
            return 0
        with connection.cursor() as cursor:
            delta = Counter()
            delta.subtract(_contributions(cursor, "d.id = ANY(%s)", [ids]))
            cursor.execute("DELETE FROM search_searchposting WHERE document_id = ANY(%s)", [ids])
            cursor.execute("DELETE FROM search_searchdocument WHERE id = ANY(%s)", [ids])
            _apply_delta(cursor, delta)
    return len(ids)


def remove_object(source: str, object_id: str, *, index_name: str = DEFAULT_INDEX) -> int:
    return remove_objects([(source, object_id)], index_name=index_name)


def index_object(obj: object, *, index_name: str = DEFAULT_INDEX) -> int:
    """(Re)index one object through its registered source; removes it if it has no sections."""
    return index_many([obj], index_name=index_name)


def index_many(objects: Iterable[object], *, index_name: str = DEFAULT_INDEX) -> int:
    """(Re)index objects through their sources, ``CHUNK`` at a time: one embedding batch per
    model and one short transaction per chunk. Objects without sections (unpublished, private)
    are removed. Returns how many sections were embedded."""
    embedded = 0
    for batch in iter_batches(objects, CHUNK):
        items, gone = [], []
        for obj in batch:
            source = source_for(obj)
            if source is None:
                continue
            sections = source.sections(obj)
            key = (source.name, source.object_id(obj))
            if sections:
                items.append((*key, sections))
            else:
                gone.append(key)
        remove_objects(gone, index_name=index_name)
        embedded += index_objects(items, index_name=index_name)
    return embedded


def delete_index(index_name: str) -> None:
    SearchPosting.objects.filter(index_name=index_name).delete()
    SearchDocument.objects.filter(index_name=index_name).delete()
    SearchTerm.objects.filter(index_name=index_name).delete()
    IndexQueue.objects.filter(index_name=index_name).delete()


def iter_batches(items: Iterable, size: int) -> Iterable[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
