"""The demo seeding fills the dashboard and can be re-run without duplicating anything."""

import pytest

from insights import demo
from insights.metrics import Period, outcomes
from search.models import SearchQueryLog

pytestmark = pytest.mark.django_db


def test_demo_seed_is_rerunnable(help_centre):
    demo.seed(log=lambda _: None)
    first = SearchQueryLog.objects.count()
    demo.seed(log=lambda _: None)
    assert SearchQueryLog.objects.count() == first > 100
    totals = outcomes(Period.last(28))
    assert totals["search_sessions"] > 100 and totals["helpful"] and totals["support"]
    # Every search session that asked for a person made a request: the panel's "support
    # requests received" can never be fewer than the sessions that asked (issue 19).
    assert totals["support_requests"] >= totals["support"]
