"""Export the help centre as a Markdown folder the importer reads back (``export_content``).

One folder per language, one folder per category (``_category.md`` holds its title and
translation key), one file per article with YAML front matter, images next to the articles.
Bodies use the dialect of ``kb/demo_content/FORMAT.md``; rich text that plain Markdown would not
carry exactly (links, bold, lists) is written as inline HTML, which Markdown keeps as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from wagtail.models import Page
from wagtail.rich_text import expand_db_html

from kb.models import ArticlePage, CategoryPage, HelpCentrePage

_PLAIN = re.compile(r"^<p>([\w ,.;:'()?¿¡!%/-]*)</p>$")
_MARKER = re.compile(r"^\w+\s*:")  # "Q: ..." or "Note: ..." would read back as a block
_ONE_PARAGRAPH = re.compile(r"^<p>((?:(?!</?p\b).)*)</p>$", re.DOTALL)


@dataclass
class ExportReport:
    articles: int = 0
    categories: int = 0
    images: int = 0
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
    if kind == "paragraph":
        return _html_line(value.source)
    if kind == "steps":
        if any(step["image"] for step in value["steps"]) or value["title"]:
            report.notes.append(f"{title}: step screenshots and step titles are not exported")
        return "\n".join(
            f"{n}. {_inline(step['text'].source)}" for n, step in enumerate(value["steps"], 1)
        )
    if kind == "callout":
        return f"> {value['kind'].capitalize()}: {_inline(value['text'].source)}"
    if kind == "code":
        return f"```{value['language']}\n{value['code']}\n```"
    if kind == "image":
        name = _save_image(value["image"], folder, report)
        alt = value["alt"].replace("]", ")")
        caption = value["caption"].replace('"', "'")
        suffix = f' "{caption}"' if caption else ""
        return f"![{alt}](images/{name}{suffix})"
    if kind == "faq":
        return f"Q: {value['question']}\nA: {_inline(value['answer'].source)}"
    if kind == "video":
        if value.get("transcript"):
            report.notes.append(f"{title}: video transcripts are not exported")
        return f'@video {value["url"]} "{value["title"].replace(chr(34), chr(39))}"'
    report.notes.append(f"{title}: a {kind} block was not exported")
    return ""


def _html_line(html: str) -> str:
    """Rich text on one line: plain words as Markdown, anything richer as inline HTML."""
    html = " ".join(expand_db_html(html).split())
    match = _PLAIN.match(html)
    plain = match and match[1][:1].isalpha() and not _MARKER.match(match[1])
    return match[1] if plain else html


def _inline(html: str) -> str:
    """A single paragraph's inner HTML (for steps, callouts, answers); richer text stays whole."""
    html = " ".join(expand_db_html(html).split())
    match = _ONE_PARAGRAPH.match(html)
    return match[1] if match else html


def _save_image(image: Any, folder: Path, report: ExportReport) -> str:
    name = f"{image.pk}-{PurePosixPath(image.file.name).name}"
    target = folder / "images" / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        with image.open_file() as handle:
            target.write_bytes(handle.read())
        report.images += 1
    return name
