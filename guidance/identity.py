"""Who is on the host page: anonymous by default, or a user the host vouches for.

The host's server signs ``identity`` (base64url of ``{"id": ..., "traits": {...}, "exp": unix}``)
with the app secret: ``signature = hex(HMAC-SHA256(secret, identity))``, as the big messenger
widgets do with their "user hash". A valid signature makes the id and traits trustworthy;
anything else the browser sends (``traits`` set from JavaScript) is unsigned and never unlocks
audience-restricted tips.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from typing import Any

MAX_IDENTITY_CHARS = 4000
MAX_TRAITS = 30


class IdentityError(ValueError):
    """A signature that does not verify, or an identity that cannot be read (a 400/403)."""


@dataclass
class Identity:
    user_id: str = ""
    traits: dict[str, Any] = field(default_factory=dict)
    signed: bool = False


def sign(secret: str, user_id: str, traits: dict | None = None, ttl: int | None = None) -> dict:
    """What a host's server does (shown in docs/guidance.md); used by the demo and the tests."""
    claims: dict[str, Any] = {"id": str(user_id), "traits": traits or {}}
    if ttl:
        claims["exp"] = int(time.time()) + ttl
    raw = json.dumps(claims, separators=(",", ":"), sort_keys=True).encode()
    identity = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    signature = hmac.new(secret.encode(), identity.encode(), hashlib.sha256).hexdigest()
    return {"identity": identity, "signature": signature}


def clean_traits(traits: Any) -> dict[str, Any]:
    """Scalars only, bounded: traits feed simple rules, never free-form blobs."""
    if not isinstance(traits, dict):
        raise IdentityError("traits must be a JSON object.")
    out = {}
    for key, value in list(traits.items())[:MAX_TRAITS]:
        if isinstance(value, (str, int, float, bool)) or value is None:
            out[str(key)[:50]] = value[:200] if isinstance(value, str) else value
    return out


def verify(secret: str, identity: str, signature: str) -> Identity:
    """Check the host's signature in constant time and read the signed claims."""
    if len(identity) > MAX_IDENTITY_CHARS:
        raise IdentityError("identity is too long.")
    expected = hmac.new(secret.encode(), identity.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, (signature or "").lower()):
        raise IdentityError("The identity signature does not match this app's secret.")
    try:
        padded = identity + "=" * (-len(identity) % 4)
        claims = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise IdentityError("identity is not base64url-encoded JSON.") from error
    if not isinstance(claims, dict) or not str(claims.get("id", "")):
        raise IdentityError("identity needs an id.")
    if "exp" in claims and float(claims["exp"]) < time.time():
        raise IdentityError("The signed identity has expired.")
    return Identity(str(claims["id"])[:100], clean_traits(claims.get("traits") or {}), True)


def resolve(secret: str, identity: str, signature: str, unsigned_traits: Any) -> Identity:
    """Signed claims when given (a bad signature is an error, not a silent downgrade); else
    the browser's own traits, marked unsigned."""
    if identity or signature:
        return verify(secret, identity, signature)
    return Identity("", clean_traits(unsigned_traits or {}), False)


def secret_for(app_key: str) -> str:
    """The active app's secret, for ``support.identity``: the snippet passes the host's signed
    identity on to the support API unchanged, and support verifies it with this secret through
    ``verify`` above, so a host signs one identity for tips and for "Talk to a person" alike."""
    from .models import GuidedApp  # support imports this module lazily; keep it light

    if not app_key:
        return ""
    app = GuidedApp.objects.filter(public_key=app_key, active=True).only("secret").first()
    return app.secret if app else ""
