"""What to do after reading the results: the best section, related articles, or a person.

Self-service first, but never a dead end: the human path is always in ``next_steps``, and it
comes first when the engine is not confident the answer is in the index. The person is
whatever the support app registers (``register_human_step``; ``check_human_step`` warns at
start-up when nothing did); other ways to an answer ("ask the community") are escalations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from django.core import checks
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


# "Talk to a person": one function (query, locale) -> {"type": "contact_human", "label", "url"}
# or None, registered by the app that reaches people (support/apps.py). The last one wins.
_human_steps: list[Callable[[str, str], dict | None]] = []


def register_human_step(step: Callable[[str, str], dict | None]) -> None:
    if step in _human_steps:
        _human_steps.remove(step)
    _human_steps.append(step)


def human_step(locale: str, query: str = "") -> dict | None:
    """The registered way to a person, in the results' language (None: none registered)."""
    if not _human_steps:
        return None
    with override(locale):
        return _human_steps[-1](query, locale)


def check_human_step(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if _human_steps:
        return []
    return [
        checks.Warning(
            "No 'talk to a person' next step is registered: search results have no human path.",
            hint="Install the support app, or call search.next_steps.register_human_step.",
            id="search.W001",
        )
    ]


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
    human = human_step(locale, query)
    if missing:
        steps += [human] if human else []
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
    if not missing and human:
        steps.append(human)
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
