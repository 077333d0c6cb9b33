"""The agents' inbox in the Wagtail admin: list, one request (journey timeline, articles already
read, assignment, status, internal notes, reply by email, deliveries), dead letters with retry.

Plain Django views under Wagtail's admin URLs (which already require admin access); agents
also need "Can change support request" (``support.change_supportrequest``), which
``support/demo.py`` grants to the "Support agents" group.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import actions, journey, outbox, privacy, tasks
from .models import Delivery, SupportMessage, SupportRequest

PERMISSION = "support.change_supportrequest"


def require_agent(request: HttpRequest) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def agents():
    """Who requests can be assigned to: anyone who may work the inbox."""
    users = get_user_model().objects.filter(is_active=True).order_by("username")
    return [user for user in users if user.has_perm(PERMISSION)]


def inbox(request: HttpRequest) -> HttpResponse:
    require_agent(request)
    status = request.GET.get("status", "")
    if status not in SupportRequest.Status.values:
        status = ""
    mine = request.GET.get("mine") == "1"
    requests = SupportRequest.objects.inbox(status, request.user if mine else None)
    page = Paginator(requests, 30).get_page(request.GET.get("p"))
    context = {
        "page": page,
        "status": status,
        "mine": mine,
        "statuses": SupportRequest.Status.choices,
        "dead_count": Delivery.objects.dead().count(),
    }
    return render(request, "support/admin/inbox.html", context)


def timeline(support_request: SupportRequest) -> list[dict]:
    """Journey events and the request itself, oldest first, one readable line each."""
    items = [
        {
            "at": event["at"],
            "kind": event["kind"],
            "part": journey.part_of(event["kind"]),
            "text": journey.describe(event),
            "zero": event["kind"] == "search" and (event.get("data") or {}).get("results") == 0,
        }
        for event in support_request.journey
    ]
    items.append(
        {
            "at": support_request.created_at.isoformat(),
            "kind": "support_request",
            "part": "request",
            "text": _("Asked for a person"),
            "zero": False,
        }
    )
    return items


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_agent(request)
    support_request = get_object_or_404(SupportRequest.objects.select_related("user"), pk=pk)
    context = {
        "r": support_request,
        "timeline": timeline(support_request),
        "articles": journey.articles_read(support_request.journey),
        "conversation": support_request.messages.select_related("author"),
        "deliveries": support_request.deliveries.prefetch_related("attempt_log").order_by(
            "created_at"
        ),
        "agents": agents(),
        "statuses": SupportRequest.Status.choices,
    }
    return render(request, "support/admin/detail.html", context)


@require_POST
def update(request: HttpRequest, pk: int) -> HttpResponse:
    """One endpoint for the detail page's small forms: assign, status, note, reply."""
    require_agent(request)
    support_request = get_object_or_404(SupportRequest, pk=pk, anonymised_at=None)
    action = request.POST.get("action")
    body = request.POST.get("body", "").strip()
    if action == "assign":
        agent_id = request.POST.get("agent")
        agent = next((a for a in agents() if str(a.pk) == agent_id), None)
        actions.assign(support_request, agent)
        messages.success(request, _("Assignment saved."))
    elif action == "status" and request.POST.get("status") in SupportRequest.Status.values:
        actions.set_status(support_request, request.POST["status"])
        messages.success(request, _("Status saved."))
    elif action in {SupportMessage.Kind.NOTE, SupportMessage.Kind.REPLY} and body:
        if action == SupportMessage.Kind.NOTE:
            actions.add_note(support_request, request.user, body)
            messages.success(request, _("Note added."))
        elif not support_request.email:
            messages.error(request, _("This request has no email address to reply to."))
        else:
            actions.reply(support_request, request.user, body)
            messages.success(request, _("Reply queued for sending by email."))
    else:
        messages.error(request, _("Nothing to save."))
    return redirect("support_admin:detail", pk=pk)


def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    require_agent(request)
    support_request = get_object_or_404(SupportRequest, pk=pk)
    if not support_request.attachment:
        raise Http404
    response = FileResponse(
        support_request.attachment.open("rb"),
        as_attachment=True,
        filename=support_request.attachment.name.rsplit("/", 1)[-1],
        content_type=support_request.attachment_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def dead_letters(request: HttpRequest) -> HttpResponse:
    require_agent(request)
    deliveries = Delivery.objects.dead().prefetch_related("attempt_log").order_by("-created_at")
    return render(request, "support/admin/dead_letters.html", {"deliveries": deliveries})


@require_POST
def retry(request: HttpRequest, delivery_id) -> HttpResponse:
    require_agent(request)
    delivery = get_object_or_404(Delivery, pk=delivery_id, state=Delivery.State.DEAD)
    outbox.retry(delivery)
    tasks.kick_delivery(delivery.pk)
    messages.success(request, _("Delivery queued again."))
    return redirect(request.POST.get("next") or "support_admin:dead_letters")


def subject_of(support_request: SupportRequest) -> privacy.Subject:
    return privacy.Subject.find(email=support_request.email, user=support_request.user)


def export(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff's export of everything held about the person behind this request."""
    require_agent(request)
    data = privacy.export(subject_of(get_object_or_404(SupportRequest, pk=pk)))
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="faro-data-{pk}.json"'
    return response


@require_POST
def erase(request: HttpRequest, pk: int) -> HttpResponse:
    require_agent(request)
    support_request = get_object_or_404(SupportRequest, pk=pk, anonymised_at=None)
    counts = privacy.erase(subject_of(support_request))
    messages.success(
        request,
        _("Deleted: %(journey)d journey steps, %(votes)d votes; %(requests)d requests anonymised.")
        % {
            "journey": counts["journey"],
            "votes": counts["votes"],
            "requests": counts["support_requests"],
        },
    )
    return redirect("support_admin:inbox")
