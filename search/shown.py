"""The answer card a visitor was shown, looked up again when they ask a person about it.

"No, talk to a person" carries ``answer=<source>:<id>:<anchor>`` and the question to the
contact form (the page's link, the launcher's request). None of the card's text is taken from
the URL or the request body: the section is found again in the search index, under the
permissions of whoever is asking now, and the quote is cut from it again with the same
question (``search.answers.extract``). A reference to something this visitor may not read, or
that no longer exists, resolves to nothing.
"""

from __future__ import annotations

import re

from django.db import connection

from .answers import Passage, extract, object_passages
from .backends.sql import scope_clause
from .engine import SearchRequest
from .models import SearchDocument

_REF = re.compile(r"^([a-z_]{1,40}):([\w-]{1,64}):([\w-]{0,120})$")
MAX_REF = 230
MAX_QUESTION = 300


def parse_ref(ref: str) -> tuple[str, str, str] | None:
    """(source, object id, anchor) of a well-formed reference, else None."""
    found = _REF.match((ref or "")[:MAX_REF].strip())
    return (found[1], found[2], found[3]) if found else None


def _visible(source: str, object_id: str, search_request: SearchRequest) -> bool:
    """Whether the visitor's own search could return this object (same WHERE as the engine)."""
    clause, params = scope_clause(search_request.scope())
    table = SearchDocument._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {table} d WHERE {clause} AND d.source = %s AND d.object_id = %s "
            "LIMIT 1",
            [*params, source, object_id],
        )
        return cursor.fetchone() is not None


def _anchor(passage: Passage) -> str:
    return passage.url.partition("#")[2]


def resolve(ref: str, question: str, user, locale: str) -> dict | None:
    """``{ref, title, heading, url, text}`` of the card named by ``ref`` as ``user`` may see it
    in ``locale``, or None. ``text`` is the sentence(s) the card quoted for ``question`` (the
    section's opening when the question no longer matches it)."""
    parsed = parse_ref(ref)
    question = " ".join((question or "").split())[:MAX_QUESTION]
    if parsed is None:
        return None
    source, object_id, anchor = parsed
    search_request = SearchRequest(query=question or "-", locale=locale, user=user)
    if not _visible(source, object_id, search_request):
        return None
    passages = object_passages([(source, object_id)], search_request.index_name).get(
        (source, object_id), []
    )
    section = [passage for passage in passages if _anchor(passage) == anchor]
    if not section:
        return None
    found = extract(question, section, search_request.scope()) if question else None
    text, passage = (found[0], found[2]) if found else (_opening(section[0].body), section[0])
    title = (
        SearchDocument.objects.filter(
            index_name=search_request.index_name, source=source, object_id=object_id
        )
        .values_list("title", flat=True)
        .first()
    )
    return {
        "ref": f"{source}:{object_id}:{anchor}",
        "title": title or "",
        "heading": passage.heading,
        "url": passage.url,
        "text": text,
    }


def _opening(body: str, limit: int = 300) -> str:
    text = " ".join(body.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
