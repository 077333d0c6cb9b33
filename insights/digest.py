"""The weekly email to editors who opted in (``DigestSubscription``): the week's key numbers
and top content gaps, as plain text, from the same metric functions as the dashboard."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from .gaps import backlog
from .metrics import Period, outcomes, zero_result_queries
from .models import DigestSubscription


def digest_text(period: Period) -> str:
    totals = outcomes(period)
    lines = [
        f"Faro Insights, {period.start} to {period.end}"
        + (f" ({period.locale})" if period.locale else ""),
        "",
        f"Searches: {totals['searches']}",
        f"Search sessions: {totals['search_sessions']} (helpful {totals['helpful']}, "
        f"support {totals['support']}, nothing {totals['nothing']})",
        f"Self-service rate: {_pct(totals['self_service_rate'])}",
        f"Deflection rate: {_pct(totals['deflection_rate'])}",
        "",
        "Top content gaps:",
    ]
    lines += [f"- {g.label} ({g.locale}): {g.customers} customers" for g in backlog(period, 5)]
    lines += ["", "Zero-result queries:"]
    lines += [f"- {row[0]} ({row[2]})" for row in zero_result_queries(period, 5).rows]
    lines += ["", f"More: {settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/admin/insights/"]
    return "\n".join(lines)


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value}%"


def send_weekly_digest() -> int:
    """Send to every active, permitted subscriber; returns how many emails went out."""
    sent = 0
    for sub in DigestSubscription.objects.select_related("user"):
        user = sub.user
        if not (user.is_active and user.email and user.has_perm("insights.view_insights")):
            continue
        period = Period.last(7, locale=sub.locale)
        send_mail(
            "Faro Insights: your weekly digest",
            digest_text(period),
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
        sub.last_sent_at = timezone.now()
        sub.save(update_fields=["last_sent_at"])
        sent += 1
    return sent
