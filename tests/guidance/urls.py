"""The project's URLs plus the demo host page, as config/urls.py will mount it
(``path("demo-host/", include(guidance_urls.demo_urlpatterns))``)."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns
from guidance import urls as guidance_urls

urlpatterns = [
    path("demo-host/", include(guidance_urls.demo_urlpatterns)),
    *project_urlpatterns,
]
