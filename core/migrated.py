"""A clear error instead of a traceback when a command runs on a database that is not migrated.

On a fresh database folder (say a new ``FARO_PGDATA`` for an evaluation) the first statement a
command runs would fail with "relation … does not exist"; operators should be told what to run.
"""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def require_migrated() -> None:
    """Raise ``CommandError`` naming the fix if any migration is unapplied."""
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        raise CommandError(
            f"The database has {len(pending)} unapplied migrations; "
            "run `python manage.py migrate` first."
        )
