"""URLs of the guidance app, mounted by config/urls.py.

``api_urlpatterns`` sit under /api/v1/ (no language prefix); ``urlpatterns`` sit inside the
language prefix (/en/, /es/); ``demo_urlpatterns`` is the fictional host product at /demo-host/,
mounted only when ``views.demo_host_enabled()`` (DEBUG or ``FARO_DEMO_HOST``).
"""

from django.urls import path

from . import api, views

api_urlpatterns = [
    path("page", api.PageView.as_view(), name="guidance-page"),
    path("events", api.EventsView.as_view(), name="guidance-events"),
    path("search", api.LauncherSearchView.as_view(), name="guidance-search"),
    path("answer-feedback", api.LauncherFeedbackView.as_view(), name="guidance-answer-feedback"),
]
urlpatterns: list = []
demo_urlpatterns = [
    path("", views.demo_host, name="guidance-demo-host"),
    path("<path:subpath>", views.demo_host, name="guidance-demo-host-sub"),
]
