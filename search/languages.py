"""The site's languages as the index needs them: a text search configuration and a vector graph
per language in ``settings.LANGUAGES``, nothing hard-coded.

Each language gets ``faro_<code>``: unaccent, then the language's Snowball stemmer when
PostgreSQL has one (``FARO_SEARCH["TEXT_SEARCH_DICTIONARIES"]`` overrides or adds one, e.g.
``{"pt-br": "portuguese_stem"}``), else ``simple`` (lower-cased words, no stemming). Each
language also gets its own partial HNSW index (``search_doc_embedding_<code>``, rows with that
locale only), so a query walks only its language's vectors (docs/search_speed.md).

Both are created by ``ensure_languages``, which ``migrate`` runs after migrating (post_migrate,
``search/signals.py``) and ``manage.py search_languages`` runs on demand: adding a language to
``LANGUAGES`` and running either is all it takes. Locales outside ``LANGUAGES`` are indexed with
``faro_simple`` and searched through the shared vector graph.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.conf import settings
from django.db import connection

# Snowball stemmers PostgreSQL ships, by ISO 639-1 code.
SNOWBALL = {
    "ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek",
    "en": "english", "es": "spanish", "eu": "basque", "fi": "finnish", "fr": "french",
    "ga": "irish", "hi": "hindi", "hu": "hungarian", "hy": "armenian", "id": "indonesian",
    "it": "italian", "lt": "lithuanian", "nb": "norwegian", "ne": "nepali", "nl": "dutch",
    "nn": "norwegian", "no": "norwegian", "pt": "portuguese", "ro": "romanian",
    "ru": "russian", "sr": "serbian", "sv": "swedish", "ta": "tamil", "tr": "turkish",
    "yi": "yiddish",
}  # fmt: skip
FALLBACK = "faro_simple"


def slug(code: str) -> str:
    """A language code as it appears in SQL names: ``pt-br`` → ``pt_br``."""
    return re.sub(r"[^a-z0-9]+", "_", code.lower()).strip("_")


def codes() -> tuple[str, ...]:
    return tuple(code for code, _ in settings.LANGUAGES)


def text_search_config(locale: str) -> str:
    """The configuration a locale's text is parsed with: its own language's, else the shared
    simple one. Never queries the database (it runs on every search)."""
    return _configs(codes()).get(locale) or _configs(codes()).get(locale[:2]) or FALLBACK


@lru_cache(maxsize=8)
def _configs(languages: tuple[str, ...]) -> dict[str, str]:
    return {code: f"faro_{slug(code)}" for code in languages}


def dictionary_for(code: str) -> str:
    """The stemming dictionary for a language (PostgreSQL's name), ``simple`` when none."""
    overrides = settings.FARO_SEARCH.get("TEXT_SEARCH_DICTIONARIES", {})
    if code in overrides:
        return overrides[code]
    name = SNOWBALL.get(code.lower()) or SNOWBALL.get(code[:2].lower())
    return f"{name}_stem" if name else "simple"


def vector_index_name(code: str) -> str:
    return f"search_doc_embedding_{slug(code)}"


def ensure_languages(using=None, *, log=None) -> list[str]:
    """Create what each language in ``settings.LANGUAGES`` needs and is missing: its text
    search configuration and its vector graph. Returns what was created. Idempotent; an
    existing index or configuration is left as it is.

    Inside a transaction (tests, migrations) the index is built with plain ``CREATE INDEX``;
    otherwise ``CONCURRENTLY``, so a live site keeps indexing while the graph builds."""
    conn = connection if using is None else using
    created: list[str] = []
    with conn.cursor() as cursor:
        cursor.execute("SELECT dictname FROM pg_ts_dict")
        dictionaries = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        configs = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'search_searchdocument'")
        indexes = {row[0] for row in cursor.fetchall()}
        for code in [*codes()]:
            config = f"faro_{slug(code)}"
            if config not in configs:
                dictionary = dictionary_for(code)
                if dictionary not in dictionaries:
                    dictionary = "simple"
                cursor.execute(
                    f"""
                    CREATE TEXT SEARCH CONFIGURATION {config} (COPY = simple);
                    ALTER TEXT SEARCH CONFIGURATION {config}
                        ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {dictionary};
                    ALTER TEXT SEARCH CONFIGURATION {config}
                        ALTER MAPPING FOR asciiword, asciihword, hword_asciipart WITH {dictionary};
                    """
                )
                created.append(config)
            name = vector_index_name(code)
            if name not in indexes:
                if log:
                    log(f"Building the vector graph for {code!r} ({name})…")
                concurrently = "" if conn.in_atomic_block else "CONCURRENTLY"
                cursor.execute(
                    f"CREATE INDEX {concurrently} IF NOT EXISTS {name} "
                    "ON search_searchdocument USING hnsw (embedding vector_cosine_ops) "
                    "WITH (m = 16, ef_construction = 64) WHERE locale = "
                    + "'"
                    + code.replace("'", "''")
                    + "'"
                )
                created.append(name)
    return created
