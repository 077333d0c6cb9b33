from django.apps import AppConfig


class CommunityConfig(AppConfig):
    """Filled in by a later issue; registered now so the layout is in place."""

    name = "community"
    default_auto_field = "django.db.models.BigAutoField"
