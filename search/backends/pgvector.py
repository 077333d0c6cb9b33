"""Semantic retrieval on pgvector: an HNSW index over cosine distance.

Filters (index, locale, permissions, type, category) sit in the same WHERE clause as the
``ORDER BY embedding <=> query``; with pgvector's iterative index scans the index keeps scanning
until enough *visible* rows are found, instead of cutting at the limit and filtering afterwards.
"""

from __future__ import annotations

import numpy as np
from django.conf import settings
from django.db import connection, transaction

from .base import Hit, Scope, VectorBackend
from .sql import scope_clause


def _vector(value) -> str:
    """pgvector's text form; SQL casts it with ``::vector`` (no adapter registration needed)."""
    if isinstance(value, str):
        return value
    return "[" + ",".join(f"{x:.7g}" for x in np.asarray(value, dtype=np.float32)) + "]"


class PgvectorBackend(VectorBackend):
    def _tune(self, cursor) -> None:
        ef_search = int(settings.FARO_SEARCH.get("HNSW_EF_SEARCH", 100))
        cursor.execute(f"SET LOCAL hnsw.ef_search = {ef_search}")
        cursor.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")

    def search(self, vector, scope: Scope, limit: int) -> list[Hit]:
        where, params = scope_clause(scope)
        query = _vector(vector)
        with transaction.atomic(), connection.cursor() as cursor:
            self._tune(cursor)
            cursor.execute(
                f"""
                SELECT d.id, d.object_id, d.source, d.section,
                       d.embedding <=> %s::vector AS distance
                FROM search_searchdocument d
                WHERE {where} AND d.embedding IS NOT NULL
                ORDER BY d.embedding <=> %s::vector LIMIT %s
                """,
                [query, *params, query, limit],
            )
            rows = cursor.fetchall()
        hits = [Hit(r[0], r[1], r[2], r[3], 1.0 - float(r[4])) for r in rows]
        # relaxed_order may return rows slightly out of order: sort by similarity.
        return sorted(hits, key=lambda hit: -hit.score)

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
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT embedding::text FROM search_searchdocument WHERE id = %s", [doc_id]
            )
            row = cursor.fetchone()
        if not row or row[0] is None:
            return []
        return [hit for hit in self.search(row[0], scope, limit + 1) if hit.doc_id != doc_id]
