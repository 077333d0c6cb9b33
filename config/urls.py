"""URL map. Language-independent endpoints first; the Wagtail page tree last, under /en/, /es/."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from community import urls as community_urls
from frontend import search_views
from frontend import views as frontend_views
from guidance import urls as guidance_urls
from guidance.views import demo_host_enabled
from kb.sitemaps import HelpCentreSitemap
from search import urls as search_urls
from support import urls as support_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": HelpCentreSitemap}}, name="sitemap"),
    path("robots.txt", frontend_views.robots_txt, name="robots_txt"),
    path("healthz", frontend_views.healthz, name="healthz"),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/", include("search.urls")),
    path("api/v1/community/", include(community_urls.api_urlpatterns)),
    path("api/v1/guidance/", include(guidance_urls.api_urlpatterns)),
    path("api/v1/support/", include(support_urls.api_urlpatterns)),
    path("api/docs/", include(search_urls.docs_urlpatterns)),
    path("", include("kb.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Under /api/ every error page is JSON ({"error": ...}); elsewhere the site's own pages.
handler400 = "core.http.bad_request"
handler404 = "core.http.not_found"
handler500 = "core.http.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

if demo_host_enabled():  # the fictional host product: development only (guidance/views.py)
    urlpatterns.insert(0, path("demo-host/", include(guidance_urls.demo_urlpatterns)))

urlpatterns += i18n_patterns(
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # "Forgot your password?": Django's reset flow, e-mailed through the configured backend.
    path(
        "accounts/password-reset/",
        auth_views.PasswordResetView.as_view(
            extra_email_context={"site_name": settings.WAGTAIL_SITE_NAME}
        ),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("search/", search_views.search_page, name="search"),
    path("search/answer-feedback/", search_views.answer_feedback, name="search_answer_feedback"),
    path("community/", include(community_urls.urlpatterns)),
    path("guidance/", include(guidance_urls.urlpatterns)),
    path("support/", include(support_urls.urlpatterns)),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
