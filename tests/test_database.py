"""The database every other test relies on: real PostgreSQL with the extensions search needs."""

from django.db import connection


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
