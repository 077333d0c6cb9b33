"""Help-centre pages: one home per locale, nestable categories, and articles."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import models
from django.db.models import Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Locale, Orderable, Page, PageManager
from wagtail.query import PageQuerySet

from core import journey
from kb.blocks import ArticleBodyBlock
from kb.forms import ArticlePageForm
from kb.panels import ArticleStatusPanel

from .audience import Audience


def can_see_everything(user: Any) -> bool:
    """Staff who edit content see every article on the public site, restricted ones included."""
    return bool(user and user.is_authenticated and (user.is_staff or user.is_superuser))


class ArticlePageQuerySet(PageQuerySet):
    def visible_to(self, user: Any) -> ArticlePageQuerySet:
        """Articles this person may read: the one rule every listing, feed and search obeys."""
        if can_see_everything(user):
            return self
        allowed = Q(audience=Audience.PUBLIC)
        if user is not None and user.is_authenticated:
            member_of = ArticlePage.audience_groups.through.objects.filter(
                customergroup__members=user
            ).values("articlepage_id")
            allowed |= Q(audience=Audience.CUSTOMERS)
            allowed |= Q(audience=Audience.GROUPS, pk__in=member_of)
        return self.filter(allowed)

    def public_only(self) -> ArticlePageQuerySet:
        return self.filter(audience=Audience.PUBLIC)

    def popular(self, days: int = 30) -> ArticlePageQuerySet:
        """Most-read first over the last ``days``; editor-featured articles break ties."""
        since = timezone.localdate() - timedelta(days=days)
        return self.annotate(
            recent_views=Sum("daily_views__views", filter=Q(daily_views__day__gte=since))
        ).order_by(models.F("recent_views").desc(nulls_last=True), "-featured", "title")

    def review_due(self, today: date | None = None) -> ArticlePageQuerySet:
        today = today or timezone.localdate()
        cutoff = today - timedelta(days=settings.FARO_REVIEW_INTERVAL_DAYS)
        return self.filter(Q(last_reviewed__isnull=True) | Q(last_reviewed__lt=cutoff))


ArticlePageManager = PageManager.from_queryset(ArticlePageQuerySet)


class TranslatedSitemapMixin:
    """Sitemap entries carry ``hreflang`` alternates for every live translation that anyone may
    read: pointing crawlers at a restricted translation would reveal it and lead to a login."""

    def readable_by_anyone(self) -> bool:
        return getattr(self, "audience", Audience.PUBLIC) == Audience.PUBLIC

    def get_sitemap_urls(self, request: HttpRequest | None = None) -> list[dict]:
        if not self.readable_by_anyone():
            return []
        # The sitemap prefetches translations for all pages at once (kb/sitemaps.py).
        translations = getattr(self, "prefetched_translations", None)
        if translations is None:
            candidates = self.get_translations(inclusive=True).live().public().specific()
            translations = [t for t in candidates if t.readable_by_anyone()]
        alternates = [
            {"lang_code": t.locale.language_code, "location": t.get_full_url(request)}
            for t in translations
        ]
        return [
            {
                "location": self.get_full_url(request),
                "lastmod": self.last_published_at or self.latest_revision_created_at,
                "alternates": alternates if len(alternates) > 1 else [],
            }
        ]


class HelpCentrePage(TranslatedSitemapMixin, Page):
    """The help centre's home in one locale: categories and popular articles."""

    intro = models.CharField(max_length=250, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["kb.CategoryPage", "community.CommunityIndexPage"]
    max_count_per_parent = None

    class Meta:
        verbose_name = _("help centre home")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["categories"] = CategoryPage.objects.child_of(self).live().order_by("path")
        context["popular_articles"] = (
            ArticlePage.objects.live().descendant_of(self).visible_to(request.user).popular()[:8]
        )
        return context


class CategoryPage(TranslatedSitemapMixin, Page):
    """A group of articles; categories nest (e.g. Integrations > API & webhooks)."""

    ICONS = ["rocket", "shield", "credit-card", "folder", "clock", "plug", "code", "wrench"]

    description = models.CharField(max_length=250, blank=True)
    icon = models.CharField(
        max_length=20, choices=[(i, i) for i in ICONS], default="folder", blank=True
    )

    content_panels = [*Page.content_panels, FieldPanel("description"), FieldPanel("icon")]
    parent_page_types = ["kb.HelpCentrePage", "kb.CategoryPage"]
    subpage_types = ["kb.CategoryPage", "kb.ArticlePage"]

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def visible_articles(self, user: Any) -> ArticlePageQuerySet:
        return ArticlePage.objects.child_of(self).live().visible_to(user).order_by("path")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["subcategories"] = CategoryPage.objects.child_of(self).live().order_by("path")
        context["articles"] = self.visible_articles(request.user)
        return context


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "kb.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticleRelatedLink(Orderable):
    page = ParentalKey("kb.ArticlePage", on_delete=models.CASCADE, related_name="related_links")
    article = models.ForeignKey("kb.ArticlePage", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("article")]


class ArticlePage(TranslatedSitemapMixin, Page):
    """A help article. Its audience decides who may read it, everywhere it could surface."""

    summary = models.CharField(
        max_length=250, help_text=_("One or two sentences shown in listings and results.")
    )
    body = StreamField(ArticleBodyBlock(), use_json_field=True)
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True)
    product_area = models.ForeignKey(
        "kb.ProductArea", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    audience = models.CharField(
        max_length=20, choices=Audience.choices, default=Audience.PUBLIC, db_index=True
    )
    audience_groups = ParentalManyToManyField("kb.CustomerGroup", blank=True)
    featured = models.BooleanField(default=False, help_text=_("Show on the help centre home."))
    last_reviewed = models.DateField(null=True, blank=True)
    source_synced_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("When this translation was last brought up to date with its source."),
    )
    # Set when an editor turns a community thread into this article (community.moderation).
    community_question = models.ForeignKey(
        "community.Question",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="articles",
    )

    objects = ArticlePageManager()

    parent_page_types = ["kb.CategoryPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("article")

    base_form_class = ArticlePageForm
    content_panels = [
        ArticleStatusPanel(),
        FieldPanel("translation_up_to_date"),
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("product_area"), FieldPanel("tags"), FieldPanel("featured")],
            heading=_("Classification"),
        ),
        MultiFieldPanel(
            [FieldPanel("audience"), FieldPanel("audience_groups")],
            heading=_("Who can read it"),
        ),
        InlinePanel("related_links", label=_("Related articles")),
    ]
    settings_panels = [*Page.settings_panels, FieldPanel("last_reviewed")]

    # --- visibility --------------------------------------------------------------------------
    def is_visible_to(self, user: Any) -> bool:
        return ArticlePage.objects.filter(pk=self.pk).visible_to(user).exists()

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Refuse restricted articles before anything renders: anonymous visitors are asked to
        sign in; signed-in people outside the audience get a plain 404 that reveals nothing."""
        if not self.is_visible_to(request.user):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise Http404
        response = super().serve(request, *args, **kwargs)
        journey.record(
            request, "article_view", {"id": self.pk, "title": self.title, "url": self.url}
        )
        if self.audience != Audience.PUBLIC:
            response["Cache-Control"] = "private, no-store"
        else:
            from kb.actions import count_article_view

            count_article_view(self)
        return response

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict:
        from .feedback import HELPFUL_REASONS, UNHELPFUL_REASONS, FeedbackReason

        context = super().get_context(request, *args, **kwargs)
        context["related_articles"] = self.related_articles(request.user)
        state = request.GET.get("feedback", "")
        context["feedback_state"] = state if state in {"helpful", "unhelpful", "thanks"} else ""
        context["feedback_reasons"] = [
            (side, [(r.value, r.label) for r in FeedbackReason if r in reasons])
            for side, reasons in (("helpful", HELPFUL_REASONS), ("unhelpful", UNHELPFUL_REASONS))
        ]
        return context

    # --- content helpers ---------------------------------------------------------------------
    def headings(self) -> list[dict[str, str]]:
        """Table of contents: every heading block with a unique anchor id."""
        seen: dict[str, int] = {}
        toc = []
        for block in self.body:
            if block.block_type != "heading":
                continue
            base = slugify(block.value["text"]) or "section"
            seen[base] = seen.get(base, 0) + 1
            anchor = base if seen[base] == 1 else f"{base}-{seen[base]}"
            toc.append({"id": anchor, "text": block.value["text"], "level": block.value["level"]})
        return toc

    def body_with_anchors(self) -> list[tuple[Any, str | None]]:
        anchors = iter(self.headings())
        return [
            (block, next(anchors)["id"] if block.block_type == "heading" else None)
            for block in self.body
        ]

    def related_articles(self, user: Any, limit: int = 5) -> list[ArticlePage]:
        """Editor-chosen related articles; siblings fill the list when there are few."""
        chosen_ids = [link.article_id for link in self.related_links.all()]
        visible = ArticlePage.objects.live().visible_to(user).exclude(pk=self.pk)
        chosen = {a.pk: a for a in visible.filter(pk__in=chosen_ids)}
        related = [chosen[pk] for pk in chosen_ids if pk in chosen][:limit]
        if len(related) < limit:
            siblings = visible.sibling_of(self).exclude(pk__in=chosen_ids).order_by("path")
            related += list(siblings[: limit - len(related)])
        return related

    def category(self) -> CategoryPage | None:
        parent = self.get_parent()
        return parent.specific if parent else None

    # --- translations ------------------------------------------------------------------------
    def source_article(self) -> ArticlePage | None:
        """The article in the default locale this one translates, or None if it is the source."""
        default = Locale.get_default()
        if self.locale_id == default.pk:
            return None
        return ArticlePage.objects.filter(
            translation_key=self.translation_key, locale=default
        ).first()

    @property
    def translation_is_stale(self) -> bool:
        """True when the source was published after this translation was last synced."""
        source = self.source_article()
        if source is None or source.last_published_at is None:
            return False
        return self.source_synced_at is None or source.last_published_at > self.source_synced_at

    def stale_translations(self) -> list[ArticlePage]:
        return [
            page
            for page in ArticlePage.objects.filter(translation_key=self.translation_key).exclude(
                pk=self.pk
            )
            if page.translation_is_stale
        ]
