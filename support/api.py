"""The support API (used by the snippet's launcher): create a request, read its status, and the
last self-service offer. Thin views over ``support.actions``; errors are ``{"error", "errors"}``.

Cross-origin and cookie-less like the click beacon: no session authentication (so no CSRF), the
rate limit applies per snippet visitor and per network, and identity comes only from a signature.
A browser call (any ``Origin`` header, ``null`` included) that names an ``app_key`` must come from
one of that app's allowed origins (``hosts.origins``, the same rule as the guidance API); only
then does django-cors-headers add CORS headers (``hosts.cors``).
"""

from __future__ import annotations

import json
from dataclasses import replace

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from core import http
from core.journey import snippet_visitor
from core.visitors import ip_hash
from hosts import origins
from hosts.identity import verify_for_app
from search import actions as search_actions

from . import actions, links
from .models import SupportRequest
from .validation import RequestError, RequestInput

# The site's languages: a locale reaches translation overrides and URL reversing, which must
# never see arbitrary text (a "%" in it crashed reverse()).
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class CreateSerializer(serializers.Serializer):
    message = serializers.CharField(help_text="What the customer needs (10-5000 characters).")
    email = serializers.EmailField(required=False, allow_blank=True)
    name = serializers.CharField(required=False, allow_blank=True)
    locale = serializers.ChoiceField(choices=LANGUAGE_CODES, required=False, allow_blank=True)
    page_url = serializers.CharField(required=False, allow_blank=True)
    entry_point = serializers.CharField(required=False, allow_blank=True)
    remove = serializers.ListField(child=serializers.CharField(), required=False)
    idempotency_key = serializers.CharField(required=False, allow_blank=True)
    app_key = serializers.CharField(required=False, allow_blank=True)
    anonymous_id = serializers.CharField(required=False, allow_blank=True)
    consent = serializers.BooleanField(required=False, default=False)
    identity = serializers.JSONField(required=False, help_text='{"id", "email", "name"}')
    identity_signature = serializers.CharField(required=False, allow_blank=True)
    deflection = serializers.CharField(required=False, allow_blank=True)
    attachment = serializers.FileField(required=False)
    answer = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=230,
        help_text="The answer card the customer saw (`source:id:anchor`, see the launcher "
        "search's `answer.ref`); looked up again in the index, never taken as text.",
    )
    question = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=300,
        help_text="The question that answer card answered.",
    )


class CreatedSerializer(serializers.Serializer):
    reference = serializers.CharField()
    public_id = serializers.UUIDField()
    status = serializers.CharField()
    status_url = serializers.CharField()
    created_at = serializers.DateTimeField()


class ReplySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    body = serializers.CharField()


class StatusSerializer(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    replies = ReplySerializer(many=True)


class OfferInSerializer(serializers.Serializer):
    message = serializers.CharField()
    locale = serializers.ChoiceField(choices=LANGUAGE_CODES, required=False, allow_blank=True)


class OfferSerializer(serializers.Serializer):
    token = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()
    heading = serializers.CharField(
        required=False, allow_blank=True, help_text="The section, when the answer is one."
    )


class OfferResponseSerializer(serializers.Serializer):
    offer = OfferSerializer(allow_null=True, help_text="null when nothing is confident enough.")


class SupportErrorSerializer(http.ErrorSerializer):
    """The shared envelope plus one message per field (component ``SupportError``)."""

    errors = serializers.DictField(child=serializers.CharField(), required=False)


ERRORS = {
    code: OpenApiResponse(SupportErrorSerializer, description=text)
    for code, text in [
        (400, "Invalid input; `errors` per field."),
        (429, "Too many requests; see Retry-After."),
    ]
}
SNIPPET_ERRORS = {
    **ERRORS,
    403: OpenApiResponse(SupportErrorSerializer, description="Unknown app key or origin refused."),
}


def invalid(errors: dict, code: int = 400) -> Response:
    """The envelope (``core.http``) plus the documented ``errors``: one message per field."""
    return http.error_response(next(iter(errors.values()), ""), code, errors=errors)


def field_errors(serializer: serializers.Serializer) -> Response:
    """A serializer's errors as readable messages (never a repr of DRF's nested structure)."""
    return invalid({field: http.first_error(value) for field, value in serializer.errors.items()})


def too_many(limited: http.RateLimited) -> Response:
    response = invalid({"request": _("Too many requests just now; try again later.")}, 429)
    response["Retry-After"] = str(limited.retry_after)
    return response


class OriginRefused(Exception):
    """A snippet call from a page its app does not allow (or naming no such app): a 4xx that
    says which field is wrong, answered before anything is validated or stored."""

    def __init__(self, field: str, message: str, status: int = 403):
        super().__init__(message)
        self.field, self.status = field, status


def check_snippet_origin(request: Request, app_key: str) -> None:
    """A browser always sends ``Origin`` on a POST (``null`` from a sandboxed frame or a
    ``data:`` URL): then the app must allow the caller's origin, exactly as the guidance API
    checks it (``hosts.origins``), and the CORS middleware answers with that origin. Calls without
    ``Origin`` (a host's own server) get no CORS headers and no origin check."""
    if not app_key or "Origin" not in request.headers:
        return
    try:
        origins.authorise_request(request, app_key)
    except origins.Rejected as refused:
        field = "app_key" if refused.field == "key" else "origin"
        raise OriginRefused(field, str(refused), refused.status) from refused


class SupportAPIView(http.BaseAPIView):
    authentication_classes: list = []

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response


class RequestCreateView(SupportAPIView):
    parser_classes = [http.SafeJSONParser, MultiPartParser, FormParser]

    @extend_schema(
        operation_id="support_request_create",
        tags=["support"],
        summary="Ask a person for help",
        description=(
            "Stores the request (with the journey of `anonymous_id` under `app_key` when "
            "`consent` is true, minus the parts named in `remove`) and queues its deliveries. "
            "Send an `idempotency_key` (or `Idempotency-Key` header): a repeat returns the first "
            "request with 200 instead of 201. `identity` is trusted only with a valid "
            "`identity_signature` over id, email and name (docs/support.md has the recipe)."
        ),
        request={"application/json": CreateSerializer, "multipart/form-data": CreateSerializer},
        responses={201: CreatedSerializer, 200: CreatedSerializer, **SNIPPET_ERRORS},
    )
    def post(self, request: Request) -> Response:
        raw = request.data
        try:
            app_key = raw.get("app_key", "") if hasattr(raw, "get") else ""
            check_snippet_origin(request, str(app_key or ""))
        except OriginRefused as refused:
            return invalid({refused.field: str(refused)}, refused.status)
        fields = CreateSerializer(data=raw)
        if not fields.is_valid():
            return field_errors(fields)
        data = dict(fields.validated_data)
        data.setdefault("idempotency_key", request.headers.get("Idempotency-Key", ""))
        identity = data.get("identity")
        if isinstance(identity, str) and identity.strip().startswith("{"):
            try:  # multipart: the dict form as a JSON string
                identity = json.loads(identity)
            except ValueError:
                identity = {}
        app_key = data.get("app_key", "")
        verified = verify_for_app(
            app_key,
            identity if isinstance(identity, (dict, str)) else {},
            data.get("identity_signature", ""),
        )
        # Guidance records an anonymous user's journey under the snippet's random id and a signed
        # user's under their id: a verified request reads both (the random id stays first).
        visitors = [snippet_visitor(app_key, data.get("anonymous_id", ""))]
        if verified.signed:
            visitors.append(snippet_visitor(app_key, verified.user_id))
        requester = actions.Requester(
            visitors=tuple(dict.fromkeys(v for v in visitors if v)),
            consented=data.get("consent", False),
            channel="snippet",
            app_key=app_key,
            identity=verified,
            network=ip_hash(request),
        )
        try:
            parsed = RequestInput.parse(
                {**data, "entry_point": data.get("entry_point") or "launcher"},
                request.FILES,
                email_required=not verified.email,
            )
            actions.check_rate(requester)
            support_request, created = actions.create_request(
                replace(parsed, locale=data.get("locale", "")), requester
            )
        except actions.IdempotencyConflict as conflict:
            return invalid(conflict.errors, 409)
        except RequestError as error:
            return invalid(error.errors)
        except actions.RateLimited as limited:
            return too_many(limited)
        body = {
            "reference": support_request.reference,
            "public_id": support_request.public_id,
            "status": support_request.status,
            "status_url": links.status_url(support_request),
            "created_at": support_request.created_at,
        }
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(CreatedSerializer(body).data, status=code)


class RequestStatusView(SupportAPIView):
    @extend_schema(
        operation_id="support_request_status",
        tags=["support"],
        summary="A request's status, with its secret link",
        description="`token` is the secret part of `status_url`; a wrong token is a 404.",
        responses={200: StatusSerializer, 404: OpenApiResponse(SupportErrorSerializer)},
    )
    def get(self, request: Request, public_id, token: str) -> Response:
        support_request = get_object_or_404(SupportRequest, public_id=public_id, anonymised_at=None)
        if not links.token_matches(support_request, token):
            raise Http404
        replies = [
            {"at": m.created_at, "body": m.body}
            for m in support_request.messages.filter(kind="reply")
        ]
        body = {
            "reference": support_request.reference,
            "status": support_request.status,
            "created_at": support_request.created_at,
            "updated_at": support_request.updated_at,
            "replies": replies,
        }
        return Response(StatusSerializer(body).data)


class OfferView(SupportAPIView):
    @extend_schema(
        operation_id="support_offer",
        tags=["support"],
        summary="The best article for a message, before a request is sent",
        description=(
            "One last self-service chance. Returns `offer` (or null when nothing is confident "
            "enough); send its `token` as `deflection` with the request, or POST it to "
            "`offers/{token}/resolved` when the article solved it."
        ),
        request=OfferInSerializer,
        responses={200: OfferResponseSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        fields = OfferInSerializer(data=request.data)
        if not fields.is_valid():
            return field_errors(fields)
        try:  # an offer costs what a search costs
            search_actions.check_rate("search", request)
        except search_actions.RateLimited as limited:
            return too_many(limited)
        locale = fields.validated_data.get("locale") or "en"
        offer = actions.offer_answer(
            fields.validated_data["message"], locale, request.user, channel="snippet"
        )
        return Response({"offer": offer})


class OfferResolvedView(SupportAPIView):
    @extend_schema(
        operation_id="support_offer_resolved",
        tags=["support"],
        summary="The offered article solved it (no request sent)",
        request=None,
        responses={200: OpenApiResponse(description="Recorded.")},
    )
    def post(self, request: Request, token: str) -> Response:
        return Response({"recorded": actions.resolve_deflection(token)})
