"""Editor-managed promoted results: an article pinned to the top for queries with given words."""

from __future__ import annotations

import re

from .backends.base import Scope
from .models import PromotedResult, SearchDocument
from .ranking import Candidate

_WORD = re.compile(r"\w+", re.UNICODE)


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def promoted_candidates(request, scope: Scope, candidates: list[Candidate]) -> list[Candidate]:
    """Put promoted articles first (in the editor's order), if this visitor may see them: the
    promoted article's row must pass the same scope as any result."""
    if request.index_name != "default":
        return candidates
    query_words = _words(request.query)
    promos = [
        promo
        for promo in PromotedResult.objects.filter(locale=request.locale[:2]).order_by(
            "sort_order", "pk"
        )
        if _words(promo.query) and _words(promo.query) <= query_words
    ]
    if not promos:
        return candidates
    visible = _visible_intro_rows(scope, [str(p.article_id) for p in promos])
    pinned: list[Candidate] = []
    existing = {c.key: c for c in candidates}
    for promo in promos:
        row = visible.get(str(promo.article_id))
        if row is None:
            continue
        cand = existing.pop(("article", row.object_id), None) or Candidate(
            "article", row.object_id, section=row.section, doc_id=row.pk
        )
        cand.promoted = True
        pinned.append(cand)
    return pinned + [c for c in candidates if c.key in existing]


def _visible_intro_rows(scope: Scope, object_ids: list[str]) -> dict[str, SearchDocument]:
    from .backends.sql import scope_clause

    where, params = scope_clause(scope, alias="search_searchdocument")
    rows = (
        SearchDocument.objects.for_display()
        .filter(source="article", object_id__in=object_ids, section="")
        .extra(where=[where], params=params)
    )
    return {row.object_id: row for row in rows}
