from django.apps import AppConfig


class SupportConfig(AppConfig):
    """Talk to a human: requests with the customer's journey, the agents' inbox, delivery."""

    name = "support"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Support"

    def ready(self) -> None:
        from search.next_steps import register_human_step

        from .search_steps import talk_to_a_person

        register_human_step(talk_to_a_person)
