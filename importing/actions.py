"""The importer's write functions: a bundle from any reader becomes categories, articles, images,
documents, redirects and customer groups.

Each article is written in its own transaction: a failure is reported with its reason, leaves
nothing behind (not even its uploaded image or document files), and the next article goes on.
A refused document (a program, a web page, too big, not what its name says) does not fail its
article: the link becomes plain text and the report lists the file with its reason. Search indexing
is deferred while pages are published and done once at the end, as one task.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page

from kb.models import ArticlePage, CategoryPage, HelpCentrePage
from search.signals import indexing_deferred
from search.tasks import index_pages

from . import html, markdown, zendesk
from .documents import DocumentStore
from .files import SourceTree
from .items import Bundle, SourceArticle, SourceCategory, category_hash
from .models import ImportedItem
from .pages import (
    ImageStore,
    add_redirects,
    customer_groups,
    fingerprint,
    may_publish,
    write_page,
)
from .report import Report

FORMATS = ("zendesk", "markdown", "html")


def read_source(tree: SourceTree, fmt: str, locale: str | None = None) -> Bundle:
    """The neutral bundle for a source in one of ``FORMATS``."""
    if fmt == "zendesk":
        return zendesk.read(tree, locale)
    reader = markdown if fmt == "markdown" else html
    return reader.read(tree, locale or settings.LANGUAGE_CODE)


def import_content(
    tree: SourceTree,
    fmt: str,
    *,
    locale: str | None = None,
    user: Any = None,
    dry_run: bool = False,
    overwrite: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Read ``tree`` as ``fmt`` and import it (see the module docstring); ``dry_run`` only plans."""
    bundle = read_source(tree, fmt, locale)
    importer = Importer(bundle, tree, user=user, dry_run=dry_run, overwrite=overwrite)
    return importer.run(progress)


class Importer:
    def __init__(
        self, bundle: Bundle, tree: SourceTree, *, user: Any, dry_run: bool, overwrite: bool
    ) -> None:
        self.bundle = bundle
        self.user = user
        self.dry_run = dry_run
        self.overwrite = overwrite
        self.report = Report(kind=bundle.kind, dry_run=dry_run, failed=list(bundle.failures))
        self.images = ImageStore(tree, user)
        self.documents = DocumentStore(tree, user)
        self.items = {
            item.source_id: item
            for item in ImportedItem.objects.filter(source_kind=bundle.kind).select_related("page")
        }
        self.parents: dict[str, Page | None] = {}  # category source id -> page (None: dry run)

    def run(self, progress: Callable[[int, int], None] | None = None) -> Report:
        with indexing_deferred() as published:
            for category in self.bundle.categories:
                self._category(category)
            total = len(self.bundle.articles)
            for number, article in enumerate(self.bundle.articles, start=1):
                self._article(article)
                if progress:
                    progress(number, total)
        self.report.images = self.images.uploaded
        self.report.images_reused = self.images.reused
        self.report.documents = self.documents.uploaded
        self.report.documents_reused = self.documents.reused
        self.report.document_kinds = dict(sorted(self.documents.kinds.items()))
        self.report.documents_refused = list(self.documents.refused)
        if published and not self.dry_run:
            index_pages.enqueue(sorted(published))
            self.report.indexed = len(published)
        return self.report

    # --- deciding ----------------------------------------------------------------------------
    def _decide(self, source_id: str, source_hash: str) -> tuple[str, Page | None]:
        """create / update / unchanged / kept (an editor changed the page in Faro)."""
        item = self.items.get(source_id)
        if item is None:
            return "create", None
        if item.source_hash == source_hash and not self.overwrite:
            return "unchanged", item.page  # cheap: no page query, no revision read
        page = item.page.specific
        if self.overwrite:
            return "update", page
        if fingerprint(page) != item.content_hash:
            return "kept", page
        return "update", page

    def _remember(self, source_id: str, page: Page, source_hash: str) -> None:
        item, _ = ImportedItem.objects.update_or_create(
            source_kind=self.bundle.kind,
            source_id=source_id,
            defaults={"page": page, "source_hash": source_hash, "content_hash": fingerprint(page)},
        )
        self.items[source_id] = item

    # --- categories --------------------------------------------------------------------------
    def _category(self, category: SourceCategory) -> None:
        try:
            parent = self._parent_of(category)
        except ValueError as error:
            self.report.failed.append((category.origin, str(error)))
            return
        if parent is False:
            self.report.failed.append((category.origin, "its parent category was not imported"))
            return
        digest = category_hash(category)
        action, page = self._decide(category.source_id, digest)
        if action in {"unchanged", "kept"} or self.dry_run:
            self.parents[category.source_id] = page
            self._count_category(action, category)
            return
        try:
            with transaction.atomic():
                page = write_page(
                    CategoryPage,
                    parent,
                    page,
                    fields={
                        "title": category.title,
                        "slug": category.slug,
                        "description": category.description,
                    },
                    translation_key=category.translation_key,
                    draft=False,
                    user=self.user,
                    source=category.origin,
                )
                self._redirects(category.origin, page, category.old_urls)
                self._remember(category.source_id, page, digest)
        except Exception as error:  # one bad category must not stop the import
            self.report.failed.append((category.origin, _reason(error)))
            return
        self.parents[category.source_id] = page
        self._count_category(action, category)

    def _count_category(self, action: str, category: SourceCategory) -> None:
        if action == "create":
            self.report.categories_created.append(category.origin)
        elif action == "update":
            self.report.categories_updated.append(category.origin)

    def _parent_of(self, category: SourceCategory) -> Page | bool | None:
        """The page a category goes under: its parent category, or its language's home.
        False when the parent failed; None in a dry run when the parent does not exist yet."""
        if category.parent_id:
            return self.parents.get(category.parent_id, False)
        return home_for(category.locale, create=not self.dry_run)

    # --- articles ----------------------------------------------------------------------------
    def _article(self, article: SourceArticle) -> None:
        if article.category_id not in self.parents:
            self.report.failed.append((article.origin, "its category was not imported"))
            return
        digest = article.source_hash()
        action, page = self._decide(article.source_id, digest)
        self.report.notes += [(article.origin, note) for note in article.notes]
        if action == "unchanged":
            self.report.unchanged.append(article.origin)
            return
        if action == "kept":
            self.report.kept.append(article.origin)
            return
        groups, created = customer_groups(article.groups, create=not self.dry_run)
        self.report.groups_created += [n for n in created if n not in self.report.groups_created]
        if self.dry_run:
            self._plan(action, article)
            return
        self.images.begin()
        self.documents.begin()
        try:
            with transaction.atomic():
                page = self._write_article(article, page, groups)
                self._remember(article.source_id, page, digest)
        except Exception as error:  # reported; its transaction left nothing behind
            self.images.rollback()
            self.documents.rollback()
            self.report.failed.append((article.origin, _reason(error)))
            return
        (self.report.created if action == "create" else self.report.updated).append(article.origin)
        self.report.pages[article.source_id] = page.pk

    def _write_article(self, article: SourceArticle, page: Page | None, groups: list) -> Page:
        parent = self.parents[article.category_id]
        if not article.draft and not may_publish(self.user, parent, page):
            note = "saved as a draft: you may not publish here, so submit it for moderation"
            self.report.notes.append((article.origin, note))
        body = self.images.resolve(article.body, article.title)
        restricted = article.audience != "public"
        body = self.documents.resolve(
            body, article.documents, article.origin, restricted=restricted
        )
        fields = {
            "title": article.title,
            "slug": article.slug,
            "summary": article.summary or article.title[:250],
            "body": body,
            "audience": article.audience,
            "audience_groups": groups,
            "tags": article.tags,
            "last_reviewed": article.last_reviewed,
        }
        page = write_page(
            ArticlePage,
            parent,
            page,
            fields=fields,
            translation_key=article.translation_key,
            draft=article.draft,
            user=self.user,
            source=article.origin,
        )
        self._redirects(article.origin, page, article.old_urls)
        return page

    def _plan(self, action: str, article: SourceArticle) -> None:
        """Dry run: count what would be written, write nothing."""
        (self.report.created if action == "create" else self.report.updated).append(article.origin)
        for item in article.body:
            if item["type"] == "image":
                self.images.uploaded += 1
        self.documents.plan(article.documents, article.origin)
        self.report.redirects += len(article.old_urls)

    def _redirects(self, origin: str, page: Page, urls: list[str]) -> None:
        count, notes = add_redirects(page, urls)
        self.report.redirects += count
        self.report.notes += [(origin, note) for note in notes]


def home_for(locale_code: str, *, create: bool) -> Page | None:
    """The help centre home of a language; a missing translation of the home is created from the
    default language's home, so a Spanish-only import works on an English site."""
    locale = Locale.objects.filter(language_code=locale_code).first()
    home = HelpCentrePage.objects.filter(locale=locale).first() if locale else None
    if home is not None or not create:
        return home
    source = HelpCentrePage.objects.order_by("path").first()
    if source is None:
        raise ValueError("there is no help centre home page yet; run migrate and create one")
    locale = locale or Locale.objects.create(language_code=locale_code)
    home = source.copy_for_translation(locale)
    home.save_revision().publish()
    return home


def _reason(error: Exception) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
    return str(error) or type(error).__name__
