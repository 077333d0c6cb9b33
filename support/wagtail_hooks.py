"""Admin for support: the inbox (menu item + URLs) and helpdesk destinations (a snippet)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views as views
from .models import Destination


class DestinationViewSet(SnippetViewSet):
    model = Destination
    icon = "mail"
    menu_label = _("Support destinations")
    list_display = ["name", "kind", "target", "active"]


register_snippet(DestinationViewSet)

admin_patterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/update/", views.update, name="update"),
    path("<int:pk>/attachment/", views.attachment, name="attachment"),
    path("<int:pk>/export/", views.export, name="export"),
    path("<int:pk>/erase/", views.erase, name="erase"),
    path("dead-letters/", views.dead_letters, name="dead_letters"),
    path("deliveries/<uuid:delivery_id>/retry/", views.retry, name="retry"),
]


@hooks.register("register_admin_urls")
def register_support_urls():
    return [path("support/", include((admin_patterns, "support_admin")))]


class InboxMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(views.PERMISSION)


@hooks.register("register_admin_menu_item")
def register_inbox_menu_item():
    return InboxMenuItem(
        _("Support inbox"), reverse("support_admin:inbox"), icon_name="mail", order=250
    )
