"""The "Insights" admin area: a menu item and URLs, shown only with ``insights.view_insights``."""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views


class InsightsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        user = request.user
        return user.is_staff and user.has_perm("insights.view_insights")


@hooks.register("register_admin_urls")
def register_insights_urls():
    return [
        path("insights/", views.dashboard, name="insights"),
        path("insights/tune/", views.tune, name="insights_tune"),
        path("insights/draft/", views.create_draft, name="insights_draft"),
        path("insights/digest/", views.digest_opt, name="insights_digest"),
        path("insights/<slug:section>/", views.dashboard, name="insights_section"),
    ]


@hooks.register("register_admin_menu_item")
def register_insights_menu_item():
    return InsightsMenuItem("Insights", reverse("insights"), icon_name="table", order=260)


@hooks.register("register_permissions")
def register_insights_permissions():
    """Lets administrators grant Insights to any group in Settings → Groups."""
    return Permission.objects.filter(
        content_type__app_label="insights", codename__in=["view_insights", "tune_search"]
    )
