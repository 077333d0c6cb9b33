"""Export the help centre as a Markdown folder the importer reads back (``export_content``).

One folder per language, one folder per category (``_category.md`` holds its title and
translation key), one file per article with YAML front matter, images (``images/``) and linked
documents (``documents/<id>/<title>.<ext>``) next to the articles. Bodies use the dialect of
``kb/demo_content/FORMAT.md``; rich text that plain Markdown would not carry exactly (links,
bold, lists) is written as inline HTML, which Markdown keeps as it is. Beyond that dialect, read
back by ``markdown.py``: ``@steps "Title"`` above titled steps, a step's screenshot as an image
in its line, a fenced ``transcript`` after ``@video``, HTML escapes in titles, captions and alt
text, and relative links to documents.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from wagtail.models import Page
from wagtail.rich_text import expand_db_html

from kb.models import ArticlePage, CategoryPage, HelpCentrePage

from .documents import extension, storage_name

_PLAIN = re.compile(r"^<p>([\w ,.;:'()?¿¡!%/-]*)</p>$")
_MARKER = re.compile(r"^\w+\s*:")  # "Q: ..." or "Note: ..." would read back as a block
_ONE_PARAGRAPH = re.compile(r"^<p>((?:(?!</?p\b).)*)</p>$", re.DOTALL)
_DOCUMENT_LINK = re.compile(r"<a\b[^>]*\blinktype=\"document\"[^>]*>")
_ID = re.compile(r'\bid="(\d+)"')


@dataclass
class ExportReport:
    articles: int = 0
    categories: int = 0
    images: int = 0
    documents: int = 0
    notes: list[str] = field(default_factory=list)


def export_markdown(target: Path) -> ExportReport:
    """Write every category and article (drafts marked ``draft: true``) under ``target``."""
    report = ExportReport()
    for home in HelpCentrePage.objects.select_related("locale").order_by("path"):
        root = target / home.locale.language_code
        _export_children(home, root, report)
    return report


def _export_children(parent: Page, folder: Path, report: ExportReport) -> None:
    for category in CategoryPage.objects.child_of(parent).order_by("path"):
        sub = folder / category.slug
        sub.mkdir(parents=True, exist_ok=True)
        meta = {
            "title": category.title,
            "slug": category.slug,
            "description": category.description,
            "translation_key": str(category.translation_key),
        }
        (sub / "_category.md").write_text(_front_matter(meta), encoding="utf-8")
        report.categories += 1
        for article in ArticlePage.objects.child_of(category).order_by("path"):
            _export_article(article, sub, report)
        _export_children(category, sub, report)


def _export_article(article: ArticlePage, folder: Path, report: ExportReport) -> None:
    groups = [group.name for group in article.audience_groups.all()]
    meta: dict[str, Any] = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "tags": sorted(tag.name for tag in article.tags.all()),
        "audience": groups or article.audience,
        "translation_key": str(article.translation_key),
    }
    if article.last_reviewed:
        meta["last_reviewed"] = article.last_reviewed.isoformat()
    if not article.live:
        meta["draft"] = True
    body = "\n\n".join(
        _block(block, folder, report, article.title) for block in article.body
    ).strip()
    path = folder / f"{article.slug}.md"
    path.write_text(_front_matter(meta) + "\n" + body + "\n", encoding="utf-8")
    report.articles += 1


def _front_matter(meta: dict) -> str:
    text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, default_flow_style=None)
    return f"---\n{text}---\n"


def _block(block: Any, folder: Path, report: ExportReport, title: str) -> str:
    kind, value = block.block_type, block.value
    if kind == "heading":
        return ("## " if value["level"] == "h2" else "### ") + value["text"]

    def rich(text: Any) -> str:
        return _with_documents(text.source, folder, report)

    if kind == "paragraph":
        return _html_line(rich(value))
    if kind == "steps":
        lines = [f'@steps "{_attr(value["title"])}"', ""] if value["title"] else []
        for n, step in enumerate(value["steps"], 1):
            shot = ""
            if step["image"]:
                shot = f" ![](images/{_save_image(step['image'], folder, report)})"
            lines.append(f"{n}. {_inline(rich(step['text']))}{shot}")
        return "\n".join(lines)
    if kind == "callout":
        return f"> {value['kind'].capitalize()}: {_inline(rich(value['text']))}"
    if kind == "code":
        return f"```{value['language']}\n{value['code']}\n```"
    if kind == "image":
        name = _save_image(value["image"], folder, report)
        alt = _attr(value["alt"]).replace("]", "&#93;")
        suffix = f' "{_attr(value["caption"])}"' if value["caption"] else ""
        return f"![{alt}](images/{name}{suffix})"
    if kind == "faq":
        return f"Q: {value['question']}\nA: {_inline(rich(value['answer']))}"
    if kind == "video":
        line = f'@video {value["url"]} "{_attr(value["title"])}"'
        transcript = value.get("transcript") or ""
        if transcript:
            fence = "````" if "```" in transcript else "```"
            line += f"\n{fence}transcript\n{transcript}\n{fence}"
        return line
    report.notes.append(f"{title}: a {kind} block was not exported")
    return ""


def _html_line(text: str) -> str:
    """Rich text on one line: plain words as Markdown, anything richer as inline HTML."""
    text = " ".join(expand_db_html(text).split())
    match = _PLAIN.match(text)
    plain = match and match[1][:1].isalpha() and not _MARKER.match(match[1])
    return match[1] if plain else text


def _inline(text: str) -> str:
    """A single paragraph's inner HTML (for steps, callouts, answers); richer text stays whole."""
    text = " ".join(expand_db_html(text).split())
    match = _ONE_PARAGRAPH.match(text)
    return match[1] if match else text


def _attr(text: str) -> str:
    """A title, caption or alt text inside ``"..."``: HTML escapes the importer undoes."""
    return html.escape(text, quote=True)


def _with_documents(text: str, folder: Path, report: ExportReport) -> str:
    """Document links (``<a linktype="document" id="…">``) become relative links to the file,
    saved as ``documents/<id>/<title>.<ext>`` next to the article (the importer reads the title
    back from the file name)."""
    from wagtail.documents import get_document_model

    def replace(match: re.Match) -> str:
        found = _ID.search(match[0])
        document = get_document_model().objects.filter(pk=found[1]).first() if found else None
        if document is None:
            return "<a>"
        return f'<a href="{_save_document(document, folder, report)}">'

    return _DOCUMENT_LINK.sub(replace, text)


def _save_document(document: Any, folder: Path, report: ExportReport) -> str:
    ext = extension(document.file.name)
    title = document.title
    if ext and not title.lower().endswith(f".{ext}"):
        title = f"{title}.{ext}"
    name = f"documents/{document.pk}/{storage_name(title)}"
    target = (folder / name).resolve()
    if not target.is_relative_to(folder.resolve()):  # storage_name keeps it inside; be sure
        raise ValueError(f"{name!r} would leave the export folder")
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        with document.open_file() as handle:
            target.write_bytes(handle.read())
        report.documents += 1
    return name


def _save_image(image: Any, folder: Path, report: ExportReport) -> str:
    name = f"{image.pk}-{PurePosixPath(image.file.name).name}"
    target = folder / "images" / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        with image.open_file() as handle:
            target.write_bytes(handle.read())
        report.images += 1
    return name
