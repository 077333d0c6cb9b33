"""Page views behind ``CommunityIndexPage``'s routes: read a thread, ask, and the write
endpoints. Thin: find what the visitor may see, call an action, answer with a redirect (plain
form post) or JSON (``fetch`` with ``Accept: application/json``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import journey
from core.visitors import ip_hash

from . import actions, moderation, queries
from .actions import Actor, CommunityError
from .models import CommunityIndexPage, Flag, ModerationAction, Question, is_moderator


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _actor(request: HttpRequest) -> Actor:
    return Actor(user=request.user, ip_hash=ip_hash(request))


def _see_other(url: str) -> HttpResponse:
    response = redirect(url)
    response.status_code = 303
    return response


def thread_list(request: HttpRequest, page: CommunityIndexPage, tag_slug: str = "") -> HttpResponse:
    """The community's home, a tag's threads (``tags/<slug>/``), or search results (``?q=``)."""
    tag = queries.tag_in(page, tag_slug) if tag_slug else None
    if tag_slug and tag is None:
        raise Http404
    show = request.GET.get("show", "")
    threads = queries.listing(page, request.user, show, tag)
    paginator = Paginator(threads, 20)
    context = {
        "page": page,
        "community": page,
        "tag": tag,
        "threads": paginator.get_page(request.GET.get("p")),
        "show": show if show in queries.LISTINGS else "",
        "ask_url": page.route_url("ask"),
        "tags": [
            (t.name, page.route_url("tag", t.slug), t.uses)
            for t in queries.popular_tags(page, request.user)
        ],
        "query": " ".join(request.GET.get("q", "").split()),
    }
    status = _search(request, page, context) if context["query"] else 200
    return TemplateResponse(request, "community/index.html", context, status=status)


def _search(request: HttpRequest, page: CommunityIndexPage, context: dict) -> int:
    """Fill ``results`` (or ``search_error``) for the search box; return the HTTP status.
    Same rate limit as the help centre's search."""
    from search.actions import RateLimited, check_rate
    from search.api import RATE_LIMIT_MESSAGE
    from search.engine import QueryError

    try:
        check_rate("search", request)
    except RateLimited:
        context["search_error"] = str(RATE_LIMIT_MESSAGE)
        return 429
    try:
        context["results"] = queries.search_threads(page, context["query"], request.user)
    except QueryError as error:
        context["search_error"] = str(error)
        return 400
    context["ask_url"] += "?" + urlencode({"title": context["query"][:150]})
    return 200


def ask(request: HttpRequest, page: CommunityIndexPage) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    context: dict[str, Any] = {
        "community": page,
        "similar_url": page.route_url("similar"),
        "form": {"title": request.GET.get("title", "")[:150], "body": "", "tags": ""},
    }
    status = 200
    if request.method == "POST":
        form = {key: request.POST.get(key, "") for key in ("title", "body", "tags")}
        try:
            question = actions.ask_question(
                page, _actor(request), form["title"], form["body"], form["tags"]
            )
        except CommunityError as error:
            context.update(form=form, error=str(error))
            status = error.status
        else:
            journey.record(request, "community", {"action": "ask", "question": question.pk})
            return _see_other(question.url)
    return TemplateResponse(request, "community/ask.html", context, status=status)


def similar(request: HttpRequest, page: CommunityIndexPage) -> JsonResponse:
    """Articles and threads like the title being typed: the same hybrid engine as search."""
    results = queries.similar(
        request.GET.get("q", ""), page.locale.language_code, request.user, ip_hash(request)
    )
    return JsonResponse({"results": results})


def _question(request: HttpRequest, page: CommunityIndexPage, pk: int) -> Question:
    question = (
        Question.objects.filter(page=page, pk=pk)
        .visible_to(request.user)
        .select_related("author", "page", "duplicate_of", "accepted_answer")
        .first()
    )
    if question is None:
        raise Http404
    return question


def thread_detail(
    request: HttpRequest,
    page: CommunityIndexPage,
    pk: int,
    slug: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    question = _question(request, page, pk)
    if request.method == "GET" and slug != question.slug:
        return redirect(question.url, permanent=True)
    context = queries.thread_context(question, request.user)
    context.update(
        community=page,
        error=error,
        draft=request.POST.get("body", "") if error else "",
        editing=request.GET.get("edit", ""),
        urls={verb: page.route_url("write", question.pk, verb) for verb in WRITE_VIEWS},
        tag_links=[(tag.name, page.route_url("tag", tag.slug)) for tag in context["tags"]],
        flag_reasons=Flag.Reason.choices,
        moderation_actions=[
            (k, label) for k, label in ModerationAction.Kind.choices if k in moderation.STATUS_AFTER
        ],
    )
    return TemplateResponse(request, "community/thread.html", context, status=status)


def _done(request: HttpRequest, question: Question, anchor: str = "", **data: Any):
    if _wants_json(request):
        return JsonResponse({"ok": True, **data})
    return _see_other(question.url + (f"#{anchor}" if anchor else ""))


def _failed(request: HttpRequest, page, question: Question, error: CommunityError):
    if _wants_json(request):
        return JsonResponse({"error": str(error)}, status=error.status)
    return thread_detail(request, page, question.pk, question.slug, str(error), error.status)


def _target(question: Question, user: Any, kind: str, target_id: Any) -> Any:
    if kind in ("", "question"):
        return question
    related = {"answer": question.answers, "comment": question.comments}.get(kind)
    try:
        found = related.visible_to(user).filter(pk=int(target_id)).first() if related else None
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise actions.NotFound(_("That post does not exist in this thread."))
    return found


@require_POST
def answer_view(request: HttpRequest, page: CommunityIndexPage, pk: int) -> HttpResponse:
    question = _question(request, page, pk)
    try:
        answer = actions.post_answer(question, _actor(request), request.POST.get("body", ""))
    except CommunityError as error:
        return _failed(request, page, question, error)
    journey.record(request, "community", {"action": "answer", "question": question.pk})
    return _done(request, question, f"answer-{answer.pk}", id=answer.pk, status=answer.status)


@require_POST
def comment_view(request: HttpRequest, page: CommunityIndexPage, pk: int) -> HttpResponse:
    question = _question(request, page, pk)
    try:
        comment = actions.post_comment(
            question, _actor(request), request.POST.get("body", ""), request.POST.get("answer")
        )
    except CommunityError as error:
        return _failed(request, page, question, error)
    return _done(request, question, f"comment-{comment.pk}", id=comment.pk)


@require_POST
def vote_view(request: HttpRequest, page: CommunityIndexPage, pk: int) -> HttpResponse:
    question = _question(request, page, pk)
    try:
        target = _target(question, request.user, request.POST.get("target", ""),
                         request.POST.get("id"))  # fmt: skip
        score = actions.vote(_actor(request), target, request.POST.get("value"))
    except CommunityError as error:
        return _failed(request, page, question, error)
    anchor = f"answer-{target.pk}" if target is not question else ""
    mine = queries.my_vote(request.user, target)
    return _done(
        request, question, anchor, score=score, label=queries.vote_label(score), vote=mine,
        mine=queries.my_vote_label(mine),
    )  # fmt: skip


@require_POST
def accept_view(request: HttpRequest, page: CommunityIndexPage, pk: int) -> HttpResponse:
    question = _question(request, page, pk)
    try:
        actions.accept_answer(question, request.user, request.POST.get("answer"))
    except CommunityError as error:
        return _failed(request, page, question, error)
    return _done(request, question, accepted=question.accepted_answer_id)


@require_POST
def follow_view(request: HttpRequest, page: CommunityIndexPage, pk: int) -> HttpResponse:
    question = _question(request, page, pk)
    try:
        following = actions.follow(_actor(request), question, request.POST.get("on", "1"))
    except CommunityError as error:
        return _failed(request, page, question, error)
    return _done(request, question, "follow", following=following)


@require_POST
def flag_view(request: HttpRequest, page: CommunityIndexPage, pk: int) -> HttpResponse:
    question = _question(request, page, pk)
    try:
        target = _target(question, request.user, request.POST.get("target", ""),
                         request.POST.get("id"))  # fmt: skip
        actions.flag_post(
            _actor(request), target, request.POST.get("reason", ""), request.POST.get("note", "")
        )
    except CommunityError as error:
        return _failed(request, page, question, error)
    return _done(request, question, flagged=True)


@require_POST
def edit_view(request: HttpRequest, page: CommunityIndexPage, pk: int) -> HttpResponse:
    question = _question(request, page, pk)
    try:
        target = _target(question, request.user, request.POST.get("target", ""),
                         request.POST.get("id"))  # fmt: skip
        actions.edit_post(
            request.user, target, request.POST.get("body", ""),
            request.POST.get("title", ""), request.POST.get("reason", ""),
        )  # fmt: skip
    except CommunityError as error:
        return _failed(request, page, question, error)
    return _done(request, question)


@require_POST
def moderate_view(request: HttpRequest, page: CommunityIndexPage, pk: int) -> HttpResponse:
    if not is_moderator(request.user):
        raise Http404
    question = _question(request, page, pk)
    try:
        target = _target(question, request.user, request.POST.get("target", ""),
                         request.POST.get("id"))  # fmt: skip
        moderation.moderate(
            request.user, target, request.POST.get("action", ""),
            request.POST.get("reason", ""), request.POST.get("merge_into"),
        )  # fmt: skip
    except CommunityError as error:
        return _failed(request, page, question, error)
    return _done(request, question)


@require_POST
def promote_view(request: HttpRequest, page: CommunityIndexPage, pk: int) -> HttpResponse:
    question = _question(request, page, pk)
    try:
        article = moderation.promote_to_article(
            request.user, question, request.POST.get("category")
        )
    except CommunityError as error:
        return _failed(request, page, question, error)
    edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    if _wants_json(request):
        return JsonResponse({"ok": True, "article": article.pk, "edit_url": edit_url})
    return _see_other(edit_url)


WRITE_VIEWS = {
    "answer": answer_view,
    "comment": comment_view,
    "vote": vote_view,
    "accept": accept_view,
    "flag": flag_view,
    "follow": follow_view,
    "edit": edit_view,
    "moderate": moderate_view,
    "promote": promote_view,
}
