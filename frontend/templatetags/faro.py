"""Template tags for the public help centre: language links, breadcrumbs, structured data."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from wagtail.models import Locale, Page

from kb import structured_data
from kb.models import ArticlePage, HelpCentrePage

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context: dict, page: Page | str | None) -> list[dict]:
    """One entry per language: the page's translation if it exists and is live, else that
    language's help-centre home, so the switcher never leads to a 404."""
    request = context.get("request")
    links = []
    current = get_language()
    translations = {}
    if not isinstance(page, Page):
        path = request.get_full_path() if request else "/"
        return [
            {
                "code": code,
                "name": name,
                "url": translate_url(path, code),
                "full_url": None,
                "current": code == current,
                "is_translation": False,
            }
            for code, name in settings.LANGUAGES
        ]
    if page is not None:
        for t in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[t.locale.language_code] = t
    for code, name in settings.LANGUAGES:
        target = translations.get(code)
        if target is not None and (
            isinstance(target.specific, ArticlePage)
            and not target.specific.is_visible_to(request.user if request else None)
        ):
            # A translation this visitor may not read is not an alternate version for them.
            target = None
        is_translation = target is not None
        if target is None:
            target = home_for(code)
        links.append(
            {
                "code": code,
                "name": name,
                "url": target.get_url(request) if target else f"/{code}/",
                "full_url": target.get_full_url(request) if target else None,
                "current": code == current,
                # Only a real, readable translation may be announced with hreflang; the
                # fallback home is for the switcher alone.
                "is_translation": is_translation,
            }
        )
    return links


def home_for(language_code: str) -> Page | None:
    locale = Locale.objects.filter(language_code=language_code).first()
    if locale is None:
        return None
    return HelpCentrePage.objects.live().filter(locale=locale).first()


@register.simple_tag(takes_context=True)
def help_home(context: dict) -> Page | None:
    return home_for(get_language())


@register.simple_tag
def breadcrumbs(page: Page) -> list[Page]:
    return structured_data.breadcrumbs(page)


@register.simple_tag(takes_context=True)
def page_json_ld(context: dict, page: Page) -> SafeString:
    request = context.get("request")
    specific = page.specific
    if isinstance(specific, ArticlePage):
        graph = structured_data.article_graph(specific, request)
    else:
        graph = [
            {
                "@type": "WebPage",
                "name": page.title,
                "url": page.get_full_url(request),
                "inLanguage": page.locale.language_code,
            },
            structured_data.breadcrumb_list(page, request),
        ]
    return structured_data.json_ld(graph)


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    return mapping.get(key)
