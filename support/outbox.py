"""The outbox: claim a delivery, send it, record the attempt, retry with backoff, or give up.

Exactly once per destination, with workers that may die at any moment:

- every delivery is a row written with the request, in the same transaction;
- a worker claims one row with ``SELECT … FOR UPDATE SKIP LOCKED`` and a lease (``claim`` +
  ``lease_until``), commits, and only then talks to the network, so no lock is held during I/O;
- success or failure is written only if the claim is still ours (a worker that outlived its lease
  cannot overwrite a newer attempt);
- a worker killed mid-send leaves the row ``in_flight``; once the lease runs out the row is due
  again and is re-sent with the same delivery id, which receivers dedupe on.

Tasks (``support/tasks.py``) only trigger this; a sweep re-scheduled before each batch makes sure
something comes back for rows left behind.
"""

from __future__ import annotations

import logging
import random
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Delivery, DeliveryAttempt, OutboxClock
from .senders import SendError, send

logger = logging.getLogger(__name__)

DEFAULTS = {
    "FARO_SUPPORT_RETRY_BASE_SECONDS": 30.0,
    "FARO_SUPPORT_RETRY_MAX_SECONDS": 3600.0,
    "FARO_SUPPORT_MAX_ATTEMPTS": 12,  # ≈ 3 h or more of retries: survives an hour-long outage
    "FARO_SUPPORT_LEASE_SECONDS": 60.0,  # longer than the HTTP timeout
}


def option(name: str) -> float:
    return getattr(settings, name, DEFAULTS[name])


def backoff(attempts: int, rng: random.Random | None = None) -> float:
    """Exponential with "equal jitter": half the delay is fixed, half random, so a receiver
    coming back up is not hit by every waiting delivery at the same instant."""
    base, cap = option("FARO_SUPPORT_RETRY_BASE_SECONDS"), option("FARO_SUPPORT_RETRY_MAX_SECONDS")
    delay = min(cap, base * 2 ** max(0, attempts - 1))
    return delay / 2 + (rng or random).uniform(0, delay / 2)


def claim_next(only: list | None = None) -> tuple[Delivery, DeliveryAttempt] | None:
    """Claim one due delivery (optionally among ``only`` ids) and log the attempt's start."""
    now = timezone.now()
    lease = timedelta(seconds=option("FARO_SUPPORT_LEASE_SECONDS"))
    with transaction.atomic():
        due = Delivery.objects.due(now).order_by("next_attempt_at")
        if only is not None:
            due = due.filter(pk__in=only)
        delivery = due.select_for_update(skip_locked=True).first()
        if delivery is None:
            return None
        delivery.state = Delivery.State.IN_FLIGHT
        delivery.claim = uuid.uuid4()
        delivery.lease_until = now + lease
        delivery.attempts += 1
        delivery.save(update_fields=["state", "claim", "lease_until", "attempts"])
        attempt = DeliveryAttempt.objects.create(
            delivery=delivery, number=delivery.attempts, started_at=now
        )
    return delivery, attempt


def finish(delivery: Delivery, attempt: DeliveryAttempt, error: SendError | None) -> str:
    """Record the outcome if our claim still holds; returns the delivery's new state."""
    now = timezone.now()
    attempt.finished_at = now
    attempt.ok = error is None
    attempt.status_code = error.status if error else getattr(delivery, "_status", None)
    attempt.error = str(error)[:500] if error else ""
    attempt.save()
    if error is None:
        fields = {"state": Delivery.State.DELIVERED, "delivered_at": now, "last_error": ""}
    elif delivery.attempts >= option("FARO_SUPPORT_MAX_ATTEMPTS") or error.permanent:
        fields = {"state": Delivery.State.DEAD, "last_error": str(error)[:500]}
    else:
        fields = {
            "state": Delivery.State.PENDING,
            "next_attempt_at": now + timedelta(seconds=backoff(delivery.attempts)),
            "last_error": str(error)[:500],
        }
    updated = Delivery.objects.filter(pk=delivery.pk, claim=delivery.claim).update(
        lease_until=None, **fields
    )
    if not updated:
        logger.warning("Delivery %s: lease lost before the outcome was saved", delivery.pk)
        return ""
    if fields["state"] == Delivery.State.DEAD:
        logger.warning(
            "Delivery %s is a dead letter after %s attempts", delivery.pk, delivery.attempts
        )
    return fields["state"]


def process_one(only: list | None = None) -> str | None:
    """Claim, send and finish one delivery; ``None`` when nothing is due."""
    claimed = claim_next(only)
    if claimed is None:
        return None
    delivery, attempt = claimed
    try:
        delivery._status = send(delivery)
        error = None
    except SendError as failure:
        error = failure
    except Exception as unexpected:  # a bug or a broken backend must not lose the row
        logger.exception("Delivery %s failed unexpectedly", delivery.pk)
        error = SendError(f"{type(unexpected).__name__}: {unexpected}")
    return finish(delivery, attempt, error)


def process_due(limit: int = 100, only: list | None = None) -> int:
    """Send up to ``limit`` due deliveries; returns how many were attempted."""
    done = 0
    while done < limit and process_one(only) is not None:
        done += 1
    return done


def next_due_at():
    """When the next unfinished delivery becomes due (its retry time or its lease's end)."""
    times = []
    pending = Delivery.objects.filter(state=Delivery.State.PENDING).order_by("next_attempt_at")
    first = pending.values_list("next_attempt_at", flat=True).first()
    if first:
        times.append(first)
    flying = Delivery.objects.filter(state=Delivery.State.IN_FLIGHT).order_by("lease_until")
    lease = flying.values_list("lease_until", flat=True).first()
    if lease:
        times.append(lease)
    return min(times) if times else None


def reserve_sweep(at) -> bool:
    """Note that a sweep will run at ``at`` unless one already runs no later; True when the
    caller must enqueue it. Called inside the caller's transaction (row lock on the clock)."""
    clock, _ = OutboxClock.objects.select_for_update().get_or_create(pk=1)
    if clock.next_sweep_at is not None and clock.next_sweep_at <= at:
        return False
    clock.next_sweep_at = at
    clock.save(update_fields=["next_sweep_at"])
    return True


def release_sweep(now) -> None:
    """A sweep that starts clears the clock it was scheduled under."""
    OutboxClock.objects.filter(pk=1, next_sweep_at__lte=now).update(next_sweep_at=None)


def retry(delivery: Delivery) -> None:
    """An agent's "retry" on a dead letter: a fresh series of attempts, same delivery id."""
    Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.DEAD).update(
        state=Delivery.State.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
