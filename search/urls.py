"""Search routes. The API lives outside the language prefixes (``/api/v1/``, locale is a
parameter); the page is added to ``i18n_patterns`` in ``config/urls.py`` (``/en/search/``)."""

from django.urls import path
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

from . import api

app_name = "search_api"
urlpatterns = [
    path("search", api.SearchView.as_view(), name="search"),
    path("search/suggest", api.SuggestView.as_view(), name="suggest"),
    path("search/click", api.ClickView.as_view(), name="click"),
]

# The browsable documentation, served from drf-spectacular-sidecar's static files (no CDN).
docs_urlpatterns = [
    path("", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name="api-schema", template_name="search/redoc.html"),
        name="api-redoc",
    ),
]
