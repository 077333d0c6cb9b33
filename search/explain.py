"""What the search page says about each result, in words a customer reads.

The engine explains a result with stems and scores (``matched_terms``: "integr"; ``score``
4.386), which the API keeps for integrators and the page shows to staff. A customer reads the
words they typed that matched ("integrate", "Plano") and whether the result is close in meaning,
plus what kind of result it is: a community thread, with an accepted or official answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import connection
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from .embedders import tuned
from .engine import ResultHit, SearchResult
from .indexing import ts_config
from .models import SearchDocument
from .sources import community_sources

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class ShownHit:
    """A result as the page shows it."""

    hit: ResultHit
    matched_words: list[str] = field(default_factory=list)
    reason: str = ""
    community: bool = False
    answer_label: str = ""  # "Accepted answer" / "Official answer" for threads that have one
    # "English" for a result the visitor's language has no version of (search/crosslingual.py)
    other_language_name: str = ""


def words_by_lexeme(query: str, locale: str) -> dict[str, str]:
    """Each lexeme of the typed words → the first word that produced it (one statement)."""
    words = list(dict.fromkeys(_WORD.findall(query)))[:30]
    if not words:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w, tsvector_to_array(to_tsvector(%s::regconfig, w)) "
            "FROM unnest(%s::text[]) WITH ORDINALITY AS t(w, n) ORDER BY n",
            [ts_config(locale), words],
        )
        mapping: dict[str, str] = {}
        for word, lexemes in cursor.fetchall():
            for lexeme in lexemes or ():
                mapping.setdefault(lexeme, word)
    return mapping


def reason_for(matched_words: list[str], similarity: float, promoted: bool, locale: str) -> str:
    """One sentence: the matching words, then how close in meaning (on this language's model's
    own scale: its relevance floor and "likely answers" threshold)."""
    parts = []
    if promoted:
        parts.append(_("recommended by our team for this search"))
    if matched_words:
        quoted = ", ".join(f"“{word}”" for word in matched_words)
        parts.append(_("matches %(words)s") % {"words": quoted})
    if similarity >= tuned(locale, "MISSING_THRESHOLD"):
        parts.append(_("close in meaning to your question"))
    elif similarity >= tuned(locale, "RELEVANCE_FLOOR") or not matched_words:
        parts.append(_("related in meaning to your question"))
    sentence = "; ".join(parts)
    return sentence[:1].upper() + sentence[1:] + "." if sentence else ""


def answer_labels(hits: list[ResultHit], index_name: str) -> dict[tuple[str, str], str]:
    """Community posts with an accepted or official answer: the heading of their source's
    ``answer_section``, which the source writes in the post's language."""
    labels: dict[tuple[str, str], str] = {}
    for source in community_sources():
        ids = [hit.id for hit in hits if hit.type == source.name]
        if ids and source.answer_section:
            rows = SearchDocument.objects.filter(
                index_name=index_name,
                source=source.name,
                object_id__in=ids,
                section=source.answer_section,
            ).values_list("object_id", "heading")
            labels.update({(source.name, object_id): heading for object_id, heading in rows})
    return labels


def shown_hits(result: SearchResult, hits: list[ResultHit], index_name: str) -> list[ShownHit]:
    searched = result.did_you_mean if result.corrected and result.did_you_mean else result.query
    lexemes = words_by_lexeme(searched, result.locale)
    answers = answer_labels(hits, index_name)
    community = {source.name for source in community_sources()}
    shown = []
    for hit in hits:
        if hit.other_language:
            shown.append(other_language_hit(hit, result.locale))
            continue
        why = hit.explanation
        words = list(
            dict.fromkeys(lexemes[t] for t in why.get("matched_terms", ()) if t in lexemes)
        )
        shown.append(
            ShownHit(
                hit=hit,
                matched_words=words,
                reason=reason_for(
                    words, why.get("semantic_similarity", 0.0), why.get("promoted"), result.locale
                ),
                community=hit.type in community,
                answer_label=answers.get((hit.type, hit.id), ""),
            )
        )
    return shown


# Languages whose writers do not capitalise language names ("también en inglés").
LOWERCASE_LANGUAGE_NAMES = {"es", "fr", "it", "pt", "ca"}


def language_name(code: str) -> str:
    """The language's name in the active language, written as a sentence would write it."""
    name = str(get_language_info(code)["name_translated"])
    return name.lower() if (get_language() or "")[:2] in LOWERCASE_LANGUAGE_NAMES else name


def other_language_hit(hit: ResultHit, locale: str) -> ShownHit:
    """A result only another language has: which language, and that it was found by meaning
    (no typed word can match text in another language)."""
    reason = _("Not yet available in %(language)s; close in meaning to your question.") % {
        "language": language_name(locale)
    }
    return ShownHit(hit=hit, reason=reason, other_language_name=language_name(hit.locale))
