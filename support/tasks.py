"""Background triggers for the outbox (django-tasks; ``manage.py db_worker`` runs them).

The outbox rows are the truth; tasks only wake a worker. A django-tasks task whose worker was
killed stays "running" forever, so before touching any delivery a task makes sure a later sweep
is queued (``ensure_sweep``): if this worker dies mid-send, that sweep picks the row up once its
lease expires. With a backend that cannot defer (tests' immediate backend) nothing is scheduled:
tests call ``outbox.process_due`` as a worker would.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task

from . import outbox
from .models import Delivery


def ensure_sweep(at=None) -> None:
    """Queue one sweep at ``at`` (default: just after a lease could expire) unless one is
    already queued no later. The clock row and the task row commit together."""
    if not default_task_backend.supports_defer:
        return
    now = timezone.now()
    at = max(at or now, now + timedelta(seconds=1))
    with transaction.atomic():
        if outbox.reserve_sweep(at):
            sweep.using(run_after=at).enqueue()


def watchdog_time():
    return timezone.now() + timedelta(seconds=outbox.option("FARO_SUPPORT_LEASE_SECONDS") + 1)


def reschedule() -> None:
    when = outbox.next_due_at()
    if when is not None:
        ensure_sweep(when)


@task()
def deliver(request_id: int) -> int:
    """Send a new request's deliveries now (enqueued when the request is committed)."""
    ensure_sweep(watchdog_time())
    ids = list(Delivery.objects.filter(request_id=request_id).values_list("pk", flat=True))
    sent = outbox.process_due(only=ids)
    reschedule()
    return sent


@task()
def deliver_one(delivery_id: str) -> int:
    """Send one delivery now (an agent's reply, a retried dead letter, a privacy link)."""
    ensure_sweep(watchdog_time())
    sent = outbox.process_due(only=[delivery_id])
    reschedule()
    return sent


@task()
def sweep() -> int:
    """Everything due: retries whose time came, and rows whose worker died (lease expired)."""
    outbox.release_sweep(timezone.now())
    if Delivery.objects.unfinished().exists():  # idle sweeps end the chain
        ensure_sweep(watchdog_time())
    sent = outbox.process_due(limit=500)
    reschedule()
    return sent


def kick_request(request_id: int) -> None:
    transaction.on_commit(lambda: deliver.enqueue(request_id))


def kick_delivery(delivery_id) -> None:
    transaction.on_commit(lambda: deliver_one.enqueue(str(delivery_id)))
