"""The answer card: the passage of the company's own content that answers the query, quoted.

Never generated text: the card is a sentence (or two) cut from the best section of the top
result, which the visitor is already allowed to see (it comes out of the same permission-scoped
search), with its title, deep link and why it was chosen. It is only offered when the engine is
confident (``answer_likely_missing`` is false), so a doubtful quote never stands between a
customer and a person.

Sentences are chosen by the query's words, weighted by how rare they are in the index (IDF from
the same vocabulary lookup the ranking used), read through PostgreSQL's own stemming for the
section's language: the question's words are usually the answer's words in help content.
Measured on xquad_es's sentence judgements (docs/answers.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q

from .backends.base import Scope, get_keyword_backend
from .embedders import embedder_for
from .indexing import ts_config
from .models import SearchDocument
from .sources import OVERVIEW, Freshness, get_source

# A sentence ends at . ! ? … (or a line break) followed by space and an upper-case letter, digit,
# quote or opening mark; abbreviations are rare enough in help content to accept the odd cut.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"'«¿¡(A-ZÁÉÍÓÚÑÜ0-9])|\n+")
MAX_SENTENCES = 40
MAX_CHARS = 400  # a card quotes, it does not reprint the article
CARD_CANDIDATES = 3  # the card may come from the second or third hit if the first is outdated
ANSWER_MEANING_WEIGHT = 0.0  # words alone (docs/answers.md: chosen on the xquad_es dev split)


@dataclass
class Answer:
    text: str
    title: str
    url: str
    heading: str
    type: str
    id: str
    matched_terms: list[str] = field(default_factory=list)
    why: str = ""


def split_sentences(text: str) -> list[str]:
    """The section's sentences, in order (whitespace normalised)."""
    parts = (" ".join(part.split()) for part in _SENTENCE_END.split(text or ""))
    return [part for part in parts if part][:MAX_SENTENCES]


def word_scores(query: str, sentences: list[str], scope: Scope) -> list[tuple[float, list[str]]]:
    """(IDF share of the query's terms the sentence contains, those terms) per sentence."""
    terms = get_keyword_backend().terms(query, scope)
    total = sum(idf for _, idf in terms)
    if not sentences or not total:
        return [(0.0, []) for _ in sentences]
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT s.n, tsvector_to_array(to_tsvector(%s::regconfig, s.sentence))
               FROM unnest(%s::text[]) WITH ORDINALITY AS s(sentence, n)""",
            [ts_config(scope.locale), sentences],
        )
        lexemes = {int(n) - 1: set(lex or []) for n, lex in cursor.fetchall()}
    scores = []
    for index in range(len(sentences)):
        present = [lex for lex, _ in terms if lex in lexemes.get(index, set())]
        scores.append((sum(idf for lex, idf in terms if lex in present) / total, present))
    return scores


def meaning_scores(query: str, sentences: list[str], locale: str) -> list[float]:
    """Cosine similarity of each sentence to the query, with the language's model."""
    if not sentences:
        return []
    embedder = embedder_for(locale)
    vectors = embedder.embed(sentences)
    return [float(v) for v in vectors @ embedder.embed_query(query)]


def rank_sentences(
    query: str, sentences: list[str], scope: Scope, meaning_weight: float | None = None
) -> list[tuple[float, int, list[str]]]:
    """(score, index, matched lexemes) per sentence, best first: the IDF share of the query's
    terms the sentence contains, plus ``meaning_weight`` times its similarity to the query when
    that weight is set; ties go to the earlier sentence (help text leads with the point)."""
    weight = ANSWER_MEANING_WEIGHT if meaning_weight is None else meaning_weight
    words = word_scores(query, sentences, scope)
    meaning = meaning_scores(query, sentences, scope.locale) if weight else []
    return combine(words, meaning, weight)


def combine(
    words: list[tuple[float, list[str]]], meaning: list[float], weight: float
) -> list[tuple[float, int, list[str]]]:
    """Best first; a sentence sharing no word with the query scores zero whatever its meaning
    (a card must be able to say which words it matched)."""
    ranked = [
        (score + weight * (meaning[index] if meaning else 0.0) if score > 0 else 0.0, index, terms)
        for index, (score, terms) in enumerate(words)
    ]
    ranked.sort(key=lambda item: (-item[0], item[1]))
    return ranked


@dataclass(frozen=True)
class Passage:
    """One section of a result, as the card may quote and deep-link it."""

    section: str
    heading: str
    url: str
    body: str


def object_sentences(passages: list[Passage]) -> list[tuple[str, int]]:
    """Every sentence of an object's sections in reading order, with its passage's index."""
    found = []
    for number, passage in enumerate(passages):
        found += [(sentence, number) for sentence in split_sentences(passage.body)]
    return found[:MAX_SENTENCES]


def extract(
    query: str, passages: list[Passage], scope: Scope
) -> tuple[str, list[str], Passage] | None:
    """(quoted text, matched terms, its passage) from the best sentence of an object, or None
    when no sentence shares a word with the query. A short best sentence takes the next one of
    its section for context."""
    sentences = object_sentences(passages)
    ranked = rank_sentences(query, [text for text, _ in sentences], scope)
    if not ranked or ranked[0][0] <= 0:
        return None
    _score, index, matched = ranked[0]
    text, number = sentences[index]
    following = sentences[index + 1] if index + 1 < len(sentences) else None
    if len(text) < 60 and following and following[1] == number:
        text = f"{text} {following[0]}"
    if len(text) > MAX_CHARS:
        text = text[: MAX_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return text, matched, passages[number]


def _caveat(fresh: Freshness | None) -> str:
    if fresh is None:
        return ""
    if fresh.translation_outdated:
        return "translation_outdated"
    return "review_due" if fresh.review_due else ""


def build_answer(query: str, hits: list, scope: Scope, index_name: str) -> dict | None:
    """The card for a confident search, from the first of the top hits that is current and
    has a sentence sharing the query's words; an outdated one only when no current one does,
    and then with its ``caveat``. ``hits`` are the engine's ``ResultHit`` rows: already limited
    to what this visitor may see."""
    candidates = hits[:CARD_CANDIDATES]
    if not candidates:
        return None
    passages = object_passages([(hit.type, hit.id) for hit in candidates], index_name)
    fresh = _freshness(candidates)
    fallback = None
    for hit in candidates:
        found = extract(query, passages.get((hit.type, hit.id), []), scope)
        if found is None:
            continue
        card = _card(hit, found, fresh.get((hit.type, hit.id)))
        if not card["caveat"]:
            return card
        fallback = fallback or card
    return fallback


def _card(hit, found: tuple[str, list[str], Passage], info: Freshness | None) -> dict:
    text, matched, passage = found
    reviewed = info.last_reviewed.isoformat() if info and info.last_reviewed else None
    return {
        "text": text,
        "type": hit.type,
        "id": hit.id,
        "title": hit.title,
        "heading": passage.heading,
        "url": passage.url or hit.url,
        "last_reviewed": reviewed,
        "caveat": _caveat(info),
        "matched_terms": matched,
    }


def object_passages(
    keys: list[tuple[str, str]], index_name: str
) -> dict[tuple[str, str], list[Passage]]:
    """The indexed sections of each (source, object id), in reading order (the overview row,
    which has no text of its own, left out). One statement."""
    match = Q()
    for source, object_id in keys:
        match |= Q(source=source, object_id=object_id)
    rows = (
        SearchDocument.objects.filter(match, index_name=index_name)
        .exclude(section=OVERVIEW)
        .order_by("source", "object_id", "position")
        .values_list("source", "object_id", "section", "heading", "url", "body")
    )
    found: dict[tuple[str, str], list[Passage]] = {}
    for source, object_id, section, heading, url, body in rows:
        found.setdefault((source, object_id), []).append(Passage(section, heading, url, body))
    return found


def _freshness(hits: list) -> dict[tuple[str, str], Freshness]:
    found: dict[tuple[str, str], Freshness] = {}
    by_source: dict[str, list[str]] = {}
    for hit in hits:
        by_source.setdefault(hit.type, []).append(hit.id)
    for name, ids in by_source.items():
        try:
            source = get_source(name)
        except KeyError:
            continue  # e.g. an evaluation corpus: nothing to say about its freshness
        found.update({(name, oid): info for oid, info in source.freshness(ids).items()})
    return found
