from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportingConfig(AppConfig):
    """Bring an existing help centre in (Zendesk, Markdown, HTML) and export it as Markdown."""

    name = "importing"
    verbose_name = _("Import and export")
    default_auto_field = "django.db.models.BigAutoField"
