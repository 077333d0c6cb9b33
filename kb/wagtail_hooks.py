"""Admin for the help centre: snippets for audiences and product areas, and editors' reports."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import CustomerGroup, ProductArea
from .reports import ReviewDueView, StaleTranslationsView


class CustomerGroupViewSet(SnippetViewSet):
    model = CustomerGroup
    icon = "group"
    menu_label = _("Customer groups")
    list_display = ["name", "slug"]


class ProductAreaViewSet(SnippetViewSet):
    model = ProductArea
    icon = "tag"
    menu_label = _("Product areas")
    list_display = ["name", "slug"]


register_snippet(CustomerGroupViewSet)
register_snippet(ProductAreaViewSet)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("reports/review-due/", ReviewDueView.as_view(), name="faro_review_due"),
        path(
            "reports/review-due/results/",
            ReviewDueView.as_view(results_only=True),
            name="faro_review_due_results",
        ),
        path("reports/stale-translations/", StaleTranslationsView.as_view(), name="faro_stale"),
        path(
            "reports/stale-translations/results/",
            StaleTranslationsView.as_view(results_only=True),
            name="faro_stale_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_review_due_menu_item():
    return MenuItem(
        _("Articles due for review"), reverse("faro_review_due"), icon_name="time", order=150
    )


@hooks.register("register_reports_menu_item")
def register_stale_translations_menu_item():
    return MenuItem(
        _("Translations out of date"), reverse("faro_stale"), icon_name="globe", order=160
    )
