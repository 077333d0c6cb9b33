"""Editors manage guidance under Snippets → Guidance: apps, tips (drafts, revisions, preview,
publishing) and page → article suggestions. The tips list shows how each performs."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .actions import stats_for
from .models import GuidedApp, PageArticle, Tip


class GuidedAppViewSet(SnippetViewSet):
    model = GuidedApp
    icon = "code"
    menu_label = _("Apps")
    list_display = ["name", "public_key", "active"]
    panels = [
        FieldPanel("name"),
        FieldPanel("allowed_origins"),
        FieldPanel("active"),
        FieldPanel("help_centre_url"),
        MultiFieldPanel(
            [FieldPanel("public_key", read_only=True), FieldPanel("secret", read_only=True)],
            heading=_("Keys (rotate with `manage.py guidance_rotate <public key>`)"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("frustration_enabled"),
                FieldRowPanel([FieldPanel("rage_click_count"), FieldPanel("rage_click_window_ms")]),
                FieldRowPanel(
                    [
                        FieldPanel("error_count"),
                        FieldPanel("form_failure_count"),
                        FieldPanel("repeat_search_count"),
                    ]
                ),
            ],
            heading=_("Frustration signals"),
        ),
    ]


def performance(tip: Tip) -> str:
    """Last 30 days, from the pre-aggregated daily counters."""
    s = stats_for(tip, timezone.localdate() - timedelta(days=30))
    return (
        _("shown %(shown)s · clicked %(clicked)s · dismissed %(dismissed)s · done %(completed)s")
        % s
    )


# Wagtail 8's list_display takes names or columns, not bare functions (a function broke the list).
PERFORMANCE = Column("performance", label=_("Last 30 days"), accessor=performance)


class TipViewSet(SnippetViewSet):
    model = Tip
    icon = "help"
    menu_label = _("Tips")
    list_display = ["name", "kind", "app", "locale", "priority", PERFORMANCE]
    list_filter = ["app", "kind", "locale", "live"]
    panels = [
        FieldPanel("app"),
        FieldPanel("name"),
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("title"),
                FieldPanel("body"),
                FieldPanel("steps"),
                FieldRowPanel(
                    [
                        FieldPanel("link_article"),
                        FieldPanel("link_search"),
                        FieldPanel("link_label"),
                    ]
                ),
            ],
            heading=_("Content"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("url_patterns"),
                FieldPanel("selector"),
                FieldPanel("locale"),
                FieldPanel("audience_rules"),
                FieldPanel("restricted"),
            ],
            heading=_("Targeting"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("trigger"), FieldPanel("delay_seconds"), FieldPanel("signal")]
                ),
                FieldPanel("priority"),
                FieldRowPanel([FieldPanel("show_from"), FieldPanel("show_until")]),
                FieldRowPanel([FieldPanel("frequency"), FieldPanel("frequency_days")]),
                FieldPanel("reshow_on_article_change"),
            ],
            heading=_("When"),
        ),
    ]


class PageArticleViewSet(SnippetViewSet):
    model = PageArticle
    icon = "doc-full"
    menu_label = _("Page suggestions")
    list_display = ["url_pattern", "article", "app"]
    panels = [
        FieldPanel("app"),
        FieldPanel("url_pattern"),
        FieldPanel("article"),
        FieldPanel("sort_order"),
    ]


class GuidanceGroup(SnippetViewSetGroup):
    menu_label = _("Guidance")
    menu_icon = "help"
    menu_order = 260
    items = (TipViewSet, GuidedAppViewSet, PageArticleViewSet)


register_snippet(GuidanceGroup)
