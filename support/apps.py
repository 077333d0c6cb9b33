from django.apps import AppConfig


class SupportConfig(AppConfig):
    """Talk to a human: requests with the customer's journey, the agents' inbox, delivery."""

    name = "support"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Support"
