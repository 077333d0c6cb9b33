"""Admin panels that show editors what they need on the article itself.

Models are imported lazily: ``kb.models`` imports this module to build its edit handlers.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel


class ArticleStatusPanel(Panel):
    """Feedback counts and translation freshness, at the top of the article's edit form."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("heading", _("Article status"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "kb/admin/article_status_panel.html"

        def is_shown(self) -> bool:
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context: dict | None = None) -> dict:
            from kb.models import ArticleFeedback, ArticlePage

            context = super().get_context_data(parent_context)
            article = self.instance
            feedback = ArticleFeedback.objects.filter(article=article)
            context.update(
                article=article,
                feedback=feedback.summary(),
                reasons=feedback.reason_counts(),
                comments=feedback.exclude(comment="").order_by("-updated_at")[:5],
                source=article.source_article(),
                translation_is_stale=article.translation_is_stale,
                stale_translations=article.stale_translations(),
                review_due=ArticlePage.objects.filter(pk=article.pk).review_due().exists(),
            )
            return context
