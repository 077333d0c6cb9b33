"""Build the demo help centre from ``kb/demo_content``: both locales, categories, articles,
images, related links, and some believable traffic and feedback.

Re-running is safe: existing pages are found by slug and left as editors may have changed them;
only what is missing is created.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Locale, Page, Site

from kb.models import (
    ArticleDailyViews,
    ArticleFeedback,
    ArticlePage,
    ArticleRelatedLink,
    Audience,
    CategoryPage,
    CustomerGroup,
    HelpCentrePage,
    ProductArea,
)

from .images import demo_images
from .markdown_blocks import ContentError, Document, parse_file
from .users import seed_users

CONTENT_DIR = Path(__file__).resolve().parent.parent / "demo_content"
SOURCE_LANG = "en"
HOME_TEXT = {
    "en": ("Plano Help Centre", "Answers, guides and tips for getting the most out of Plano."),
    "es": ("Centro de ayuda de Plano", "Respuestas, guías y consejos para sacar partido a Plano."),
}
PRODUCT_AREAS = {
    "workspace": ("Workspace", "Espacio de trabajo"),
    "projects": ("Projects", "Proyectos"),
    "time-tracking": ("Time tracking", "Registro de horas"),
    "reports": ("Reports", "Informes"),
    "billing": ("Billing", "Facturación"),
    "integrations": ("Integrations", "Integraciones"),
    "security": ("Security", "Seguridad"),
    "api": ("API", "API"),
    "mobile": ("Mobile apps", "Aplicaciones móviles"),
}


class Seeder:
    def __init__(self, log: Callable[[str], None] = print) -> None:
        self.log = log
        self.locales = {
            code: Locale.objects.get_or_create(language_code=code)[0]
            for code, _ in settings.LANGUAGES
        }
        self.created = 0

    def run(self) -> dict[str, int]:
        # The translated copies get their own slugs; redirects from the copies' first slugs
        # would only clutter the editors' redirect list.
        with override_settings(WAGTAILREDIRECTS_AUTO_CREATE=False), transaction.atomic():
            self.users = seed_users()
            self.images = demo_images()
            self.areas = self.seed_product_areas()
            self.groups = {g.slug: g for g in CustomerGroup.objects.all()}
            homes = self.seed_homes()
            categories = self.seed_categories(homes)
            articles = self.seed_articles(categories)
            self.seed_related(articles)
            self.seed_traffic(articles)
        counts = {
            code: ArticlePage.objects.live().filter(locale=loc).count()
            for code, loc in self.locales.items()
        }
        self.log(f"Demo help centre ready: {counts} live articles, {self.created} pages created.")
        return counts

    # --- structure ---------------------------------------------------------------------------
    def seed_product_areas(self) -> dict[tuple[str, str], ProductArea]:
        areas = {}
        for slug, names in PRODUCT_AREAS.items():
            source, _ = ProductArea.objects.get_or_create(
                slug=slug, locale=self.locales[SOURCE_LANG], defaults={"name": names[0]}
            )
            areas[(slug, SOURCE_LANG)] = source
            if "es" in self.locales:
                translated = source.get_translation_or_none(self.locales["es"])
                if translated is None:
                    translated = source.copy_for_translation(self.locales["es"])
                    translated.name = names[1]
                    translated.save()
                areas[(slug, "es")] = translated
        return areas

    def seed_homes(self) -> dict[str, HelpCentrePage]:
        root = Page.get_first_root_node()
        source = HelpCentrePage.objects.filter(locale=self.locales[SOURCE_LANG]).first()
        if source is None:
            title, intro = HOME_TEXT[SOURCE_LANG]
            source = root.add_child(
                instance=HelpCentrePage(
                    title=title, intro=intro, slug="help", locale=self.locales[SOURCE_LANG]
                )
            )
            source.save_revision().publish()
            self.created += 1
        site = Site.objects.filter(is_default_site=True).first()
        old_root = site.root_page if site else None
        if site is None:
            site = Site(hostname="localhost", port=80, is_default_site=True)
        site.root_page = source
        site.site_name = settings.WAGTAIL_SITE_NAME
        site.save()
        if old_root and old_root.pk != source.pk and type(old_root.specific) is Page:
            old_root.delete()  # Wagtail's "Welcome" placeholder
        homes = {SOURCE_LANG: source}
        for code, locale in self.locales.items():
            if code != SOURCE_LANG:
                title, intro = HOME_TEXT[code]
                homes[code] = self.translate(
                    source, locale, title=title, intro=intro, slug=f"help-{code}"
                )
        return homes

    def seed_categories(self, homes: dict[str, HelpCentrePage]) -> dict[tuple[str, str], Page]:
        docs = {
            code: {d.meta["key"]: d for d in self.read(code, "_category.md")}
            for code in self.locales
        }
        ordered = sorted(
            docs[SOURCE_LANG].values(),
            key=lambda d: (bool(d.meta.get("parent")), int(d.meta.get("order", 99))),
        )
        categories: dict[tuple[str, str], Page] = {}
        for doc in ordered:
            key = doc.meta["key"]
            parent_key = doc.meta.get("parent")
            parent = categories[(parent_key, SOURCE_LANG)] if parent_key else homes[SOURCE_LANG]
            fields = {
                "description": doc.meta.get("description", ""),
                "icon": doc.meta.get("icon", "folder"),
            }
            source = self.child(parent, CategoryPage, key, doc.meta["title"], fields)
            categories[(key, SOURCE_LANG)] = source
            for code, locale in self.locales.items():
                if code == SOURCE_LANG:
                    continue
                tdoc = docs[code].get(key) or doc
                categories[(key, code)] = self.translate(
                    source,
                    locale,
                    title=tdoc.meta["title"],
                    slug=slugify(tdoc.meta["title"]),
                    description=tdoc.meta.get("description", ""),
                )
        return categories

    # --- articles ----------------------------------------------------------------------------
    def seed_articles(self, categories: dict) -> dict[tuple[str, str], ArticlePage]:
        articles: dict[tuple[str, str], ArticlePage] = {}
        translations = {
            code: {(d.path.parent.name, d.path.name): d for d in self.read(code)}
            for code in self.locales
            if code != SOURCE_LANG
        }
        for doc in self.read(SOURCE_LANG):
            category_key = doc.path.parent.name
            source = self.child(
                categories[(category_key, SOURCE_LANG)],
                ArticlePage,
                doc.meta["key"],
                doc.meta["title"],
                self.article_fields(doc, SOURCE_LANG),
            )
            articles[(doc.meta["key"], SOURCE_LANG)] = source
            for code, by_path in translations.items():
                tdoc = by_path.get((category_key, doc.path.name))
                if tdoc is None:
                    continue
                fields = self.article_fields(tdoc, code)
                page = self.translate(
                    source,
                    self.locales[code],
                    title=tdoc.meta["title"],
                    slug=slugify(tdoc.meta["title"]),
                    **fields,
                )
                if page.source_synced_at is None:
                    ArticlePage.objects.filter(pk=page.pk).update(source_synced_at=timezone.now())
                articles[(doc.meta["key"], code)] = page
        return articles

    def article_fields(self, doc: Document, lang: str) -> dict:
        audience = doc.meta.get("audience", "public")
        groups = []
        if audience.startswith("group:"):
            groups = [self.groups[audience.split(":", 1)[1]]]
            audience = Audience.GROUPS
        days = int(doc.meta.get("reviewed_days_ago", "30"))
        return {
            "summary": doc.meta["summary"][:250],
            "body": json.dumps(self.resolve_images(doc.blocks)),
            "audience": audience,
            "audience_groups": groups,
            "product_area": self.areas.get((doc.meta.get("product_area", ""), lang)),
            "featured": doc.meta.get("popular", "no").lower() == "yes",
            "last_reviewed": timezone.localdate() - timedelta(days=days),
            "tags": doc.list("tags"),
        }

    def resolve_images(self, blocks: list[dict]) -> list[dict]:
        for block in blocks:
            if block["type"] == "image":
                value = block["value"]
                block["value"] = {
                    "image": self.images[value["key"]].pk,
                    "alt": value["alt"],
                    "caption": value.get("caption") or "",
                }
        return blocks

    def seed_related(self, articles: dict) -> None:
        for code in self.locales:
            for doc in self.read(code):
                page = articles.get((doc.meta["key"], code))
                if page is None or page.related_links.exists():
                    continue
                for order, key in enumerate(doc.list("related")):
                    target = articles.get((key, code))
                    if target and target.pk != page.pk:
                        ArticleRelatedLink.objects.create(
                            page=page, article=target, sort_order=order
                        )

    def seed_traffic(self, articles: dict) -> None:
        """Deterministic views and votes so "popular" and the admin counts show something real."""
        if ArticleDailyViews.objects.exists():
            return
        today = timezone.localdate()
        for (key, _code), page in articles.items():
            weight = int(hashlib.sha256(key.encode()).hexdigest()[:2], 16) % 20
            weight += 40 if page.featured else 0
            ArticleDailyViews.objects.bulk_create(
                ArticleDailyViews(article=page, day=today - timedelta(days=d), views=weight + d % 5)
                for d in range(14)
            )
            for n in range(weight % 7):
                ArticleFeedback.objects.create(
                    article=page,
                    visitor_hash=hashlib.sha256(f"demo{key}{n}".encode()).hexdigest(),
                    helpful=n % 3 != 2,
                    reason="solved" if n % 3 != 2 else "incomplete",
                )

    # --- helpers -----------------------------------------------------------------------------
    def read(self, lang: str, name: str | None = None) -> list[Document]:
        folder = CONTENT_DIR / lang
        if not folder.is_dir():
            raise ContentError(f"No demo content for language {lang!r} in {folder}")
        paths = sorted(folder.glob(f"*/{name}" if name else "*/[!_]*.md"))
        return [parse_file(p) for p in paths]

    def child(self, parent: Page, model: type[Page], slug: str, title: str, fields: dict) -> Page:
        existing = model.objects.child_of(parent).filter(slug=slug).first()
        if existing:
            return existing
        tags = fields.pop("tags", [])
        groups = fields.pop("audience_groups", [])
        page = model(title=title, slug=slug, locale=parent.locale, **fields)
        parent.add_child(instance=page)
        self._finish(page, tags, groups)
        return page

    def translate(self, source: Page, locale: Locale, **fields: object) -> Page:
        existing = source.get_translation_or_none(locale)
        if existing:
            return existing.specific
        tags = fields.pop("tags", [])
        groups = fields.pop("audience_groups", [])
        page = source.copy_for_translation(locale)
        for name, value in fields.items():
            setattr(page, name, value)
        page.save()
        self._finish(page, tags, groups)
        return page

    def _finish(self, page: Page, tags: list[str], groups: list) -> None:
        if tags:
            page.tags.set(tags)
        if groups:
            page.audience_groups.set(groups)
        page.save_revision().publish()
        self.created += 1
