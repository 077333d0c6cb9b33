"""Zendesk Guide, from the JSON its Help Center API returns, saved in a folder (no network):

    categories.json          {"categories": [...]}    GET /api/v2/help_center/categories
    sections.json            {"sections": [...]}      GET /api/v2/help_center/sections
    articles.json            {"articles": [...]}      GET /api/v2/help_center/articles
    user_segments.json       {"user_segments": [...]} GET /api/v2/help_center/user_segments
    translations/<kind>/<id>.json   {"translations": [...]}  GET .../<kind>/<id>/translations
    article_attachments/<article id>.json  {"article_attachments": [...]}
    attachments/<attachment id>/<file_name>   the files behind each ``content_url``

Categories and sections become nested category pages, each translation a linked page; a draft
translation becomes an unpublished draft; ``user_segment_id`` becomes an audience and a customer
group; every ``html_url`` is remembered for a permanent redirect. Attachments shown as images are
images; the others are documents (``documents.py``), linked where the body links them and listed
under an "Attachments" heading where it does not (as Zendesk shows them).
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import quote, urlparse

from django.conf import settings
from django.utils.text import slugify

from . import documents
from .convert import block, html_to_blocks
from .files import NotInSource, SourceTree, UnsafeSource
from .folders import translation_key
from .items import Bundle, SourceArticle, SourceCategory, SourceDocument

KIND = "zendesk"
LANGUAGES = {code for code, _ in settings.LANGUAGES}
_ATTACHMENT_ID = re.compile(r"/article_attachments/(\d+)/")


class ZendeskError(ValueError):
    """A Zendesk export that cannot be read; the message names the file."""


def faro_locale(zendesk_locale: str) -> str:
    """Zendesk's ``en-us``/``es-419`` to Faro's ``en``/``es``."""
    return (zendesk_locale or "").split("-")[0].lower()


def read(tree: SourceTree, only_locale: str | None = None) -> Bundle:
    reader = _Reader(tree, only_locale)
    return reader.run()


class _Reader:
    def __init__(self, tree: SourceTree, only_locale: str | None) -> None:
        self.tree = tree
        self.locales = {only_locale} if only_locale else LANGUAGES
        self.bundle = Bundle(kind=KIND)
        self.known: set[str] = set()

    def load(self, path: str, key: str, required: bool = True) -> list[dict]:
        if not self.tree.exists(path):
            if required:
                raise ZendeskError(f"{path}: missing from the export")
            return []
        try:
            data = json.loads(self.tree.read_text(path))
        except (ValueError, UnicodeDecodeError) as error:
            raise ZendeskError(f"{path}: not valid JSON ({error})") from error
        items = data.get(key) if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise ZendeskError(f"{path}: expected an object with a {key!r} list")
        return [item for item in items if isinstance(item, dict)]

    def run(self) -> Bundle:
        try:
            categories = self.load("categories.json", "categories")
            sections = self.load("sections.json", "sections")
            articles = self.load("articles.json", "articles")
            self.segments = {
                s["id"]: s for s in self.load("user_segments.json", "user_segments", False)
            }
        except ZendeskError as error:
            self.bundle.failures.append(("export", str(error)))
            return self.bundle
        for category in sorted(categories, key=lambda c: c.get("position") or 0):
            self._guarded("category", category, None)
        for section in _parents_first(sections):
            parent = section.get("parent_section_id")
            parent_ref = ("section", parent) if parent else ("category", section.get("category_id"))
            self._guarded("section", section, parent_ref)
        for article in sorted(articles, key=lambda a: (a.get("position") or 0, a.get("id") or 0)):
            try:
                self._article(article)
            except (ZendeskError, UnsafeSource, KeyError, TypeError, AttributeError) as error:
                self.bundle.failures.append((f"article {article.get('id')}", str(error)))
        return self.bundle

    # --- categories and sections -------------------------------------------------------------
    def translations(self, kind: str, item: dict) -> dict[str, dict]:
        """Every translation of ``item`` by Faro locale: the sideloaded/saved translations, with
        the item itself standing in for its own locale."""
        found = {faro_locale(item.get("locale", "")): item}
        saved = self.load(f"translations/{kind}/{item.get('id')}.json", "translations", False)
        for translation in [*item.get("translations", []), *saved]:
            merged = {**item, **translation}
            if kind != "articles":  # a category's translation has its name as title, text as body
                merged["name"] = translation.get("title") or item.get("name")
                merged["description"] = translation.get("body") or ""
            found[faro_locale(translation.get("locale", ""))] = merged
        return {loc: t for loc, t in found.items() if loc in self.locales}

    def _guarded(self, kind: str, item: dict, parent_ref: tuple | None) -> None:
        """One category or section; a broken one is a failure with its reason, not a crash."""
        try:
            self._container(kind, item, parent_ref)
        except (ZendeskError, UnsafeSource, KeyError, TypeError, AttributeError) as error:
            self.bundle.failures.append((f"{kind} {item.get('id')}", str(error)))

    def _container(self, kind: str, item: dict, parent_ref: tuple | None) -> None:
        key = translation_key(KIND, f"{kind}:{item.get('id')}")
        plural = "categories" if kind == "category" else "sections"
        for locale, translation in self.translations(plural, item).items():
            parent_id = _ref(parent_ref, locale) if parent_ref else None
            if parent_id and parent_id not in self.known:
                self.bundle.failures.append((f"{kind} {item.get('id')}", "its parent is missing"))
                continue
            source_id = _ref((kind, item.get("id")), locale)
            title = str(translation.get("name") or translation.get("title") or "").strip()
            self.bundle.categories.append(
                SourceCategory(
                    source_id=source_id,
                    locale=locale,
                    title=title[:255] or f"{kind.capitalize()} {item.get('id')}",
                    translation_key=key,
                    parent_id=parent_id,
                    slug=slugify(title),
                    description=str(translation.get("description") or "")[:250],
                    old_urls=_urls(translation.get("html_url")),
                    origin=f"{kind} {item.get('id')} ({locale})",
                )
            )
            self.known.add(source_id)

    # --- articles ----------------------------------------------------------------------------
    def _article(self, article: dict) -> None:
        files, attached = self._attachments(article)
        audience, groups = self._audience(article)
        key = translation_key(KIND, f"article:{article['id']}")
        for locale, translation in self.translations("articles", article).items():
            category_id = _ref(("section", article.get("section_id")), locale)
            origin = f"article {article['id']} ({locale})"
            if category_id not in self.known:
                self.bundle.failures.append((origin, "its section was not imported"))
                continue
            body, notes = html_to_blocks(
                translation.get("body") or "", lambda src: self._image_path(src, files)
            )
            title = str(translation.get("title") or article.get("name") or "").strip()
            documents = self._documents(body, files, attached, locale, notes)
            self.bundle.articles.append(
                SourceArticle(
                    source_id=_ref(("article", article["id"]), locale),
                    locale=locale,
                    title=title[:255] or f"Article {article['id']}",
                    translation_key=key,
                    category_id=category_id,
                    body=body,
                    slug=slugify(title),
                    summary=_first_text(body)[:250],
                    tags=[str(label) for label in article.get("label_names") or []],
                    audience=audience,
                    groups=groups,
                    draft=bool(translation.get("draft")),
                    old_urls=_urls(translation.get("html_url")),
                    notes=notes,
                    origin=origin,
                    documents=documents,
                )
            )

    def _attachments(
        self, article: dict
    ) -> tuple[dict[str, str], list[tuple[dict, SourceDocument]]]:
        """``content_url``, ``relative_path`` and attachment id -> path of the saved file, and
        every attachment with its document (refused with a reason when its name is unsafe or
        its file is missing from the export)."""
        found: dict[str, str] = {}
        attached: list[tuple[dict, SourceDocument]] = []
        listed = self.load(
            f"article_attachments/{article['id']}.json", "article_attachments", False
        )
        for attachment in listed:
            name = attachment.get("file_name")
            ident = attachment.get("id")
            shown = documents.clean_title(str(attachment.get("display_file_name") or name or ""))
            problem = documents.unsafe_name(name)
            if problem is None and not str(ident).isdigit():
                problem = f"attachment id {str(ident)[:20]!r} is not a number"
            path = f"attachments/{ident}/{name}" if problem is None else f"attachment {ident}"
            if problem is None and not self.tree.exists(path):
                problem = f"{path}: listed, but the file is not in the export"
            doc = SourceDocument(
                path=path,
                title=shown,
                content_type=str(attachment.get("content_type") or "")[:100],
                refused=problem or "",
            )
            attached.append((attachment, doc))
            if problem is None:
                for ref in ("content_url", "relative_path", "id"):
                    if attachment.get(ref):
                        found[str(attachment[ref])] = path
        return found, attached

    def _documents(
        self,
        body: list[dict],
        files: dict[str, str],
        attached: list[tuple[dict, SourceDocument]],
        locale: str,
        notes: list[str],
    ) -> list[SourceDocument]:
        """Links in the body to the article's attachments become document links; attachments
        the body does not link (Zendesk lists them under the article) are listed at its end.
        Images shown in the body are images, not documents."""

        def resolve(href: str) -> str | None:
            try:
                return self._image_path(href, files)
            except NotInSource:
                return None

        docs = {d.path: d for d in documents.mark_links(body, resolve, notes)}
        shown = {b["value"].get("src") for b in body if b["type"] == "image"}
        shown |= {
            (s["value"].get("image") or {}).get("src")
            for b in body
            if b["type"] == "steps"
            for s in b["value"]["steps"]
        }
        listed = []
        for attachment, doc in attached:
            own = faro_locale(str(attachment.get("locale") or "")) in {"", locale}
            if not own or doc.path in shown:
                continue
            if doc.path in docs:
                docs[doc.path] = doc  # its display name and claimed type
                continue
            if _is_image(attachment, doc.path) and not doc.refused:
                continue  # an image the body does not show: nothing to link
            docs[doc.path] = doc
            if not doc.refused and documents.kind_problem(doc.path) is None:
                href = html.escape(documents.MARK + quote(doc.path, safe=""), quote=True)
                listed.append(f'<li><a href="{href}">{html.escape(doc.title)}</a></li>')
        if listed:
            body.append(
                block("heading", {"text": documents.heading_for_attachments(locale), "level": "h2"})
            )
            body.append(block("paragraph", f"<ul>{''.join(listed)}</ul>"))
        return list(docs.values())

    def _image_path(self, src: str, files: dict[str, str]) -> str:
        if src in files:
            return files[src]
        match = _ATTACHMENT_ID.search(urlparse(src).path)
        if match and match[1] in files:
            return files[match[1]]
        raise NotInSource(f"{src[:80]!r}: not among the article's saved attachments")

    def _audience(self, article: dict) -> tuple[str, list[str]]:
        """No segment: everyone. The built-in "Signed-in users": customers. Any other segment
        (groups, organisations, tags, staff): a Faro customer group of the same name."""
        ids = article.get("user_segment_ids") or [article.get("user_segment_id")]
        ids = [i for i in ids if i is not None]
        if not ids:
            return "public", []
        names = []
        for ident in ids:
            segment = self.segments.get(ident) or {"id": ident}  # unknown: restricted, not open
            restricted = segment.get("group_ids") or segment.get("organization_ids")
            restricted = restricted or segment.get("tags") or segment.get("or_tags")
            if segment.get("user_type") == "signed_in_users" and not restricted:
                return "customers", []
            names.append(str(segment.get("name") or f"Zendesk segment {ident}"))
        return "groups", names


def _ref(ref: tuple, locale: str) -> str:
    kind, ident = ref
    return f"{kind}:{ident}:{locale}"


def _urls(url: object) -> list[str]:
    return [url] if isinstance(url, str) and url else []


def _parents_first(sections: list[dict]) -> list[dict]:
    by_id = {s.get("id"): s for s in sections}

    def depth(section: dict) -> int:
        seen, level = set(), 0
        while section.get("parent_section_id") in by_id and section.get("id") not in seen:
            seen.add(section.get("id"))
            section = by_id[section["parent_section_id"]]
            level += 1
        return level

    return sorted(sections, key=lambda s: (depth(s), s.get("position") or 0, s.get("id") or 0))


def _is_image(attachment: dict, path: str) -> bool:
    claimed = str(attachment.get("content_type") or "").lower()
    return claimed.startswith("image/") and documents.extension(path) in {
        "png",
        "jpg",
        "jpeg",
        "gif",
        "webp",
    }


def _first_text(body: list[dict]) -> str:
    """Zendesk articles have no summary: the first paragraph's text stands in for one."""
    from bs4 import BeautifulSoup

    for item in body:
        if item["type"] == "paragraph":
            return BeautifulSoup(item["value"], "html.parser").get_text(" ", strip=True)
    return ""
