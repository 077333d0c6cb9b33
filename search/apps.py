from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Filled in by a later issue; registered now so the layout is in place."""

    name = "search"
    default_auto_field = "django.db.models.BigAutoField"
