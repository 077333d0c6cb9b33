"""Who a host product says its user is: one signed identity for guidance and support.

The host's *server* signs with its app secret (Snippets → Guidance → Apps); the browser only
carries the result. Two forms, each signed over its own message so that a signature made for one
can never be replayed as the other (the snippet token and its signature are public: they sit in
the host page's HTML):

- **token** (what the snippet sends, to guidance and on to support)::

      identity  = base64url(JSON {"id", "traits", "exp"?})
      signature = hex(HMAC-SHA256(secret, "faro-identity-token-v1\\n" + identity))

  ``id`` and every trait are signed; ``traits.email`` and ``traits.name`` are the verified email
  and name.

- **fields** (a host server calling the support API itself)::

      message   = "faro-identity-fields-v1\\n" + lp(id) + lp(email) + lp(name)
      lp(v)     = str(len(utf8(v))) + ":" + v          # a missing field is ""
      signature = hex(HMAC-SHA256(secret, utf8(message)))

  Length prefixes make the encoding unambiguous (``"ab" + "c"`` ≠ ``"a" + "bc"``).

Anything that does not verify is unsigned: it never unlocks restricted tips and is never shown to
an agent as verified. ``Identity.verified_fields`` says exactly which fields the signature covers.
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

from .origins import secret_for

TOKEN_PREFIX = b"faro-identity-token-v1\n"
FIELDS_PREFIX = b"faro-identity-fields-v1\n"
MAX_IDENTITY_CHARS = 4000
MAX_TRAITS = 30
LIMITS = {"id": 200, "email": 254, "name": 120}


class IdentityError(ValueError):
    """A signature that does not verify, or an identity that cannot be read (a 400/403)."""


@dataclass(frozen=True)
class Identity:
    """The user as far as Faro can trust the host; ``signed`` only after a valid signature."""

    user_id: str = ""
    email: str = ""
    name: str = ""
    traits: dict[str, Any] = field(default_factory=dict, hash=False)
    signed: bool = False

    @property
    def verified_fields(self) -> tuple[str, ...]:
        """The non-empty fields the host's signature covers (none when unsigned)."""
        values = (("id", self.user_id), ("email", self.email), ("name", self.name))
        return tuple(name for name, value in values if self.signed and value)

    def verified_in(self, **shown: str) -> list[str]:
        """Which of the values about to be shown (``id=…, email=…, name=…``) are exactly what the
        host signed: a typed email that differs from the signed one is not verified."""
        signed = {"id": self.user_id, "email": self.email, "name": self.name}
        return [k for k in self.verified_fields if k in shown and shown[k] == signed[k]]


def _mac(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _matches(expected: str, signature: Any) -> bool:
    return isinstance(signature, str) and hmac.compare_digest(expected, signature.lower())


def fields_message(user_id: str, email: str = "", name: str = "") -> bytes:
    """The exact bytes a host signs for the fields form (see the module docstring)."""
    parts = [value.encode() for value in (user_id, email, name)]
    return FIELDS_PREFIX + b"".join(str(len(part)).encode() + b":" + part for part in parts)


def sign_fields(secret: str, user_id: str, email: str = "", name: str = "") -> str:
    """What a host's server does for the fields form (the reference for docs/support.md)."""
    return _mac(secret, fields_message(user_id, email, name))


def sign_token(
    secret: str, user_id: str, traits: dict | None = None, ttl: int | None = None
) -> dict:
    """What a host's server does for the snippet (docs/guidance.md); used by the demo and tests."""
    claims: dict[str, Any] = {"id": str(user_id), "traits": traits or {}}
    if ttl:
        claims["exp"] = int(time.time()) + ttl
    raw = json.dumps(claims, separators=(",", ":"), sort_keys=True).encode()
    identity = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return {"identity": identity, "signature": _mac(secret, TOKEN_PREFIX + identity.encode())}


def clean_traits(traits: Any) -> dict[str, Any]:
    """Scalars only, bounded: traits feed simple rules, never free-form blobs."""
    if not isinstance(traits, dict):
        raise IdentityError("traits must be a JSON object.")
    out = {}
    for key, value in list(traits.items())[:MAX_TRAITS]:
        if isinstance(value, (str, int, float, bool)) or value is None:
            out[str(key)[:50]] = value[:200] if isinstance(value, str) else value
    return out


def _bounded(name: str, value: Any) -> str:
    """A signed value is used whole or not at all: truncating could merge two users."""
    text = "" if value is None else str(value)
    if len(text) > LIMITS[name]:
        raise IdentityError(f"identity {name} is too long.")
    return text


def verify_token(secret: str, identity: str, signature: str) -> Identity:
    """Check the host's token signature in constant time and read the signed claims."""
    if not isinstance(identity, str) or len(identity) > MAX_IDENTITY_CHARS:
        raise IdentityError("identity is too long.")
    if not (secret and _matches(_mac(secret, TOKEN_PREFIX + identity.encode()), signature)):
        raise IdentityError("The identity signature does not match this app's secret.")
    try:
        padded = identity + "=" * (-len(identity) % 4)
        claims = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise IdentityError("identity is not base64url-encoded JSON.") from error
    if not isinstance(claims, dict) or not str(claims.get("id", "")):
        raise IdentityError("identity needs an id.")
    try:
        expired = "exp" in claims and float(claims["exp"]) < time.time()
    except (TypeError, ValueError) as error:
        raise IdentityError("exp must be a Unix time.") from error
    if expired:
        raise IdentityError("The signed identity has expired.")
    traits = clean_traits(claims.get("traits") or {})
    email, name = traits.get("email") or "", traits.get("name") or ""
    return Identity(
        user_id=_bounded("id", claims["id"]),
        email=email if isinstance(email, str) and len(email) <= LIMITS["email"] else "",
        name=name if isinstance(name, str) and len(name) <= LIMITS["name"] else "",
        traits=traits,
        signed=True,
    )


def verify_fields(secret: str, fields: dict, signature: str) -> Identity:
    """Check the fields form: id, email and name together, exactly as sent."""
    values = {name: _bounded(name, fields.get(name)) for name in LIMITS}
    if not values["id"]:
        raise IdentityError("identity needs an id.")
    expected = _mac(secret, fields_message(values["id"], values["email"], values["name"]))
    if not (secret and _matches(expected, signature)):
        raise IdentityError("The identity signature does not match this app's secret.")
    return Identity(values["id"], values["email"], values["name"], {}, True)


def resolve(secret: str, identity: str, signature: str, unsigned_traits: Any) -> Identity:
    """For guidance: signed claims when given (a bad signature is an error, not a silent
    downgrade); else the browser's own traits, marked unsigned."""
    if identity or signature:
        return verify_token(secret, identity, signature)
    return Identity(traits=clean_traits(unsigned_traits or {}))


def verify_for_app(app_key: str, identity: dict | str | None, signature: Any) -> Identity:
    """For support: either form, checked with the app's secret. Anything that does not verify is
    an unsigned ``Identity()`` (the request is kept, as what the customer typed)."""
    secret = secret_for(app_key)
    if not (secret and identity and isinstance(signature, str) and signature):
        return Identity()
    try:
        if isinstance(identity, str):
            return verify_token(secret, identity, signature)
        if isinstance(identity, dict):
            return verify_fields(secret, identity, signature)
    except IdentityError:
        pass
    return Identity()
