"""Search routes. The API lives outside the language prefixes (``/api/v1/``, locale is a
parameter); the page is added to ``i18n_patterns`` in ``config/urls.py`` (``/en/search/``)."""

from django.urls import path
from drf_spectacular.views import SpectacularSwaggerSplitView

from . import api

app_name = "search_api"
urlpatterns = [
    path("search", api.SearchView.as_view(), name="search"),
    path("search/suggest", api.SuggestView.as_view(), name="suggest"),
    path("search/click", api.ClickView.as_view(), name="click"),
    path("search/answer-feedback", api.AnswerFeedbackView.as_view(), name="answer_feedback"),
]

# The browsable documentation: Swagger UI from drf-spectacular-sidecar's static files (no CDN).
# Not ReDoc: its bundle fetches a logo from cdn.redoc.ly at run time.
docs_urlpatterns = [
    # The split view serves its start-up script as a file: no inline script under the CSP.
    path("", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
