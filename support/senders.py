"""How one delivery leaves Faro: an email, or a signed webhook POST.

Webhooks are signed like Stripe's: ``Faro-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of
"<t>.<body>" with the destination's secret>``. The body is the delivery's frozen payload, so a
retry sends the same bytes with a fresh timestamp, and ``Faro-Delivery`` (also the body's ``id``)
is what a receiver dedupes on. Format and a verification snippet: docs/support.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import EmailMessage

from .models import Delivery

USER_AGENT = "Faro-Webhooks/1"
DEFAULT_TIMEOUT = 10.0


class SendError(Exception):
    def __init__(self, message: str, status: int | None = None, permanent: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.permanent = permanent


def body_of(payload: dict) -> bytes:
    """Canonical JSON: the same payload always gives the same bytes (and signature input)."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def headers_for(delivery_id: str, secret: str, body: bytes, timestamp: int | None = None) -> dict:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Faro-Delivery": delivery_id,
        "Faro-Event": "support.request.created",
        "Faro-Signature": f"t={timestamp},v1={signature(secret, timestamp, body)}",
    }


def send_webhook(delivery: Delivery) -> int:
    url = delivery.target
    if urlparse(url).scheme not in {"http", "https"}:
        raise SendError(f"Not an http(s) URL: {url}", permanent=True)
    secret = delivery.destination.secret if delivery.destination else ""
    body = body_of(delivery.payload)
    request = urllib.request.Request(
        url, data=body, method="POST", headers=headers_for(str(delivery.pk), secret, body)
    )
    timeout = getattr(settings, "FARO_SUPPORT_WEBHOOK_TIMEOUT", DEFAULT_TIMEOUT)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        raise SendError(f"HTTP {error.code} from the receiver", status=error.code) from error
    except (urllib.error.URLError, OSError, TimeoutError) as error:
        reason = getattr(error, "reason", error)
        raise SendError(f"Could not reach the receiver: {reason}") from error


def send_email(delivery: Delivery) -> int:
    payload = delivery.payload
    message = EmailMessage(
        subject=payload["subject"],
        body=payload["body"],
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.target],
        reply_to=[payload["reply_to"]] if payload.get("reply_to") else None,
        # The delivery id as Message-ID lets mail systems drop a resent duplicate.
        headers={"Message-ID": f"<{delivery.pk}@faro>", "Faro-Delivery": str(delivery.pk)},
    )
    request = delivery.request
    if payload.get("attach") and request is not None and request.attachment:
        with request.attachment.open("rb") as handle:
            message.attach(
                request.attachment.name.rsplit("/", 1)[-1],
                handle.read(),
                request.attachment_type or "application/octet-stream",
            )
    try:
        message.send(fail_silently=False)
    except OSError as error:
        raise SendError(f"Mail server: {error}") from error
    return 250


def send(delivery: Delivery) -> int:
    """Send one delivery; returns a status code, raises ``SendError`` on failure."""
    if delivery.kind == Delivery.Kind.WEBHOOK:
        return send_webhook(delivery)
    return send_email(delivery)
