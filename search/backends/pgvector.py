"""Semantic retrieval on pgvector: an HNSW index over cosine distance.

Filters (index, locale, permissions, type, category) sit in the same WHERE clause as the
``ORDER BY embedding <=> query``; with pgvector's iterative index scans the index keeps scanning
until enough *visible* rows are found, instead of cutting at the limit and filtering afterwards.

The scan settings (``hnsw.iterative_scan = relaxed_order``, ``hnsw.ef_search``) travel with
every database connection (``config.database.add_connection_options``, called by the settings),
not ``SET LOCAL`` per query, which cost a transaction and four statements per search.
PostgreSQL keeps them as placeholders until the first vector query loads pgvector, which then
adopts them. Behind a pooler in transaction mode (PgBouncer), set them on the database instead:
``ALTER DATABASE … SET hnsw.iterative_scan = relaxed_order``.
"""

from __future__ import annotations

import numpy as np
from django.db import connection

from .base import Hit, Scope, VectorBackend
from .sql import scope_clause


def _vector(value) -> str:
    """pgvector's text form; SQL casts it with ``::vector`` (no adapter registration needed)."""
    if isinstance(value, str):
        return value
    return "[" + ",".join(f"{x:.7g}" for x in np.asarray(value, dtype=np.float32)) + "]"


class PgvectorBackend(VectorBackend):
    def search(self, vector, scope: Scope, limit: int) -> list[Hit]:
        query = _vector(vector)
        return self._nearest("%s::vector", [query], scope, limit)

    def untranslated_nearest(
        self, vector, scope: Scope, visitor_locale: str, limit: int
    ) -> list[Hit]:
        """Nearest by the multilingual vector, among objects with no version in
        ``visitor_locale`` (no row there shares their translation key)."""
        untranslated = (
            "NOT EXISTS (SELECT 1 FROM search_searchdocument t WHERE d.translation_key <> '' "
            "AND t.index_name = d.index_name AND t.source = d.source "
            "AND t.translation_key = d.translation_key AND t.locale = %s)"
        )
        return self._nearest(
            "%s::vector", [_vector(vector)], scope, limit, "embedding_xl",
            (untranslated, [visitor_locale]),
        )  # fmt: skip

    def _nearest(
        self,
        target: str,
        target_params: list,
        scope: Scope,
        limit: int,
        column: str = "embedding",
        extra: tuple[str, list] = ("TRUE", []),
    ) -> list[Hit]:
        """The ``limit`` visible sections nearest to ``target`` (SQL for a vector).

        The HNSW scan is approximate and can end before it has found ``limit`` visible rows
        (pgvector's ``max_scan_tuples``, or entries of deleted rows not yet vacuumed). When it
        returns fewer than asked, the scope is ranked exactly instead (an ``ORDER BY`` the index
        cannot serve): a visitor never gets fewer results than exist because the graph gave up.
        On a small index that costs next to nothing; on a large one it is rare.
        """
        near = f"d.{column} <=> {target}"
        rows = self._ranked(near, target_params, scope, limit, column, extra)
        if len(rows) < limit:
            rows = self._ranked(f"({near}) + 0", target_params, scope, limit, column, extra)
        hits = [Hit(r[0], r[1], r[2], r[3], 1.0 - float(r[4])) for r in rows]
        # relaxed_order may return rows slightly out of order: sort by similarity.
        return sorted(hits, key=lambda hit: -hit.score)

    def _ranked(
        self, distance: str, target_params: list, scope: Scope, limit: int, column: str, extra
    ) -> list:
        where, params = scope_clause(scope)
        condition, extra_params = extra
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT d.id, d.object_id, d.source, d.section, {distance} AS distance
                FROM search_searchdocument d
                WHERE {where} AND d.{column} IS NOT NULL AND {condition}
                ORDER BY {distance} LIMIT %s
                """,
                [*target_params, *params, *extra_params, *target_params, limit],
            )
            # no distance: the target section has no vector (yet)
            return [row for row in cursor.fetchall() if row[4] is not None]

    def score(self, vector, scope: Scope, doc_ids: list[int]) -> dict[int, Hit]:
        if not doc_ids:
            return {}
        where, params = scope_clause(scope)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT d.id, d.object_id, d.source, d.section, d.embedding <=> %s::vector
                FROM search_searchdocument d
                WHERE {where} AND d.id = ANY(%s) AND d.embedding IS NOT NULL
                """,
                [_vector(vector), *params, doc_ids],
            )
            return {r[0]: Hit(r[0], r[1], r[2], r[3], 1.0 - float(r[4])) for r in cursor}

    def neighbours(self, doc_id: int, scope: Scope, limit: int) -> list[Hit]:
        """One statement: the section's own vector is a subquery (pgvector's documented form
        for "items like this one"), so it never travels to Python and back."""
        target = "(SELECT e.embedding FROM search_searchdocument e WHERE e.id = %s)"
        hits = self._nearest(target, [doc_id], scope, limit + 1)
        return [hit for hit in hits if hit.doc_id != doc_id][:limit]
