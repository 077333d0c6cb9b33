"""Waiting for what the server writes after the browser acts (beacons, background requests)."""

from __future__ import annotations

import time
from collections.abc import Callable


def wait_for(check: Callable[[], object], timeout: float = 6.0) -> bool:
    """Poll ``check`` until it is truthy or ``timeout`` seconds pass; return its last answer."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return bool(check())
