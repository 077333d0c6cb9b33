"""Targeting as pure functions: does a tip match this page view, and why (or why not)?

Kept free of the ORM so every rule is cheap to test and to run for a thousand tips per request.
Each check returns a short human reason; the page API returns them with the tip, so an editor (or
a developer in the browser console) sees *why* a tip was shown.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

RULE_OPERATORS = (
    "=",
    "!=",
    ">",
    ">=",
    "<",
    "<=",
    "in",
    "not_in",
    "exists",
    "within_days",
    "older_than_days",
)
_RULE = re.compile(
    r"^\s*(?P<trait>[A-Za-z_][\w.-]{0,49})\s*"
    r"(?P<op>!=|>=|<=|=|>|<|not_in|in|exists|within_days|older_than_days)\s*(?P<value>.*?)\s*$"
)


@dataclass(frozen=True)
class Rule:
    trait: str
    op: str
    value: str

    def __str__(self) -> str:
        return f"{self.trait} {self.op} {self.value}".strip()


@dataclass
class Visitor:
    """What the host told us about the person on the page. ``signed`` traits were verified with
    the app secret; unsigned ones may have been typed into the console by anyone."""

    path: str
    locale: str
    traits: dict[str, Any] = field(default_factory=dict)
    signed: bool = False
    user_id: str = ""


def parse_rules(text: str) -> list[Rule]:
    """One rule per line (``plan = pro``, ``role in admin,owner``, ``signup_date within_days
    14``); raises ``ValueError`` naming the bad line so the admin form can show it."""
    rules = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _RULE.match(line)
        if not match or (match["op"] != "exists" and not match["value"]):
            raise ValueError(f"Line {number}: expected 'trait operator value', got {line!r}.")
        rule = Rule(match["trait"], match["op"], match["value"])
        if rule.op in ("within_days", "older_than_days") and not rule.value.isdigit():
            raise ValueError(f"Line {number}: {rule.op} needs a number of days.")
        rules.append(rule)
    return rules


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _as_date(value: Any) -> date | None:
    if isinstance(value, (int, float)):  # a Unix timestamp, as JavaScript hosts often send
        return datetime.fromtimestamp(value / 1000 if value > 1e11 else value).date()
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
    except ValueError:
        return None


def rule_matches(rule: Rule, traits: dict[str, Any], today: date) -> bool:
    if rule.op == "exists":
        return traits.get(rule.trait) not in (None, "")
    if rule.trait not in traits:
        return False
    actual = traits[rule.trait]
    if rule.op in ("in", "not_in"):
        options = {v.strip().lower() for v in rule.value.split(",")}
        found = str(actual).lower() in options
        return found if rule.op == "in" else not found
    if rule.op in ("within_days", "older_than_days"):
        when = _as_date(actual)
        if when is None:
            return False
        age = (today - when).days
        return age <= int(rule.value) if rule.op == "within_days" else age > int(rule.value)
    if rule.op in ("=", "!="):
        equal = str(actual).lower() == rule.value.lower()
        if isinstance(actual, bool):
            equal = str(actual).lower() == rule.value.lower() or (
                rule.value.lower() in ("1", "yes") and actual
            )
        return equal if rule.op == "=" else not equal
    left, right = _number(actual), _number(rule.value)
    if left is None or right is None:
        return False
    return {">": left > right, ">=": left >= right, "<": left < right, "<=": left <= right}[rule.op]


def url_match(patterns: str, path: str) -> str | None:
    """The first pattern (glob on the path, query string ignored) that matches, ``"*"`` when
    there are none (every page), or ``None``."""
    lines = [p.strip() for p in (patterns or "").splitlines() if p.strip()]
    if not lines:
        return "*"
    clean = (path or "/").split("?")[0].split("#")[0] or "/"
    for pattern in lines:
        if fnmatch.fnmatchcase(clean, pattern) or fnmatch.fnmatchcase(
            clean.rstrip("/") or "/", pattern.rstrip("/") or "/"
        ):
            return pattern
    return None


def match_tip(tip: Any, visitor: Visitor, now: datetime) -> list[str] | None:
    """Reasons the tip matches this visitor, or ``None``. ``tip`` is a ``Tip`` (or anything with
    its fields); locale and schedule are checked again here so this function alone is the
    definition of "matches" (the QuerySet only narrows the candidates)."""
    reasons: list[str] = []
    if tip.locale and tip.locale != visitor.locale:
        return None
    reasons.append(f"locale {tip.locale}" if tip.locale else "any locale")
    if (tip.show_from and tip.show_from > now) or (tip.show_until and tip.show_until <= now):
        return None
    if tip.show_from or tip.show_until:
        reasons.append("within its schedule")
    pattern = url_match(tip.url_patterns, visitor.path)
    if pattern is None:
        return None
    reasons.append("every page" if pattern == "*" else f"URL matches {pattern}")
    rules = getattr(tip, "parsed_rules", None)
    rules = parse_rules(tip.audience_rules) if rules is None else rules
    if rules:
        if tip.restricted and not visitor.signed:
            return None
        today = now.date()
        for rule in rules:
            if not rule_matches(rule, visitor.traits, today):
                return None
        kind = "signed" if visitor.signed else "unsigned"
        reasons.append(f"{kind} traits: " + "; ".join(str(r) for r in rules))
    elif tip.restricted and not visitor.signed:
        return None
    if tip.selector:
        reasons.append(f"waits for {tip.selector}")
    return reasons
