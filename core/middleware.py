"""Middleware shared by every app."""

from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware

# Endpoints that live outside the /en/ and /es/ page tree.
UNPREFIXED_PREFIXES = (
    "/admin/",
    "/api/",
    "/feedback/",
    "/static/",
    "/media/",
    "/documents/",
    "/demo-host/",
)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware turns any 404 into a redirect to ``/<lang>/<path>`` whenever that
    path would resolve, and Wagtail's catch-all page route resolves everything. For endpoints
    that are not pages, a 404 must stay a 404 (and a POST must never become a GET redirect)."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.path_info.startswith(UNPREFIXED_PREFIXES):
            return response
        return super().process_response(request, response)
