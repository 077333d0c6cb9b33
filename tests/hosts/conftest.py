"""Host-app fixtures: two guidance apps on different origins, so a request can name one app's key
from the other's page (what an attacker embedding someone else's key does)."""

from __future__ import annotations

import pytest

from guidance.models import GuidedApp

ORIGIN = "https://app.acme.test"
OTHER_ORIGIN = "https://other.example"


@pytest.fixture
def app(db) -> GuidedApp:
    return GuidedApp.objects.create(name="Acme", allowed_origins=ORIGIN)


@pytest.fixture
def other_app(db) -> GuidedApp:
    return GuidedApp.objects.create(name="Other", allowed_origins=OTHER_ORIGIN)
