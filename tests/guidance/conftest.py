"""Guidance fixtures: an app embedded on https://app.acme.test and a helper that publishes tips
the way an editor does (a revision, then publish)."""

from __future__ import annotations

import pytest

from guidance.models import GuidedApp, Tip

ORIGIN = "https://app.acme.test"


@pytest.fixture
def app(db) -> GuidedApp:
    return GuidedApp.objects.create(
        name="Acme", allowed_origins=f"{ORIGIN}\nhttp://localhost:3000", rage_click_count=5
    )


@pytest.fixture
def make_tip(app):
    def make(publish: bool = True, **fields) -> Tip:
        fields.setdefault("name", fields.get("title", "A tip"))
        fields.setdefault("title", "A tip")
        fields.setdefault("kind", Tip.Kind.BANNER)
        tip = Tip.objects.create(app=fields.pop("app", app), live=False, **fields)
        if publish:
            tip.save_revision().publish()
        tip.refresh_from_db()
        return tip

    return make


@pytest.fixture
def page_api(client, app):
    """GET /api/v1/guidance/page as the host page would (Origin set), returning the response."""

    def get(url: str = "/", origin: str = ORIGIN, **params):
        query = {"key": app.public_key, "url": url, **params}
        return client.get("/api/v1/guidance/page", query, HTTP_ORIGIN=origin)

    return get
