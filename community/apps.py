from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    """Community Q&A: customers ask, answer and vote; moderators keep it clean."""

    name = "community"
    verbose_name = _("Community")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from search.next_steps import register_escalation
        from search.sources import register

        from .search_source import ThreadSource, ask_community_step

        register(ThreadSource())
        register_escalation(ask_community_step)
