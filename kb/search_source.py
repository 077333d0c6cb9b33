"""How a help article becomes search sections: one per H2 heading, deep-linked to its anchor."""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Sum
from django.utils.html import strip_tags
from wagtail.rich_text import expand_db_html

from search.sources import Audience, Freshness, SearchSource, Section, overview_section

from .models import ArticleDailyViews, ArticlePage, CategoryPage, ProductArea


def _text(rich_text: object) -> str:
    source = getattr(rich_text, "source", rich_text)
    return " ".join(html.unescape(strip_tags(expand_db_html(str(source)))).split())


def block_text(block) -> str:
    kind, value = block.block_type, block.value
    if kind == "paragraph":
        return _text(value)
    if kind == "steps":
        return " ".join(_text(step["text"]) for step in value["steps"])
    if kind == "callout":
        return _text(value["text"])
    if kind == "faq":
        return f"{value['question']} {_text(value['answer'])}"
    if kind == "code":
        return value["code"]
    if kind == "image":
        return value.get("caption") or value.get("alt") or ""
    if kind == "video":
        return value["title"]
    return ""


INTRO = "_intro"  # the text before the first heading; never a heading anchor


class ArticleSource(SearchSource):
    name = "article"
    label = "Article"
    model = ArticlePage

    def sections(self, article: ArticlePage) -> list[Section]:
        """Short, focused sections embed better than long ones: the title with its summary,
        the introduction, one per H2 heading, and one per FAQ item (customers' questions often
        match an FAQ question almost word for word); plus the article's overview vector."""
        if not article.live or article.get_view_restrictions().exists():
            return []
        common = self._common(article)
        url = article.get_url() or ""
        anchors = iter(article.headings())
        # (key, anchor, heading, texts)
        groups: list[tuple[str, str, str, list[str]]] = [
            ("", "", "", [article.summary]),
            (INTRO, "", "", []),
        ]
        anchor, heading = "", ""
        for block in article.body:
            if block.block_type == "heading":
                found = next(anchors)["id"]
                if block.value["level"] == "h2":
                    anchor, heading = found, block.value["text"]
                    groups.append((anchor, anchor, heading, []))
                else:
                    groups[-1][3].append(block.value["text"])
            elif block.block_type == "faq":
                key = f"{anchor or 'faq'}-q{len(groups)}"
                groups.append((key, anchor, block.value["question"], [block_text(block)]))
            else:
                groups[-1][3].append(block_text(block))
        sections = [
            Section(
                section=key,
                position=position,
                heading=heading,
                body=" ".join(part for part in parts if part),
                url=f"{url}#{anchor}" if anchor else url,
                **common,
            )
            for position, (key, anchor, heading, parts) in enumerate(groups)
            if any(parts)
        ]
        if not sections:
            return []
        texts = [text for _, _, heading, parts in groups for text in (heading, *parts)]
        top = replace(sections[0], url=url)
        return [*sections, overview_section(top, texts, len(groups))]

    def _common(self, article: ArticlePage) -> dict:
        categories = article.get_ancestors().type(CategoryPage).order_by("depth")
        return {
            "locale": article.locale.language_code,
            "translation_key": str(article.translation_key),
            "title": article.title,
            "summary": article.summary,
            # A path ("integrations/api-webhooks") so a filter on a category covers its children.
            "category": "/".join(categories.values_list("slug", flat=True)),
            "product_area": article.product_area.slug if article.product_area else "",
            "tags": [tag.name for tag in article.tags.all()],
            "audience": article.audience,
            "audience_groups": list(article.audience_groups.values_list("pk", flat=True)),
        }

    def freshness(self, object_ids: list[str]) -> dict[str, Freshness]:
        """Reviewed longer ago than ``FARO_REVIEW_INTERVAL_DAYS`` (an article never marked as
        reviewed has no date to be past), or a translation whose source changed since."""
        cutoff = date.today() - timedelta(days=settings.FARO_REVIEW_INTERVAL_DAYS)
        ids = [int(oid) for oid in object_ids if oid.isdigit()]
        return {
            str(page.pk): Freshness(
                last_reviewed=page.last_reviewed,
                review_due=bool(page.last_reviewed and page.last_reviewed < cutoff),
                translation_outdated=page.translation_is_stale,
            )
            for page in ArticlePage.objects.filter(pk__in=ids).select_related("locale")
        }

    def all_objects(self) -> Iterable[ArticlePage]:
        return ArticlePage.objects.live().select_related("locale").order_by("pk").iterator(100)

    def audience(self, user) -> Audience:
        """As ``ArticlePageQuerySet.visible_to``: staff see everything, signed-in customers
        the customers' articles and their groups' ones, everyone else public ones only."""
        if user is None or not user.is_authenticated:
            return Audience()
        if user.is_staff or user.is_superuser:
            return Audience(see_all=True)
        groups = tuple(user.customer_groups.order_by("pk").values_list("pk", flat=True))
        return Audience(authenticated=True, group_ids=groups)

    def facets(self, locale: str) -> dict[str, list[tuple[str, str]]]:
        return {"category": category_choices(locale), "product_area": product_areas(locale)}

    def popularity(self, object_ids: list[str], since: date) -> dict[str, int]:
        """Page views per article since ``since`` (the daily counters, by article and day)."""
        ids = [int(i) for i in object_ids if i.isdigit()]
        if not ids:
            return {}
        rows = (
            ArticleDailyViews.objects.filter(article_id__in=ids, day__gte=since)
            .values("article_id")
            .annotate(total=Sum("views"))
        )
        return {str(row["article_id"]): row["total"] for row in rows}


def category_choices(locale: str) -> list[tuple[str, str]]:
    """(slug path, label) for the locale's live categories, parents before children.

    The value is the path the index stores (``integrations/api-webhooks``), so choosing a parent
    also finds its subcategories' articles."""
    categories = list(
        CategoryPage.objects.live().filter(locale__language_code=locale).order_by("path")
    )
    by_path = {category.path: category for category in categories}
    step = CategoryPage.steplen
    choices = []
    for category in categories:
        chain = [
            by_path[category.path[:end]]
            for end in range(step, len(category.path) + 1, step)
            if category.path[:end] in by_path
        ]
        choices.append(("/".join(c.slug for c in chain), " \u203a ".join(c.title for c in chain)))
    return choices


def product_areas(locale: str) -> list[tuple[str, str]]:
    areas = ProductArea.objects.filter(locale__language_code=locale).order_by("name")
    return [(area.slug, area.name) for area in areas]
