"""The community API under /api/v1/community/: list, read, ask, answer, vote, accept, moderate,
promote. Same actions, permissions and limits as the pages (``actions.py``); errors are
``{"error": "..."}`` with the action's status (400, 403, 404, 429)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from core import http, journey
from core.http import ErrorSerializer
from core.visitors import ip_hash
from search.api import SearchAPIView, default_locale

from . import actions, moderation, queries
from . import serializers as s
from .actions import Actor, CommunityError
from .models import CommunityIndexPage, Question

ERRORS = {
    code: OpenApiResponse(ErrorSerializer, description=text)
    for code, text in [
        (400, "Invalid input; the message says what to fix."),
        (403, "Sign in, or you lack the permission."),
        (404, "No such thread or post visible to you."),
        (429, "Too many writes; try again later."),
    ]
}


def _error(error: CommunityError) -> Response:
    return http.error_response(str(error), error.status)


def _invalid(serializer) -> Response:
    return http.error_response(http.first_error(serializer.errors))


def _actor(request: Request) -> Actor:
    return Actor(user=request.user, ip_hash=ip_hash(request))


def _thread(request: Request, pk: int) -> Question:
    return get_object_or_404(
        Question.objects.visible_to(request.user).select_related("page__locale"), pk=pk
    )


class CommunityAPIView(SearchAPIView):
    """Shared error shape and cache headers (answers depend on the caller)."""


class ThreadListView(CommunityAPIView):
    @extend_schema(
        operation_id="community_threads",
        tags=["community"],
        summary="List threads",
        parameters=[s.ThreadListParamsSerializer],
        responses={200: s.ThreadListSerializer, 400: ERRORS[400]},
    )
    def get(self, request: Request) -> Response:
        params = s.ThreadListParamsSerializer(data=request.query_params.dict())
        if not params.is_valid():
            return _invalid(params)
        data = params.validated_data
        page = CommunityIndexPage.objects.live().filter(
            locale__language_code=data.get("locale") or default_locale(request)
        )
        threads = Question.objects.none()
        if page.exists():
            threads = queries.listing(page.first(), request.user, data["show"])
        window = threads[data["offset"] : data["offset"] + data["limit"]]
        results = s.ThreadSummarySerializer(window, many=True).data
        return Response({"count": threads.count(), "results": results})

    @extend_schema(
        operation_id="community_ask",
        tags=["community"],
        summary="Ask a question",
        description="Signed-in members only. New members' first posts and posts that trip the "
        "spam checks are created with status `held` until a moderator approves them.",
        request=s.AskSerializer,
        responses={201: s.ThreadSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        body = s.AskSerializer(data=request.data)
        if not body.is_valid():
            return _invalid(body)
        data = body.validated_data
        page = (
            CommunityIndexPage.objects.live()
            .filter(locale__language_code=data.get("locale") or default_locale(request))
            .first()
        )
        if page is None:
            return http.error_response(_("There is no community in that language."), 404)
        try:
            question = actions.ask_question(
                page, _actor(request), data["title"], data["body"], data["tags"]
            )
        except CommunityError as error:
            return _error(error)
        journey.record(request, "community", {"action": "ask", "question": question.pk},
                       channel="api")  # fmt: skip
        context = {"request": request}
        return Response(s.ThreadSerializer(question, context=context).data, status=201)


class ThreadDetailView(CommunityAPIView):
    @extend_schema(
        operation_id="community_thread",
        tags=["community"],
        summary="Read a thread",
        responses={200: s.ThreadSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, pk: int) -> Response:
        question = _thread(request, pk)
        return Response(s.ThreadSerializer(question, context={"request": request}).data)


class AnswerView(CommunityAPIView):
    @extend_schema(
        operation_id="community_answer",
        tags=["community"],
        summary="Answer a thread",
        request=s.BodySerializer,
        responses={201: s.AnswerSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        question = _thread(request, pk)
        body = s.BodySerializer(data=request.data)
        if not body.is_valid():
            return _invalid(body)
        try:
            answer = actions.post_answer(question, _actor(request), body.validated_data["body"])
        except CommunityError as error:
            return _error(error)
        journey.record(request, "community", {"action": "answer", "question": question.pk},
                       channel="api")  # fmt: skip
        data = s.AnswerSerializer(answer, context={"request": request}).data
        return Response(data, status=201)


class AcceptView(CommunityAPIView):
    @extend_schema(
        operation_id="community_accept",
        tags=["community"],
        summary="Accept an answer (the asker or a moderator)",
        request=s.AcceptSerializer,
        responses={200: s.ThreadSummarySerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        question = _thread(request, pk)
        body = s.AcceptSerializer(data=request.data)
        if not body.is_valid():
            return _invalid(body)
        try:
            actions.accept_answer(question, request.user, body.validated_data["answer"])
        except CommunityError as error:
            return _error(error)
        return Response(s.ThreadSummarySerializer(question).data)


class FollowView(CommunityAPIView):
    @extend_schema(
        operation_id="community_follow",
        tags=["community"],
        summary="Follow (or stop following) a thread",
        description="Followers get an e-mail about new and accepted answers, unless they "
        "turned community e-mails off. The asker follows automatically.",
        request=s.FollowSerializer,
        responses={200: s.FollowSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        question = _thread(request, pk)
        body = s.FollowSerializer(data=request.data)
        if not body.is_valid():
            return _invalid(body)
        try:
            following = actions.follow(_actor(request), question, body.validated_data["follow"])
        except CommunityError as error:
            return _error(error)
        return Response({"follow": following})


class VoteView(CommunityAPIView):
    @extend_schema(
        operation_id="community_vote",
        tags=["community"],
        summary="Vote on a question or answer",
        description="One vote per member per post; the same vote again takes it back. "
        "Members cannot vote on their own posts.",
        request=s.VoteSerializer,
        responses={200: s.VoteResultSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        body = s.VoteSerializer(data=request.data)
        if not body.is_valid():
            return _invalid(body)
        data = body.validated_data
        try:
            target = _post(request, data["target"], data["id"])
            score = actions.vote(_actor(request), target, data["value"])
        except CommunityError as error:
            return _error(error)
        return Response({"score": score})


def _post(request: Request, kind: str, pk: int):
    from .models import Answer, Comment

    model = {"question": Question, "answer": Answer, "comment": Comment}[kind]
    found = model.objects.visible_to(request.user).filter(pk=pk).first()
    if found is None or found.thread() not in Question.objects.visible_to(request.user):
        raise actions.NotFound("No such post.")
    return found


class ModerateView(CommunityAPIView):
    @extend_schema(
        operation_id="community_moderate",
        tags=["community"],
        summary="Moderate a post (moderators)",
        description="approve, hold, hide, dismiss (flags); lock, unlock and merge apply to "
        "questions. The reason is kept in the moderation log.",
        request=s.ModerateSerializer,
        responses={200: s.ModerationResultSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        from .models import is_moderator

        if not is_moderator(request.user):
            return http.error_response(_("Only moderators can do that."), 403)
        body = s.ModerateSerializer(data=request.data)
        if not body.is_valid():
            return _invalid(body)
        data = body.validated_data
        try:
            target = _post(request, data["target"], data["id"])
            logged = moderation.moderate(
                request.user, target, data["action"], data["reason"], data.get("merge_into")
            )
        except CommunityError as error:
            return _error(error)
        return Response({"id": logged.pk, "action": logged.action, "status": target.status})


class PromoteView(CommunityAPIView):
    @extend_schema(
        operation_id="community_promote",
        tags=["community"],
        summary="Turn a solved thread into an article draft (editors)",
        request=s.PromoteSerializer,
        responses={201: s.PromoteResultSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        question = _thread(request, pk)
        body = s.PromoteSerializer(data=request.data)
        if not body.is_valid():
            return _invalid(body)
        try:
            article = moderation.promote_to_article(
                request.user, question, body.validated_data["category"]
            )
        except CommunityError as error:
            return _error(error)
        edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])
        return Response({"article": article.pk, "edit_url": edit_url}, status=201)


class SimilarView(CommunityAPIView):
    @extend_schema(
        operation_id="community_similar",
        tags=["community"],
        summary="Articles and threads similar to a question being typed",
        parameters=[s.SimilarParamsSerializer],
        responses={200: s.SimilarSerializer, 400: ERRORS[400]},
    )
    def get(self, request: Request) -> Response:
        params = s.SimilarParamsSerializer(data=request.query_params.dict())
        if not params.is_valid():
            return _invalid(params)
        data = params.validated_data
        results = queries.similar(
            data["q"], data.get("locale") or default_locale(request), request.user,
            ip_hash(request),
        )  # fmt: skip
        return Response({"results": results}, status=status.HTTP_200_OK)
