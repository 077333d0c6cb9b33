"""The community's home inside the Wagtail tree: one ``CommunityIndexPage`` per locale, under the
help centre home, routing to threads and their write endpoints (RoutablePageMixin).

Routes only dispatch: the work happens in ``community/views.py`` (thin) and ``actions.py``.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.models import Page


class CommunityIndexPage(RoutablePageMixin, Page):
    intro = models.CharField(max_length=250, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["kb.HelpCentrePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("community")

    def thread_url(self, question: Any) -> str:
        return (self.url or "") + self.reverse_subpage("thread", args=[question.pk, question.slug])

    def route_url(self, name: str, *args: Any) -> str:
        return (self.url or "") + self.reverse_subpage(name, args=list(args))

    # --- routes ------------------------------------------------------------------------------
    @path("", name="index")
    def index_route(self, request: HttpRequest) -> HttpResponse:
        from community import views

        return views.thread_list(request, self)

    @path("tags/<str:tag>/", name="tag")
    def tag_route(self, request: HttpRequest, tag: str) -> HttpResponse:
        from community import views

        return views.thread_list(request, self, tag)

    @path("ask/", name="ask")
    def ask_route(self, request: HttpRequest) -> HttpResponse:
        from community import views

        return views.ask(request, self)

    @path("similar/", name="similar")
    def similar_route(self, request: HttpRequest) -> HttpResponse:
        from community import views

        return views.similar(request, self)

    @re_path(r"^(?P<pk>\d+)-(?P<slug>[-\w]*)/$", name="thread")
    def thread_route(self, request: HttpRequest, pk: str, slug: str) -> HttpResponse:
        from community import views

        return views.thread_detail(request, self, int(pk), slug)

    @re_path(
        r"^(?P<pk>\d+)/(?P<verb>answer|comment|vote|accept|flag|follow|edit|moderate|promote)/$",
        name="write",
    )
    def write_route(self, request: HttpRequest, pk: str, verb: str) -> HttpResponse:
        from community import views

        return views.WRITE_VIEWS[verb](request, self, int(pk))
