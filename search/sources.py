"""The one registry of what is searchable: a source is a model plus how it becomes sections.

Articles register from ``kb``; community threads and guidance tips will register the same way.
The engine never imports those apps (an import-linter contract in pyproject.toml holds it): it
sees ``Section`` rows, and asks each source what only the source knows: which of its rows a
visitor may see (``audience``), the values its filters offer (``facets``) and how often its
objects are opened outside search (``popularity``). Next steps are registered the same way
(``search.next_steps``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from .backends.base import Audience

_registry: dict[str, SearchSource] = {}

# The filters every indexed row carries (``Section.category``, ``Section.product_area``); a
# source offers their values for a language through ``facets``.
FACETS = ("category", "product_area")
PUBLIC_ONLY = Audience()

# An object's overview: one extra row per object whose vector is of the whole object (as much of
# it as the model reads), for the semantic side only (its full-text vector is empty). Section
# vectors find the passage that answers; the overview vector knows what the object is about as
# a whole, and together (per-object soft maximum, ranking.collapse) they rank better than either
# (docs/search.md, Quality). Never a deep-link anchor.
OVERVIEW = "_overview"


@dataclass
class Section:
    """One searchable unit as the index stores it."""

    section: str  # anchor inside the object ("" for the top)
    position: int
    locale: str
    title: str
    heading: str
    body: str
    url: str = ""
    summary: str = ""
    category: str = ""
    product_area: str = ""
    tags: list[str] = field(default_factory=list)
    audience: str = "public"
    audience_groups: list[int] = field(default_factory=list)
    boost: float = 0.0
    overview: str = ""  # the whole object's text, for an OVERVIEW section only
    # Shared by the object's versions in other languages ("" = it has none).
    translation_key: str = ""

    def embedding_text(self) -> str:
        """What the model reads: the object's title gives every section its context."""
        parts = [self.title, self.heading, self.body, self.overview]
        return ". ".join(part.strip() for part in parts if part and part.strip())


def overview_section(first: Section, texts: Iterable[str], position: int) -> Section:
    """The OVERVIEW row for an object whose top section is ``first``: no heading, no body (so
    nothing for the keyword side to match), the object's texts to embed."""
    return replace(
        first,
        section=OVERVIEW,
        position=position,
        heading="",
        body="",
        overview=" ".join(" ".join(t.split()) for t in texts if t and t.strip()),
    )


@dataclass(frozen=True)
class Freshness:
    last_reviewed: date | None = None
    review_due: bool = False  # reviewed, but longer ago than the review interval
    translation_outdated: bool = False  # its source article changed since it was translated


class SearchSource:
    """Subclass per model. ``name`` is stored with each row and is the API's result ``type``."""

    name: str = ""
    label: str = ""
    model: Any = None
    # Posts by customers rather than editors' content: the page marks them "Community", and the
    # heading of their ``answer_section`` row (an accepted or official answer) as a badge.
    community: bool = False
    answer_section: str = ""

    def object_id(self, obj: Any) -> str:
        return str(obj.pk)

    def sections(self, obj: Any) -> list[Section]:
        """The sections to index for ``obj``; empty when it must not be searchable (a draft,
        an unpublished or private page)."""
        raise NotImplementedError

    def all_objects(self) -> Iterable[Any]:
        """Everything this source may index, for a full rebuild."""
        raise NotImplementedError

    def handles(self, obj: Any) -> bool:
        return self.model is not None and isinstance(obj, self.model)

    def freshness(self, object_ids: list[str]) -> dict[str, Freshness]:
        """How current each object is, for the answer card (which never quotes a passage past
        its review date or from an outdated translation while a current one answers). Objects
        left out are current."""
        return {}

    def audience(self, user: Any) -> Audience:
        """Which of this source's rows ``user`` (None or anonymous for a visitor) may see
        besides the public ones, applied inside every query (``backends/sql.py``). The default
        is the safe one: public rows only, for everyone, staff included. A source that indexes
        rows for signed-in customers or groups must say who they are."""
        return PUBLIC_ONLY

    def facets(self, locale: str) -> dict[str, list[tuple[str, str]]]:
        """(value, label) per filter in ``FACETS`` that this source's rows in ``locale`` carry,
        for the search page's filters; a value is what ``Section`` stores."""
        return {}

    def popularity(self, object_ids: list[str], since: date) -> dict[str, int]:
        """How often each object was opened since ``since`` outside search (e.g. page views),
        for ranking suggestions; objects left out count nothing."""
        return {}


def register(source: SearchSource) -> SearchSource:
    """Add ``source``; its name is stored on every row, so it must be set and not be taken by
    another source (registering the same class again replaces it, as a reload does)."""
    if not source.name or len(source.name) > 40:
        raise ValueError("A search source needs a name of 1 to 40 characters.")
    taken = _registry.get(source.name)
    if taken is not None and type(taken) is not type(source):
        raise ValueError(f"The search source name {source.name!r} is taken by {taken!r}.")
    _registry[source.name] = source
    return source


def audiences_for(user: Any) -> tuple[tuple[str, Audience], ...]:
    """Each registered source's audience filter for ``user`` (``Scope.audiences``)."""
    return tuple((name, _registry[name].audience(user)) for name in sorted(_registry))


def facet_choices(locale: str) -> dict[str, list[tuple[str, str]]]:
    """Every source's filter values in ``locale``, per facet (first source's label wins)."""
    merged: dict[str, dict[str, str]] = {facet: {} for facet in FACETS}
    for source in all_sources():
        for facet, values in source.facets(locale).items():
            if facet in merged:
                for value, label in values:
                    merged[facet].setdefault(value, label)
    return {facet: list(values.items()) for facet, values in merged.items()}


def popularity(keys: Iterable[tuple[str, str]], since: date) -> dict[str, int]:
    """Opens outside search per ``source:id`` for (source, object id) pairs, from each source."""
    by_source: dict[str, list[str]] = {}
    for source_name, object_id in keys:
        by_source.setdefault(source_name, []).append(object_id)
    counts: dict[str, int] = {}
    for source_name, object_ids in by_source.items():
        source = _registry.get(source_name)
        if source is not None:
            found = source.popularity(object_ids, since)
            counts.update({f"{source_name}:{oid}": n for oid, n in found.items()})
    return counts


def get_source(name: str) -> SearchSource:
    return _registry[name]


def all_sources() -> list[SearchSource]:
    return list(_registry.values())


def community_sources() -> list[SearchSource]:
    return [source for source in _registry.values() if source.community]


def source_for(obj: Any) -> SearchSource | None:
    return next((s for s in _registry.values() if s.handles(obj)), None)


def split_plain_text(text: str, max_words: int = 120) -> list[str]:
    """Split plain text into passages at line breaks, merging short lines up to ``max_words``.

    Used for sources without structure (imported documents, evaluation corpora): one passage per
    paragraph or list line keeps each vector about one thing.
    """
    passages: list[str] = []
    for line in (raw.strip() for raw in text.splitlines()):
        if not line:
            continue
        words = line.split()
        while len(words) > max_words:
            passages.append(" ".join(words[:max_words]))
            words = words[max_words:]
        passages.append(" ".join(words))
    return passages or [""]
