"""The unsubscribe link from notification e-mails: a signed token, no sign-in needed. GET shows
a confirmation button (mail scanners follow links); POST turns the e-mails off."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from .notifications import unsubscribe, user_for_token


def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    user_id = user_for_token(token)
    if user_id is None:
        raise Http404
    done = False
    if request.method == "POST":
        unsubscribe(user_id)
        done = True
    return TemplateResponse(request, "community/unsubscribe.html", {"done": done})
