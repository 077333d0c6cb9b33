"""Cross-lingual search: a visitor finds content that exists only in another language.

Why: partial translation is the normal state of a help centre. Every search is scoped to the
visitor's language, and each language may have its own model (MiniLM for English, whose space
no Spanish query shares), so a Spanish customer never found the English-only article that
answers them. Every indexed section therefore also carries a vector from one multilingual model
(``FARO_SEARCH["CROSS_LINGUAL"]["EMBEDDER"]``, multilingual-e5-small): for a language whose own
model is that one it is a copy, for the others a second embedding at index time.

At query time the other languages are searched in that space, but only among objects with no
version in the visitor's language (their ``translation_key`` has no row in it): a translated
article is found in the visitor's language by the normal search, never twice. Those hits are
labelled ("Also in English") and never outrank a good answer in the visitor's language: they
come after it, or first when the visitor's language has no good answer. A visitor whose own
model is not the multilingual one (English) needs a second query embedding for this, so their
search looks further only when their language has no good answer (docs/search.md,
"Cross-lingual search", for the figures).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np
from django.conf import settings

from . import snippets
from .backends.base import Hit, Scope, get_vector_backend
from .embedders import Embedder, embedder_for, get_embedder
from .models import SearchDocument

if TYPE_CHECKING:
    from .engine import ResultHit, SearchRequest
    from .sources import Section

CANDIDATES = 50
SNIPPET_WORDS = 40


def _config() -> dict[str, Any]:
    return settings.FARO_SEARCH.get("CROSS_LINGUAL") or {}


def multilingual_embedder() -> Embedder | None:
    """The multilingual model, or None when the site has one language or none is configured."""
    alias = _config().get("EMBEDDER", "")
    if len(settings.LANGUAGES) < 2 or alias not in settings.FARO_SEARCH["EMBEDDERS"]:
        return None
    return get_embedder(alias)


def attach_vectors(rows: Sequence[tuple[SearchDocument, Section]], changed: set[int]) -> int:
    """Give rows about to be saved their multilingual vector; returns how many were embedded.

    ``changed`` holds ``id()`` of the rows whose text changed (their own vector was just made).
    A row whose language's own model is the multilingual one gets a copy of its vector; the
    others are embedded in one batch. Rows already holding a current vector are left alone."""
    xl = multilingual_embedder()
    if xl is None:
        return 0
    todo = [
        (doc, section)
        for doc, section in rows
        if id(doc) in changed or doc.embedding_xl_model != xl.name
    ]
    to_embed = []
    for doc, section in todo:
        doc.embedding_xl_model = xl.name
        if doc.embedding_model == xl.name and doc.embedding is not None:
            doc.embedding_xl = doc.embedding
        else:
            to_embed.append((doc, section))
    if to_embed:
        vectors = xl.embed([section.embedding_text() for _, section in to_embed])
        for (doc, _), vector in zip(to_embed, vectors, strict=True):
            doc.embedding_xl = vector
    return len(to_embed)


def applies(request: SearchRequest) -> bool:
    """Whether this search also looks in other languages. A category filter names the visitor's
    language's categories, so a filtered search stays in it."""
    return multilingual_embedder() is not None and not request.category


def query_vector(request: SearchRequest, own_vector: np.ndarray | None) -> np.ndarray:
    """The query in the multilingual space: the search's own vector when its language's model
    is the multilingual one (no second embedding), else one more embedding."""
    xl = multilingual_embedder()
    assert xl is not None
    if own_vector is not None and embedder_for(request.locale) is xl:
        return own_vector
    return xl.embed_query(request.query)


def find(request: SearchRequest, scope: Scope, vector: np.ndarray) -> list[Hit]:
    """The best section of each object in other languages that has no version in the
    visitor's, nearest first, at least ``FLOOR`` similar."""
    floor = float(_config().get("FLOOR", 0.0))
    best: dict[tuple[str, str], Hit] = {}
    for code, _name in settings.LANGUAGES:
        if code == request.locale:
            continue
        other = replace(scope, locale=code, category="")
        for hit in get_vector_backend().untranslated_nearest(
            vector, other, request.locale, CANDIDATES
        ):
            key = (hit.source, hit.object_id)
            if hit.score >= floor and (key not in best or hit.score > best[key].score):
                best[key] = hit
    return sorted(best.values(), key=lambda hit: -hit.score)


def materialise(hits: list[Hit], limit: int) -> list[ResultHit]:
    """Result rows for cross-lingual hits: no highlighted words (the query's words are in
    another language), the section's opening instead."""
    from .engine import ResultHit

    hits = hits[:limit]
    docs = SearchDocument.objects.for_display().in_bulk([hit.doc_id for hit in hits])
    shown = []
    for hit in hits:
        doc = docs.get(hit.doc_id)
        if doc is None:
            continue
        words = " ".join((doc.body or doc.summary).split()[:SNIPPET_WORDS])
        shown.append(
            ResultHit(
                type=doc.source,
                id=doc.object_id,
                title=doc.title,
                url=doc.url,
                section="" if doc.section.startswith("_") else doc.section,
                heading=doc.heading,
                summary=doc.summary,
                snippet=snippets.render(words),
                locale=doc.locale,
                explanation={
                    "matched_terms": [],
                    "keyword_score": 0.0,
                    "semantic_similarity": round(hit.score, 4),
                    "promoted": False,
                    "score": round(hit.score, 4),
                    "parts": {"keyword": 0.0, "semantic": round(hit.score, 4)},
                },
                other_language=True,
            )
        )
    return shown


def merge(own: list[ResultHit], other: list[ResultHit], limit: int, missing: bool):
    """The page's list: the visitor's language first unless it has no good answer; at most
    ``MAX_SHOWN`` hits from other languages next to results in the visitor's own."""
    if not other:
        return own
    if not own:
        return other[:limit]
    shown = other[: min(int(_config().get("MAX_SHOWN", 3)), limit)]
    if missing:
        return [*shown, *own][:limit]
    return [*own[: limit - len(shown)], *shown]
