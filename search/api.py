"""The search API: ``/api/v1/search``, ``/suggest``, ``/click`` and ``/answer-feedback``.

Thin views: validate (``search/serializers.py``), count against the rate limit, call the engine,
log (``search/actions.py``), answer. Every failure a client can cause is a JSON
``{"error": "..."}`` with a 4xx status, never a 500: the serializers reject what the engine
would choke on and the engine's ``QueryError`` carries its own reason.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import QueryDict
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from core import http
from core.http import ErrorSerializer, error_response

from . import actions, suggestions
from .backends.base import Hit, get_keyword_backend
from .engine import QueryError, SearchRequest, search
from .models import SearchDocument
from .serializers import (
    AnswerFeedbackResponseSerializer,
    AnswerFeedbackSerializer,
    ClickResponseSerializer,
    ClickSerializer,
    SearchParamsSerializer,
    SearchResponseSerializer,
    SuggestParamsSerializer,
    SuggestResponseSerializer,
    language_codes,
)

_WORD = re.compile(r"\w+", re.UNICODE)
RATE_LIMIT_MESSAGE = _("Too many searches just now; please try again shortly.")
ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid query or parameter."),
    429: OpenApiResponse(
        ErrorSerializer, description="Too many requests; see the Retry-After header."
    ),
}


def rate_limited(error: actions.RateLimited) -> Response:
    return http.rate_limited(error, str(RATE_LIMIT_MESSAGE))


def first_error(errors: object) -> str:
    """``core.http.first_error``; a query's own messages need no ``q:`` prefix."""
    return http.first_error(errors, bare=("q",))


def default_locale(request: Request) -> str:
    """The request's language (URL prefix, cookie or Accept-Language) when it has content."""
    code = (getattr(request, "LANGUAGE_CODE", "") or get_language() or "")[:2]
    return code if code in language_codes() else settings.LANGUAGE_CODE


def params_of(query: QueryDict) -> dict:
    """Query-string values as a plain dict; ``type`` may be repeated as well as comma-separated."""
    data = {key: query.get(key) for key in query}
    if "type" in query:
        data["type"] = ",".join(query.getlist("type"))
    return data


def suggestions_for(search_request: SearchRequest) -> list[dict]:
    """Titles for as-you-type suggestions, one per object, under the visitor's permissions,
    ranked by how well the title completes the typing, then by what people open
    (``search/suggestions.py``)."""
    hits = get_keyword_backend().suggest(
        search_request.query,
        search_request.scope(),
        max(suggestions.CANDIDATES, 2 * search_request.limit),
    )
    best: dict[tuple[str, str], Hit] = {}
    for hit in hits:
        best.setdefault((hit.source, hit.object_id), hit)
    docs = SearchDocument.objects.for_display().in_bulk([hit.doc_id for hit in best.values()])
    candidates = [
        suggestions.Candidate(hit, docs[hit.doc_id].title)
        for hit in best.values()
        if hit.doc_id in docs
    ]
    ranked = suggestions.rank(search_request.query, candidates)[: search_request.limit]
    return [
        {"type": doc.source, "id": doc.object_id, "title": doc.title, "url": doc.url}
        for doc in (docs[c.hit.doc_id] for c in ranked)
    ]


def public_api_only(endpoints: list[tuple], **kwargs: object) -> list[tuple]:
    """drf-spectacular hook: the published schema covers ``/api/``, not Wagtail's admin API
    (internal, session-only, and not describable without a request)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]


class SearchAPIView(http.BaseAPIView):
    """Answers depend on the caller (permissions) and, without ``locale``, on their language,
    which ``core.middleware`` does not add to ``Vary`` under ``/api/``: say so to caches here.
    Errors, DRF's own included, are ``{"error"}`` (``core.http``).
    """

    def finalize_response(self, request: Request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        patch_cache_control(response, private=True)
        return response


class SearchView(SearchAPIView):
    @extend_schema(
        operation_id="search",
        tags=["search"],
        summary="Search the help centre",
        description=(
            "Hybrid keyword + semantic search over everything the caller may read (anonymous "
            "callers see public content only; signed-in customers also their restricted "
            "articles). Each hit explains why it is shown. `next_steps` always includes a "
            "person to talk to, first when `answer_likely_missing`. Every call is logged "
            "anonymously; send `query_id` with clicks to `/api/v1/search/click`."
        ),
        parameters=[SearchParamsSerializer],
        responses={200: SearchResponseSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = SearchParamsSerializer(data=params_of(request.query_params))
        if not params.is_valid():
            return error_response(first_error(params.errors))
        session = actions.session_hash(request)
        try:
            actions.check_rate("search", request, session)
        except actions.RateLimited as limited:
            return rate_limited(limited)
        try:
            search_request = params.to_search_request(
                user=request.user, default_locale=default_locale(request)
            )
            result = search(search_request)
        except drf_serializers.ValidationError as invalid:
            return error_response(first_error(invalid.detail))
        except QueryError as invalid:
            return error_response(str(invalid))
        log = actions.log_search(
            search_request, result, channel="api", session=session, request=request
        )
        # The engine's result already has the documented shape: SearchResponseSerializer
        # describes it for the schema, and tests/search/test_api.py holds the two equal.
        # Running ten hits through nested serializers cost ~2 ms per search.
        return Response({**result.as_dict(), "query_id": log.pk})


class SuggestView(SearchAPIView):
    @extend_schema(
        operation_id="search_suggest",
        tags=["search"],
        summary="As-you-type suggestions",
        description=(
            "Titles whose words start with what was typed (the last word as a prefix), one per "
            "article, limited to what the caller may read. Not logged."
        ),
        parameters=[SuggestParamsSerializer],
        responses={200: SuggestResponseSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = SuggestParamsSerializer(data=params_of(request.query_params))
        if not params.is_valid():
            return error_response(first_error(params.errors))
        try:
            actions.check_rate("suggest", request)
        except actions.RateLimited as limited:
            return rate_limited(limited)
        data = params.validated_data
        search_request = SearchRequest(
            query=data["q"],
            locale=data.get("locale") or default_locale(request),
            limit=data["limit"],
            user=request.user,
        )
        try:
            search_request.clean()
        except QueryError as invalid:
            return error_response(str(invalid))
        suggestions = suggestions_for(search_request)
        return Response(
            SuggestResponseSerializer(
                {"query": search_request.query, "suggestions": suggestions}
            ).data
        )


class ClickView(SearchAPIView):
    # Sent with navigator.sendBeacon, which cannot add a CSRF header. Without session
    # authentication DRF does not demand one; a click carries no identity and changes nothing
    # but the anonymous log, and the rate limit still applies.
    authentication_classes: list = []

    @extend_schema(
        operation_id="search_click",
        tags=["search"],
        summary="Record a click on a search result",
        description="For click-through analytics. `query_id` comes from `/api/v1/search`.",
        request=ClickSerializer,
        responses={201: ClickResponseSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        click = ClickSerializer(data=request.data)
        if not click.is_valid():
            return error_response(first_error(click.errors))
        try:
            actions.check_rate("click", request)
        except actions.RateLimited as limited:
            return rate_limited(limited)
        try:
            actions.record_click(actions.ClickInput(**click.validated_data), request=request)
        except actions.ClickError as invalid:
            return error_response(str(invalid))
        return Response({"recorded": True}, status=status.HTTP_201_CREATED)


class AnswerFeedbackView(SearchAPIView):
    # Like clicks: no session authentication (so no CSRF token to fetch first); the vote only
    # counts for the visitor whose search showed the card (search/actions.py), rate-limited.
    authentication_classes: list = []

    @extend_schema(
        operation_id="search_answer_feedback",
        tags=["search"],
        summary="Say whether the answer card helped",
        description=(
            "Records `helpful` on the search that showed `answer` (one verdict per search; a "
            "later one replaces it). Only the visitor who ran the search may send it. Read by "
            "Insights and when refitting the answerability model."
        ),
        request=AnswerFeedbackSerializer,
        responses={201: AnswerFeedbackResponseSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        feedback = AnswerFeedbackSerializer(data=request.data)
        if not feedback.is_valid():
            return error_response(first_error(feedback.errors))
        try:
            actions.check_rate("click", request)
        except actions.RateLimited as limited:
            return rate_limited(limited)
        data = feedback.validated_data
        try:
            # The Django request: its user (set by middleware) keys the visitor as the search did.
            actions.record_answer_feedback(
                data["query_id"], data["helpful"], request=request._request
            )
        except actions.ClickError as invalid:
            return error_response(str(invalid))
        return Response(
            {"recorded": True, "helpful": data["helpful"]}, status=status.HTTP_201_CREATED
        )
