"""Markdown folders: one file per article with YAML front matter, folders as categories.

The body goes through the same parser as the demo content (``kb/demo/markdown_blocks.py``: steps,
callouts, code, FAQ ``Q:``/``A:``, images, videos), leniently; the HTML it makes for ordinary text
then goes through ``convert.py``, which sanitises it and lifts out headings, images and lists the
line parser leaves inside paragraphs. Front matter keys are listed in docs/importing.md.
"""

from __future__ import annotations

import datetime
import html
from pathlib import Path, PurePosixPath

from kb.blocks import video_embed_url
from kb.demo.markdown_blocks import ContentError, parse_body

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
    body = convert_blocks(tree, path, parse_body(Path(path), lines, lenient=True), notes)
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
    )


def convert_blocks(tree: SourceTree, path: str, parsed: list[dict], notes: list[str]) -> list[dict]:
    """The parser's blocks made safe and complete: rich text sanitised, images resolved inside
    the source, code languages Faro knows, videos only from YouTube or Vimeo."""

    def image_src(src: str) -> str:
        return tree.resolve_link(path, src)

    out: list[dict] = []
    for item in parsed:
        kind, value = item["type"], item["value"]
        if kind == "paragraph":
            blocks, more = html_to_blocks(value, image_src)
            out += blocks
            notes += more
        elif kind == "image":
            out += _image(value, image_src, notes)
        elif kind == "video":
            out += _video(value, notes)
        else:
            out.append(block(kind, _clean(kind, value, notes)))
    return out


def _clean(kind: str, value: dict, notes: list[str]) -> dict:
    if kind == "heading":
        return {"text": value["text"][:120], "level": value["level"]}
    if kind == "code":
        language = LANGUAGE_ALIASES.get(value["language"].lower(), value["language"].lower())
        return {
            "language": language if language in CODE_LANGUAGES else "text",
            "code": value["code"],
        }
    if kind == "steps":
        steps = [
            block("item", {"text": rich_text(s["value"]["text"]), "image": None})
            for s in value["steps"]
        ]
        return {"title": "", "steps": steps}
    if kind == "callout":
        return {"kind": value["kind"], "text": rich_text(value["text"])}
    if kind == "faq":
        return {"question": value["question"][:250], "answer": rich_text(value["answer"])}
    return value


def _image(value: dict, image_src, notes: list[str]) -> list[dict]:
    alt = value.get("alt") or ""
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
            "image", {"src": path, "alt": alt[:200], "caption": (value.get("caption") or "")[:200]}
        )
    ]


def _video(value: dict, notes: list[str]) -> list[dict]:
    if video_embed_url(value["url"]):
        title = value.get("title") or "Video"
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
