"""Every metric's definition on the hand-made log (conftest.py), whose answers are known."""

from __future__ import annotations

import pytest

from insights.aggregate import aggregate_day, aggregate_range
from insights.metrics import (
    Period,
    article_helpfulness,
    frustration_pages,
    no_click_queries,
    outcomes,
    queries_before_support,
    read_before_support,
    stale_articles,
    tips,
    top_queries,
    zero_result_queries,
)
from insights.models import DailyQueryStat, GapSignal

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(handmade, day):
    aggregate_day(day)
    return Period(day, day)


def rows(table):
    return {tuple(r[:2]): r[2:] for r in table.rows}


def test_search_counts_and_normalised_queries(period):
    assert rows(top_queries(period)) == {
        ("refund", "en"): [2, 0, 1],
        ("wire transfer", "en"): [2, 2, 0],
        ("factura", "es"): [1, 0, 1],
    }
    assert rows(zero_result_queries(period)) == {("wire transfer", "en"): [2]}
    assert rows(no_click_queries(period)) == {("refund", "en"): [2, 1], ("factura", "es"): [1, 1]}
    assert rows(queries_before_support(period)) == {
        ("refund", "en"): [1],
        ("wire transfer", "en"): [1],
    }
    refund = DailyQueryStat.objects.get(query="refund")
    assert (refund.clicks, refund.sessions) == (1, 2)


def test_self_service_outcomes(period):
    totals = outcomes(period)
    assert totals["searches"] == 5  # the typeahead row is not a search
    assert totals["search_sessions"] == 5
    assert (totals["helpful"], totals["support"], totals["nothing"]) == (1, 2, 2)
    assert totals["self_service_rate"] == 20.0
    assert (totals["offered"], totals["offered_support"]) == (4, 1)
    assert totals["deflection_rate"] == 75.0


def test_outcomes_by_language(period, day):
    en = outcomes(Period(day, day, locale="en"))
    es = outcomes(Period(day, day, locale="es"))
    assert (en["search_sessions"], en["helpful"], en["support"], en["nothing"]) == (4, 1, 2, 1)
    assert (es["search_sessions"], es["nothing"], es["searches"]) == (1, 1, 1)


def test_empty_period_has_no_rates(period, day):
    from datetime import timedelta

    empty = outcomes(Period(day - timedelta(days=9), day - timedelta(days=8)))
    assert empty["self_service_rate"] is None and empty["deflection_rate"] is None


def test_articles(period):
    (row,) = article_helpfulness(period).rows
    assert row[:6] == ["Change your plan", "en", 10, 2, 1, 66.7]
    assert row[6] == "It solved my problem: 1; Missing information: 1" or row[6] == (
        "Missing information: 1; It solved my problem: 1"
    )
    assert read_before_support(period).rows == [["Change your plan", "en", 1, 10]]


def test_stale_articles(handmade, day):
    from django.utils import timezone

    from kb.models import ArticlePage

    ArticlePage.objects.filter(pk=handmade.public_es.pk).update(source_synced_at=None)
    ArticlePage.objects.filter(pk=handmade.public.pk).update(last_reviewed=timezone.localdate())
    table = stale_articles(Period(day, day))
    whys = {(r[0], r[3]) for r in table.rows}
    assert ("Cambia tu plan", "Translation out of date") in whys
    assert ("Change your plan", "Review due") not in whys  # reviewed today
    ArticlePage.objects.filter(pk=handmade.public_es.pk).update(source_synced_at=timezone.now())
    whys = {(r[0], r[3]) for r in stale_articles(Period(day, day)).rows}
    assert ("Cambia tu plan", "Translation out of date") not in whys


def test_tips_and_frustration(period):
    (tip,) = tips(period).rows
    # name, page, shown, clicked, dismissed, completed, viewers, later asked, %
    assert tip[1] == "app.example/settings"  # no query string kept
    assert tip[2:] == [2, 1, 1, 0, 2, 1, 50.0]
    (page,) = frustration_pages(period).rows
    assert page[0] == "app.example/sync"
    assert page[1] == 3  # the "offer" event is not a frustration signal
    assert page[2] == "js_error: 1, rage_click: 1, repeat_search: 1"
    assert page[3:] == [2, 1, 50.0]


def test_gap_signals(period):
    got = {(s.kind, s.locale, s.text): (s.count, s.customers) for s in GapSignal.objects.all()}
    assert got == {
        ("zero_results", "en", "wire transfer"): (2, 2),
        ("no_click", "en", "refund"): (1, 1),
        ("no_click", "es", "factura"): (1, 1),
        ("support_nothing", "en", "wire transfer"): (1, 1),
        ("not_helpful", "en", "change your plan"): (1, 1),
    }


def test_aggregation_is_idempotent(handmade, day):
    aggregate_range(day, day, embed=False)
    first = sorted(DailyQueryStat.objects.values_list("query", "searches"))
    aggregate_range(day, day, embed=False)
    assert sorted(DailyQueryStat.objects.values_list("query", "searches")) == first


def test_contact_form_deflection(handmade, day):
    from datetime import datetime, time

    from django.utils import timezone

    from support.models import Deflection

    at = timezone.make_aware(datetime.combine(day, time(9)))
    for outcome in ("resolved", "resolved", "resolved", "sent", "offered"):
        Deflection.objects.create(locale="en", outcome=outcome, created_at=at)
    aggregate_day(day)
    totals = outcomes(Period(day, day))
    assert (totals["deflection_offered"], totals["deflection_resolved"]) == (5, 3)
    assert totals["form_deflection_rate"] == 75.0
