"""Settings for a real ``manage.py db_worker`` subprocess in the delivery tests: the test
settings, the test database the test process is using, the database task backend, and short
leases so a killed worker's delivery is recovered within seconds."""

import os

from config.settings.test import *  # noqa: F403
from config.settings.test import DATABASES

DATABASES["default"]["NAME"] = os.environ["SUPPORT_TEST_DB"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["SUPPORT_MAIL_DIR"]
FARO_SUPPORT_LEASE_SECONDS = float(os.environ.get("SUPPORT_LEASE", "2"))
FARO_SUPPORT_WEBHOOK_TIMEOUT = float(os.environ.get("SUPPORT_TIMEOUT", "1.5"))
FARO_SUPPORT_RETRY_BASE_SECONDS = float(os.environ.get("SUPPORT_RETRY_BASE", "0.2"))
FARO_SUPPORT_RETRY_MAX_SECONDS = float(os.environ.get("SUPPORT_RETRY_MAX", "1"))
FARO_SUPPORT_MAX_ATTEMPTS = 1000
LOGGING = {"version": 1, "disable_existing_loggers": False}
