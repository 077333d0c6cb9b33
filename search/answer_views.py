""" "Did this answer your question?" under the search page's answer card, without JavaScript.

A plain form: Yes records the verdict and returns to the results with a thank-you; "No, talk to
a person" records it and sends the visitor to the contact form with the question and the card
(``?q=…&answer=source:id:anchor``, taken from the search log, not from the form). With
JavaScript, ``faro/js/answer.js`` sends Yes to ``POST /api/v1/search/answer-feedback`` instead
and the page stays put.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import actions

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
