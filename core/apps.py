from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Pieces every app shares: PostgreSQL extensions, rate limits, privacy-safe visitor ids."""

    name = "core"
    default_auto_field = "django.db.models.BigAutoField"
