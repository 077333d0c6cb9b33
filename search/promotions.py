"""Editor-managed promoted results: an object (any source's) pinned to the top for queries with
given words. Pins are (source, object id), as the index names rows (``PromotedResult``)."""

from __future__ import annotations

import re

from django.db.models import Q

from .backends.base import Scope
from .models import PromotedResult, SearchDocument
from .ranking import Candidate

_WORD = re.compile(r"\w+", re.UNICODE)


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def promoted_candidates(request, scope: Scope, candidates: list[Candidate]) -> list[Candidate]:
    """Put promoted objects first (in the editor's order), if this visitor may see them: the
    promoted object's row must pass the same scope as any result."""
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
    visible = _visible_intro_rows(scope, [(p.source, p.object_id) for p in promos])
    pinned: list[Candidate] = []
    existing = {c.key: c for c in candidates}
    for promo in promos:
        row = visible.get((promo.source, promo.object_id))
        if row is None:
            continue
        key = (row.source, row.object_id)
        if any(c.key == key for c in pinned):
            continue  # pinned twice (two pins whose words both match)
        cand = existing.pop(key, None) or Candidate(
            row.source, row.object_id, section=row.section, doc_id=row.pk
        )
        cand.promoted = True
        pinned.append(cand)
    return pinned + [c for c in candidates if c.key in existing]


def _visible_intro_rows(
    scope: Scope, keys: list[tuple[str, str]]
) -> dict[tuple[str, str], SearchDocument]:
    from .backends.sql import scope_clause

    where, params = scope_clause(scope, alias="search_searchdocument")
    wanted = Q()
    for source, object_id in keys:
        wanted |= Q(source=source, object_id=object_id)
    rows = (
        SearchDocument.objects.for_display()
        .filter(wanted, section="")
        .extra(where=[where], params=params)
    )
    return {(row.source, row.object_id): row for row in rows}
