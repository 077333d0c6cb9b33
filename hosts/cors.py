"""CORS for the snippet's APIs through django-cors-headers, with each app's own allowed origins.

django-cors-headers handles the protocol (preflights, ``Vary: Origin``, the allow/expose headers)
for the paths in ``CORS_URLS_REGEX`` (``/api/v1/guidance/`` and ``/api/v1/support/``); its static
``CORS_ALLOWED_ORIGINS`` stays empty because the allowed origins live in the database, per app.
The library's documented extension point for that is its ``check_request_enabled`` signal, which
``hosts.apps`` connects to ``allow_app_origin`` — the one signal receiver in Faro outside Wagtail's
publish hooks, because the library offers no other hook (no setting takes a callable).
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from . import origins


def allow_app_origin(sender: Any, request: HttpRequest, **kwargs: Any) -> bool:
    """Whether this request's ``Origin`` gets CORS headers.

    - An authorised call (``origins.authorise_request`` remembered its app): only that app's
      allowed origins, so a page allowed for app A cannot read app B's answers.
    - A preflight (``OPTIONS``; it carries no key): any active app's origin; the real request is
      checked against its own app.
    - Anything else — refused calls, other paths, ``Origin: null`` — gets none.

    The middleware also asks this (before the view) whether CORS applies to paths outside
    ``CORS_URLS_REGEX``; the path check keeps every other page free of CORS headers.
    """
    origin = request.headers.get("Origin", "")
    if not origin or origin == "null":
        return False
    if not re.match(settings.CORS_URLS_REGEX, request.path_info):
        return False
    app = getattr(request, origins.CORS_APP_ATTR, None)
    if app is not None:
        return app.origin_allowed(origin)
    return request.method == "OPTIONS" and origins.allowed_anywhere(origin)
