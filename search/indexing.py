"""Writing to the index. One path for everything: the live site, `search_reindex` and the
evaluation command all call ``index_sections``, so what is measured is what serves users.

Vectors are expensive, so a section is re-embedded only when its text (content hash) or the
embedding model changed; metadata such as URL or audience is updated in place.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from django.db import connection, transaction

from .embedders import Embedder, embedder_for
from .models import DEFAULT_INDEX, SearchDocument, SearchPosting, SearchTerm
from .sources import OVERVIEW, Section, source_for

TEXT_SEARCH_CONFIGS = {"en": "faro_en", "es": "faro_es"}

# BM25 (k1 and b as in the evaluation sets' BM25 baseline, not tuned) and BM25F field weights:
# an occurrence in the title counts as ``A`` occurrences in the body. Weights chosen on the dev
# splits (docs/search.md); occurrences are counted at write time.
BM25_K1 = 0.9
BM25_B = 0.4
FIELD_WEIGHTS = {"A": 2.0, "B": 1.5, "C": 1.0, "D": 1.0}
DEFAULT_LENGTH = 50.0  # average section length assumed before the vocabulary is computed


def bm25_weight(tf: str, length: str, average: str) -> tuple[str, list]:
    """SQL for a word's BM25 weight in a section, without IDF, from SQL expressions for its
    term frequency, the section's length and the average length; with its parameters.
    The one formula behind posting impacts and query-time scores."""
    sql = f"{tf} * %s / ({tf} + %s * (1 - %s + %s * {length} / {average}))"
    return sql, [BM25_K1 + 1, BM25_K1, BM25_B, BM25_B]


def ts_config(locale: str) -> str:
    return TEXT_SEARCH_CONFIGS.get(locale[:2], "faro_simple")


def content_hash(section: Section) -> str:
    return hashlib.sha256(section.embedding_text().encode()).hexdigest()


METADATA = [
    "position", "locale", "title", "heading", "body", "url", "summary", "category",
    "product_area", "tags", "audience", "audience_groups", "boost",
]  # fmt: skip


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
    if embedder is None:
        embedder = embedder_for(sections[0].locale if sections else "")
    with transaction.atomic():
        existing = {
            doc.section: doc
            for doc in SearchDocument.objects.filter(
                index_name=index_name, source=source, object_id=object_id
            ).defer("embedding", "search_vector")
        }
        keep = {s.section for s in sections}
        stale = [doc.pk for name, doc in existing.items() if name not in keep]
        SearchDocument.objects.filter(pk__in=stale).delete()
        to_embed, rows = [], []
        for section in sections:
            digest = content_hash(section)
            doc = existing.get(section.section) or SearchDocument(
                index_name=index_name, source=source, object_id=object_id, section=section.section
            )
            for name in METADATA:
                setattr(doc, name, getattr(section, name))
            if doc.content_hash != digest or doc.embedding_model != embedder.name:
                doc.content_hash = digest
                doc.embedding_model = embedder.name
                to_embed.append((doc, section))
            rows.append(doc)
        if to_embed:
            vectors = embedder.embed([section.embedding_text() for _, section in to_embed])
            for (doc, _), vector in zip(to_embed, vectors, strict=True):
                doc.embedding = vector
        for doc in rows:
            doc.save()
        _update_search_vectors([doc.pk for doc in rows])
    return len(to_embed)


def _update_search_vectors(ids: list[int]) -> None:
    """Weighted full-text vectors (title A > heading B > body C), in each row's own language."""
    if not ids:
        return
    for locale, config in [*TEXT_SEARCH_CONFIGS.items(), (None, "faro_simple")]:
        locale_clause = (
            "locale LIKE %s" if locale else "NOT (locale LIKE 'en%%' OR locale LIKE 'es%%')"
        )
        params: list = [locale + "%"] if locale else []
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                UPDATE search_searchdocument SET search_vector = CASE
                    WHEN section = %s THEN ''::tsvector
                    ELSE setweight(to_tsvector('{config}', coalesce(title, '')), 'A') ||
                         setweight(to_tsvector('{config}', coalesce(heading, '')), 'B') ||
                         setweight(to_tsvector('{config}', coalesce(body, '')), 'C') END
                WHERE id = ANY(%s) AND {locale_clause}
                """,
                [OVERVIEW, ids, *params],
            )
    _update_postings(ids)


def _update_postings(ids: list[int]) -> None:
    """Rewrite the postings of these sections from their search vectors (see ``SearchPosting``).

    ``impact`` (the BM25 term weight that orders each word's postings) uses the average length
    known now; scores are computed with the current average at query time, so a drifting
    average only nudges which few hundred postings per word are read first.
    """
    SearchPosting.objects.filter(document_id__in=ids).delete()
    weight = "CASE w " + " ".join(f"WHEN '{k}' THEN {v}" for k, v in FIELD_WEIGHTS.items())
    average = """coalesce((SELECT l.documents::float / nullif(n.documents, 0)
                           FROM search_searchterm l JOIN search_searchterm n
                             ON n.index_name = l.index_name AND n.locale = l.locale
                            AND n.kind = 'total'
                           WHERE l.index_name = t.index_name AND l.locale = t.locale
                             AND l.kind = 'length'), %s)"""
    impact, impact_params = bm25_weight("t.tf", "t.length", average)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO search_searchposting (document_id, lexeme, tf, length, impact, index_name,
                locale, source, category, product_area, audience, audience_groups)
            SELECT t.id, t.lexeme, t.tf, t.length, {impact},
                   t.index_name, t.locale, t.source, t.category, t.product_area, t.audience,
                   t.audience_groups
            FROM (
                SELECT d.id, d.index_name, d.locale, d.source, d.category, d.product_area,
                       d.audience, d.audience_groups, u.lexeme, u.tf,
                       sum(u.tf) OVER (PARTITION BY d.id) AS length
                FROM search_searchdocument d CROSS JOIN LATERAL (
                    SELECT v.lexeme,
                           (SELECT sum({weight} ELSE 1 END) FROM unnest(v.weights) w) AS tf
                    FROM unnest(d.search_vector) v) u
                WHERE d.id = ANY(%s)
            ) t
            """,
            [*impact_params, DEFAULT_LENGTH, ids],
        )


def remove_object(source: str, object_id: str, *, index_name: str = DEFAULT_INDEX) -> int:
    deleted, _ = SearchDocument.objects.filter(
        index_name=index_name, source=source, object_id=object_id
    ).delete()
    return deleted


def index_object(obj: object, *, index_name: str = DEFAULT_INDEX) -> int:
    """(Re)index one object through its registered source; removes it if it has no sections."""
    source = source_for(obj)
    if source is None:
        return 0
    sections = source.sections(obj)
    object_id = source.object_id(obj)
    if not sections:
        remove_object(source.name, object_id, index_name=index_name)
        return 0
    return index_sections(source.name, object_id, sections, index_name=index_name)


def refresh_vocabulary(index_name: str = DEFAULT_INDEX) -> None:
    """Recompute document frequencies (for IDF weighting) and the word list ("did you mean")."""
    with transaction.atomic(), connection.cursor() as cursor:
        SearchTerm.objects.filter(index_name=index_name).delete()
        cursor.execute(
            "SELECT DISTINCT locale FROM search_searchdocument WHERE index_name = %s", [index_name]
        )
        for (locale,) in cursor.fetchall():
            _vocabulary(cursor, index_name, locale)


def _vocabulary(cursor, index_name: str, locale: str) -> None:
    # ts_stat takes the text of a query; values are quoted as SQL literals.
    inner = (
        "SELECT {vector} FROM search_searchdocument "
        f"WHERE index_name = {_literal(index_name)} AND locale = {_literal(locale)}"
    )
    for kind, vector in (
        (SearchTerm.LEXEME, "search_vector"),
        (SearchTerm.WORD, "to_tsvector('simple', title || ' ' || heading || ' ' || body)"),
    ):
        cursor.execute(
            """
            INSERT INTO search_searchterm (index_name, locale, kind, word, documents)
            SELECT %s, %s, %s, left(word, 100), ndoc FROM ts_stat(%s)
            WHERE length(word) BETWEEN 2 AND 100
            """,
            [index_name, locale, kind, inner.format(vector=vector)],
        )
    cursor.execute(
        """
        INSERT INTO search_searchterm (index_name, locale, kind, word, documents)
        SELECT %s, %s, 'total', '', count(*) FROM search_searchdocument
        WHERE index_name = %s AND locale = %s AND section <> %s
        """,
        [index_name, locale, index_name, locale, OVERVIEW],
    )
    cursor.execute(
        """
        INSERT INTO search_searchterm (index_name, locale, kind, word, documents)
        SELECT %s, %s, 'length', '', coalesce(round(sum(tf)), 0) FROM search_searchposting
        WHERE index_name = %s AND locale = %s
        """,
        [index_name, locale, index_name, locale],
    )


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def delete_index(index_name: str) -> None:
    SearchPosting.objects.filter(index_name=index_name).delete()
    SearchDocument.objects.filter(index_name=index_name).delete()
    SearchTerm.objects.filter(index_name=index_name).delete()


def iter_batches(items: Iterable, size: int) -> Iterable[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
