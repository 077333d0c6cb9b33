"""The test run: the same PostgreSQL as everywhere, tasks run immediately, fast hashing."""

import os

from .base import *  # noqa: F403
from .base import DATABASES

if not os.environ.get("DATABASE_URL"):
    # Point the non-test name at a database that does not exist, so that code touching the
    # database outside pytest-django's test database fails loudly instead of using the demo data.
    DATABASES["default"]["NAME"] = "faro_outside_test_database"
    DATABASES["default"]["TEST"] = {"NAME": "test_faro"}

DEBUG = False
FARO_ENVIRONMENT = "test"  # seed_demo runs (tests seed the demo); production refuses it
SECRET_KEY = "test-secret-key"
FARO_HASH_SALT = SECRET_KEY
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ALLOWED_HOSTS = ["*"]
WAGTAILADMIN_BASE_URL = "http://testserver"
