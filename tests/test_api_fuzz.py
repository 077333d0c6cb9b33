"""Schemathesis over the whole published OpenAPI schema (/api/v1/schema/), through the real
Django WSGI app on the real database: no 500s, every status code documented, every answer shaped
as the schema says. Bounded for CI (a few examples per operation); benchmarks/api_fuzz.py runs
the nightly-sized version and prints its figures."""

from __future__ import annotations

import json
import os
import time
from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from community.actions import Actor, ask_question
from guidance.models import GuidedApp
from tests.community.conftest import established, make_community

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
# Per operation; benchmarks/api_fuzz.py raises it and collects the figures (FARO_FUZZ_REPORT).
EXAMPLES = int(os.environ.get("FARO_FUZZ_EXAMPLES", "8"))
UNLIMITED = "100000/minute"
ORIGIN = "https://app.acme.test"


def steer(case, known: dict, example: int) -> None:
    """Every other example uses a real app key (with its origin) and a real thread id, so the
    fuzzer also gets past "unknown key" and "no such thread" into the code behind them."""
    if example % 2:
        return
    if isinstance(case.query, dict) and "key" in case.query:
        case.query["key"] = known["key"]
    if isinstance(case.body, dict) and "key" in case.body:
        case.body["key"] = known["key"]
    if isinstance(case.path_parameters, dict) and "id" in case.path_parameters:
        case.path_parameters["id"] = known["thread"]
    case.headers = {**(case.headers or {}), "Origin": ORIGIN}


def fuzz(operation, known: dict, statuses: Counter, failures: list[str]) -> None:
    """Up to ``EXAMPLES`` generated requests against one operation; a failing check is kept
    (with the request that caused it) and the next example runs, so one run shows them all."""
    label = f"{operation.method.upper()} {operation.path}"
    seen: set[str] = set()
    examples = iter(range(10**9))

    @given(case=operation.as_strategy())
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:
        steer(case, known, next(examples))
        response = case.call()
        statuses[(label, response.status_code)] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as failure:  # schemathesis groups its failures
            lines = [line.strip() for line in str(failure).splitlines() if line.strip()]
            if lines and lines[0] not in seen:
                seen.add(lines[0])
                details = " | ".join(lines[1:6])[:500]
                failures.append(f"{label} → {response.status_code}: {details}\n"
                                f"    {case.as_curl_command()}"[:900])  # fmt: skip

    run()


@pytest.fixture
def wsgi_app():
    """The project's WSGI app, minus closing the connection after each request (as Django's
    test client does): the test's data lives in one transaction on that connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_the_api_never_answers_500_and_matches_its_schema(help_centre, locales, settings, wsgi_app):
    """Every operation in the schema, over an indexed help centre and a guidance app; rate
    limits are raised so that the fuzzer meets the endpoints, not their 429."""
    settings.FARO_SEARCH_RATE = settings.FARO_SUGGEST_RATE = UNLIMITED
    settings.FARO_SUPPORT_RATE = UNLIMITED
    settings.FARO_GUIDANCE_RATES = {"page": UNLIMITED, "events": UNLIMITED, "search": UNLIMITED}
    app = GuidedApp.objects.create(name="Acme", allowed_origins=ORIGIN)
    community = make_community(help_centre, locales)
    thread = ask_question(
        community.en,
        Actor(user=established("mia"), ip_hash="net"),
        "How do I export timesheets to CSV?",
        "I need last month's hours in a spreadsheet for payroll.",
        ["export"],
    )
    known = {"key": app.public_key, "thread": thread.pk}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_app)
    statuses: Counter = Counter()
    failures: list[str] = []
    started = time.perf_counter()
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        fuzz(operation, known, statuses, failures)
    report(statuses, time.perf_counter() - started, len(failures))
    assert len(operations) >= 15
    assert not failures, "\n".join(failures)


def report(statuses: Counter, seconds: float, failures: int) -> None:
    """With ``FARO_FUZZ_REPORT`` set, write how many calls answered what, per operation."""
    path = os.environ.get("FARO_FUZZ_REPORT")
    if not path:
        return
    calls = [{"operation": op, "status": code, "count": n} for (op, code), n in statuses.items()]
    summary = {"seconds": seconds, "examples": EXAMPLES, "calls": calls, "failures": failures}
    with open(path, "w", encoding="utf-8") as out:
        json.dump(summary, out)
