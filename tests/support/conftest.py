"""Support fixtures: a real webhook receiver and a webhook destination pointing at it."""

from __future__ import annotations

import itertools
import os

import pytest

from support.models import Destination

from .receiver import Receiver

# Ports 8201-8299 are this app's; each test gets its own so a slow close never collides.
_ports = itertools.cycle(range(8210 + (os.getpid() % 5) * 15, 8225 + (os.getpid() % 5) * 15))


@pytest.fixture
def receiver():
    hook = Receiver(next(_ports)).start()
    yield hook
    hook.stop()


@pytest.fixture
def webhook(db, receiver) -> Destination:
    return Destination.objects.create(
        name="Helpdesk", kind="webhook", target=receiver.url, secret=receiver.secret
    )


@pytest.fixture
def fast_retries(settings):
    settings.FARO_SUPPORT_RETRY_BASE_SECONDS = 0.05
    settings.FARO_SUPPORT_RETRY_MAX_SECONDS = 0.2
    settings.FARO_SUPPORT_LEASE_SECONDS = 2
    return settings
