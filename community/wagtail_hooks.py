"""Admin entry points: the moderation queue (moderators) and unanswered questions (staff)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import ModerationQueueView, UnansweredView
from .models import is_moderator


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return is_moderator(request.user)


@hooks.register("register_admin_urls")
def register_community_urls():
    return [
        path("community/moderation/", ModerationQueueView.as_view(), name="community_moderation"),
        path("community/unanswered/", UnansweredView.as_view(), name="community_unanswered"),
    ]


@hooks.register("register_admin_menu_item")
def register_moderation_menu_item():
    return ModeratorMenuItem(
        _("Community moderation"), reverse("community_moderation"), icon_name="warning",
        order=250,
    )  # fmt: skip


@hooks.register("register_reports_menu_item")
def register_unanswered_menu_item():
    return MenuItem(
        _("Unanswered questions"), reverse("community_unanswered"), icon_name="help", order=170
    )
