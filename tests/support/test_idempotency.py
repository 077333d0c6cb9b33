"""Attacker's tests for idempotency keys: a key replays only its own request, for the same
person and the same payload. Before, the key was checked alone: anyone behind the same network
(or any caller without a visitor id) who sent a known key got the first person's status link."""

from __future__ import annotations

import pytest

from support.models import SupportRequest

pytestmark = pytest.mark.django_db
CREATE = "/api/v1/support/requests"


@pytest.fixture(autouse=True)
def _run_on_commit(monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda fn, using=None, robust=False: fn())


def send(client, key="key-1", **fields):
    body = {"message": "The export button does nothing", "email": "ana@x.test", **fields}
    return client.post(CREATE, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)


def test_the_same_key_and_payload_replays_the_first_request(client):
    first = send(client)
    again = send(client)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["status_url"] == first.json()["status_url"]
    assert SupportRequest.objects.count() == 1


def test_the_same_key_with_another_payload_is_a_409_and_creates_nothing(client):
    assert send(client).status_code == 201
    other = send(client, message="Someone else's question entirely", email="eve@x.test")
    assert other.status_code == 409, other.content
    body = other.json()
    assert "status_url" not in body and "idempotency" in body["error"].lower()
    assert SupportRequest.objects.count() == 1


def test_another_visitor_with_the_same_key_gets_their_own_request(client):
    """Same network, same key, same words: a different snippet visitor is a different person."""
    first = send(client, app_key="", anonymous_id="visitor-ana-123")
    second = send(client, app_key="", anonymous_id="visitor-eve-456")
    assert first.status_code == 201 and second.status_code == 201, second.content
    assert second.json()["status_url"] != first.json()["status_url"]
    assert SupportRequest.objects.count() == 2


def test_a_keyless_caller_on_the_same_network_cannot_fish_for_a_status_link(client):
    """No visitor id at all (a server, curl): the key alone must never return another person's
    request. With a different payload it is refused; nothing leaks."""
    victim = send(client, key="guessable-1")
    attacker = send(client, key="guessable-1", email="eve@x.test", message="give me the link pls")
    assert victim.status_code == 201
    assert attacker.status_code == 409
    assert victim.json()["status_url"] not in attacker.content.decode()


def test_the_help_centre_form_refuses_a_changed_resubmission_with_a_message(client, help_centre):
    form = {"step": "send", "message": "I cannot change my plan at all", "email": "c@x.test",
            "idempotency_key": "form-key-1"}  # fmt: skip
    assert client.post("/en/support/", form).status_code == 303
    assert client.post("/en/support/", form).status_code == 303  # a double click: same request
    changed = client.post("/en/support/", {**form, "message": "Actually, a different problem"})
    assert changed.status_code == 409
    assert b"already sent" in changed.content
    assert b"form-key-1" not in changed.content  # the re-rendered form carries a fresh key
    assert SupportRequest.objects.count() == 1
