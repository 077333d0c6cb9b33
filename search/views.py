"""The help-centre search page, ``/<lang>/search/?q=…``: a server-rendered GET form.

Works without JavaScript; ``frontend/static/faro/js/search.js`` adds suggestions and click
beacons. Same validation, engine, rate limit and query log as the API (channel ``page``).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from rest_framework import serializers as drf_serializers

from kb.models import CategoryPage, ProductArea

from . import actions
from .api import RATE_LIMIT_MESSAGE, default_locale, first_error
from .engine import QueryError, search
from .explain import shown_hits
from .serializers import SearchParamsSerializer
from .sources import all_sources

PAGE_LIMIT = 20
FILTERS = ("type", "category", "product_area")


def category_choices(locale: str) -> list[tuple[str, str]]:
    """(slug path, label) for the locale's live categories, parents before children.

    The value is the path the index stores (``integrations/api-webhooks``), so choosing a parent
    also finds its subcategories' articles."""
    categories = list(
        CategoryPage.objects.live().filter(locale__language_code=locale).order_by("path")
    )
    by_path = {category.path: category for category in categories}
    step = CategoryPage.steplen
    choices = []
    for category in categories:
        chain = [
            by_path[category.path[:end]]
            for end in range(step, len(category.path) + 1, step)
            if category.path[:end] in by_path
        ]
        choices.append(("/".join(c.slug for c in chain), " \u203a ".join(c.title for c in chain)))
    return choices


def product_area_choices(locale: str) -> list[tuple[str, str]]:
    areas = ProductArea.objects.filter(locale__language_code=locale).order_by("name")
    return [(area.slug, area.name) for area in areas]


def type_choices() -> list[tuple[str, str]]:
    return sorted((source.name, source.label or source.name) for source in all_sources())


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """Validate the form, search in the page's language, log, render; errors stay on the page
    (with a 400 or 429 status) so the visitor can correct the query without losing filters."""
    locale = default_locale(request)  # the URL's language prefix
    categories = category_choices(locale)
    product_areas = product_area_choices(locale)
    query = request.GET.get("q", "")
    # Filters offered by another language's page (after switching) are dropped, not errors.
    chosen = {name: request.GET.get(name, "").strip() for name in FILTERS}
    if chosen["category"] not in {value for value, _label in categories}:
        chosen["category"] = ""
    if chosen["product_area"] not in {value for value, _label in product_areas}:
        chosen["product_area"] = ""
    context: dict = {
        "query": query,
        "chosen": chosen,
        "categories": categories,
        "product_areas": product_areas,
        "types": type_choices(),
        "result": None,
        "error": "",
    }
    status = 200
    if query.strip():
        status = _run(request, query, chosen, locale, context)
    return render(request, "search/search_page.html", context, status=status)


MISSING_SHOWN = 3


def _run(request: HttpRequest, query: str, chosen: dict, locale: str, context: dict) -> int:
    """Search and fill ``context``; return the HTTP status."""
    as_typed = request.GET.get("correct") == "false"  # "Search instead for …"
    params = SearchParamsSerializer(
        data={"q": query, **chosen, "limit": PAGE_LIMIT, "correct": not as_typed}
    )
    if not params.is_valid():
        context["error"] = first_error(params.errors)
        return 400
    session = actions.session_hash(request)
    try:
        actions.check_rate("search", request, session)
    except actions.RateLimited:
        context["error"] = RATE_LIMIT_MESSAGE
        return 429
    try:
        search_request = params.to_search_request(user=request.user, default_locale=locale)
        result = search(search_request)
    except drf_serializers.ValidationError as invalid:
        context["error"] = first_error(invalid.detail)
        return 400
    except QueryError as invalid:
        context["error"] = str(invalid)
        return 400
    log = actions.log_search(
        search_request, result, channel="page", session=session, request=request
    )
    context["result"] = result
    # When the answer is likely missing, a few closest matches beat a wall of weak results.
    hits = result.hits[:MISSING_SHOWN] if result.answer_likely_missing else result.hits
    context["hits"] = shown_hits(result, hits, search_request.index_name)
    context["show_scores"] = request.user.is_staff  # editors tune ranking; customers read words
    context["human_url"] = next(
        (step["url"] for step in result.next_steps if step["type"] == "contact_human"), ""
    )
    context["query_id"] = log.pk
    if result.did_you_mean:
        kept = {name: value for name, value in chosen.items() if value}
        context["did_you_mean_url"] = "?" + urlencode({"q": result.did_you_mean, **kept})
        context["as_typed_url"] = "?" + urlencode({"q": result.query, **kept, "correct": "false"})
    return 200
