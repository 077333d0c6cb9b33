"""The one rule for URLs that visitors and host products send: ``http``/``https`` only.

A page URL typed by a visitor or sent by a host product (the support form's ``page_url``, journey
events from the snippet, the launcher's ``&page=``) ends up as a link in a staff member's admin
session. A ``javascript:`` or ``data:`` URL there is stored XSS, so every such URL passes
``check_url`` before it is stored, and templates link only what ``is_safe_link`` accepts.

Accepted: an absolute ``http``/``https`` URL with a host, or a path on this site (``/en/billing/``,
which the help centre's own pages send). Refused: every other scheme, protocol-relative
(``//evil``) and backslash tricks (``/\\evil``, which browsers read as ``//evil``), and any
whitespace or control character (browsers drop tabs and newlines inside URLs, so
``java\\tscript:`` would become ``javascript:``).
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

SCHEMES = frozenset({"http", "https"})
DEFAULT_MAX_LENGTH = 2000


class UnsafeURL(ValueError):
    """Why a URL was refused, in words a developer calling the API can act on."""


def _has_invisible(value: str) -> bool:
    """Whitespace, control or format characters (incl. zero-width ones) anywhere."""
    return any(unicodedata.category(ch)[0] in "CZ" for ch in value)


def check_url(value: str, *, allow_path: bool = True, max_length: int = DEFAULT_MAX_LENGTH) -> str:
    """``value`` unchanged when it is safe to store and link, else ``UnsafeURL``.

    ``""`` is allowed (no URL). Surrounding spaces are removed first (a form field's padding);
    anything invisible inside is refused rather than cleaned, so what is stored is what was sent.
    """
    url = (value or "").strip(" ")
    if not url:
        return ""
    if len(url) > max_length:
        raise UnsafeURL(_("The URL is too long (%(n)d characters at most).") % {"n": max_length})
    if _has_invisible(url) or "\\" in url:
        raise UnsafeURL(
            _(
                "The URL contains spaces, control characters or backslashes; send a plain "
                "http:// or https:// URL."
            )
        )
    if url.startswith("/"):
        if url.startswith("//") or not allow_path:
            raise UnsafeURL(_("Send a full http:// or https:// URL."))
        return url
    try:
        parts = urlsplit(url)
    except ValueError as error:
        raise UnsafeURL(_("The URL is malformed; send an http:// or https:// URL.")) from error
    if parts.scheme.lower() not in SCHEMES:
        raise UnsafeURL(_("Only http:// and https:// URLs are accepted."))
    if not parts.netloc or not parts.hostname:
        raise UnsafeURL(_("The URL has no host name, as in https://example.com/page."))
    return url


def is_safe_link(value: object) -> bool:
    """True when ``value`` may be rendered as a link (see ``check_url``)."""
    if not isinstance(value, str) or not value:
        return False
    try:
        check_url(value)
    except UnsafeURL:
        return False
    return True


def safe_or_empty(value: object, *, max_length: int = DEFAULT_MAX_LENGTH) -> str:
    """For data already past the API's check (or from before it existed): keep it only if safe."""
    ok = isinstance(value, str) and len(value) <= max_length and is_safe_link(value)
    return value if ok else ""
