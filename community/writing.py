"""From what a member types to what the page shows: Markdown rendered by markdown-it (raw HTML
disabled), then sanitized by nh3 with an allow-list. No hand-written HTML filtering anywhere.

Also the input limits and the text checks the spam heuristics use.
"""

from __future__ import annotations

import hashlib
import html
import re

import nh3
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

TITLE_MIN, TITLE_MAX = 10, 150
BODY_MIN = {"question": 20, "answer": 10, "comment": 2}
BODY_MAX = {"question": 10_000, "answer": 10_000, "comment": 600}
MAX_TAGS, TAG_MAX = 5, 30

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK = re.compile(r"(https?://|www\.)", re.IGNORECASE)
TAG_RE = re.compile(r"^[\w][\w.+#-]*$", re.UNICODE)

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("strikethrough")


class InvalidInput(ValueError):
    """Input the member must fix; the message is shown to them as is."""


def render_markdown(text: str) -> str:
    """Sanitized HTML for a post. Headings shrink to h3/h4 so a post never competes with the
    page's own outline; every link gets ``rel="nofollow ugc"``."""
    rendered = _markdown.render(text)
    rendered = re.sub(r"<(/?)h[12]>", r"<\1h3>", rendered)
    rendered = re.sub(r"<(/?)h[56]>", r"<\1h4>", rendered)
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc",
    )


def plain_text(body_html: str) -> str:
    return " ".join(html.unescape(strip_tags(body_html)).split())


def content_hash(text: str) -> str:
    normalised = " ".join(text.lower().split())
    return hashlib.sha256(normalised.encode()).hexdigest()


def count_links(text: str) -> int:
    return len(LINK.findall(text))


def clean_title(value: object) -> str:
    title = " ".join(str(value or "").split())
    if "\x00" in title:
        raise InvalidInput(_("The title contains characters that cannot be saved."))
    if len(title) < TITLE_MIN:
        raise InvalidInput(
            _("Give your question a title of at least %(n)d characters.") % {"n": TITLE_MIN}
        )
    if len(title) > TITLE_MAX:
        raise InvalidInput(_("Keep the title under %(n)d characters.") % {"n": TITLE_MAX})
    return title


def clean_body(value: object, kind: str) -> str:
    body = str(value or "").replace("\r\n", "\n").strip()
    if "\x00" in body:
        raise InvalidInput(_("The text contains characters that cannot be saved."))
    if len(body) < BODY_MIN[kind]:
        raise InvalidInput(_("Write at least %(n)d characters.") % {"n": BODY_MIN[kind]})
    if len(body) > BODY_MAX[kind]:
        raise InvalidInput(_("Keep the text under %(n)d characters.") % {"n": BODY_MAX[kind]})
    return body


def clean_tags(value: object) -> list[str]:
    if isinstance(value, str):
        raw = value.replace(",", " ").split()
    else:
        raw = [str(v) for v in (value or [])]
    tags = list(dict.fromkeys(t.strip().lower() for t in raw if t.strip()))
    if len(tags) > MAX_TAGS:
        raise InvalidInput(_("Use at most %(n)d tags.") % {"n": MAX_TAGS})
    for tag in tags:
        if len(tag) > TAG_MAX or not TAG_RE.match(tag):
            raise InvalidInput(
                _("Tags are single words of letters, digits, “-” or “.” (up to %(n)d).")
                % {"n": TAG_MAX}
            )
    return tags
