"""The query path: one function, ``search()``, used by the help-centre page, the API, the
suggestions and the evaluation command alike.

Flow: validate → embed the query → keyword and vector retrieval under the same ``Scope`` →
complete each candidate's missing score → collapse sections per object → fuse → editor
promotions first → snippets and explanations → confidence and next steps.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from django.conf import settings

from . import answerability, answers, crosslingual, parallel, snippets
from .backends.base import Hit, Scope, get_keyword_backend, get_vector_backend
from .backends.postgres import query_memo
from .embedders import embedder_for, tuned
from .models import DEFAULT_INDEX, SearchDocument
from .next_steps import build_next_steps, related_objects
from .promotions import promoted_candidates
from .ranking import FUSIONS, Candidate, collapse
from .sources import audiences_for

MAX_QUERY_CHARS = 300
MAX_LIMIT = 50
CANDIDATES = 100


# Apps that let editors remove a result for a query (Insights' "mark as wrong") register a
# function (query, locale) -> {(source, object_id), …} here from their AppConfig.ready; the
# engine never imports them.
_result_exclusions: list[Callable[[str, str], set[tuple[str, str]]]] = []


def register_result_exclusion(exclude: Callable[[str, str], set[tuple[str, str]]]) -> None:
    if exclude not in _result_exclusions:
        _result_exclusions.append(exclude)


def _excluded(query: str, locale: str) -> set[tuple[str, str]]:
    dropped: set[tuple[str, str]] = set()
    for exclude in _result_exclusions:
        dropped |= exclude(query, locale)
    return dropped


class QueryError(ValueError):
    """A query the engine will not run; the message says why, for a 400."""


def default_ratio(locale: str) -> float:
    """The semantic ratio when the caller sets none.

    ``SEMANTIC_RATIO`` was tuned on English dev splits, where the model is the stronger channel
    and keywords got the smaller share. For a language the model was not trained on (MiniLM is
    English-only) the roles swap, so the shares swap: keywords lead and the model gets the small
    share (``SEMANTIC_RATIO_OTHER_LANGUAGES``, default ``1 - SEMANTIC_RATIO``). No Spanish dev
    split exists to tune it on; docs/search.md reports the test figure it gives.
    """
    config = settings.FARO_SEARCH
    if embedder_for(locale).covers(locale):
        return tuned(locale, "SEMANTIC_RATIO")
    return config.get("SEMANTIC_RATIO_OTHER_LANGUAGES", 1 - config["SEMANTIC_RATIO"])


@dataclass
class SearchRequest:
    query: str
    locale: str
    semantic_ratio: float | None = None
    sources: tuple[str, ...] = ()
    category: str = ""
    product_area: str = ""
    limit: int = 10
    user: Any = None
    index_name: str = DEFAULT_INDEX
    # False: search the words as typed ("search instead for …"); "did you mean" is still offered.
    correct: bool = True

    def clean(self) -> None:
        self.query = " ".join(str(self.query or "").split())
        if not self.query:
            raise QueryError("Type something to search for.")
        if len(self.query) > MAX_QUERY_CHARS:
            raise QueryError(f"Keep the search under {MAX_QUERY_CHARS} characters.")
        if "\x00" in self.query:
            raise QueryError("The search contains characters that cannot be searched.")
        if self.locale not in {code for code, _name in settings.LANGUAGES}:
            raise QueryError("locale must be one of the site's languages.")
        if self.semantic_ratio is None:
            self.semantic_ratio = default_ratio(self.locale)
        if not 0.0 <= float(self.semantic_ratio) <= 1.0:
            raise QueryError("semantic_ratio must be between 0 and 1.")
        if not 1 <= int(self.limit) <= MAX_LIMIT:
            raise QueryError(f"limit must be between 1 and {MAX_LIMIT}.")
        self.semantic_ratio = float(self.semantic_ratio)

    def scope(self) -> Scope:
        """Each source says which of its rows this user may see (``SearchSource.audience``)."""
        return Scope(
            index_name=self.index_name,
            locale=self.locale,
            audiences=audiences_for(self.user),
            sources=tuple(self.sources),
            category=self.category,
            product_area=self.product_area,
        )


@dataclass
class ResultHit:
    type: str
    id: str
    title: str
    url: str
    section: str
    heading: str
    summary: str
    snippet: str
    locale: str
    explanation: dict = field(default_factory=dict)
    # In another language: the visitor's has no version of it ("Also in English").
    other_language: bool = False


@dataclass
class SearchResult:
    query: str
    locale: str
    semantic_ratio: float
    total: int
    hits: list[ResultHit]
    did_you_mean: str | None
    # True: the results are for ``did_you_mean`` ("showing results for …"), not the typed words.
    corrected: bool
    confidence: float
    answer_likely_missing: bool
    next_steps: list[dict]
    latency_ms: float
    # The quoted passage that answers, when the engine is confident (search/answers.py).
    answer: dict | None = None
    # What the answerability model saw (search/answerability.py): for fitting, not for the API.
    signals: dict = field(default_factory=dict, repr=False)

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("signals")
        return data


def search(request: SearchRequest) -> SearchResult:
    started = time.perf_counter()
    with query_memo():
        return _search(request, started)


def _search(request: SearchRequest, started: float) -> SearchResult:
    request.clean()
    scope = request.scope()
    ratio = request.semantic_ratio
    keyword, vector = get_keyword_backend(), get_vector_backend()
    # The query's meaning is worked out on another thread while PostgreSQL works on its words.
    search_too = ratio > 0 and parallel.side_connection_usable()
    semantic = parallel.soon(_semantic, request, scope, search_too, uses_database=search_too)

    # Words the index has never seen are replaced by the closest ones it has (trigrams): the
    # keyword side searches the corrected text and the page offers "did you mean".
    suggestion = keyword.did_you_mean(request.query, scope)
    correction = suggestion if request.correct else None
    keyword_query = correction or request.query
    kw_hits = keyword.search(keyword_query, scope, CANDIDATES) if ratio < 1 else []
    query_vector, sem_hits = semantic.result()
    if sem_hits is None:
        sem_hits = vector.search(query_vector, scope, CANDIDATES) if ratio > 0 else []
    if correction and ratio > 0:
        query_vector, sem_hits = _closer_meaning(request, scope, correction, query_vector, sem_hits)
    candidates = _fuse(request, scope, kw_hits, sem_hits, correction, query_vector)
    dropped = _excluded(request.query, request.locale)
    if dropped:
        candidates = [c for c in candidates if (c.source, str(c.object_id)) not in dropped]
    floor = tuned(request.locale, "RELEVANCE_FLOOR")
    candidates = promoted_candidates(request, scope, [c for c in candidates if _relevant(c, floor)])
    top = candidates[: request.limit]
    # Related articles (the top hit's neighbours) are looked up while the snippets are made.
    related = None
    if top and parallel.side_connection_usable():
        related = parallel.soon(related_objects, top[0], scope, uses_database=True)
    hits = _materialise(top, request, scope, correction)
    verdict = answerability.judge(request.query, request.locale, candidates, scope, correction)
    confidence, missing = verdict.confidence, verdict.missing
    answer = None
    if hits and not missing:
        answer = answers.build_answer(correction or request.query, hits, scope, request.index_name)
    other = _other_languages(request, scope, query_vector, missing)
    return SearchResult(
        query=request.query,
        locale=request.locale,
        semantic_ratio=ratio,
        total=len(candidates) + len(other),
        hits=crosslingual.merge(hits, other, request.limit, missing),
        did_you_mean=suggestion,
        corrected=bool(correction),
        confidence=round(confidence, 4),
        answer_likely_missing=missing,
        next_steps=build_next_steps(
            hits,
            top,
            scope,
            missing,
            request.locale,
            request.query,
            related=related.result() if related else None,
        ),
        latency_ms=round((time.perf_counter() - started) * 1000, 2),
        answer=answer,
        signals=verdict.signals,
    )


def _semantic(request: SearchRequest, scope: Scope, search_too: bool):
    """(query vector, nearest sections or None): the vector search only when ``search_too``
    (see ``parallel.side_connection_usable``); otherwise the caller runs it."""
    query_vector = embedder_for(request.locale).embed_query(request.query)
    if not search_too:
        return query_vector, None
    return query_vector, get_vector_backend().search(query_vector, scope, CANDIDATES)


def _closer_meaning(request, scope, correction, query_vector, sem_hits):
    """The meaning side with whichever text lands nearer the index: the typed words or the
    corrected ones. A misspelt word embeds as noise ("pasword resset" is far from every
    article), but "did you mean" also rewrites words that are merely absent from a small index
    (names, slang), and there the typed text means more; on the dev splits always using the
    correction cost 0.009 nDCG@10 (hwu64). Only typo queries pay the second embedding."""
    fixed_vector, _ = _semantic(replace(request, query=correction), scope, False)
    fixed_hits = get_vector_backend().search(fixed_vector, scope, CANDIDATES)
    best = max((hit.score for hit in sem_hits), default=-1.0)
    if max((hit.score for hit in fixed_hits), default=-1.0) > best:
        return fixed_vector, fixed_hits
    return query_vector, sem_hits


def _other_languages(request, scope, query_vector, missing: bool) -> list[ResultHit]:
    """Hits from other languages, for objects the visitor's language has no version of.

    Where the visitor's own model is the multilingual one (Spanish), its query vector serves
    as is and the extra search costs one index scan, so it always runs. Elsewhere (English:
    MiniLM) it needs a second query embedding (~20 ms of CPU on e5), so it runs only when the
    visitor's language has no good answer (docs/search.md, "Cross-lingual search")."""
    if not crosslingual.applies(request):
        return []
    if not missing and embedder_for(request.locale) is not crosslingual.multilingual_embedder():
        return []
    vector = crosslingual.query_vector(request, query_vector)
    return crosslingual.materialise(crosslingual.find(request, scope, vector), request.limit)


def _relevant(cand: Candidate, floor: float) -> bool:
    """A result must match by words or be at least loosely related in meaning: the vector index
    always returns *something*, and a wall of unrelated articles helps no one."""
    return cand.keyword > 0 or cand.semantic >= floor


def _fuse(request, scope, kw_hits, sem_hits, correction, query_vector) -> list[Candidate]:
    """Give every candidate section both scores, collapse per object, then fuse."""
    keyword, vector = get_keyword_backend(), get_vector_backend()
    kw = {h.doc_id: h for h in kw_hits}
    sem = {h.doc_id: h for h in sem_hits}
    missing_kw = [doc_id for doc_id in sem if doc_id not in kw]
    missing_sem = [doc_id for doc_id in kw if doc_id not in sem]
    # Both completions at once when another connection may help: similarity on the side.
    similarity = None
    if missing_sem and parallel.side_connection_usable():
        similarity = parallel.soon(
            vector.score, query_vector, scope, missing_sem, uses_database=True
        )
    if missing_kw and request.semantic_ratio < 1:
        kw.update(keyword.score(correction or request.query, scope, missing_kw))
    if similarity:
        sem.update(similarity.result())
    elif missing_sem:
        sem.update(vector.score(query_vector, scope, missing_sem))
    sections: dict[int, tuple[Hit | None, Hit | None]] = {
        doc_id: (kw.get(doc_id), sem.get(doc_id)) for doc_id in set(kw) | set(sem)
    }
    objects = collapse(sections, request.semantic_ratio)
    fusion = FUSIONS[settings.FARO_SEARCH["FUSION"]]
    return fusion(list(objects.values()), request.semantic_ratio)


def _materialise(top: list[Candidate], request, scope, correction) -> list[ResultHit]:
    docs = SearchDocument.objects.for_display().in_bulk([c.doc_id for c in top])
    matched_ids = [c.doc_id for c in top if c.matched and c.doc_id in docs]
    headlines = get_keyword_backend().highlight_many(
        correction or request.query, scope, matched_ids
    )
    hits = []
    for cand in top:
        doc = docs.get(cand.doc_id)
        if doc is None:
            continue
        # The matched words marked by the backend, else the opening words (search/snippets.py)
        text = headlines.get(doc.pk) or " ".join((doc.body or doc.summary).split()[:40])
        snippet = snippets.render(text)
        hits.append(
            ResultHit(
                type=doc.source,
                id=doc.object_id,
                title=doc.title,
                url=doc.url,
                section=doc.section,
                heading=doc.heading,
                summary=doc.summary,
                snippet=snippet,
                locale=doc.locale,
                explanation=_explain(cand),
            )
        )
    return hits


def _explain(cand: Candidate) -> dict:
    return {
        "matched_terms": cand.matched,
        "keyword_score": round(cand.keyword, 4),
        "semantic_similarity": round(cand.semantic, 4),
        "promoted": cand.promoted,
        "score": round(cand.score, 4),
        "parts": {
            "keyword": round(cand.keyword_part, 4),
            "semantic": round(cand.semantic_part, 4),
        },
    }
