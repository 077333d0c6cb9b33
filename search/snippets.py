"""How a result's snippet is written out: the presentation layer decides.

The keyword backend marks the matched words of a section's text as ``\x02word\x03``
(``KeywordBackend.highlight``); the result's ``snippet`` (the API's and the page's) is that text
as HTML. The help centre's presentation layer registers how (``frontend/highlight.py``, from
``frontend/apps.py``: escaped text, matched words in ``<mark>``). Without one the snippet is the
escaped text without marks, so it is always safe to insert as is.
"""

from __future__ import annotations

import html
from collections.abc import Callable

START, END = "\x02", "\x03"

_formatters: list[Callable[[str], str]] = []


def register_formatter(formatter: Callable[[str], str]) -> None:
    """``formatter(text)``: HTML for plain text whose matched words are between START and END
    (there may be none); it must escape everything else. The last registered one is used."""
    if formatter in _formatters:
        _formatters.remove(formatter)
    _formatters.append(formatter)


def render(text: str) -> str:
    if _formatters:
        return _formatters[-1](text)
    return html.escape(text.replace(START, "").replace(END, ""))
