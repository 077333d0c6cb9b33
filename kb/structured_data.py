"""schema.org JSON-LD for help pages, so search engines show rich results for articles.

An article is always an ``Article`` (with a ``BreadcrumbList``); it is also a ``FAQPage`` when its
body has FAQ items and a ``HowTo`` when it has numbered steps, built from the same blocks the
visitor reads, so the markup can never drift from the visible content.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.html import _json_script_escapes, strip_tags
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page
from wagtail.rich_text import expand_db_html


def _text(rich_text: Any) -> str:
    return " ".join(strip_tags(expand_db_html(str(rich_text.source))).split())


def breadcrumbs(page: Page) -> list[Page]:
    """Ancestors from the locale's help-centre home down to the page itself."""
    return [p for p in page.get_ancestors(inclusive=True).specific() if p.depth > 1]


def breadcrumb_list(page: Page, request: HttpRequest | None) -> dict:
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": i,
                "name": crumb.title,
                "item": crumb.get_full_url(request),
            }
            for i, crumb in enumerate(breadcrumbs(page), start=1)
        ],
    }


def article_graph(article: Any, request: HttpRequest | None) -> list[dict]:
    url = article.get_full_url(request)
    publisher = {"@type": "Organization", "name": settings.WAGTAIL_SITE_NAME}
    graph: list[dict] = [
        {
            "@type": "Article",
            "@id": url + "#article",
            "headline": article.title,
            "description": article.summary,
            "inLanguage": article.locale.language_code,
            "url": url,
            "datePublished": _iso(article.first_published_at),
            "dateModified": _iso(article.last_published_at),
            "author": publisher,
            "publisher": publisher,
            "keywords": ", ".join(tag.name for tag in article.tags.all()),
        },
        breadcrumb_list(article, request),
    ]
    faqs = [b.value for b in article.body if b.block_type == "faq"]
    if faqs:
        graph.append(
            {
                "@type": "FAQPage",
                "mainEntity": [
                    {
                        "@type": "Question",
                        "name": faq["question"],
                        "acceptedAnswer": {"@type": "Answer", "text": _text(faq["answer"])},
                    }
                    for faq in faqs
                ],
            }
        )
    steps = [s for b in article.body if b.block_type == "steps" for s in b.value["steps"]]
    if steps:
        graph.append(
            {
                "@type": "HowTo",
                "name": article.title,
                "description": article.summary,
                "step": [
                    {"@type": "HowToStep", "position": i, "text": _text(step["text"])}
                    for i, step in enumerate(steps, start=1)
                ],
            }
        )
    return graph


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def json_ld(graph: list[dict]) -> SafeString:
    """A ``<script type="application/ld+json">`` safe to inline (``<``, ``>``, ``&`` escaped)."""
    payload = json.dumps(
        {"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False
    ).translate(_json_script_escapes)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')
