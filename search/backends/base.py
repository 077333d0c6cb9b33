"""The small interfaces the engine needs from an index, in the style of Wagtail's search backends.

A keyword backend and a vector backend are chosen by settings aliases
(``FARO_SEARCH["KEYWORD_BACKEND"]``, ``FARO_SEARCH["VECTOR_BACKEND"]``). Each implementation must
pass ``tests/search/test_backend_contract.py``. Both apply the same ``Scope`` (index, locale,
permissions, filters) inside their query, before any limit, so nothing the visitor may not see
can surface — not in results, counts, suggestions or snippets.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Audience:
    """Which rows a visitor may see besides public ones (``audience`` "public"): every row
    (``see_all``, staff), rows for signed-in customers ("customers"), rows for these groups
    ("groups" with an overlapping ``audience_groups``)."""

    see_all: bool = False
    authenticated: bool = False
    group_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Scope:
    """Which rows a query may touch."""

    index_name: str
    locale: str
    see_all: bool = False  # staff
    authenticated: bool = False
    group_ids: tuple[int, ...] = ()
    sources: tuple[str, ...] = ()  # empty: every source
    category: str = ""
    product_area: str = ""
    # Each source's own audience filter (search.sources.audiences_for; the engine sets it):
    # when given, it replaces the three fields above, and rows of a source not listed are
    # shown only when public.
    audiences: tuple[tuple[str, Audience], ...] = ()


@dataclass
class Hit:
    """One section a retriever found, with its raw score."""

    doc_id: int
    object_id: str
    source: str
    section: str
    score: float
    matched: list[str] = field(default_factory=list)


class KeywordBackend:
    def search(self, query: str, scope: Scope, limit: int) -> list[Hit]:
        raise NotImplementedError

    def score(self, query: str, scope: Scope, doc_ids: list[int]) -> dict[int, Hit]:
        """Keyword scores for given sections (to complete candidates found by the other side)."""
        raise NotImplementedError

    def highlight(self, query: str, scope: Scope, doc_id: int) -> str:
        """A short snippet of the section with matched words marked as ``\\x02word\\x03``."""
        raise NotImplementedError

    def highlight_many(self, query: str, scope: Scope, doc_ids: list[int]) -> dict[int, str]:
        """``highlight`` for several sections; backends override it to batch the work."""
        return {doc_id: self.highlight(query, scope, doc_id) for doc_id in doc_ids}

    def suggest(self, prefix: str, scope: Scope, limit: int) -> list[Hit]:
        raise NotImplementedError

    def did_you_mean(self, query: str, scope: Scope) -> str | None:
        raise NotImplementedError

    def coverage(self, query: str, scope: Scope, doc_id: int) -> float:
        """Share (by IDF weight) of the query's words found in the section, 0..1."""
        raise NotImplementedError

    def terms(self, query: str, scope: Scope) -> list[tuple[str, float]]:
        """The query's index terms with their IDF weights (answerability's coverage signal)."""
        raise NotImplementedError

    def unknown_words(self, query: str, scope: Scope) -> tuple[str, ...]:
        """Typed words the index has never seen (a sign the question is about something else)."""
        raise NotImplementedError


class VectorBackend:
    def search(self, vector, scope: Scope, limit: int) -> list[Hit]:
        raise NotImplementedError

    def score(self, vector, scope: Scope, doc_ids: list[int]) -> dict[int, Hit]:
        raise NotImplementedError

    def neighbours(self, doc_id: int, scope: Scope, limit: int) -> list[Hit]:
        """Sections nearest to a stored section (for "related articles")."""
        raise NotImplementedError

    def untranslated_nearest(
        self, vector, scope: Scope, visitor_locale: str, limit: int
    ) -> list[Hit]:
        """Sections of ``scope.locale`` nearest to a multilingual ``vector`` (their
        ``embedding_xl``), among objects with no version in ``visitor_locale``: what a visitor
        can read only in another language (search/crosslingual.py)."""
        raise NotImplementedError


def get_keyword_backend() -> KeywordBackend:
    return import_string(settings.FARO_SEARCH["KEYWORD_BACKEND"])()


def get_vector_backend() -> VectorBackend:
    return import_string(settings.FARO_SEARCH["VECTOR_BACKEND"])()
