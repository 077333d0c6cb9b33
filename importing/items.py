"""The one neutral form every reader produces and the writer consumes.

Readers (``zendesk.py``, ``markdown.py``, ``html.py``) know their format and nothing about Faro's
pages; the writer (``actions.py``) knows pages and nothing about formats. Bodies are already Faro
blocks; an image block carries ``{"src": <path in the source tree>}`` until the writer uploads it,
and a link to a document ``#faro-document:<path>``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date


@dataclass
class SourceCategory:
    source_id: str
    locale: str
    title: str
    translation_key: str
    parent_id: str | None = None  # source_id of the parent category, same locale
    slug: str = ""
    description: str = ""
    old_urls: list[str] = field(default_factory=list)
    origin: str = ""  # what the report names: a file or "section 42"


@dataclass
class SourceDocument:
    """A file an article links to (or, in Zendesk, attaches), not one of its images; links to it
    in the body are marked ``#faro-document:<path>`` (``documents.py``). ``refused`` is a reason
    found while reading (an unsafe name or path): the writer reports it without reading."""

    path: str
    title: str = ""
    content_type: str = ""
    refused: str = ""


@dataclass
class SourceArticle:
    source_id: str
    locale: str
    title: str
    translation_key: str
    category_id: str
    body: list[dict]
    slug: str = ""
    summary: str = ""
    tags: list[str] = field(default_factory=list)
    audience: str = "public"  # public | customers | groups
    groups: list[str] = field(default_factory=list)  # customer group names
    last_reviewed: date | None = None
    draft: bool = False
    old_urls: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # conversion warnings for the report
    origin: str = ""
    documents: list[SourceDocument] = field(default_factory=list)

    def source_hash(self) -> str:
        """Changes when anything the source says changes; block ids are Faro's, not the source's."""
        data = asdict(self)
        data["body"] = strip_ids(self.body)
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def category_hash(category: SourceCategory) -> str:
    return hashlib.sha256(
        json.dumps(asdict(category), sort_keys=True, default=str).encode()
    ).hexdigest()


@dataclass
class Bundle:
    """What a reader found: categories (parents first), articles, and files it could not read."""

    kind: str
    categories: list[SourceCategory] = field(default_factory=list)
    articles: list[SourceArticle] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)


def strip_ids(value: object) -> object:
    """Block data without the random ``id`` of each block, for comparing content."""
    if isinstance(value, list):
        return [strip_ids(item) for item in value]
    if isinstance(value, dict):
        return {k: strip_ids(v) for k, v in value.items() if not (k == "id" and "type" in value)}
    return value
