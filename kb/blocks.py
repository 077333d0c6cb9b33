"""StreamField blocks for help articles.

Each block knows how it feeds the article's table of contents and its structured data (JSON-LD),
so templates and SEO stay consistent with what editors wrote.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "code", "document-link"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120, label=_("Heading"))
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section (H2)")), ("h3", _("Subsection (H3)"))], default="h2"
    )

    class Meta:
        icon = "title"
        template = "kb/blocks/heading.html"
        label = _("Heading")


class StepBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("What to do"))
    image = ImageChooserBlock(required=False, label=_("Screenshot"))


class StepsBlock(blocks.StructBlock):
    """Numbered steps; an article with steps is also described as a schema.org HowTo."""

    title = blocks.CharBlock(required=False, max_length=120)
    steps = blocks.ListBlock(StepBlock(), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "kb/blocks/steps.html"
        label = _("Numbered steps")


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("note", _("Note")), ("tip", _("Tip")), ("warning", _("Warning"))],
        default="note",
    )
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        template = "kb/blocks/callout.html"
        label = _("Callout")


class CodeBlock(blocks.StructBlock):
    language = blocks.ChoiceBlock(
        choices=[
            ("text", "Text"),
            ("bash", "Shell"),
            ("json", "JSON"),
            ("python", "Python"),
            ("javascript", "JavaScript"),
            ("html", "HTML"),
            ("csv", "CSV"),
            ("http", "HTTP"),
        ],
        default="text",
    )
    code = blocks.TextBlock()

    class Meta:
        icon = "code"
        template = "kb/blocks/code.html"
        label = _("Code")


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt = blocks.CharBlock(
        max_length=200, label=_("Alternative text"), help_text=_("What the image shows")
    )
    caption = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "image"
        template = "kb/blocks/image.html"
        label = _("Image")


_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")


def video_embed_url(url: str) -> str | None:
    """The privacy-enhanced embed URL for a YouTube or Vimeo link, or None if unsupported.

    Faro builds embed URLs itself instead of calling oEmbed providers at render time: rendering
    never waits on a third party, and no third-party request happens until the visitor clicks play.
    """
    parsed = urlparse(url)
    host = (parsed.hostname or "").removeprefix("www.").removeprefix("m.")
    video_id = None
    if host == "youtu.be":
        video_id = parsed.path.lstrip("/")
    elif host in {"youtube.com", "youtube-nocookie.com"}:
        if parsed.path == "/watch":
            video_id = parse_qs(parsed.query).get("v", [""])[0]
        elif parsed.path.startswith(("/embed/", "/shorts/")):
            video_id = parsed.path.split("/")[2]
    elif host in {"vimeo.com", "player.vimeo.com"}:
        last = parsed.path.rstrip("/").split("/")[-1]
        return f"https://player.vimeo.com/video/{last}?dnt=1" if last.isdigit() else None
    if video_id and _YOUTUBE_ID.match(video_id):
        return f"https://www.youtube-nocookie.com/embed/{video_id}"
    return None


class VideoBlock(blocks.StructBlock):
    url = blocks.URLBlock(label=_("YouTube or Vimeo link"))
    title = blocks.CharBlock(max_length=200)
    transcript = blocks.TextBlock(required=False)

    class Meta:
        icon = "media"
        template = "kb/blocks/video.html"
        label = _("Video")

    def clean(self, value):
        value = super().clean(value)
        if not video_embed_url(value["url"]):
            raise blocks.StructBlockValidationError(
                {"url": ValidationError(_("Use a YouTube or Vimeo video link."))}
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["embed_url"] = video_embed_url(value["url"])
        return context


class FAQItemBlock(blocks.StructBlock):
    """A question and its answer; articles with these are also a schema.org FAQPage."""

    question = blocks.CharBlock(max_length=250)
    answer = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        template = "kb/blocks/faq_item.html"
        label = _("FAQ item")


class ArticleBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES, icon="pilcrow", label=_("Rich text"), template=None
    )
    steps = StepsBlock()
    callout = CalloutBlock()
    code = CodeBlock()
    image = ImageBlock()
    video = VideoBlock()
    faq = FAQItemBlock()
