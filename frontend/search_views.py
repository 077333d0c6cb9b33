"""The help centre's search pages: ``/<lang>/search/?q=…`` and the answer card's Yes/No.

The search page is a server-rendered GET form. It works without JavaScript;
``frontend/static/faro/js/search.js`` adds suggestions and click beacons. Same validation,
engine, rate limit and query log as the API (channel ``page``). Its filters are what the
sources offer (``search.sources.facet_choices``).

"Did this answer your question?" under the answer card, without JavaScript: a plain form. Yes
records the verdict and returns to the results with a thank-you; "No, talk to a person" records
it and sends the visitor to the contact form with the question and the card
(``?q=…&answer=source:id:anchor``, taken from the search log, not from the form). With
JavaScript, ``faro/js/answer.js`` sends Yes to ``POST /api/v1/search/answer-feedback`` instead
and the page stays put.

Search itself (``search/``) knows nothing of this page: it is one of its callers.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from rest_framework import serializers as drf_serializers

from search import actions
from search.api import RATE_LIMIT_MESSAGE, default_locale, first_error
from search.engine import QueryError, search
from search.explain import shown_hits
from search.serializers import SearchParamsSerializer
from search.sources import all_sources, facet_choices

PAGE_LIMIT = 20
FILTERS = ("type", "category", "product_area")


def type_choices() -> list[tuple[str, str]]:
    return sorted((source.name, source.label or source.name) for source in all_sources())


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """Validate the form, search in the page's language, log, render; errors stay on the page
    (with a 400 or 429 status) so the visitor can correct the query without losing filters."""
    locale = default_locale(request)  # the URL's language prefix
    facets = facet_choices(locale)  # each source's own filter values (kb: its categories)
    categories, product_areas = facets["category"], facets["product_area"]
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


VERDICTS = {"yes": True, "no": False}


def _redirect(url: str) -> HttpResponse:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _error(request: HttpRequest, message: str, status: int) -> HttpResponse:
    context = {"message": message, "contact_url": reverse("support:contact")}
    return render(request, "search/answer_feedback_error.html", context, status=status)


@require_POST
def answer_feedback(request: HttpRequest) -> HttpResponse:
    """Record the verdict on a logged search's card, then thank (Yes) or hand over (No)."""
    helpful = VERDICTS.get(request.POST.get("helpful", ""))
    raw_id = request.POST.get("query_id", "")
    if helpful is None or not raw_id.isdigit() or len(raw_id) > 18:
        return _error(request, _("We could not tell which answer you meant."), 400)
    try:
        actions.check_rate("click", request)
    except actions.RateLimited:
        return _error(request, _("Too many requests just now; please try again shortly."), 429)
    try:
        log = actions.record_answer_feedback(int(raw_id), helpful, request=request)
    except actions.ClickError as invalid:
        if helpful:
            return _error(request, str(invalid), 400)
        return _redirect(reverse("support:contact") + "?from=search")  # a person, always
    if helpful:
        return _redirect(reverse("search") + "?" + urlencode({"q": log.query, "answered": "yes"}))
    ref = actions.logged_ref(log.answer)
    return _redirect(
        reverse("support:contact")
        + "?"
        + urlencode({"from": "search", "q": log.query, "answer": ref})
    )
