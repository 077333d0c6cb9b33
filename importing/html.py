"""HTML files, one per article (a static-site export): folders as categories, like Markdown.

The title is the first ``<h1>`` (removed from the body) or ``<title>``; the summary is the page's
meta description or its first paragraph; tags come from meta keywords. The body is ``<main>``,
``<article>`` or ``<body>``, converted by ``convert.py``.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from bs4 import BeautifulSoup

from . import documents
from .convert import html_to_blocks
from .files import SourceTree
from .folders import (
    FrontMatterError,
    as_list,
    category_for,
    read_folder,
    translation_key,
)
from .items import Bundle, SourceArticle

KIND = "html"


def read(tree: SourceTree, default_locale: str) -> Bundle:
    return read_folder(tree, default_locale, KIND, (".html", ".htm"), read_article)


def read_article(
    tree: SourceTree, path: str, locale: str, prefix: str, categories: dict
) -> SourceArticle:
    soup = BeautifulSoup(tree.read_text(path), "html.parser")
    root = soup.find("main") or soup.find("article") or soup.body or soup
    heading = root.find("h1")
    title = heading.get_text(" ", strip=True) if heading else ""
    if heading:
        heading.decompose()
    if not title and soup.title:
        title = soup.title.get_text(" ", strip=True)
    if not title:
        raise FrontMatterError(f"{path}: no <h1> or <title> to name the article")
    inner = path.removeprefix(prefix)
    folder = str(PurePosixPath(inner).parent)
    category_id = category_for(
        tree, KIND, locale, prefix, "" if folder == "." else folder, categories
    )
    key = str(PurePosixPath(inner).with_suffix(""))
    body, notes = html_to_blocks(root.decode_contents(), lambda src: tree.resolve_link(path, src))
    docs = documents.mark_links(body, documents.folder_resolver(tree, path), notes)
    return SourceArticle(
        source_id=f"{locale}:{key}",
        locale=locale,
        title=title[:255],
        translation_key=translation_key(KIND, key),
        category_id=category_id,
        body=body,
        summary=_summary(soup, root)[:250],
        tags=as_list(_meta(soup, "keywords")),
        old_urls=["/" + path],
        notes=notes,
        origin=path,
        documents=docs,
    )


def _meta(soup: BeautifulSoup, name: str) -> str:
    tag = soup.find("meta", attrs={"name": name})
    return str(tag.get("content") or "") if tag else ""


def _summary(soup: BeautifulSoup, root) -> str:
    description = _meta(soup, "description").strip()
    if description:
        return description
    first = root.find("p")
    return first.get_text(" ", strip=True) if first else ""
