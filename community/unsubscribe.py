"""The links in notification e-mails: signed tokens, no sign-in needed. GET shows a confirmation
button (mail scanners follow links); POST acts. One link stops all community e-mails, the other
stops following one thread."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from .models import Follow, Question
from .notifications import follow_for_token, unsubscribe, user_for_token


def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    user_id = user_for_token(token)
    if user_id is None:
        raise Http404
    done = False
    if request.method == "POST":
        unsubscribe(user_id)
        done = True
    return TemplateResponse(request, "community/unsubscribe.html", {"done": done})


def unfollow_view(request: HttpRequest, token: str) -> HttpResponse:
    found = follow_for_token(token)
    question = Question.objects.filter(pk=found[1]).first() if found else None
    if question is None:
        raise Http404
    done = False
    if request.method == "POST":
        Follow.objects.filter(user_id=found[0], question=question).delete()
        done = True
    context = {"done": done, "title": question.title, "thread_url": question.url}
    return TemplateResponse(request, "community/unfollow.html", context)
