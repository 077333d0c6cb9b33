"""Production: secrets and hosts must come from the environment; refuse to start without them."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
FARO_ENVIRONMENT = "production"  # seed_demo refuses without --force
# One torch thread per web worker (docs/search_speed.md); FARO_TORCH_THREADS=0: torch's default.
os.environ.setdefault("FARO_TORCH_THREADS", "1")
for _embedder in FARO_SEARCH["EMBEDDERS"].values():  # noqa: F405
    _embedder["THREADS"] = int(os.environ["FARO_TORCH_THREADS"])
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("SECRET_KEY must be set to a random string of 32+ characters.")
FARO_HASH_SALT = os.environ.get("FARO_HASH_SALT") or SECRET_KEY
# HTTPS only (docs/security.md). Behind a proxy that ends TLS, name the header it sets
# (FARO_PROXY_SSL_HEADER=X-Forwarded-Proto): only then is that header believed, since a client
# talking to Django directly could send it too. Without it a proxied site would redirect forever.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
_proxy_header = os.environ.get("FARO_PROXY_SSL_HEADER", "").strip()
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https") if _proxy_header else None
)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
    },
}
