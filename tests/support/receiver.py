"""A real local webhook receiver (``http.server`` in a thread) for delivery tests.

It verifies Faro's signature, can fail the first N requests, hang (to kill a worker mid-send),
or be stopped and restarted on the same port; it records every delivery id it accepted, so tests
can check "exactly once" the way a real receiver would: by deduping on the delivery id.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def verify(secret: str, header: str, body: bytes, tolerance: int = 300) -> bool:
    """The verification snippet from docs/support.md."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    timestamp = int(parts["t"])
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    fresh = abs(time.time() - timestamp) <= tolerance
    return fresh and hmac.compare_digest(expected.hexdigest(), parts["v1"])


class Receiver:
    def __init__(self, port: int, secret: str = "whsec-test") -> None:
        self.port = port
        self.secret = secret
        self.fail_next = 0
        self.hang_seconds = 0.0
        self.received: list[str] = []  # every accepted POST's delivery id, duplicates included
        self.bodies: dict[str, dict] = {}
        self.bad_signatures = 0
        self.hits = 0
        self.arrived = threading.Event()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def unique(self) -> set[str]:
        return set(self.received)

    def duplicates(self) -> dict[str, int]:
        return {k: n for k, n in Counter(self.received).items() if n > 1}

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.hits += 1
                receiver.arrived.set()
                if receiver.hang_seconds:
                    time.sleep(receiver.hang_seconds)
                if receiver.fail_next > 0:
                    receiver.fail_next -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                if not verify(receiver.secret, self.headers.get("Faro-Signature", ""), body):
                    receiver.bad_signatures += 1
                    self.send_response(401)
                    self.end_headers()
                    return
                payload = json.loads(body)
                assert payload["id"] == self.headers["Faro-Delivery"]
                receiver.received.append(payload["id"])
                receiver.bodies[payload["id"]] = payload
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
