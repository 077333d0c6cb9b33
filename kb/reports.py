"""Editors' to-do lists in Wagtail's Reports menu: what needs reviewing, what needs translating."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.reports import PageReportView

from .models import ArticlePage


class _ArticleReport(PageReportView):
    results_template_name = "kb/admin/article_report_results.html"
    any_permission_required = ["add", "change", "publish"]
    model = ArticlePage
    list_export = ["title", "locale", "last_reviewed", "last_published_at", "url"]

    def editable_articles(self):
        editable = self.permission_policy.instances_user_has_permission_for(
            self.request.user, "change"
        )
        return ArticlePage.objects.filter(pk__in=editable.values("pk")).select_related("locale")


class ReviewDueView(_ArticleReport):
    page_title = _("Articles due for review")
    header_icon = "time"
    index_url_name = "faro_review_due"
    index_results_url_name = "faro_review_due_results"

    def get_queryset(self):
        self.queryset = self.editable_articles().review_due().order_by("last_reviewed", "title")
        return super().get_queryset()


class StaleTranslationsView(_ArticleReport):
    page_title = _("Translations out of date")
    header_icon = "globe"
    index_url_name = "faro_stale"
    index_results_url_name = "faro_stale_results"

    def get_queryset(self):
        candidates = self.editable_articles().exclude(locale__language_code=_default_language())
        stale = [a.pk for a in candidates if a.translation_is_stale]
        self.queryset = ArticlePage.objects.filter(pk__in=stale).select_related("locale")
        return super().get_queryset()


def _default_language() -> str:
    from wagtail.models import Locale

    return Locale.get_default().language_code
