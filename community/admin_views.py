"""Moderators' queue and staff's list of unanswered questions in the Wagtail admin.

The queue shows held posts and posts with open flags, each with approve / hide / hold / dismiss
(and lock, merge for threads) and an edit form; every decision asks for a reason and lands in
the moderation log shown underneath. Decisions go through ``community.moderation``, the same
code the site and the API use.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import actions, moderation
from .actions import CommunityError
from .models import Answer, Comment, Flag, ModerationAction, Question, Status, is_moderator
from .models.posts import unanswered_after

MODELS = {"question": Question, "answer": Answer, "comment": Comment}


def queue_items() -> list[dict]:
    """Held posts and flagged posts, oldest first: what a moderator must look at."""
    items = []
    for kind, model in MODELS.items():
        content_type = ContentType.objects.get_for_model(model)
        flagged = (
            Flag.objects.filter(content_type=content_type, resolved_at__isnull=True)
            .values("object_id")
            .annotate(n=Count("pk"))
        )
        flag_counts = {row["object_id"]: row["n"] for row in flagged}
        posts = model.objects.filter(pk__in=list(flag_counts)) | model.objects.filter(
            status=Status.HELD
        )
        for post in posts.select_related("author").distinct():
            question = post.thread()
            items.append(
                {
                    "kind": kind,
                    "post": post,
                    "question": question,
                    "flags": flag_counts.get(post.pk, 0),
                    "flag_reasons": list(
                        Flag.objects.filter(
                            content_type=content_type, object_id=post.pk, resolved_at__isnull=True
                        ).values_list("reason", flat=True)
                    ),
                }
            )
    return sorted(items, key=lambda item: item["post"].created_at)


class TitledAdminView(WagtailAdminTemplateMixin, TemplateView):
    """Wagtail's slim header shows the last breadcrumb as the page's heading; without our own
    item it read "Home". Home, then this page's title."""

    def get_breadcrumbs_items(self) -> list[dict]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class ModerationQueueView(TitledAdminView):
    page_title = gettext_lazy("Community moderation")
    header_icon = "warning"
    template_name = "community/admin/queue.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_moderator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict:
        context = super().get_context_data(**kwargs)
        context["items"] = queue_items()
        context["log"] = ModerationAction.objects.select_related("moderator", "content_type")[:30]
        context["actions"] = [
            (k, label)
            for k, label in ModerationAction.Kind.choices
            if k in moderation.STATUS_AFTER and k != ModerationAction.Kind.MERGE
        ]
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        model = MODELS.get(request.POST.get("kind", ""))
        target = model.objects.filter(pk=request.POST.get("id") or 0).first() if model else None
        if target is None:
            messages.error(request, _("That post no longer exists."))
            return redirect("community_moderation")
        try:
            if request.POST.get("action") == "edit":
                actions.edit_post(
                    request.user, target, request.POST.get("body", ""),
                    request.POST.get("title", ""), request.POST.get("reason", ""),
                )  # fmt: skip
            else:
                moderation.moderate(
                    request.user, target, request.POST.get("action", ""),
                    request.POST.get("reason", ""), request.POST.get("merge_into"),
                )  # fmt: skip
        except CommunityError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Done: the decision is in the moderation log."))
        return redirect(reverse("community_moderation"))


class UnansweredView(TitledAdminView):
    """Every visible question without a visible answer, oldest first; those waiting longer than
    ``FARO_COMMUNITY_UNANSWERED_HOURS`` (default 48) are marked overdue. (It once listed only
    the overdue ones and said "Every question has an answer." while fresh ones had none.)"""

    page_title = gettext_lazy("Unanswered questions")
    header_icon = "help"
    template_name = "community/admin/unanswered.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (request.user.is_staff or request.user.is_superuser):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict:
        from .queries import unanswered_for_staff

        context = super().get_context_data(**kwargs)
        threads = list(unanswered_for_staff()[:200])
        overdue_before = timezone.now() - unanswered_after()
        for thread in threads:
            thread.overdue = thread.created_at < overdue_before
        context["threads"] = threads
        context["hours"] = int(unanswered_after().total_seconds() // 3600)
        return context
