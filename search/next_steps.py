"""What to do after reading the results: the best section, related articles, or a person.

Self-service first, but never a dead end: the human path is always in ``next_steps``, and it
comes first when the engine is not confident the answer is in the index.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from .backends.base import Scope, get_vector_backend
from .models import SearchDocument
from .ranking import Candidate

RELATED = 3

# Other ways to get an answer when the index likely has none (e.g. "ask the community"), added
# by the apps that provide them (``register_escalation`` in their ``AppConfig.ready``). Each is
# called with (query, locale) and returns a step dict or None.
_escalations: list[Callable[[str, str], dict | None]] = []


def register_escalation(step: Callable[[str, str], dict | None]) -> None:
    if step not in _escalations:
        _escalations.append(step)


def human_step(locale: str, query: str = "") -> dict:
    """Faro's own contact form carries the query, so the customer does not type it twice."""
    with override(locale):
        url = settings.FARO_SUPPORT_URL
        if not url:
            # Faro's own contact form (support app), in the results' language.
            url = reverse("support:contact") + "?" + urlencode({"from": "search", "q": query})
        return {"type": "contact_human", "label": _("Talk to a person"), "url": url}


def build_next_steps(
    hits: list,
    top: list[Candidate],
    scope: Scope,
    missing: bool,
    locale: str,
    query: str = "",
    related: list[dict] | None = None,
) -> list[dict]:
    """``related``: ``related_objects`` of the top hit when the caller already has them."""
    steps: list[dict] = []
    if missing:
        steps.append(human_step(locale, query))
        with override(locale):
            steps += [step for make in _escalations if (step := make(query, locale))]
    if hits:
        best = hits[0]
        steps.append(
            {
                "type": "read_section",
                "title": best.title,
                "heading": best.heading,
                "url": best.url,
            }
        )
        if related is None:
            related = related_objects(top[0], scope)
        if related:
            steps.append({"type": "related", "items": related})
    if not missing:
        steps.append(human_step(locale, query))
    return steps


def related_objects(top: Candidate, scope: Scope) -> list[dict]:
    """Nearest neighbours of the top result's best section, one entry per other object."""
    neighbours = get_vector_backend().neighbours(
        top.doc_id, replace(scope, sources=(), category="", product_area=""), 12
    )
    seen = {top.key}
    keys = []
    for hit in neighbours:
        key = (hit.source, hit.object_id)
        if key not in seen:
            seen.add(key)
            keys.append(key)
        if len(keys) == RELATED:
            break
    if not keys:
        return []
    docs = {
        (d.source, d.object_id): d
        for d in SearchDocument.objects.for_display().filter(
            index_name=scope.index_name, section="", object_id__in=[k[1] for k in keys]
        )
    }
    return [
        {"type": key[0], "id": key[1], "title": docs[key].title, "url": docs[key].url}
        for key in keys
        if key in docs
    ]
