"""Local development and `make demo`: debug on, console email, a per-install secret key."""

import os
from pathlib import Path

from config.secret_key import install_secret_key

from .base import *  # noqa: F403
from .base import BASE_DIR, env_bool

DEBUG = env_bool("DEBUG", True)
# Never a key written in the source: the first start writes a random one to .data/secret_key.
FARO_DATA_DIR = Path(os.environ.get("FARO_DATA_DIR") or BASE_DIR / ".data")
SECRET_KEY = os.environ.get("SECRET_KEY") or install_secret_key(FARO_DATA_DIR)
FARO_HASH_SALT = os.environ.get("FARO_HASH_SALT") or SECRET_KEY
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# seed_demo (demo passwords) runs here without --force; see kb/management/commands/seed_demo.py.
FARO_ENVIRONMENT = "dev"
