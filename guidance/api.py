"""The snippet's API under ``/api/v1/guidance/``: page config, events and launcher search.

Called cross-origin from the host product: CORS headers come from django-cors-headers, for the
app's own allowed origins only (``hosts.cors``; ``authorise`` below names the app), and every
refusal is a JSON ``{"error": ...}`` with a 4xx. No cookies or sessions are used
(``authentication_classes = []``), so there is no CSRF to pass and a beacon can post as
``text/plain`` without a preflight.
"""

from __future__ import annotations

import hashlib
import json
from urllib.parse import urlsplit

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from core import http
from core.http import ErrorSerializer
from hosts import origins
from hosts.identity import IdentityError, resolve
from search.serializers import AnswerFeedbackResponseSerializer

from . import actions, launcher
from .models import GuidedApp
from .serializers import (
    EventBatchSerializer,
    EventResultSerializer,
    LauncherFeedbackSerializer,
    LauncherSearchSerializer,
    PageConfigSerializer,
    PageParamsSerializer,
    SearchParamsSerializer,
)

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Malformed parameters or payload."),
    403: OpenApiResponse(ErrorSerializer, description="Unknown key, bad origin or signature."),
    429: OpenApiResponse(ErrorSerializer, description="Rate limited; see Retry-After."),
}


class GuidanceAPIView(http.BaseAPIView):
    authentication_classes: list = []
    permission_classes: list = []
    # ``navigator.sendBeacon`` with a ``text/plain`` blob avoids a CORS preflight.
    parser_classes = [http.SafeJSONParser, http.SafePlainTextJSONParser]

    def authorise(self, request: Request, key: str) -> GuidedApp:
        """The key's app, if the caller's origin is one it allows; the CORS middleware then
        answers with that app's origin (preflights are answered by the middleware itself)."""
        return origins.authorise_request(request, key)

    def handle_exception(self, exc: Exception) -> Response:
        """The app's refusals in the shared envelope; everything else through ``core.http``."""
        if isinstance(exc, origins.Rejected):
            return http.error_response(str(exc), exc.status, exc.retry_after or None)
        if isinstance(exc, IdentityError):
            return http.error_response(str(exc), status.HTTP_403_FORBIDDEN)
        return super().handle_exception(exc)


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path or "/"


class PageView(GuidanceAPIView):
    @extend_schema(
        operation_id="guidance_page",
        tags=["guidance"],
        summary="Everything the snippet needs for one page view",
        description=(
            "Matched tips (each with `why` it matched), suggested articles, launcher config, "
            "frustration thresholds and UI strings. `Origin` must be one of the app's allowed "
            "origins. Answers carry an `ETag`; send `If-None-Match` for a 304."
        ),
        parameters=[PageParamsSerializer],
        responses={200: PageConfigSerializer, 304: None, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = PageParamsSerializer(data=request.query_params.dict())
        if not params.is_valid():
            if "key" not in request.query_params:
                return http.error_response("key: This field is required.")
            return http.error_response(http.first_error(params.errors))
        data = params.validated_data
        app = self.authorise(request, data["key"])
        actions.check_rate("page", app, request)
        identity = resolve(
            app.secret, data.get("identity", ""), data.get("signature", ""), data.get("traits")
        )
        locale = data.get("locale") or settings.LANGUAGE_CODE
        base = actions.help_base(app, request)
        payload = actions.page_config(app, identity, _path_of(data["url"]), locale, base)
        body = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'
        if etag in request.headers.get("If-None-Match", ""):
            response = Response(status=status.HTTP_304_NOT_MODIFIED)
        else:
            response = Response(payload)
        response["ETag"] = etag
        private = "private" if identity.user_id or identity.traits else "public"
        response["Cache-Control"] = f"{private}, max-age=30, must-revalidate"
        return response


class EventsView(GuidanceAPIView):
    @extend_schema(
        operation_id="guidance_events",
        tags=["guidance"],
        summary="Record a batch of snippet events (sendBeacon)",
        description=(
            "Up to 50 events: shown, clicked, dismissed, completed, step, frustration, offer, "
            "page. Per-tip daily counters hold no visitor link; the visitor's journey is written "
            "only when `consent` is true. May be sent as `text/plain` JSON."
        ),
        request=EventBatchSerializer,
        responses={202: EventResultSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        if not isinstance(request.data, dict):
            return http.error_response("The body must be a JSON object.")
        batch = EventBatchSerializer(data=request.data)
        if not batch.is_valid():
            return http.error_response(http.first_error(batch.errors))
        data = batch.validated_data
        app = self.authorise(request, data["key"])
        actions.check_rate("events", app, request)
        identity = resolve(app.secret, data.get("identity", ""), data.get("signature", ""), {})
        result = actions.record_events(
            app,
            identity,
            actions.EventBatch(
                anon=data["anon"],
                consent=data["consent"],
                url=data.get("url", ""),
                locale=data.get("locale", ""),
                events=data["events"],
            ),
        )
        return Response(result, status=status.HTTP_202_ACCEPTED)


class LauncherSearchView(GuidanceAPIView):
    @extend_schema(
        operation_id="guidance_search",
        tags=["guidance"],
        summary="Search the help centre from the launcher",
        description="Public articles only (the snippet's user is anonymous to the help centre).",
        parameters=[SearchParamsSerializer],
        responses={200: LauncherSearchSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        params = SearchParamsSerializer(data=request.query_params.dict())
        if not params.is_valid():
            return http.error_response(http.first_error(params.errors))
        data = params.validated_data
        app = self.authorise(request, data["key"])
        actions.check_rate("search", app, request)
        from search.engine import QueryError

        locale = data.get("locale") or settings.LANGUAGE_CODE
        try:
            result = launcher.launcher_search(
                data["q"], locale, actions.help_base(app, request), request=request
            )
        except QueryError as invalid:
            return http.error_response(str(invalid))
        return Response(result)


class LauncherFeedbackView(GuidanceAPIView):
    @extend_schema(
        operation_id="guidance_answer_feedback",
        tags=["guidance"],
        summary="Say whether the launcher's answer card helped",
        description=(
            "`query_id` from the launcher search; stored on that search's log like the help "
            "centre's own feedback (`/api/v1/search/answer-feedback`). Only from the network "
            "that ran the search."
        ),
        request=LauncherFeedbackSerializer,
        responses={201: AnswerFeedbackResponseSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        params = LauncherFeedbackSerializer(data=request.data)
        if not params.is_valid():
            return http.error_response(http.first_error(params.errors))
        data = params.validated_data
        app = self.authorise(request, data["key"])
        actions.check_rate("search", app, request)
        from search.actions import ClickError, record_answer_feedback

        try:
            record_answer_feedback(data["query_id"], data["helpful"], request=request)
        except ClickError as invalid:
            return http.error_response(str(invalid))
        body = {"recorded": True, "helpful": data["helpful"]}
        return Response(body, status=status.HTTP_201_CREATED)
