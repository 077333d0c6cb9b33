"""Matched words in a search snippet, as the help centre shows them: ``<mark>``.

Registered with ``search.snippets`` in ``frontend/apps.py``, so the API's and the page's
snippets are the same HTML: the section's text escaped, then the keyword backend's markers
(``\x02``/``\x03``) turned into ``<mark>`` tags, and nothing else.
"""

from __future__ import annotations

import html

from search.snippets import END, START


def marked(text: str) -> str:
    escaped = html.escape(text)
    return escaped.replace(START, "<mark>").replace(END, "</mark>")
