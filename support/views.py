"""Help-centre pages: contact form (with the last self-service offer and "what we'll share"),
the status page behind the secret link, privacy export/delete, and the consent banner's endpoint.

Every page works without JavaScript (``support.js`` only adds niceties). Pages behind a secret
link are ``private, no-store`` with ``Referrer-Policy: no-referrer``, so the secret never leaks
to a cache or to a site the customer follows a link to.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import replace

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.consent import has_consent, set_consent
from core.urls_safe import safe_or_empty
from core.visitors import ip_hash, remember_visitor, visitor_key

from . import actions, journey, links, privacy
from .models import SupportRequest
from .validation import MESSAGE_MIN, RequestError, RequestInput


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


def share_preview(request: HttpRequest, page_url: str) -> dict:
    """What the request would carry, grouped into parts the customer can untick."""
    requester = actions.requester_from_http(request)
    events = (
        journey.collect(list(requester.visitors), requester.user) if requester.consented else []
    )
    return {
        "consented": requester.consented,
        "parts": journey.parts_of(events),
        "page_url": page_url if requester.consented else "",
    }


def shown_answer(request: HttpRequest, source, locale: str) -> dict:
    """The answer card that sent the customer here ("No, talk to a person" carries
    ``?q=…&answer=source:id:anchor``), looked up again as this visitor may see it, so the form
    can say what was already tried and the request can show the agent."""
    ref = source.get("answer", "")[:230]
    question = " ".join(source.get("question", source.get("q", "")).split())[:300]
    if not ref:
        return {"answer_ref": "", "question": "", "shown_answer": None}
    from search.shown import resolve

    found = resolve(ref, question, request.user, locale)
    return {
        "answer_ref": found["ref"] if found else "",
        "question": question if found else "",
        "shown_answer": found,
    }


@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    """Step 1 asks what is wrong and offers the best article (deflection); step 2 is the short
    form with the share panel; sending redirects to the status page."""
    locale = get_language()
    source = request.POST if request.method == "POST" else request.GET
    step = source.get("step", "")
    context = {
        "message": source.get("message", "").strip(),
        # From search ("Talk to a person" carries ?q=): the question, ready to send or edit.
        "draft": " ".join(request.GET.get("q", "").split())[:300],
        "entry_point": source.get("from", source.get("entry_point", "")),
        # Only an http(s) URL or a path here is carried on (agents see it as a link).
        "page_url": safe_or_empty(source.get("page", source.get("page_url", "")))[:500],
        "errors": {},
        "offer": None,
        "stage": "ask",
        "signed_in": request.user.is_authenticated,
        "message_min": MESSAGE_MIN,
        # One key per rendered form: a double click or a resubmitted page makes one request.
        "idempotency_key": uuid.uuid4().hex,
    }
    context.update(shown_answer(request, source, locale))
    status = 200
    if step == "resolved":
        actions.resolve_deflection(source.get("deflection", ""))
        return render(request, "support/resolved.html", context)
    if step == "send":
        return _send(request, context, locale)
    if context["message"]:
        if len(context["message"]) < MESSAGE_MIN:
            context["errors"]["message"] = _(
                "Tell us a little more: at least %(n)d characters."
            ) % {"n": MESSAGE_MIN}
            status = 400
        else:
            context["stage"] = "form"
            context["offer"] = actions.offer_answer(context["message"], locale, request.user)
    context.update(share_preview(request, context["page_url"]))
    return render(request, "support/contact.html", context, status=status)


def _send(request: HttpRequest, context: dict, locale: str) -> HttpResponse:
    context["stage"] = "form"
    requester = actions.requester_from_http(request)
    try:
        data = RequestInput.parse(
            request.POST, request.FILES, email_required=not request.user.is_authenticated
        )
        actions.check_rate(requester)
        support_request, _created = actions.create_request(replace(data, locale=locale), requester)
    except actions.IdempotencyConflict:
        # Sent before with other words (Back, edit, send): keep the text, offer a fresh key.
        context["errors"] = {"idempotency_key": _(
            "This form was already sent, so your changes were not. Send again to make a new "
            "request."
        )}  # fmt: skip
        context.update(share_preview(request, context["page_url"]))
        return render(request, "support/contact.html", context, status=409)
    except RequestError as error:
        # The same form sent again (fixed errors) keeps its key: one request however many tries.
        sent_key = request.POST.get("idempotency_key", "")[:200]
        context["idempotency_key"] = sent_key or context["idempotency_key"]
        context["errors"] = error.errors
        context.update(share_preview(request, context["page_url"]))
        context["deflection"] = request.POST.get("deflection", "")
        return render(request, "support/contact.html", context, status=400)
    except actions.RateLimited:
        context["errors"] = {"message": _("Too many requests from you just now; try later.")}
        context.update(share_preview(request, context["page_url"]))
        return render(request, "support/contact.html", context, status=429)
    response = redirect(links.status_path(support_request, locale) + "?sent=1")
    response.status_code = 303
    return response


def status(request: HttpRequest, public_id, token: str) -> HttpResponse:
    support_request = get_object_or_404(SupportRequest, public_id=public_id, anonymised_at=None)
    if not links.token_matches(support_request, token):
        raise Http404
    steps = [
        (value, label, value == support_request.status)
        for value, label in SupportRequest.Status.choices
    ]
    context = {
        "support_request": support_request,
        "steps": steps,
        "replies": support_request.messages.filter(kind="reply"),
        "just_sent": request.GET.get("sent") == "1",
    }
    return _private(render(request, "support/status.html", context))


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    """The signed-in customer's own requests, newest first, each linking to its status page.

    By account only, not by e-mail address: an address typed into the contact form is not
    proof that this account owns it."""
    locale = get_language()
    requests = (
        SupportRequest.objects.of_subject(user=request.user)
        .filter(anonymised_at=None)
        .order_by("-created_at")[:100]
    )
    rows = [(item, links.status_path(item, locale)) for item in requests]
    return _private(render(request, "support/my_requests.html", {"rows": rows}))


@require_POST
def consent(request: HttpRequest) -> HttpResponse:
    """The banner's answer. Granting also sets the first-party visitor cookie, the key the
    journey is recorded under; denying leaves no cookie but the answer itself."""
    granted = request.POST.get("choice") == "granted"
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    if "application/json" in request.headers.get("Accept", ""):
        response: HttpResponse = JsonResponse({"consent": "granted" if granted else "denied"})
    else:
        response = redirect(target)
        response.status_code = 303
    set_consent(response, granted)
    if granted and not request.user.is_authenticated:
        _hash, new_cookie = visitor_key(request)
        remember_visitor(response, new_cookie)
    return response


@require_http_methods(["GET", "POST"])
def privacy_request(request: HttpRequest) -> HttpResponse:
    """Ask for a link to export or delete your data (sent to the address you give)."""
    context = {"sent": False, "error": "", "email": "", "has_consent": has_consent(request)}
    if request.method == "POST":
        email = request.POST.get("email", "").strip()
        context["email"] = email
        try:
            RequestInput.parse({"message": "x" * MESSAGE_MIN, "email": email})
            actions.send_privacy_link(email, get_language(), ip_hash(request))
            context["sent"] = True
        except RequestError as error:
            context["error"] = error.errors.get("email", "")
        except actions.RateLimited:
            context["error"] = _("Too many requests from you just now; try later.")
    return render(request, "support/privacy.html", context, status=400 if context["error"] else 200)


def _subject(token: str) -> privacy.Subject:
    email = links.privacy_email(token)
    if email is None:
        raise Http404
    return privacy.Subject.find(email=email)


@require_http_methods(["GET", "POST"])
def privacy_manage(request: HttpRequest, token: str) -> HttpResponse:
    subject = _subject(token)
    if request.method == "POST" and request.POST.get("confirm") == "delete":
        counts = privacy.erase(subject)
        return _private(render(request, "support/privacy_done.html", {"counts": counts}))
    data = privacy.export(subject)
    summary = {
        "requests": len(data["support_requests"]),
        "journey": len(data["journey"]),
        "votes": len(data["votes"]),
    }
    context = {"token": token, "email": subject.email, "summary": summary}
    return _private(render(request, "support/privacy_manage.html", context))


def privacy_export(request: HttpRequest, token: str) -> HttpResponse:
    data = privacy.export(_subject(token))
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="faro-my-data.json"'
    return _private(response)
