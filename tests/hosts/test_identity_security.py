"""An attacker's view of the signed identity a host product sends with a support request.

Every field shown to an agent as "verified" must be covered by the host's signature: changing the
email or the name of a correctly signed identity, or replaying a signature made for another form
(the snippet's token, visible in the host page's HTML), must leave the request unverified.
"""

from __future__ import annotations

import pytest

from hosts.identity import sign_fields, sign_token, verify_for_app
from support.models import SupportRequest

from .conftest import ORIGIN

pytestmark = pytest.mark.django_db
CREATE = "/api/v1/support/requests"


@pytest.fixture(autouse=True)
def _run_on_commit(monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda fn, using=None, robust=False: fn())


def post(client, app, identity, signature, **fields):
    """A host's server calling the API (no Origin), with a typed email as a fallback."""
    body = {
        "message": "Please refund my last invoice",
        "email": "typed@somewhere.test",
        "app_key": app.public_key,
        "identity": identity,
        "identity_signature": signature,
        **fields,
    }
    return client.post(CREATE, body, content_type="application/json")


def test_a_forged_email_or_name_with_a_valid_id_signature_is_not_verified(client, app):
    signature = sign_fields(app.secret, "u-7", "u7@acme.test", "Uma")
    for forged in ({"email": "ceo@acme.test"}, {"name": "The CEO"}):
        identity = {"id": "u-7", "email": "u7@acme.test", "name": "Uma", **forged}
        response = post(client, app, identity, signature)
        assert response.status_code == 201, response.content
    for request in SupportRequest.objects.all():
        assert not request.identity_verified and request.external_id == ""
        assert request.verified_fields == [] and request.email == "typed@somewhere.test"


def test_a_snippet_token_signature_replayed_as_a_dict_signature_is_not_verified(client, app):
    # The token and its signature are public: they sit in the host page's data- attributes.
    token = sign_token(app.secret, "u-7", {"email": "u7@acme.test"})
    identity = {"id": token["identity"], "email": "ceo@acme.test", "name": "The CEO"}
    response = post(client, app, identity, token["signature"])
    assert response.status_code == 201, response.content
    request = SupportRequest.objects.get()
    assert not request.identity_verified and request.verified_fields == []
    assert request.email == "typed@somewhere.test" and request.name == ""


def test_a_dict_signature_is_not_accepted_for_a_token(app):
    """The other direction: a signature over the fields never verifies a token of the same id."""
    token = sign_token(app.secret, "u-7", {})
    forged = sign_fields(app.secret, token["identity"], "", "")
    assert not verify_for_app(app.public_key, token["identity"], forged).signed
    assert verify_for_app(app.public_key, token["identity"], token["signature"]).signed


def test_a_correctly_signed_identity_shows_each_verified_field_to_the_agent(
    client, app, admin_client
):
    identity = {"id": "u-7", "email": "u7@acme.test", "name": "Uma Ortiz"}
    signature = sign_fields(app.secret, "u-7", "u7@acme.test", "Uma Ortiz")
    assert post(client, app, identity, signature, email="").status_code == 201
    request = SupportRequest.objects.get()
    assert request.identity_verified and request.external_id == "u-7"
    assert request.verified_fields == ["id", "email", "name"]
    page = admin_client.get(f"/admin/support/{request.pk}/").content.decode()
    for field in ("id", "email", "name"):
        assert f'data-verified="{field}"' in page


def test_a_typed_email_that_differs_from_the_signed_one_is_not_shown_as_verified(
    client, app, admin_client
):
    identity = {"id": "u-7", "email": "u7@acme.test", "name": ""}
    signature = sign_fields(app.secret, "u-7", "u7@acme.test", "")
    assert post(client, app, identity, signature, name="Typed Name").status_code == 201
    request = SupportRequest.objects.get()
    assert request.email == "typed@somewhere.test" and request.verified_fields == ["id"]
    page = admin_client.get(f"/admin/support/{request.pk}/").content.decode()
    assert 'data-verified="id"' in page and 'data-verified="email"' not in page
    assert 'data-verified="name"' not in page


def test_the_snippet_token_verifies_its_signed_email_and_name(client, app):
    token = sign_token(app.secret, "u-9", {"email": "u9@acme.test", "name": "Ugo"}, ttl=600)
    headers = {"HTTP_ORIGIN": ORIGIN}
    body = {"message": "The export button does nothing", "app_key": app.public_key,
            "identity": token["identity"], "identity_signature": token["signature"]}  # fmt: skip
    response = client.post(CREATE, body, content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    request = SupportRequest.objects.get()
    assert request.verified_fields == ["id", "email", "name"] and request.email == "u9@acme.test"


def test_the_documented_recipes_are_what_faro_verifies(app):
    """A host implements docs/support.md and docs/guidance.md from the text alone: the recipes
    there, written out independently, must verify (UTF-8 byte lengths included)."""
    import base64
    import hashlib
    import hmac
    import json

    def documented_fields(secret: str, user_id: str, email: str = "", name: str = "") -> str:
        message = b"faro-identity-fields-v1\n"
        for value in (user_id, email, name):
            data = value.encode()
            message += str(len(data)).encode() + b":" + data
        return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()

    fields = {"id": "u-ñ", "email": "ana.ñ@acme.test", "name": "Ana Ørsted"}
    signature = documented_fields(app.secret, fields["id"], fields["email"], fields["name"])
    assert signature == sign_fields(app.secret, fields["id"], fields["email"], fields["name"])
    assert verify_for_app(app.public_key, fields, signature).verified_fields == (
        "id",
        "email",
        "name",
    )
    # Length prefixes: moving a character from one field to the next is another message.
    assert sign_fields(app.secret, "ab", "c") != sign_fields(app.secret, "a", "bc")

    claims = {"id": "u-42", "traits": {"plan": "pro", "email": "ana@acme.com"}}
    raw = json.dumps(claims, separators=(",", ":"), sort_keys=True).encode()
    token = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    token_signature = hmac.new(
        app.secret.encode(), b"faro-identity-token-v1\n" + token.encode(), hashlib.sha256
    ).hexdigest()
    verified = verify_for_app(app.public_key, token, token_signature)
    assert verified.signed and verified.user_id == "u-42" and verified.email == "ana@acme.com"
