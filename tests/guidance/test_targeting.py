"""Targeting rules as pure functions: URL, traits, locale, schedule, restricted audiences."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from guidance.targeting import Visitor, match_tip, parse_rules, rule_matches, url_match

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)


def tip(**over) -> SimpleNamespace:
    fields = dict(
        locale="",
        show_from=None,
        show_until=None,
        url_patterns="",
        audience_rules="",
        restricted=False,
        selector="",
    )
    return SimpleNamespace(**{**fields, **over})


@pytest.mark.parametrize(
    ("patterns", "path", "expected"),
    [
        ("", "/anything", "*"),
        ("/billing/*", "/billing/invoices", "/billing/*"),
        ("/billing/*", "/billing/", "/billing/*"),
        ("/billing/*", "/settings/billing", None),
        ("/reports/", "/reports", "/reports/"),
        ("/a\n/projects/*/tasks", "/projects/42/tasks?tab=1#x", "/projects/*/tasks"),
        ("/", "/dashboard", None),
    ],
)
def test_url_patterns(patterns, path, expected):
    assert url_match(patterns, path) == expected


def test_rules_parse_and_reject_nonsense():
    rules = parse_rules("plan = pro\nrole in admin, owner\n# comment\nsignup_date within_days 14")
    assert [(r.trait, r.op, r.value) for r in rules] == [
        ("plan", "=", "pro"),
        ("role", "in", "admin, owner"),
        ("signup_date", "within_days", "14"),
    ]
    with pytest.raises(ValueError, match="Line 1"):
        parse_rules("plan pro")
    with pytest.raises(ValueError, match="number of days"):
        parse_rules("signup within_days soon")


@pytest.mark.parametrize(
    ("rule", "traits", "expected"),
    [
        ("plan = pro", {"plan": "Pro"}, True),
        ("plan = pro", {"plan": "free"}, False),
        ("plan = pro", {}, False),
        ("plan != pro", {"plan": "free"}, True),
        ("role in admin,owner", {"role": "owner"}, True),
        ("role not_in admin,owner", {"role": "owner"}, False),
        ("seats >= 10", {"seats": 12}, True),
        ("seats < 10", {"seats": "12"}, False),
        ("seats > 1", {"seats": "many"}, False),
        ("beta exists", {"beta": True}, True),
        ("beta exists", {"beta": ""}, False),
        ("signup_date within_days 14", {"signup_date": "2025-05-25"}, True),
        ("signup_date within_days 14", {"signup_date": "2025-04-01"}, False),
        ("signup_date older_than_days 30", {"signup_date": "2025-04-01T10:00:00Z"}, True),
        ("signup_date within_days 14", {"signup_date": 1748000000}, True),  # 2025-05-23
        ("signup_date within_days 14", {"signup_date": "not a date"}, False),
    ],
)
def test_rule_operators(rule, traits, expected):
    assert rule_matches(parse_rules(rule)[0], traits, NOW.date()) is expected


def test_locale_and_schedule():
    en = Visitor("/", "en")
    assert match_tip(tip(locale="es"), en, NOW) is None
    assert "locale en" in match_tip(tip(locale="en"), en, NOW)
    assert match_tip(tip(show_from=NOW + timedelta(minutes=1)), en, NOW) is None
    assert match_tip(tip(show_until=NOW), en, NOW) is None
    reasons = match_tip(
        tip(show_from=NOW - timedelta(days=1), show_until=NOW + timedelta(1)), en, NOW
    )
    assert "within its schedule" in reasons


def test_unsigned_traits_never_unlock_restricted_tips():
    restricted = tip(audience_rules="plan = pro", restricted=True)
    assert match_tip(restricted, Visitor("/", "en", {"plan": "pro"}, signed=False), NOW) is None
    why = match_tip(restricted, Visitor("/", "en", {"plan": "pro"}, signed=True), NOW)
    assert "signed traits: plan = pro" in why
    # Without rules, "restricted" still means "signed-in users the host vouches for".
    assert match_tip(tip(restricted=True), Visitor("/", "en"), NOW) is None
    # An unrestricted tip may use unsigned traits (nothing secret behind it).
    open_tip = tip(audience_rules="plan = free")
    assert "unsigned traits: plan = free" in match_tip(
        open_tip, Visitor("/", "en", {"plan": "free"}), NOW
    )


def test_why_explains_url_and_selector():
    why = match_tip(
        tip(url_patterns="/billing/*", selector="#pay"), Visitor("/billing/x", "en"), NOW
    )
    assert why == ["any locale", "URL matches /billing/*", "waits for #pay"]
