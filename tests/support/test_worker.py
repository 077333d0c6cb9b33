"""A real ``manage.py db_worker`` killed (SIGKILL) mid-delivery, then restarted: the request
still reaches each destination exactly once as the receiver counts it (deduped by delivery id),
and Faro's own record ends "delivered" for every delivery."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from support import actions
from support.models import Delivery
from support.validation import RequestInput

ROOT = Path(__file__).resolve().parents[2]


def start_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_mid_delivery_then_restarted_delivers_exactly_once(
    webhook, receiver, settings, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.FARO_SUPPORT_LEASE_SECONDS = 2
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.support.worker_settings",
        "SUPPORT_TEST_DB": connection.settings_dict["NAME"],
        "SUPPORT_MAIL_DIR": str(tmp_path),
    }
    receiver.hang_seconds = 2.5  # the first POST hangs: the worker is mid-send when killed
    data = RequestInput.parse({"message": "The worker will die", "email": "k@x.test"})
    support_request, _ = actions.create_request(data, actions.Requester(visitors=("kill",)))
    worker = start_worker(env)
    try:
        assert receiver.arrived.wait(25), worker.stderr.read1().decode() if worker.poll() else ""
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(5)
        receiver.hang_seconds = 0
        hook = Delivery.objects.get(request=support_request, kind="webhook")
        assert hook.state == "in_flight"  # the killed worker never recorded an outcome
        worker = start_worker(env)
        finished = wait_for(
            lambda: not Delivery.objects.filter(request=support_request).unfinished().exists(),
            25,
        )
        assert finished, list(Delivery.objects.values_list("kind", "state", "attempts"))
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(10)
        except subprocess.TimeoutExpired:
            worker.kill()
    hook.refresh_from_db()
    assert hook.state == "delivered" and hook.attempts >= 2
    assert receiver.unique() == {str(hook.pk)}
    assert set(Delivery.objects.values_list("state", flat=True)) == {"delivered"}
    # One per destination: the helpdesk webhook (it replaces the support address) + confirmation.
    assert Delivery.objects.filter(request=support_request).count() == 2
    mails = [p.read_text() for p in tmp_path.iterdir()]
    message_ids = {line for m in mails for line in m.splitlines() if line.startswith("Message-ID")}
    assert len(message_ids) == 1  # the confirmation, once by its id
