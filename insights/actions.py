"""What an editor can change from Insights. Every write is recorded in ``TuningLog`` (who, when,
what) and applies to the next search: promoted results and synonyms are read by the search
engine on every query; wrong results are read through ``wrong_results``.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.html import escape
from django.utils.text import slugify
from wagtail.models import Locale

from kb.models import ArticlePage, CategoryPage
from kb.search_source import ArticleSource
from search.models import PromotedResult, Synonym

from .journeys import norm
from .models import TuningLog, WrongResult

LOCALES = {"en", "es"}


class ActionError(ValueError):
    """Input an editor can correct (shown on the page)."""


@dataclass(frozen=True)
class QueryRef:
    query: str
    locale: str

    @classmethod
    def parse(cls, query: str, locale: str) -> QueryRef:
        query = norm(query)
        if not query:
            raise ActionError("Enter a query.")
        if locale not in LOCALES:
            raise ActionError("Choose a language.")
        return cls(query, locale)


def _check(user, *perms: str) -> None:
    """Tuning from Insights needs ``insights.tune_search``; undoing also needs the delete
    permission on what is removed (the same one the Snippets list asks for)."""
    needed = ("insights.tune_search", *perms)
    if not (user.is_active and user.is_staff and all(user.has_perm(p) for p in needed)):
        raise PermissionDenied


@transaction.atomic
def pin_result(user, ref: QueryRef, article_id: int, note: str = "") -> PromotedResult:
    """Pin an article first for queries containing these words (``search.promotions``)."""
    _check(user)
    article = ArticlePage.objects.filter(pk=article_id).select_related("locale").first()
    if article is None:
        raise ActionError("No such article.")
    if article.locale.language_code != ref.locale:
        raise ActionError(f"Choose an article in the query's language ({ref.locale}).")
    promo, _ = PromotedResult.objects.get_or_create(
        locale=ref.locale,
        query=ref.query,
        source=ArticleSource.name,
        object_id=str(article.pk),
        defaults={"note": (note or f"Pinned from Insights by {user.get_username()}")[:200]},
    )
    TuningLog.objects.create(
        kind=TuningLog.Kind.PIN, query=ref.query, locale=ref.locale, user=user,
        detail=f"article {article.pk}: {article.title}"[:500],
    )  # fmt: skip
    return promo


@transaction.atomic
def add_synonym(user, ref: QueryRef, terms: str) -> Synonym:
    """Add a synonym set; the query itself is the first term so it matches the others."""
    _check(user)
    words = [norm(t) for t in [ref.query, *terms.split(",")] if norm(t)]
    words = list(dict.fromkeys(words))
    if len(words) < 2:
        raise ActionError("Give at least one other word or phrase.")
    synonym = Synonym.objects.create(locale=ref.locale, terms=", ".join(words)[:500])
    TuningLog.objects.create(
        kind=TuningLog.Kind.SYNONYM, query=ref.query, locale=ref.locale, user=user,
        detail=synonym.terms,
    )  # fmt: skip
    return synonym


@transaction.atomic
def unpin_result(user, promo_id: int) -> None:
    """Undo a pin: the article stops showing first for that query at the next search."""
    _check(user, "search.delete_promotedresult")
    promo = PromotedResult.objects.filter(pk=promo_id).first()
    if promo is None:
        raise ActionError("That pin was already removed.")
    TuningLog.objects.create(
        kind=TuningLog.Kind.UNPIN, query=promo.query, locale=promo.locale, user=user,
        detail=f"{promo.source} {promo.object_id}: {promo.title}"[:500],
    )  # fmt: skip
    promo.delete()


@transaction.atomic
def remove_synonym(user, synonym_id: int) -> None:
    """Undo a synonym set: its terms stop matching each other at the next search."""
    _check(user, "search.delete_synonym")
    synonym = Synonym.objects.filter(pk=synonym_id).first()
    if synonym is None:
        raise ActionError("That synonym was already removed.")
    TuningLog.objects.create(
        kind=TuningLog.Kind.UNSYNONYM, query=synonym.term_list()[0] if synonym.term_list() else "",
        locale=synonym.locale, user=user, detail=synonym.terms,
    )  # fmt: skip
    synonym.delete()


def synonyms_for(query: str, locale: str) -> list[Synonym]:
    """Synonym sets that contain this (normalised) query as one of their terms."""
    query = norm(query)
    candidates = Synonym.objects.filter(locale=locale[:2], terms__icontains=query)
    return [s for s in candidates if query in s.term_list()]


def pins_for(query: str, locale: str) -> list[PromotedResult]:
    return list(PromotedResult.objects.filter(query=norm(query), locale=locale[:2]))


def find_articles(text: str, locale: str, limit: int = 10) -> list[ArticlePage]:
    """Articles to pin, by title words (every word must appear), for the as-you-type list."""
    words = norm(text).split()[:6]
    if not words or locale not in LOCALES:
        return []
    qs = ArticlePage.objects.filter(locale__language_code=locale)
    for word in words:
        qs = qs.filter(title__icontains=word[:50])
    return list(qs.order_by("title")[:limit])


@transaction.atomic
def mark_wrong(user, ref: QueryRef, source: str, object_id: str, note: str = "") -> WrongResult:
    """Record that a result is wrong for this query; search leaves it out (``wrong_results``)."""
    _check(user)
    if not source or not object_id:
        raise ActionError("Choose a result.")
    wrong, _ = WrongResult.objects.get_or_create(
        query=ref.query, locale=ref.locale, source=source[:40], object_id=str(object_id)[:64],
        defaults={"note": note[:200], "created_by": user},
    )  # fmt: skip
    TuningLog.objects.create(
        kind=TuningLog.Kind.WRONG, query=ref.query, locale=ref.locale, user=user,
        detail=f"{source}:{object_id}",
    )  # fmt: skip
    return wrong


def wrong_results(query: str, locale: str) -> set[tuple[str, str]]:
    """(source, object_id) pairs editors marked wrong for this exact (normalised) query; the
    search engine drops them from results."""
    return set(
        WrongResult.objects.filter(query=norm(query), locale=locale[:2]).values_list(
            "source", "object_id"
        )
    )


def draft_body(examples: list[str]) -> str:
    """A starting body: the customers' own phrasings, for the writer to answer."""
    items = "".join(f"<li>{escape(e)}</li>" for e in examples[:20])
    return json.dumps(
        [
            {"type": "paragraph", "id": str(uuid.uuid4()), "value": "<p>TODO: the answer.</p>"},
            {
                "type": "heading",
                "id": str(uuid.uuid4()),
                "value": {"text": "What customers asked", "level": "h2"},
            },
            {"type": "paragraph", "id": str(uuid.uuid4()), "value": f"<ul>{items}</ul>"},
        ]
    )


@transaction.atomic
def create_article_draft(user, locale: str, title: str, examples: list[str]) -> ArticlePage:
    """An unpublished article in the language's first category, pre-filled with the example
    queries; the editor moves it and writes the answer before it goes through moderation."""
    if not (user.is_active and user.is_staff and user.has_perm("insights.view_insights")):
        raise PermissionDenied
    if not user.has_perm("wagtailadmin.access_admin"):
        raise PermissionDenied
    loc = Locale.objects.filter(language_code=locale).first()
    parent = CategoryPage.objects.filter(locale=loc).order_by("path").first() if loc else None
    if parent is None:
        raise ActionError("There is no category in this language to hold the draft.")
    if not parent.permissions_for_user(user).can_add_subpage():
        raise PermissionDenied
    title = (title.strip() or "New article")[:200].capitalize()
    page = ArticlePage(
        title=title, slug=f"{slugify(title)[:40] or 'draft'}-{uuid.uuid4().hex[:6]}",
        summary=f"Draft from the content-gap backlog: {title}"[:250],
        body=draft_body(examples), live=False, owner=user, locale=loc,
    )  # fmt: skip
    parent.add_child(instance=page)
    page.save_revision(user=user, log_action=True)
    TuningLog.objects.create(
        kind=TuningLog.Kind.DRAFT, query=title, locale=locale, user=user,
        detail=f"page {page.pk}",
    )  # fmt: skip
    return page
