"""Markdown folders: one file per article with YAML front matter, folders as categories.

The body goes through the same parser as the demo content (``kb/demo/markdown_blocks.py``: steps,
callouts, code, FAQ ``Q:``/``A:``, images, videos), leniently; the HTML it makes for ordinary text
then goes through ``convert.py``, which sanitises it and lifts out headings, images and lists the
line parser leaves inside paragraphs. Front matter keys are listed in docs/importing.md. What
``export.py`` writes beyond the demo dialect reads back here: ``@steps "Title"`` above numbered
steps, a screenshot as an image in a step's line, a fenced ``transcript`` right after
``@video``, ``&quot;``-style escapes in titles, captions and alt text, and relative links to
files (documents).
"""

from __future__ import annotations

import datetime
import html
import re
from pathlib import Path, PurePosixPath

from bs4 import BeautifulSoup

from kb.blocks import video_embed_url
from kb.demo.markdown_blocks import ContentError, parse_body

from . import documents
from .convert import CODE_LANGUAGES, LANGUAGE_ALIASES, block, html_to_blocks, rich_text
from .files import NotInSource, SourceTree
from .folders import (
    FrontMatterError,
    as_list,
    audience_of,
    category_for,
    read_folder,
    split_front_matter,
    translation_key,
)
from .items import Bundle, SourceArticle

KIND = "markdown"
_STEPS_TITLE = re.compile(r'^@steps(?:\s+"(?P<title>.*)")?$')


def read(tree: SourceTree, default_locale: str) -> Bundle:
    """Every ``.md`` file below the (per-language) roots (``folders.read_folder``)."""
    return read_folder(
        tree, default_locale, KIND, (".md", ".markdown"), read_article, errors=(ContentError,)
    )


def read_article(
    tree: SourceTree, path: str, locale: str, prefix: str, categories: dict
) -> SourceArticle:
    meta, lines = split_front_matter(path, tree.read_text(path))
    title = str(meta.get("title") or "").strip()
    if not title:
        raise FrontMatterError(f"{path}: front matter has no 'title'")
    inner = path.removeprefix(prefix)
    folder = str(PurePosixPath(inner).parent)
    category_id = category_for(
        tree, KIND, locale, prefix, "" if folder == "." else folder, categories
    )
    key = str(meta.get("translation_key") or PurePosixPath(inner).with_suffix(""))
    audience, groups = audience_of(meta)
    notes: list[str] = []
    parsed = parse_body(Path(path), _step_titles_apart(lines), lenient=True)
    body = convert_blocks(tree, path, parsed, notes)
    docs = documents.mark_links(body, documents.folder_resolver(tree, path), notes)
    return SourceArticle(
        source_id=str(meta.get("id") or f"{locale}:{key}"),
        locale=locale,
        title=title[:255],
        translation_key=translation_key(KIND, key),
        category_id=category_id,
        body=body,
        slug=str(meta.get("slug") or ""),
        summary=str(meta.get("summary") or "")[:250],
        tags=as_list(meta.get("tags")),
        audience=audience,
        groups=groups,
        last_reviewed=_date(meta.get("last_reviewed")),
        draft=bool(meta.get("draft", False)),
        old_urls=[
            "/" + str(PurePosixPath(path).with_suffix("")),
            *as_list(meta.get("redirect_from")),
        ],
        notes=notes,
        origin=path,
        documents=docs,
    )


def convert_blocks(tree: SourceTree, path: str, parsed: list[dict], notes: list[str]) -> list[dict]:
    """The parser's blocks made safe and complete: rich text sanitised, images resolved inside
    the source, code languages Faro knows, videos only from YouTube or Vimeo."""

    def image_src(src: str) -> str:
        return tree.resolve_link(path, src)

    out: list[dict] = []
    title = None  # an ``@steps "Title"`` line names the steps that follow
    for item in parsed:
        kind, value = item["type"], item["value"]
        if kind == "paragraph" and (match := _STEPS_TITLE.match(_text(value))):
            title = match["title"] or ""
            continue
        if kind == "paragraph":
            blocks, more = html_to_blocks(value, image_src)
            out += blocks
            notes += more
        elif kind == "image":
            out += _image(value, image_src, notes)
        elif kind == "video":
            out += _video(value, notes)
        elif kind == "code" and value["language"] == "transcript" and _last(out, "video"):
            out[-1]["value"]["transcript"] = value["code"]
        elif kind == "steps":
            out.append(block(kind, _steps(value, title or "", image_src, notes)))
        else:
            out.append(block(kind, _clean(kind, value, notes)))
        if title is not None and kind != "steps":
            notes.append("an '@steps' line not followed by numbered steps was ignored")
        title = None
    return out


def _step_titles_apart(lines: list[str]) -> list[str]:
    """A blank line after each ``@steps "Title"`` line, so the numbered lines right below it
    start a list (the line parser starts steps only after a blank line)."""
    out: list[str] = []
    for line in lines:
        out.append(line)
        if _STEPS_TITLE.match(line.strip()):
            out.append("")
    return out


def _text(value: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", value)).strip()


def _last(blocks: list[dict], kind: str) -> bool:
    return bool(blocks) and blocks[-1]["type"] == kind and not blocks[-1]["value"]["transcript"]


def _steps(value: dict, title: str, image_src, notes: list[str]) -> dict:
    """Numbered steps; an image in a step's line (``1. Click Save. ![](images/save.png)``) is
    its screenshot."""
    steps = []
    for step in value["steps"]:
        soup = BeautifulSoup(step["value"]["text"], "html.parser")
        images = soup.find_all("img")
        for img in images:
            img.extract()
        text = re.sub(r"\s+</p>", "</p>", rich_text(str(soup)))  # the space before the image
        item = {"text": text, "image": None}
        if images:
            try:
                item["image"] = {"src": image_src(images[0].get("src") or "")}
            except NotInSource as error:
                notes.append(f"step screenshot not imported ({error})")
        steps.append(block("item", item))
    return {"title": title[:120], "steps": steps}


def _clean(kind: str, value: dict, notes: list[str]) -> dict:
    if kind == "heading":
        return {"text": value["text"][:120], "level": value["level"]}
    if kind == "code":
        language = LANGUAGE_ALIASES.get(value["language"].lower(), value["language"].lower())
        return {
            "language": language if language in CODE_LANGUAGES else "text",
            "code": value["code"],
        }
    if kind == "callout":
        return {"kind": value["kind"], "text": rich_text(value["text"])}
    if kind == "faq":
        return {"question": value["question"][:250], "answer": rich_text(value["answer"])}
    return value


def _image(value: dict, image_src, notes: list[str]) -> list[dict]:
    alt = html.unescape(value.get("alt") or "")
    if not value.get("src"):
        notes.append(f"image {value.get('key')!r} refers to a demo illustration; not imported")
        return []
    try:
        path = image_src(value["src"])
    except NotInSource as error:
        notes.append(f"image not imported ({error}); its description was kept as text")
        return [block("paragraph", rich_text(f"<p>{html.escape(alt)}</p>"))] if alt else []
    alt = alt or PurePosixPath(path).name
    return [
        block(
            "image",
            {
                "src": path,
                "alt": alt[:200],
                "caption": html.unescape(value.get("caption") or "")[:200],
            },
        )
    ]


def _video(value: dict, notes: list[str]) -> list[dict]:
    if video_embed_url(value["url"]):
        title = html.unescape(value.get("title") or "") or "Video"
        return [block("video", {"url": value["url"], "title": title[:200], "transcript": ""})]
    notes.append(f"video {value['url'][:80]!r} is not YouTube or Vimeo; kept as a link")
    url = html.escape(value["url"], quote=True)
    return [block("paragraph", rich_text(f'<p><a href="{url}">{url}</a></p>'))]


def _date(value: object) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
