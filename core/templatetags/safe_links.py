"""Template filters that link a visitor's URL only when it is http(s) or a path on this site.

Data already stored (or written before ``core.urls_safe`` existed) may hold anything; with these
filters a template is safe by construction: ``{% if url|is_safe_link %}<a href="{{ url }}">…``
"""

from __future__ import annotations

from django import template

from core.urls_safe import is_safe_link as _is_safe_link

register = template.Library()


@register.filter
def is_safe_link(value: object) -> bool:
    return _is_safe_link(value)


@register.filter
def safe_href(value: object) -> str:
    """The URL when it may be linked, else ``""`` (an anchor without a target)."""
    return value if _is_safe_link(value) else ""
