"""Settings for ``benchmarks/search_latency.py`` (its server and its build/breakdown process).

The development settings with what a production server would differ in for speed: DEBUG off,
persistent database connections (as ``DATABASE_URL`` installs get, ``conn_max_age=60``), quiet
logging. Set ``FARO_PGDATA`` to the benchmark's own database folder (the script does).
"""

import os

from config.settings.dev import *  # noqa: F403
from config.settings.dev import DATABASES, FARO_SEARCH, INSTALLED_APPS, LOGGING

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks"]
ROOT_URLCONF = "benchmarks.bench_urls"

# Production (DATABASE_URL) keeps connections for 60 s; the embedded-server default is 0 (a new
# PostgreSQL backend per request). BENCH_CONN_MAX_AGE=0 measures that instead.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("BENCH_CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# The rate limit is still counted on every request (its SQL is part of the cost) but never hit.
FARO_SEARCH_RATE = "100000000/minute"
FARO_SUGGEST_RATE = "100000000/minute"

# Every query is embedded (no per-process LRU); BENCH_QUERY_CACHE=1 keeps the production LRU.
if os.environ.get("BENCH_QUERY_CACHE", "0") != "1":
    from benchmarks.bench_embedder import UNCACHED

    FARO_SEARCH = {
        **FARO_SEARCH,
        "EMBEDDERS": {
            alias: {**config, "BACKEND": UNCACHED.get(config["BACKEND"], config["BACKEND"])}
            for alias, config in FARO_SEARCH["EMBEDDERS"].items()
        },
    }

LOGGING = {
    **LOGGING,
    "root": {"handlers": ["console"], "level": "WARNING"},
}
