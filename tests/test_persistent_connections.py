"""The search paths with persistent connections (``CONN_MAX_AGE`` > 0), as production with
``DATABASE_URL`` runs them: connections outlive requests, and the engine's side thread keeps
its own. Nothing a request does may stay on a connection for the next one: no session-level
setting (only ``SET LOCAL``), no open transaction, no advisory lock from indexing.

Committed data (``transaction=True``), so the side thread's own connection really is used."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection

from search import parallel
from tests.factories import ArticlePageFactory, block

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROTATE = (
    "API keys never expire on their own. To rotate an API key, open Settings, then Developer, "
    "and click Regenerate next to the key. The old key stops working after one hour."
)


def state() -> dict:
    """What a connection carries between requests."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, setting FROM pg_settings WHERE source = 'session' ORDER BY name"
        )
        session = cursor.fetchall()
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'advisory'"
        )
        advisory = cursor.fetchone()[0]
        cursor.execute("SHOW hnsw.ef_search")
        ef_search = cursor.fetchone()[0]
    return {
        "session settings": session,
        "advisory locks": advisory,
        "ef_search": ef_search,
        "in transaction": connection.in_atomic_block,
        "pid": connection.connection.info.backend_pid,
    }


def side_state() -> dict:
    return parallel.soon(state, uses_database=True).result()


@pytest.fixture
def site_root(db):
    """Wagtail's root page and default site, which migrations create and a transactional test
    that ran before this one may have flushed."""
    from wagtail.models import Locale, Page, Site

    root = Page.get_first_root_node()
    if root is None:
        Locale.objects.get_or_create(language_code="en")
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    if not Site.objects.filter(is_default_site=True).exists():
        Site.objects.create(hostname="localhost", root_page=root, is_default_site=True)


@pytest.fixture
def persistent(monkeypatch, site_root):
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 600)
    assert parallel.side_connection_usable()
    yield
    # each pool thread closes its own connection (a barrier: one piece of work per thread)
    barrier = threading.Barrier(parallel._pool()._max_workers)
    futures = [parallel.soon(close, barrier) for _ in range(parallel._pool()._max_workers)]
    for future in futures:
        future.result()


def close(barrier: threading.Barrier) -> None:
    barrier.wait(timeout=10)
    connection.close()


def test_search_paths_leave_nothing_on_a_kept_connection(persistent, client, help_centre):
    keys = ArticlePageFactory(
        parent=help_centre.category, title="Manage API keys", slug="api-keys",
        summary="Create, rotate and revoke keys.",
        body=json.dumps([block("paragraph", f"<p>{ROTATE}</p>")]),
    )  # fmt: skip
    baseline, side = state(), side_state()
    assert baseline["session settings"] == [("TimeZone", "UTC")]  # Django's, at connect
    assert baseline["advisory locks"] == 0
    assert not baseline["in transaction"] and side["pid"] != baseline["pid"]

    def same_connections_as_before() -> None:
        now, side_now = state(), side_state()
        assert now["pid"] == baseline["pid"]  # kept (the side pool has a connection per thread)
        for before, after in ((baseline, now), (side, side_now)):
            assert {k: v for k, v in after.items() if k != "pid"} == {
                k: v for k, v in before.items() if k != "pid"
            }

    # API search, with the answer card
    found = client.get("/api/v1/search", {"q": "rotate an API key", "locale": "en"}).json()
    assert found["hits"][0]["title"] == "Manage API keys"
    assert found["answer"] and "Regenerate" in found["answer"]["text"]
    same_connections_as_before()
    # as-you-type suggestions
    suggested = client.get("/api/v1/search/suggest", {"q": "manage api", "locale": "en"})
    assert suggested.status_code == 200 and "Manage API keys" in suggested.content.decode()
    same_connections_as_before()
    # the search page (keyword + vector on two connections, snippets, next steps)
    assert client.get("/en/search/", {"q": "change plan"}).status_code == 200
    same_connections_as_before()
    # publish → index (the queue, the delta vocabulary, advisory locks) → found at once
    keys.title = "Rotate or revoke API keys"
    keys.save_revision().publish()
    found = client.get("/api/v1/search", {"q": "revoke keys", "locale": "en"}).json()
    assert found["hits"][0]["title"] == "Rotate or revoke API keys"
    same_connections_as_before()
    # a Spanish search on the same kept connections
    found = client.get("/api/v1/search", {"q": "cambiar plan", "locale": "es"}).json()
    assert found["hits"][0]["title"] == "Cambia tu plan"
    same_connections_as_before()
