"""The Content-Security-Policy per page: strict everywhere, one allowance for Wagtail's editors.

``CONTENT_SECURITY_POLICY`` (config/settings/base.py) allows scripts from this site or with the
response's nonce only. Wagtail's own editing views (page and snippet editors, choosers, image
forms) still write small inline ``<script>`` tags from their widgets (``new PageChooser(…)``,
``initDateChooser(…)``) without a nonce, so on those views alone inline script is allowed. They
show what editors wrote; what visitors and host products send — the support inbox, the
moderation queue, Insights, previews — is shown on our own admin views, which stay strict.
"""

from __future__ import annotations

import re

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

# Admin areas that render visitor or host input: never inline script there.
STRICT_ADMIN_PREFIXES = ("support/", "insights/", "community/", "reports/", "import-content/")
# Previews render our own templates (a tip, a page, a revision): strict too.
PREVIEW = re.compile(r"/preview/|/revisions/\d+/view/$")


def admin_prefix() -> str:
    return getattr(settings, "FARO_ADMIN_PREFIX", "/admin/")


def needs_inline_script(path: str) -> bool:
    """True for Wagtail's own admin views (not the dashboard, our areas, or any preview)."""
    prefix = admin_prefix()
    if not path.startswith(prefix) or path == prefix:
        return False
    rest = path[len(prefix) :]
    return not rest.startswith(STRICT_ADMIN_PREFIXES) and not PREVIEW.search(path)


class PolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with inline script (and no nonce, which would cancel
    ``'unsafe-inline'`` in browsers) on Wagtail's editing views only."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if needs_inline_script(request.path_info):
            parts.replace = {**(parts.replace or {}), "script-src": [SELF, UNSAFE_INLINE]}
            parts.nonce = None
        return parts
