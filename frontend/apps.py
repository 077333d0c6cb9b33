from django.apps import AppConfig


class FrontendConfig(AppConfig):
    """Templates, static files and template tags of the public help centre, and its search page
    (``search_views.py``) with the snippets' ``<mark>`` highlighting (``highlight.py``)."""

    name = "frontend"

    def ready(self) -> None:
        from search.snippets import register_formatter

        from .highlight import marked

        register_formatter(marked)
