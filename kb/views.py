"""Thin views: validate, call an action, answer as JSON (fetch) or redirect (plain form post)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import http, journey
from core.visitors import ip_hash, remember_visitor, visitor_key

from . import actions
from .models import ArticlePage


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_POST
def article_feedback(request: HttpRequest, page_id: int) -> HttpResponse:
    """Record "Was this helpful?" for one article. CSRF-protected by Django's middleware; works
    for anonymous visitors (keyed by a first-party cookie) and signed-in customers alike."""
    article = get_object_or_404(ArticlePage.objects.live().visible_to(request.user), pk=page_id)
    try:
        data = actions.FeedbackInput.parse(request.POST)
    except actions.FeedbackError as error:
        return http.plain_or_json_error(request, str(error), 400)
    visitor_hash, new_cookie = visitor_key(request)
    try:
        feedback, created = actions.record_feedback(article, visitor_hash, ip_hash(request), data)
    except http.RateLimited as limited:
        message = _("Too many votes from you just now; try again later.")
        return http.plain_or_json_error(request, message, 429, limited.retry_after)
    journey.record(
        request,
        "feedback",
        {
            "id": article.pk,
            "title": article.title,
            "url": article.url,
            "helpful": feedback.helpful,
            "reason": feedback.reason,
        },
        page_url=article.url,
    )
    if _wants_json(request):
        response: HttpResponse = JsonResponse(
            {"helpful": feedback.helpful, "reason": feedback.reason, "created": created},
            status=201 if created else 200,
        )
    else:
        state = "helpful" if feedback.helpful else "unhelpful"
        if data.reason or data.comment:
            state = "thanks"
        response = redirect(f"{article.url}?feedback={state}#feedback", permanent=False)
        response.status_code = 303
    remember_visitor(response, new_cookie)
    return response
