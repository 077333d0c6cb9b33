"""Timestamps frozen into a request's journey are ISO strings; agents read them as dates."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils.dateparse import parse_datetime

register = template.Library()


@register.filter
def iso_datetime(value: str) -> datetime | str:
    """``"2026-12-04T13:27:05+00:00"`` → a datetime, so ``|date`` shows it in the site's time zone
    and format (a bad value is shown as it is rather than breaking the page)."""
    try:
        return parse_datetime(str(value)) or value
    except ValueError:
        return value
