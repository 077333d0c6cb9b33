"""Local development and `make demo`: debug on, console email, a fixed insecure key."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-never-use-in-production"
FARO_HASH_SALT = os.environ.get("FARO_HASH_SALT") or SECRET_KEY
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
