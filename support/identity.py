"""Who the host product says its user is, trusted only when signed with the app's secret.

Two forms, both signed on the host's server with the app's secret:

- ``identity = {"id", "email", "name"}`` and ``signature`` = hex HMAC-SHA256(secret, identity id)
  (as Intercom's "identity verification" works), for hosts calling the API themselves;
- ``identity = "<token>"``: the guidance snippet's signed identity passed on unchanged
  (base64url of ``{"id", "traits", "exp"?}``, signature = hex HMAC-SHA256(secret, token), see
  ``guidance.identity``), read by guidance's own ``verify``; email and name come from the signed
  traits. The snippet sends this form, so a host signs once for tips and support.

Unsigned or wrongly signed identities are kept only as what the customer typed, never as a
verified account. Secrets come from ``FARO_SNIPPET_SECRETS`` ({app_key: secret})
or, when the guidance app provides one, ``guidance.identity.secret_for(app_key)``.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec

from django.conf import settings


@dataclass(frozen=True)
class Identity:
    external_id: str = ""
    email: str = ""
    name: str = ""
    verified: bool = False


def secret_for(app_key: str) -> str:
    if not app_key:
        return ""
    secret = getattr(settings, "FARO_SNIPPET_SECRETS", {}).get(app_key, "")
    if not secret and find_spec("guidance") and find_spec("guidance.identity"):
        lookup = getattr(import_module("guidance.identity"), "secret_for", None)
        secret = lookup(app_key) if lookup else ""
    return secret or ""


def sign(secret: str, external_id: str) -> str:
    return hmac.new(secret.encode(), external_id.encode(), hashlib.sha256).hexdigest()


def verify(app_key: str, identity: dict | str | None, signature: str) -> Identity:
    """An ``Identity``; ``verified`` only when the signature matches the app's secret."""
    if isinstance(identity, str):
        return verify_token(app_key, identity, signature)
    identity = identity or {}
    external_id = str(identity.get("id", ""))[:200]
    email = str(identity.get("email", ""))[:254]
    name = str(identity.get("name", ""))[:120]
    secret = secret_for(app_key)
    verified = bool(
        secret
        and external_id
        and signature
        and hmac.compare_digest(sign(secret, external_id), str(signature))
    )
    if not verified:
        return Identity()
    return Identity(external_id, email, name, True)


def verify_token(app_key: str, token: str, signature: str) -> Identity:
    """The snippet's form: guidance's signed token (expiry included), checked by guidance itself
    so the two apps cannot drift apart; anything that does not verify is simply unverified."""
    secret = secret_for(app_key)
    if not (secret and token and signature and find_spec("guidance.identity")):
        return Identity()
    guidance_identity = import_module("guidance.identity")
    try:
        claims = guidance_identity.verify(secret, token, str(signature))
    except guidance_identity.IdentityError:
        return Identity()
    traits = claims.traits
    email, name = str(traits.get("email") or ""), str(traits.get("name") or "")
    return Identity(claims.user_id[:200], email[:254], name[:120], True)
