"""Keyword retrieval on PostgreSQL full-text search.

Per-language configurations with ``unaccent`` (``faro_en``, ``faro_es``) and BM25 over the
index's postings (``SearchPosting``: title, heading and body occurrences weighted): the query's
words are OR-ed (customers type sentences, not keyword lists) and each matched word counts by its
inverse document frequency, so "refund" outweighs "my". Snippets, suggestions and "did you mean"
use the weighted ``tsvector`` and its GIN index; typos fall back to trigram similarity against
the index's own vocabulary.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import NamedTuple

from django.db import connection
from django.db.models import Q

from search.indexing import DEFAULT_LENGTH, bm25_weight, ts_config
from search.models import SearchTerm, Synonym
from search.sources import OVERVIEW

from .base import Hit, KeywordBackend, Scope
from .sql import scope_clause

MAX_TERMS = 16
# Candidates on large indexes (see ``search``): the strongest sections per query word, and how
# many of them, by partial score, are scored on all the words. At 100k sections 1,000 and 300
# keep 95% of the exact BM25 top ten in ~8 ms instead of ~170 (docs/search_speed.md).
PER_TERM = 1_000
RESCORED = 300
_WORD = re.compile(r"\w+", re.UNICODE)
_terms_memo: ContextVar[dict | None] = ContextVar("faro_keyword_terms", default=None)


class Lookup(NamedTuple):
    terms: list[tuple[str, float]]  # (lexeme, IDF), rarest first
    average_length: float  # of the locale's sections, for BM25's length normalisation
    unknown_words: tuple[str, ...]  # typed words none of whose lexemes is in the index


@contextmanager
def query_memo() -> Iterator[None]:
    """Within one search, compute the query's lexemes and weights once.

    Retrieval, score completion, coverage and every snippet need the same terms; each lookup
    costs three statements (parse, vocabulary, synonyms). A context variable keeps the memo
    private to the running request (thread- and async-safe) and gone when it ends, so an
    editor's new synonym or a refreshed vocabulary applies to the very next search.
    """
    token = _terms_memo.set({})
    try:
        yield
    finally:
        _terms_memo.reset(token)


class PostgresKeywordBackend(KeywordBackend):
    def terms(self, query: str, scope: Scope) -> list[tuple[str, float]]:
        """The query's lexemes (synonyms added) with their IDF weights, rarest first."""
        return self._lookup(query, scope).terms

    def unknown_words(self, query: str, scope: Scope) -> tuple[str, ...]:
        return self._lookup(query, scope).unknown_words

    def _lookup(self, query: str, scope: Scope) -> Lookup:
        """What the vocabulary says about the query, memoised within a search."""
        memo = _terms_memo.get()
        key = (query, scope.locale, scope.index_name)
        if memo is not None and key in memo:
            return memo[key]
        found = self._look_up(query, scope)
        if memo is not None:
            memo[key] = found
        return found

    def _look_up(self, query: str, scope: Scope) -> Lookup:
        """Three statements: the synonyms, the lexemes of the query (synonyms added) and of
        each typed word, then their document frequencies and the index size. "Did you mean"
        reads the unknown words from the same lookup the ranking uses."""
        words = list(dict.fromkeys(_WORD.findall(query.lower())))
        config = ts_config(scope.locale)
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT NULL, tsvector_to_array(to_tsvector(%s::regconfig, %s))
                   UNION ALL
                   SELECT w, tsvector_to_array(to_tsvector(%s::regconfig, w))
                   FROM unnest(%s::text[]) AS w""",
                [config, expand_synonyms(query, scope.locale), config, words],
            )
            rows = cursor.fetchall()
        lexemes = next((lex for word, lex in rows if word is None), None) or []
        per_word = {word: lex or [] for word, lex in rows if word is not None}
        wanted = set(lexemes).union(*per_word.values())
        if not wanted:
            return Lookup([], DEFAULT_LENGTH, ())
        vocabulary = SearchTerm.objects.filter(
            Q(kind=SearchTerm.LEXEME, word__in=wanted)
            | Q(kind__in=[SearchTerm.TOTAL, SearchTerm.LENGTH]),
            index_name=scope.index_name,
            locale=scope.locale,
        ).values_list("kind", "word", "documents")
        frequencies = {word: n for kind, word, n in vocabulary if kind == SearchTerm.LEXEME}
        sizes = {kind: n for kind, _, n in vocabulary if kind != SearchTerm.LEXEME}
        total, average_length = _index_size(scope, sizes)
        weighted = [(lex, _idf(frequencies.get(lex, 0), total)) for lex in lexemes]
        weighted.sort(key=lambda item: -item[1])
        unknown = tuple(
            word
            for word, lexes in per_word.items()
            if lexes and not any(frequencies.get(lex) for lex in lexes)
        )
        return Lookup(weighted[:MAX_TERMS], average_length, unknown)

    def _bm25(
        self, query: str, scope: Scope, candidates: str, params: list, limit: int
    ) -> list[Hit]:
        """BM25 scores of the sections ``candidates`` (SQL yielding ``document_id``) selects,
        best first, with the query words each contains.

        A section's ``boost`` (a source's ranking signal, e.g. community votes) lifts it in
        proportion, so it breaks near-ties without outweighing relevance; it reorders the
        ``limit`` best sections, it does not pull one in from beyond them.
        """
        terms, length, _ = self._lookup(query, scope)
        where, where_params = scope_clause(scope, alias="p")
        lexemes, idfs = [lex for lex, _ in terms], [idf for _, idf in terms]
        weight, weight_params = bm25_weight("p.tf", "p.length", "%s")
        sql = f"""
            WITH cand AS MATERIALIZED ({candidates})
            SELECT d.id, d.object_id, d.source, d.section, s.score * (1 + d.boost) AS score,
                   s.matched
            FROM (
                SELECT c.document_id, s.score, s.matched FROM cand c CROSS JOIN LATERAL (
                    SELECT sum((%s::float8[])[array_position(%s::text[], p.lexeme)]
                               * {weight}) AS score,
                           array_agg(p.lexeme ORDER BY p.lexeme) AS matched
                    FROM search_searchposting p
                    WHERE p.document_id = c.document_id AND p.lexeme = ANY(%s) AND {where}
                ) s
                WHERE s.score IS NOT NULL
                ORDER BY s.score DESC, c.document_id LIMIT %s
            ) s JOIN search_searchdocument d ON d.id = s.document_id
            ORDER BY score DESC, d.id
        """
        params = [*params, idfs, lexemes, *weight_params, length, lexemes, *where_params, limit]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [Hit(row[0], row[1], row[2], row[3], float(row[4]), row[5]) for row in cursor]

    def search(self, query: str, scope: Scope, limit: int) -> list[Hit]:
        """The best BM25 sections for the query's words (any of them: customers type sentences).

        Ranking every section that contains a common word ("plan", "change") is what makes
        keyword search slow on large sites. Each word's postings are indexed in order of impact
        (its BM25 weight in the section), so each word contributes its ``PER_TERM`` strongest
        visible sections, read from the index alone; their partial scores (the words that
        brought them) pick the ``RESCORED`` most promising, which are then scored on all the
        words. A rare word brings all its sections, so on small sites the ranking is exact.
        """
        terms, length, _ = self._lookup(query, scope)
        if not terms:
            return []
        where, where_params = scope_clause(scope, alias="p")
        weight, weight_params = bm25_weight("c.tf", "c.length", "%s")
        candidates = f"""
            SELECT g.document_id FROM (
                SELECT c.document_id, q.idf * {weight} AS part
                FROM unnest(%s::text[], %s::float8[]) AS q(lexeme, idf) CROSS JOIN LATERAL (
                    SELECT p.document_id, p.tf, p.length FROM search_searchposting p
                    WHERE {where} AND p.lexeme = q.lexeme ORDER BY p.impact DESC LIMIT %s
                ) c
            ) g GROUP BY g.document_id ORDER BY sum(g.part) DESC, g.document_id LIMIT %s"""
        params = [*weight_params, length, [lex for lex, _ in terms], [idf for _, idf in terms]]
        params += [*where_params, PER_TERM, max(RESCORED, 3 * limit)]
        return self._bm25(query, scope, candidates, params, limit)

    def score(self, query: str, scope: Scope, doc_ids: list[int]) -> dict[int, Hit]:
        terms = self.terms(query, scope)
        if not doc_ids or not terms:
            return {}
        candidates = "SELECT DISTINCT unnest(%s::bigint[]) AS document_id"
        hits = self._bm25(query, scope, candidates, [list(doc_ids)], len(doc_ids))
        return {hit.doc_id: hit for hit in hits}

    def coverage(self, query: str, scope: Scope, doc_id: int) -> float:
        terms = self.terms(query, scope)
        hit = self.score(query, scope, [doc_id]).get(doc_id)
        total = sum(idf for _, idf in terms)
        if not hit or not total:
            return 0.0
        return sum(idf for lex, idf in terms if lex in hit.matched) / total

    def highlight(self, query: str, scope: Scope, doc_id: int) -> str:
        return self.highlight_many(query, scope, [doc_id]).get(doc_id, "")

    def highlight_many(self, query: str, scope: Scope, doc_ids: list[int]) -> dict[int, str]:
        """Snippets for a page of results in one statement."""
        terms = self.terms(query, scope)
        if not terms or not doc_ids:
            return {}
        any_term = " || ".join("quote_literal(%s)::tsquery" for _ in terms)
        options = (
            "StartSel=\x02, StopSel=\x03, MaxWords=40, MinWords=20, "
            'MaxFragments=2, FragmentDelimiter=" … "'
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"""SELECT id, ts_headline(%s::regconfig, coalesce(nullif(body, ''), summary),
                                           ({any_term}), %s)
                    FROM search_searchdocument WHERE id = ANY(%s)""",
                [ts_config(scope.locale), *[lex for lex, _ in terms], options, doc_ids],
            )
            return {row[0]: row[1] for row in cursor}

    def suggest(self, prefix: str, scope: Scope, limit: int) -> list[Hit]:
        """Titles matching every typed word, the last one as a prefix ("pass" → "Password")."""
        words = [w.lower() for w in _WORD.findall(prefix)][:8]
        if not words:
            return []
        where, where_params = scope_clause(scope)
        config = ts_config(scope.locale)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT d.id, d.object_id, d.source, d.section,
                       ts_rank(d.search_vector, q) + d.boost AS score
                FROM search_searchdocument d,
                     to_tsquery(%s::regconfig, %s) AS q
                WHERE {where} AND d.section = '' AND d.search_vector @@ q
                ORDER BY score DESC, d.title LIMIT %s
                """,
                [config, _prefix_query(words), *where_params, limit],
            )
            hits = [Hit(row[0], row[1], row[2], row[3], float(row[4])) for row in cursor]
            if hits:
                return hits
            cursor.execute(
                f"""
                SELECT d.id, d.object_id, d.source, d.section,
                       word_similarity(%s, d.title) AS score
                FROM search_searchdocument d
                WHERE {where} AND d.section = '' AND %s <%% d.title
                ORDER BY score DESC LIMIT %s
                """,
                [prefix, *where_params, prefix, limit],
            )
            return [Hit(row[0], row[1], row[2], row[3], float(row[4])) for row in cursor]

    def did_you_mean(self, query: str, scope: Scope) -> str | None:
        """Replace words the index has never seen (none of their stems, and not a stop word)
        with the closest word it has, by trigram similarity."""
        unknown = set(self._lookup(query, scope).unknown_words)
        if not unknown:
            return None
        corrected, changed = [], False
        for word in _WORD.findall(query.lower()):
            correctable = word in unknown and 4 <= len(word) <= MAX_CORRECTED_LENGTH
            replacement = _closest(word, scope) if correctable else None
            corrected.append(replacement or word)
            changed |= bool(replacement)
        return " ".join(corrected) if changed else None


# No real word is longer; PostgreSQL's levenshtein refuses arguments over 255 characters (a 500
# for one long pasted word), so longer words are never corrected and index words are cut.
MAX_CORRECTED_LENGTH = 40


def _prefix_query(words: list[str]) -> str:
    def quoted(word: str) -> str:
        return "'" + word.replace("'", "''").replace("\\", "") + "'"

    parts = [quoted(w) for w in words[:-1]] + [quoted(words[-1]) + ":*"]
    return " & ".join(parts)


def _closest(word: str, scope: Scope) -> str | None:
    """The index word nearest to ``word``: two adjacent letters swapped ("refnud"), or one edit
    away (two for long words), or very close by trigrams; fewest edits first, then the most
    common word. Only words found in a section this visitor may see qualify: a correction must
    not reveal restricted content."""
    max_edits = 1 if len(word) < 8 else 2
    swaps = [word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)]
    where, where_params = scope_clause(scope, alias="p")
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT t.word FROM search_searchterm t
            WHERE t.index_name = %s AND t.locale = %s AND t.kind = 'word'
              AND (t.word = ANY(%s)
                   OR (t.word %% %s AND similarity(t.word, %s) >= 0.6)
                   OR (left(t.word, 1) = left(%s, 1)
                       AND abs(length(t.word) - length(%s)) <= %s
                       AND levenshtein_less_equal(left(t.word, 255), %s, %s) <= %s))
              AND EXISTS (  -- in a visible section: the postings index answers alone
                  SELECT 1 FROM search_searchposting p
                  WHERE {where}
                    AND p.lexeme = ANY(tsvector_to_array(to_tsvector(%s::regconfig, t.word))))
            ORDER BY CASE WHEN t.word = ANY(%s) THEN 1
                          ELSE levenshtein_less_equal(left(t.word, 255), %s, 3) END,
                     t.documents DESC
            LIMIT 1
            """,
            [scope.index_name, scope.locale, swaps, word, word, word, word, max_edits, word,
             max_edits, max_edits, *where_params, ts_config(scope.locale), swaps, word],
        )  # fmt: skip
        row = cursor.fetchone()
    return row[0] if row else None


def _index_size(scope: Scope, stored: dict[str, int]) -> tuple[int, float]:
    """(sections with words, their average weighted length) in this locale, from the rows
    ``refresh_vocabulary`` stores; counted directly (and the length assumed) before its run."""
    total = stored.get(SearchTerm.TOTAL)
    if total is None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM search_searchdocument "
                "WHERE index_name = %s AND locale = %s AND section <> %s",
                [scope.index_name, scope.locale, OVERVIEW],
            )
            total = cursor.fetchone()[0]
    length = stored.get(SearchTerm.LENGTH)
    average = length / total if length and total else DEFAULT_LENGTH
    return total, average


def _idf(document_frequency: int, total: int) -> float:
    return math.log(1 + (total - document_frequency + 0.5) / (document_frequency + 0.5))


def expand_synonyms(query: str, locale: str) -> str:
    """Append the other terms of every synonym group the query mentions."""
    lowered = f" {' '.join(_WORD.findall(query.lower()))} "
    extra = []
    for synonym in Synonym.objects.filter(locale=locale[:2]):
        terms = synonym.term_list()
        if any(f" {term} " in lowered for term in terms):
            extra += [term for term in terms if f" {term} " not in lowered]
    return " ".join([query, *extra])
