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
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
    },
}
