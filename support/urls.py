"""URLs of the support app, mounted by config/urls.py.

``api_urlpatterns`` sit under /api/v1/ (no language prefix); ``urlpatterns`` sit inside the
language prefix (/en/, /es/).
"""

api_urlpatterns: list = []
urlpatterns: list = []
