"""Keyword retrieval on PostgreSQL full-text search.

Per-language configurations with ``unaccent`` (``faro_en``, ``faro_es``), weighted vectors
(title A > heading B > body C), a GIN index, and BM25-like scoring: the query's words are OR-ed
(customers type sentences, not keyword lists) and each matched word counts by its inverse
document frequency, so "refund" outweighs "my". Typos fall back to trigram similarity against the
index's own vocabulary.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection

from search.indexing import ts_config
from search.models import SearchTerm, Synonym

from .base import Hit, KeywordBackend, Scope
from .sql import scope_clause

MAX_TERMS = 16
# Keyword candidates on large indexes (see ``search``): how many sections may be ranked per
# query, and how many candidates make a tier enough.
MATCH_BUDGET = 2_000
ENOUGH = 100
_WORD = re.compile(r"\w+", re.UNICODE)
_terms_memo: ContextVar[dict | None] = ContextVar("faro_keyword_terms", default=None)


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
        return self._lookup(query, scope)[0]

    def _lookup(self, query: str, scope: Scope) -> tuple[list[tuple[str, float]], dict[str, int]]:
        """(weighted terms, sections per lexeme), memoised within a search."""
        memo = _terms_memo.get()
        key = (query, scope.locale, scope.index_name)
        if memo is not None and key in memo:
            return memo[key]
        found = self._weighted_terms(query, scope)
        if memo is not None:
            memo[key] = found
        return found

    def _weighted_terms(
        self, query: str, scope: Scope
    ) -> tuple[list[tuple[str, float]], dict[str, int]]:
        text = expand_synonyms(query, scope.locale)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tsvector_to_array(to_tsvector(%s::regconfig, %s))",
                [ts_config(scope.locale), text],
            )
            lexemes = cursor.fetchone()[0] or []
        if not lexemes:
            return [], {}
        frequencies = dict(
            SearchTerm.objects.filter(
                index_name=scope.index_name,
                locale=scope.locale,
                kind=SearchTerm.LEXEME,
                word__in=lexemes,
            ).values_list("word", "documents")
        )
        total = _document_count(scope)
        weighted = [(lex, _idf(frequencies.get(lex, 0), total)) for lex in lexemes]
        weighted.sort(key=lambda item: -item[1])
        return weighted[:MAX_TERMS], frequencies

    def _scored(self, terms: list[tuple[str, float]]) -> tuple[str, str, list, list]:
        # A row's ``boost`` (a source's ranking signal, e.g. community votes) lifts it in
        # proportion, so it breaks near-ties without outweighing relevance.
        score = " + ".join(
            "%s * ts_rank(d.search_vector, quote_literal(%s)::tsquery, 1)" for _ in terms
        )
        score = f"({score}) * (1 + d.boost)"
        matched = ", ".join(
            "CASE WHEN d.search_vector @@ quote_literal(%s)::tsquery THEN %s END" for _ in terms
        )
        score_params = [value for lex, idf in terms for value in (idf, lex)]
        matched_params = [value for lex, _ in terms for value in (lex, lex)]
        return score, f"array_remove(ARRAY[{matched}]::text[], NULL)", score_params, matched_params

    def _run(
        self,
        terms,
        scope: Scope,
        extra_sql: str,
        extra_params: list,
        limit: int,
        require: list[tuple[str, float]] | None = None,
        every: bool = False,
    ) -> list[Hit]:
        """Rank sections by all ``terms``; a section must contain any of ``require`` (default:
        ``terms``), or each of them with ``every``."""
        if not terms:
            return []
        where, where_params = scope_clause(scope)
        score, matched, score_params, matched_params = self._scored(terms)
        operator = " && " if every else " || "
        match_terms = require or terms
        match = operator.join("quote_literal(%s)::tsquery" for _ in match_terms)
        sql = f"""
            SELECT d.id, d.object_id, d.source, d.section, {score} AS score, {matched}
            FROM search_searchdocument d
            WHERE {where} AND d.search_vector @@ ({match}) {extra_sql}
            ORDER BY score DESC, d.id LIMIT %s
        """
        params = [*score_params, *matched_params, *where_params]
        params += [lex for lex, _ in match_terms] + extra_params + [limit]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [Hit(row[0], row[1], row[2], row[3], float(row[4]), row[5]) for row in cursor]

    def search(self, query: str, scope: Scope, limit: int) -> list[Hit]:
        """The best-scoring sections containing any of the query's words.

        Ranking costs per matching section, and a common word ("plan", "change") can match a
        large share of a big index although such sections rarely reach the top. When the
        vocabulary says the query's words could match more than ``MATCH_BUDGET`` sections,
        candidates come, as in Meilisearch's "last" matching strategy, from sections containing
        *all* the words, then all but the most common one, and so on, stopping at the first
        tier with ``max(limit, ENOUGH)`` sections (the GIN index intersects, so narrow tiers
        are cheap); failing that, from sections with any of the rarest words that fit the
        budget. Within budget (always, on small sites) every section with any word is ranked.
        """
        terms, frequencies = self._lookup(query, scope)
        if sum(frequencies.get(lex, 0) for lex, _ in terms) <= MATCH_BUDGET:
            return self._run(terms, scope, "", [], limit)
        enough = max(limit, ENOUGH)
        for size in range(len(terms), 1, -1):
            # rarest first: each tier drops the most common remaining word
            hits = self._run(terms, scope, "", [], enough, require=terms[:size], every=True)
            if len(hits) >= enough:
                return hits[:limit]
        affordable, rows = [], 0
        for lex, idf in terms:
            rows += frequencies.get(lex, 0)
            if affordable and rows > MATCH_BUDGET:
                break
            affordable.append((lex, idf))
        return self._run(terms, scope, "", [], limit, require=affordable)

    def score(self, query: str, scope: Scope, doc_ids: list[int]) -> dict[int, Hit]:
        if not doc_ids:
            return {}
        hits = self._run(
            self.terms(query, scope), scope, "AND d.id = ANY(%s)", [doc_ids], len(doc_ids)
        )
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
        """Replace words the index has never seen (neither the word nor its stem, and not a
        stop word) with the closest word it has, by trigram similarity."""
        words = _WORD.findall(query.lower())
        unknown = self._unknown_words(words, scope)
        corrected, changed = [], False
        for word in words:
            replacement = _closest(word, scope) if word in unknown and len(word) >= 4 else None
            corrected.append(replacement or word)
            changed |= bool(replacement)
        return " ".join(corrected) if changed else None

    def _unknown_words(self, words: list[str], scope: Scope) -> set[str]:
        if not words:
            return set()
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT w FROM unnest(%s::text[]) AS w
                WHERE NOT EXISTS (
                    SELECT 1 FROM search_searchterm t
                    WHERE t.index_name = %s AND t.locale = %s AND (
                        (t.kind = 'word' AND t.word = w) OR
                        (t.kind = 'lexeme' AND t.word = ANY(
                            tsvector_to_array(to_tsvector(%s::regconfig, w))))
                    )
                ) AND tsvector_to_array(to_tsvector(%s::regconfig, w)) <> '{}'
                """,
                [words, scope.index_name, scope.locale, ts_config(scope.locale),
                 ts_config(scope.locale)],
            )  # fmt: skip
            return {row[0] for row in cursor}


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
    where, where_params = scope_clause(scope)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT t.word FROM search_searchterm t
            WHERE t.index_name = %s AND t.locale = %s AND t.kind = 'word'
              AND (t.word = ANY(%s)
                   OR (t.word %% %s AND similarity(t.word, %s) >= 0.6)
                   OR (left(t.word, 1) = left(%s, 1)
                       AND abs(length(t.word) - length(%s)) <= %s
                       AND levenshtein_less_equal(t.word, %s, %s) <= %s))
              AND EXISTS (
                  SELECT 1 FROM search_searchdocument d
                  WHERE {where} AND d.search_vector @@ plainto_tsquery(%s::regconfig, t.word))
            ORDER BY CASE WHEN t.word = ANY(%s) THEN 1
                          ELSE levenshtein_less_equal(t.word, %s, 3) END,
                     t.documents DESC
            LIMIT 1
            """,
            [scope.index_name, scope.locale, swaps, word, word, word, word, max_edits, word,
             max_edits, max_edits, *where_params, ts_config(scope.locale), swaps, word],
        )  # fmt: skip
        row = cursor.fetchone()
    return row[0] if row else None


def _document_count(scope: Scope) -> int:
    """Sections in the index for this locale (stored by ``refresh_vocabulary``)."""
    stored = (
        SearchTerm.objects.filter(
            index_name=scope.index_name, locale=scope.locale, kind=SearchTerm.TOTAL
        )
        .values_list("documents", flat=True)
        .first()
    )
    if stored is not None:
        return stored
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM search_searchdocument WHERE index_name = %s AND locale = %s",
            [scope.index_name, scope.locale],
        )
        return cursor.fetchone()[0]


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
