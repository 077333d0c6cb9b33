"""The one registry of what is searchable: a source is a model plus how it becomes sections.

Articles register from ``kb``; community threads and guidance tips will register the same way.
The engine never imports those apps: it only sees ``Section`` rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

_registry: dict[str, SearchSource] = {}

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


def register(source: SearchSource) -> SearchSource:
    _registry[source.name] = source
    return source


def get_source(name: str) -> SearchSource:
    return _registry[name]


def all_sources() -> list[SearchSource]:
    return list(_registry.values())


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
