from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Hybrid keyword + semantic search over every registered source."""

    name = "search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks

        from . import next_steps, signals

        signals.connect()
        checks.register(next_steps.check_human_step)
