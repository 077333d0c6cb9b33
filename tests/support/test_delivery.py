"""Delivery through the outbox to a real local HTTP receiver: signing, retries with backoff,
dead letters and the admin's retry button. Emails go to Django's in-memory mail backend."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.core import mail

from support import actions, outbox
from support.models import Delivery, SupportRequest
from support.validation import RequestInput

pytestmark = pytest.mark.django_db


def make_request(key: str = "") -> SupportRequest:
    data = RequestInput.parse(
        {"message": "My export is stuck", "email": "w@x.test", "idempotency_key": key}
    )
    support_request, _created = actions.create_request(data, actions.Requester(visitors=("v",)))
    return support_request


def drain(until: float = 10.0) -> None:
    """What the worker does: keep sending what is due until nothing is left or time is up."""
    deadline = time.monotonic() + until
    while Delivery.objects.unfinished().exists() and time.monotonic() < deadline:
        outbox.process_due()
        time.sleep(0.05)


def test_the_webhook_is_signed_and_carries_the_request(webhook, receiver):
    support_request = make_request()
    drain()
    delivery = Delivery.objects.get(kind="webhook")
    assert delivery.state == "delivered" and receiver.received == [str(delivery.pk)]
    body = receiver.bodies[str(delivery.pk)]
    assert body["type"] == "support.request.created"
    assert body["request"]["reference"] == support_request.reference
    assert body["request"]["message"] == "My export is stuck"
    assert receiver.bad_signatures == 0


def test_a_failing_receiver_is_retried_with_backoff_until_it_recovers(
    webhook, receiver, fast_retries
):
    receiver.fail_next = 3
    make_request()
    drain()
    delivery = Delivery.objects.get(kind="webhook")
    assert delivery.state == "delivered"
    assert delivery.attempts == 4
    log = list(delivery.attempt_log.values_list("ok", "status_code"))
    assert log == [(False, 503)] * 3 + [(True, 204)]
    assert len(receiver.received) == 1


def test_a_receiver_that_is_down_then_back_gets_it_once(webhook, receiver, fast_retries):
    receiver.stop()
    make_request()
    outbox.process_due()
    delivery = Delivery.objects.get(kind="webhook")
    assert delivery.state == "pending" and "Could not reach" in delivery.last_error
    receiver.start()
    drain()
    delivery.refresh_from_db()
    assert delivery.state == "delivered" and receiver.received == [str(delivery.pk)]


def test_backoff_grows_and_is_jittered():
    import random

    rng = random.Random(1)
    delays = [outbox.backoff(n, rng) for n in range(1, 8)]
    assert all(15 <= delays[0] <= 30 for _ in [0])
    assert delays[6] > delays[0] * 10
    assert len({round(outbox.backoff(3), 3) for _ in range(20)}) > 1


def test_after_the_last_attempt_it_is_a_dead_letter_and_retry_delivers(
    webhook, receiver, fast_retries, admin_client
):
    fast_retries.FARO_SUPPORT_MAX_ATTEMPTS = 2
    receiver.fail_next = 5
    make_request()
    drain()
    delivery = Delivery.objects.get(kind="webhook")
    assert delivery.state == "dead" and delivery.attempts == 2
    listing = admin_client.get("/admin/support/dead-letters/")
    assert str(delivery.pk) in listing.content.decode()
    receiver.fail_next = 0
    response = admin_client.post(f"/admin/support/deliveries/{delivery.pk}/retry/")
    assert response.status_code == 302
    drain()
    delivery.refresh_from_db()
    assert delivery.state == "delivered" and receiver.received == [str(delivery.pk)]


def test_a_zombie_worker_cannot_overwrite_a_newer_claim(webhook, receiver, fast_retries):
    make_request()
    first = outbox.claim_next()
    Delivery.objects.filter(pk=first[0].pk).update(lease_until="2000-01-01T00:00Z")
    second = outbox.claim_next()
    assert second[0].pk == first[0].pk and second[0].claim != first[0].claim
    assert outbox.finish(first[0], first[1], None) == ""  # the old claim lost
    assert outbox.finish(second[0], second[1], None) == "delivered"


def test_support_email_and_confirmation_are_sent_once_with_stable_ids():
    support_request = make_request()
    drain()
    expected = sorted([settings.FARO_SUPPORT_EMAIL, "w@x.test"])
    assert sorted(m.to[0] for m in mail.outbox) == expected
    ids = {m.extra_headers["Message-ID"] for m in mail.outbox}
    assert ids == {f"<{d.pk}@faro>" for d in support_request.deliveries.all()}
    outbox.process_due()
    assert len(mail.outbox) == 2
