from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KbConfig(AppConfig):
    """The help centre: articles, categories, audiences, feedback."""

    name = "kb"
    verbose_name = _("Help centre")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from search.sources import register

        from .search_source import ArticleSource

        register(ArticleSource())
