"""The one HTTP edge every app shares: rate limits, the JSON error envelope, bad-input guards.

Every app used to write these itself, each slightly differently (one rate limit stopped counting
the network once the visitor tripped, one error formatter leaked Python reprs, one JSON parser
answered deeply nested bodies with a 500). They live here once:

- ``check_rate``: one statement counts the visitor *and* the network, always both, so a client
  that rotates what it controls (cookies, ``anonymous_id``, User-Agent) is still held by its
  network; a shared network gets ``NETWORK_FACTOR`` times a visitor's room.
- ``error_response`` / ``json_error``: ``{"error": "..."}`` with a 4xx, for DRF and plain views.
- ``first_error``: DRF's nested error structure as one sentence a person can read.
- ``exception_handler`` (DRF's ``EXCEPTION_HANDLER``) and ``BaseAPIView``: DRF's own errors
  (bad JSON, wrong method, 404) and ``RateLimited`` in the same envelope.
- ``SafeJSONParser`` / ``parse_json``: bodies over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, nested deeper
  than ``MAX_JSON_DEPTH`` or carrying NUL characters are a 4xx, never a 500.
- ``BadInputMiddleware`` and the ``handler400/404/500`` views: NUL bytes in query strings or
  form bodies are a 400 before any view runs, and under ``/api/`` every error page is JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from . import ratelimit
from .durability import relaxed_commit

NETWORK_FACTOR = 5  # many visitors share an office's or a mobile carrier's address
MAX_JSON_DEPTH = 32  # the deepest body any endpoint accepts is four levels
API_PREFIX = "/api/"

# Rate limits --------------------------------------------------------------------------------


class RateLimited(Exception):
    """Too many requests from one visitor or network; ``retry_after`` is in seconds."""

    def __init__(self, retry_after: int = 60, message: str = "") -> None:
        super().__init__(message or _("Too many requests just now; please try again shortly."))
        self.retry_after = retry_after


def network_rate(rate: ratelimit.Rate | str, factor: int = NETWORK_FACTOR) -> ratelimit.Rate:
    """A network's window: ``factor`` times a visitor's limit over the same period."""
    rate = ratelimit.Rate.parse(rate) if isinstance(rate, str) else rate
    return ratelimit.Rate(rate.limit * factor, rate.seconds)


def check_rate(
    scope: str,
    rate: ratelimit.Rate | str,
    *,
    visitor: str = "",
    network: str = "",
    factor: int = NETWORK_FACTOR,
    message: str = "",
) -> None:
    """Count one attempt for the visitor and for the network in one statement; raise
    ``RateLimited`` when either window is full. Both are always counted (no short-circuit), so
    a visitor over their limit still uses up their network's room."""
    rate = ratelimit.Rate.parse(rate) if isinstance(rate, str) else rate
    checks: list[tuple[str, ratelimit.Rate]] = []
    if visitor:
        checks.append((f"{scope}:v:{visitor}", rate))
    if network and network != visitor:
        checks.append((f"{scope}:n:{network}", network_rate(rate, factor)))
    if not checks:
        return
    with relaxed_commit():  # counters: see core.durability
        allowed = ratelimit.hit_all(checks)
    if not allowed:
        epoch = int(datetime.now(UTC).timestamp())
        raise RateLimited(rate.seconds - epoch % rate.seconds, message)


# The error envelope ----------------------------------------------------------------------------


def first_error(errors: Any, bare: Iterable[str] = ()) -> str:
    """One readable message from DRF's error structure (dicts, lists, list items by index),
    naming the field unless it is in ``bare`` or the message already names it; never a repr."""
    if isinstance(errors, Mapping):
        for field, value in errors.items():
            message = first_error(value)
            name = str(field)
            if name in {"non_field_errors", "detail", *bare} or isinstance(field, int):
                return message
            return (
                message if re.search(rf"\b{re.escape(name)}\b", message) else f"{name}: {message}"
            )
    elif isinstance(errors, (list, tuple)):
        for item in errors:  # a list serializer's errors hold {} for the items that were fine
            if item:
                return first_error(item)
    elif errors not in (None, ""):
        return str(errors)
    return _("Invalid request.")


class ErrorSerializer(serializers.Serializer):
    """The error envelope as the OpenAPI schema shows it (component ``Error``)."""

    error = serializers.CharField(help_text="What is wrong, in words a person can act on.")


def error_response(
    message: str,
    code: int = status.HTTP_400_BAD_REQUEST,
    retry_after: int | None = None,
    **extra: Any,
) -> Response:
    """The API's error: ``{"error": message, **extra}``; ``Retry-After`` when given."""
    response = Response({"error": str(message), **extra}, status=code)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def json_error(message: str, code: int = 400, retry_after: int | None = None) -> JsonResponse:
    """``error_response`` for plain Django views."""
    response = JsonResponse({"error": str(message)}, status=code)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def rate_limited(error: RateLimited, message: str = "") -> Response:
    return error_response(message or str(error), 429, retry_after=error.retry_after)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, answering in the envelope: ``{"error"}`` instead of ``{"detail"}``, one
    message for validation errors, ``RateLimited`` as 429, bad input found late as 400."""
    if isinstance(exc, RateLimited):
        return rate_limited(exc)
    if isinstance(exc, RecursionError):  # a nested structure parsed outside SafeJSONParser
        return error_response(_("The input is nested too deeply."))
    if isinstance(exc, RequestDataTooBig):
        return error_response(_("The request body is too large."), 413)
    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = {"error": first_error(response.data)}
    return response


# Bad input ------------------------------------------------------------------------------------


class BadInput(ValueError):
    """Input no endpoint accepts (too deep, NUL characters); the message is safe to show."""


def check_json_value(value: Any, depth: int = 0) -> None:
    """Refuse structures deeper than ``MAX_JSON_DEPTH`` and strings with NUL characters
    (PostgreSQL cannot store them in text), walking at most that deep."""
    if depth > MAX_JSON_DEPTH:
        raise BadInput(_("The JSON body is nested too deeply."))
    if isinstance(value, str):
        if "\x00" in value:
            raise BadInput(_("NUL characters are not allowed."))
    elif isinstance(value, dict):
        for key, item in value.items():
            check_json_value(key, depth + 1)
            check_json_value(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            check_json_value(item, depth + 1)


def parse_json(raw: bytes | str) -> Any:
    """``json.loads`` that raises ``BadInput`` for anything malformed, too deep or with NULs."""
    if len(raw) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        raise BadInput(_("The request body is too large."))
    try:
        value = json.loads(raw)
    except RecursionError as error:
        raise BadInput(_("The JSON body is nested too deeply.")) from error
    except ValueError as error:
        raise BadInput(_("The body is not valid JSON.")) from error
    check_json_value(value)
    return value


class SafeJSONParser(JSONParser):
    """DRF's JSON parser with a size limit (DRF reads JSON bodies without one), a depth limit
    and no NUL characters; every refusal is a ``ParseError`` (400) or 413."""

    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise RequestDataTooBig(_("The request body is too large."))
        try:
            return parse_json(raw)
        except BadInput as error:
            raise exceptions.ParseError(str(error)) from error


class SafePlainTextJSONParser(SafeJSONParser):
    """``navigator.sendBeacon`` with a ``text/plain`` blob avoids a CORS preflight."""

    media_type = "text/plain"


class BaseAPIView(APIView):
    """The base of every API view: safe parsing and the error envelope (the envelope is also
    DRF's project-wide ``EXCEPTION_HANDLER``, for views that are not ours)."""

    parser_classes = [SafeJSONParser, FormParser, MultiPartParser]

    def get_exception_handler(self) -> Callable:
        return exception_handler


def _has_nul(values: Iterable[tuple[str, list[str]]]) -> bool:
    return any("\x00" in key or any("\x00" in v for v in vals) for key, vals in values)


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def plain_or_json_error(
    request: HttpRequest, message: str, code: int, retry_after: int | None = None
) -> HttpResponse:
    """The envelope for callers that want JSON (``/api/``, ``Accept: application/json``), plain
    text for a form post without JavaScript."""
    if is_api(request) or "application/json" in request.headers.get("Accept", ""):
        return json_error(message, code, retry_after)
    response = HttpResponse(message, status=code, content_type="text/plain; charset=utf-8")
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


class BadInputMiddleware:
    """NUL characters in query values or form fields are a 400 before any view sees them:
    PostgreSQL refuses them in text, and no legitimate visitor sends one. Multipart bodies are
    checked field by field (attachments may hold any bytes); JSON in ``SafeJSONParser``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        message = _("NUL characters are not allowed.")
        if _has_nul(request.GET.lists()):
            return plain_or_json_error(request, message, 400)
        content_type = request.content_type or ""
        if request.method == "POST" and content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            try:
                bad = _has_nul(request.POST.lists())
            except RequestDataTooBig:
                return plain_or_json_error(request, _("The request body is too large."), 413)
            except Exception:  # a malformed body: the view's own parsing answers it
                bad = False
            if bad:
                return plain_or_json_error(request, message, 400)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """Input nested deep enough to exhaust the stack, wherever it was parsed, is a 400."""
        if isinstance(exception, RecursionError):
            return plain_or_json_error(request, _("The input is nested too deeply."), 400)
        return None


# Error pages (config/urls.py handler400/404/500): JSON under /api/, the site's pages elsewhere.


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return plain_or_json_error(request, _("The request body is too large."), 413)
    if is_api(request):
        return json_error(_("Bad request."), 400)
    return defaults.bad_request(request, exception)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return json_error(_("Not found."), 404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return json_error(_("Something went wrong on our side; please try again."), 500)
    return defaults.server_error(request)
