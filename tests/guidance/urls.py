"""The project's URLs plus the demo host page, as config/urls.py mounts it under DEBUG or
``FARO_DEMO_HOST`` (the test settings have neither). The view itself still answers only when
``guidance.views.demo_host_enabled()``: tests that need the page set ``FARO_DEMO_HOST``."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns
from guidance import urls as guidance_urls

urlpatterns = [
    path("demo-host/", include(guidance_urls.demo_urlpatterns)),
    *project_urlpatterns,
]
