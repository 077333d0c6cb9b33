"""Admin: Settings → Import content (with ``importing.import_content``), and the history entry
each imported revision gets."""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views


class ImportMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(views.PERMISSION)


@hooks.register("register_admin_urls")
def register_import_urls():
    return [path("import-content/", views.upload, name="import_content")]


@hooks.register("register_settings_menu_item")
def register_import_menu_item():
    return ImportMenuItem(_("Import content"), reverse("import_content"), icon_name="upload")


@hooks.register("register_permissions")
def register_import_permission():
    """Lets administrators grant importing to any group in Settings → Groups."""
    return Permission.objects.filter(content_type__app_label="importing", codename="import_content")


@hooks.register("register_log_actions")
def register_import_log_action(actions):
    actions.register_action("faro.import", _("Import"), _("Imported from another help centre"))
