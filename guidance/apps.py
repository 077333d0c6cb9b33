from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    """Filled in by a later issue; registered now so the layout is in place."""

    name = "guidance"
    default_auto_field = "django.db.models.BigAutoField"
