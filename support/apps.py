from django.apps import AppConfig


class SupportConfig(AppConfig):
    """Filled in by a later issue; registered now so the layout is in place."""

    name = "support"
    default_auto_field = "django.db.models.BigAutoField"
