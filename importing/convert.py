"""HTML from another help centre to Faro's structured blocks.

The HTML is cleaned with nh3 first (only http(s) and relative URLs survive; scripts, styles and
event handlers are gone), then read top-level element by element: headings, ordered lists as
steps, blockquotes and note/tip/warning markers as callouts, ``<pre>`` as code, images, and FAQ
items where the source marks them (``<details>``, ``<dl>``, or "Q:"/"A:" paragraphs). Anything
else is kept as sanitised rich text, and the report says so: nothing is dropped silently.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import nh3
from bs4 import BeautifulSoup, NavigableString, Tag

from kb.blocks import video_embed_url

from .files import NotInSource

URL_SCHEMES = {"http", "https"}
RICH_TAGS = {"p", "b", "i", "a", "ul", "ol", "li", "code", "br"}
PARSE_TAGS = RICH_TAGS | {
    "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "blockquote", "pre", "img", "figure",
    "figcaption", "div", "section", "article", "main", "aside", "span", "details", "summary",
    "dl", "dt", "dd", "table", "thead", "tbody", "tr", "th", "td", "iframe", "hr", "u", "sup",
    "sub", "small", "kbd", "mark", "s",
}  # fmt: skip
PARSE_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "title"},
    "iframe": {"src", "title"},
    "*": {"class"},
}
CODE_LANGUAGES = {"text", "bash", "json", "python", "javascript", "html", "csv", "http"}
LANGUAGE_ALIASES = {"sh": "bash", "shell": "bash", "console": "bash", "js": "javascript"}
LANGUAGE_ALIASES["py"] = "python"
CONTAINERS = {"div", "section", "article", "main"}
INLINE = {"a", "b", "i", "strong", "em", "code", "span", "br", "u", "sup", "sub", "small", "kbd"}
INLINE |= {"mark", "s"}
CALLOUT_KINDS = {
    "note": "note", "info": "note", "nota": "note", "tip": "tip", "consejo": "tip",
    "warning": "warning", "caution": "warning", "important": "warning", "advertencia": "warning",
    "danger": "warning", "atención": "warning",
}  # fmt: skip
_MARKER = re.compile(r"^\s*(?P<kind>[A-Za-zá-úñ]+)\s*:\s*", re.IGNORECASE)
_MARKER_HTML = re.compile(r"^(<p>)?\s*(?:<b>)?\s*[A-Za-zá-úñ]+\s*:\s*(?:</b>)?\s*", re.IGNORECASE)
_QUESTION = re.compile(r"^\s*(Q|P)\s*:\s*", re.IGNORECASE)  # "P:" is Spanish "Pregunta"
_ANSWER = re.compile(r"^\s*(A|R)\s*:\s*", re.IGNORECASE)


def block(kind: str, value: object) -> dict:
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def sanitise(html: str) -> str:
    """The broad first pass: keep structure we can map, drop anything active or off-scheme."""
    return nh3.clean(
        html, tags=PARSE_TAGS, attributes=PARSE_ATTRIBUTES, url_schemes=URL_SCHEMES,
        link_rel=None, strip_comments=True,
    )  # fmt: skip


def rich_text(html: str) -> str:
    """Rich text as Faro stores it: only the editor's features, bold/italic as ``<b>``/``<i>``."""
    html = re.sub(r"<(/?)strong\b", r"<\1b", html)
    html = re.sub(r"<(/?)em\b", r"<\1i", html)
    cleaned = nh3.clean(
        html, tags=RICH_TAGS, attributes={"a": {"href"}}, url_schemes=URL_SCHEMES, link_rel=None
    ).strip()
    if cleaned and not cleaned.startswith(("<p", "<ul", "<ol")):
        cleaned = f"<p>{cleaned}</p>"
    return cleaned


@dataclass
class Converter:
    """One article's conversion. ``image_src`` maps an ``<img src>`` to a path in the source
    tree; it raises ``NotInSource`` (noted, the alt text is kept) or ``UnsafeSource`` (the
    article fails). ``notes`` collects what the report should mention."""

    image_src: Callable[[str], str]
    notes: list[str] = field(default_factory=list)
    blocks: list[dict] = field(default_factory=list)
    _rich: list[str] = field(default_factory=list)

    def convert(self, html: str) -> list[dict]:
        soup = BeautifulSoup(sanitise(html), "html.parser")
        self._children(soup)
        self._flush()
        return self.blocks

    # --- walking -----------------------------------------------------------------------------
    def _children(self, parent: Tag) -> None:
        nodes = [n for n in parent.children if not _blank(n)]
        i = 0
        while i < len(nodes):
            node = nodes[i]
            if _inline(node):
                run = []
                while i < len(nodes) and _inline(nodes[i]):
                    each = nodes[i]
                    run.append(_escape(each) if isinstance(each, NavigableString) else str(each))
                    i += 1
                self._rich.append(rich_text(f"<p>{''.join(run).strip()}</p>"))
                continue
            if _is_question(node) and i + 1 < len(nodes) and _is_answer(nodes[i + 1]):
                self._faq(_strip(node, _QUESTION), _strip_html(nodes[i + 1], _ANSWER))
                i += 2
                continue
            self._node(node)
            i += 1

    def _node(self, node: Tag) -> None:
        name = node.name
        handler = getattr(self, f"_tag_{name}", None)
        if name in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self._heading(node)
        elif handler:
            handler(node)
        elif name in CONTAINERS and not _callout_kind(node):
            self._children(node)
        elif _callout_kind(node):
            self._callout(node, _callout_kind(node))
        elif name == "table":
            self.notes.append("a table was kept as plain rich text")
            self._rich.append(rich_text(_table_text(node)))
        elif name == "hr":
            return
        else:
            self._rich.append(rich_text(str(node)))

    def _flush(self) -> None:
        html = "".join(part for part in self._rich if part and part != "<p></p>")
        self._rich = []
        if html:
            self.blocks.append(block("paragraph", html))

    def _add(self, kind: str, value: object) -> None:
        self._flush()
        self.blocks.append(block(kind, value))

    # --- elements ----------------------------------------------------------------------------
    def _heading(self, node: Tag) -> None:
        text = node.get_text(" ", strip=True)
        if not text:
            return
        if len(text) > 120:
            self.notes.append(f"heading shortened to 120 characters: {text[:40]}…")
        level = "h2" if node.name in {"h1", "h2"} else "h3"
        self._add("heading", {"text": text[:120], "level": level})

    def _tag_p(self, node: Tag) -> None:
        images = node.find_all("img")
        if images and not node.get_text(strip=True):
            for img in images:
                self._image(img, "")
            return
        if _callout_kind(node):
            self._callout(node, _callout_kind(node))
            return
        for img in images:
            img.extract()
            self._image(img, "")
        self._rich.append(rich_text(str(node)))

    def _tag_img(self, node: Tag) -> None:
        self._image(node, "")

    def _tag_figure(self, node: Tag) -> None:
        caption = node.find("figcaption")
        text = caption.get_text(" ", strip=True) if caption else ""
        for img in node.find_all("img"):
            self._image(img, text)

    def _image(self, img: Tag, caption: str) -> None:
        src = img.get("src") or ""
        alt = (img.get("alt") or img.get("title") or "").strip()
        try:
            path = self.image_src(src)
        except NotInSource as error:
            self.notes.append(f"image not imported ({error}); its description was kept as text")
            if alt:
                self._rich.append(f"<p>{_escape(alt)}</p>")
            return
        if not alt:
            self.notes.append(f"image {path} has no description; its file name is used")
            alt = path.rsplit("/", 1)[-1]
        self._add("image", {"src": path, "alt": alt[:200], "caption": caption[:200]})

    def _tag_ol(self, node: Tag) -> None:
        steps = []
        for li in node.find_all("li", recursive=False):
            images = li.find_all("img")
            for img in images:
                img.extract()
            text = rich_text(li.decode_contents())
            if not text:
                continue
            step = {"text": text, "image": None}
            if images:
                try:
                    step["image"] = {"src": self.image_src(images[0].get("src") or "")}
                except NotInSource as error:
                    self.notes.append(f"step screenshot not imported ({error})")
            steps.append(block("item", step))
        if steps:
            self._add("steps", {"title": "", "steps": steps})

    def _tag_blockquote(self, node: Tag) -> None:
        self._callout(node, _callout_kind(node) or "note")

    def _callout(self, node: Tag, kind: str) -> None:
        html = rich_text(node.decode_contents() if node.name != "p" else str(node))
        if _marker_kind(node.get_text()):
            html = _MARKER_HTML.sub(r"\1", html, count=1)
        if html:
            self._add("callout", {"kind": kind, "text": html})

    def _tag_aside(self, node: Tag) -> None:
        self._callout(node, _callout_kind(node) or "note")

    def _tag_pre(self, node: Tag) -> None:
        code = node.find("code") or node
        language = "text"
        for cls in code.get("class", []) + node.get("class", []):
            name = cls.removeprefix("language-").removeprefix("lang-").lower()
            name = LANGUAGE_ALIASES.get(name, name)
            if name in CODE_LANGUAGES:
                language = name
                break
        self._add("code", {"language": language, "code": code.get_text().strip("\n")})

    def _tag_details(self, node: Tag) -> None:
        summary = node.find("summary")
        question = summary.get_text(" ", strip=True) if summary else ""
        if summary:
            summary.extract()
        self._faq(question, node.decode_contents())

    def _tag_dl(self, node: Tag) -> None:
        for dt in node.find_all("dt"):
            dd = dt.find_next_sibling("dd")
            self._faq(dt.get_text(" ", strip=True), dd.decode_contents() if dd else "")

    def _faq(self, question: str, answer_html: str) -> None:
        answer = rich_text(answer_html)
        if not question or not answer:
            self._rich.append(rich_text(f"<p>{_escape(question)}</p>{answer_html}"))
            return
        self._add("faq", {"question": question[:250], "answer": answer})

    def _tag_iframe(self, node: Tag) -> None:
        src = node.get("src") or ""
        embed = video_embed_url(src)
        if embed:
            title = node.get("title") or "Video"
            self._add("video", {"url": src, "title": title[:200], "transcript": ""})
        else:
            self.notes.append(f"an embedded frame was not imported: {src[:80]}")


def html_to_blocks(html: str, image_src: Callable[[str], str]) -> tuple[list[dict], list[str]]:
    """Blocks for one article body, and notes for the report."""
    converter = Converter(image_src=image_src)
    return converter.convert(html), converter.notes


# --- helpers ---------------------------------------------------------------------------------
def _blank(node: object) -> bool:
    return isinstance(node, NavigableString) and not str(node).strip()


def _inline(node: object) -> bool:
    if isinstance(node, NavigableString):
        return True
    return isinstance(node, Tag) and node.name in INLINE


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _marker_kind(text: str) -> str | None:
    match = _MARKER.match(text)
    return CALLOUT_KINDS.get(match["kind"].lower()) if match else None


def _callout_kind(node: Tag) -> str | None:
    """note/tip/warning from a class (``class="callout warning"``) or a leading "Note:" marker
    in a paragraph; None for ordinary elements."""
    for cls in node.get("class", []):
        for part in re.split(r"[-_]", cls.lower()):
            if part in CALLOUT_KINDS:
                return CALLOUT_KINDS[part]
    if node.name in {"p", "blockquote", "aside"}:
        return _marker_kind(node.get_text())
    return None


def _is_question(node: object) -> bool:
    return isinstance(node, Tag) and node.name == "p" and bool(_QUESTION.match(node.get_text()))


def _is_answer(node: object) -> bool:
    return isinstance(node, Tag) and node.name == "p" and bool(_ANSWER.match(node.get_text()))


def _strip(node: Tag, pattern: re.Pattern) -> str:
    return pattern.sub("", node.get_text(" ", strip=True), count=1)


def _strip_html(node: Tag, pattern: re.Pattern) -> str:
    return re.sub(r"^(\s*<b>)?\s*(A|R)\s*:\s*(</b>)?", "", node.decode_contents(), flags=re.I)


def _table_text(node: Tag) -> str:
    rows = []
    for tr in node.find_all("tr"):
        cells = [cell.get_text(" ", strip=True) for cell in tr.find_all(["th", "td"])]
        rows.append(f"<p>{_escape(' | '.join(cells))}</p>")
    return "".join(rows)
