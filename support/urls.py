"""URLs of the support app, mounted by config/urls.py.

``api_urlpatterns`` sit under /api/v1/support/ (no language prefix); ``urlpatterns`` sit inside the
language prefix (/en/support/, /es/support/).
"""

from django.urls import include, path

from . import api, views

api_patterns = [
    path("requests", api.RequestCreateView.as_view(), name="create"),
    path("requests/<uuid:public_id>/<str:token>", api.RequestStatusView.as_view(), name="status"),
    path("offers", api.OfferView.as_view(), name="offer"),
    path("offers/<str:token>/resolved", api.OfferResolvedView.as_view(), name="offer_resolved"),
]
api_urlpatterns = [path("", include((api_patterns, "support_api")))]

page_patterns = [
    path("", views.contact, name="contact"),
    path("requests/", views.my_requests, name="my_requests"),
    path("requests/<uuid:public_id>/<str:token>/", views.status, name="status"),
    path("consent/", views.consent, name="consent"),
    path("privacy/", views.privacy_request, name="privacy"),
    path("privacy/<str:token>/", views.privacy_manage, name="privacy_manage"),
    path("privacy/<str:token>/export.json", views.privacy_export, name="privacy_export"),
]
urlpatterns = [path("", include((page_patterns, "support")))]
