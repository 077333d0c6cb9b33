"""The database every other test relies on: real PostgreSQL with the extensions search needs."""

import os

import pytest
from django.db import connection

from config.database import shared_buffers_wanted


def test_runs_on_postgresql_with_search_extensions(db):
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension")
        extensions = {row[0] for row in cursor.fetchall()}
    assert {"vector", "pg_trgm", "unaccent"} <= extensions


def test_vector_and_unaccent_work(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT '[1,0]'::vector <=> '[0,1]'::vector, unaccent('facturación')")
        distance, text = cursor.fetchone()
    assert distance == 1.0
    assert text == "facturacion"


def test_every_connection_filters_inside_the_vector_index_scan(db, settings):
    """Without ``relaxed_order`` an HNSW scan stops at ``ef_search`` rows and filters after:
    restricted sections would silently shrink a visitor's results. The settings come with the
    connection (config/settings/base.py), so no query has to remember them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT '[1,0]'::vector <=> '[0,1]'::vector")  # loads pgvector
        cursor.execute(
            "SELECT current_setting('hnsw.iterative_scan'), current_setting('hnsw.ef_search')"
        )
        assert cursor.fetchone() == ("relaxed_order", str(settings.FARO_SEARCH["HNSW_EF_SEARCH"]))


def test_embedded_server_is_given_memory_for_the_search_indexes(db):
    """Stored for the next start of the embedded server (config/database.py)."""
    if os.environ.get("DATABASE_URL"):
        pytest.skip("DATABASE_URL: the operator's server keeps the operator's settings")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setting FROM pg_file_settings WHERE name = 'shared_buffers'"
            " AND sourcefile LIKE '%%postgresql.auto.conf'"
        )
        assert cursor.fetchone() == (shared_buffers_wanted(),)
