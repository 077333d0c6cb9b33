from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """Outcomes for editors; also lets them fix a query's results (see ``insights.actions``)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "insights"
    verbose_name = "Insights"

    def ready(self) -> None:
        from search.engine import register_result_exclusion

        from .actions import wrong_results

        register_result_exclusion(wrong_results)
