"""Demo support requests with journeys, so the inbox has something to show (safe to re-run)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from core.models import JourneyEvent

from . import actions
from .models import SupportRequest
from .validation import RequestInput

DEMO = [
    (
        "demo-1",
        "I changed my plan but the invoice still shows the old price.",
        [
            ("search", {"q": "invoice old price", "results": 2}),
            ("search_click", {"title": "Change your plan", "url": "/en/billing/change-plan/"}),
            ("article_view", {"title": "Change your plan", "url": "/en/billing/change-plan/"}),
            ("feedback", {"title": "Change your plan", "helpful": False, "reason": "incomplete"}),
        ],
    ),
    (
        "demo-2",
        "The webhook secret rotation does not seem to work for our staging app.",
        [
            ("search", {"q": "rotate webhook secret staging", "results": 0}),
            ("tip_shown", {"title": "Webhooks live under Settings > Integrations"}),
            ("product_page", {"url": "https://app.plano.example/settings/integrations"}),
        ],
    ),
]


def grant_agents() -> None:
    """Support agents may work the inbox (see support/admin_views.py)."""
    group, _ = Group.objects.get_or_create(name="Support agents")
    for codename in ("view_supportrequest", "change_supportrequest"):
        group.permissions.add(Permission.objects.get(codename=codename))


def seed(log) -> None:
    grant_agents()
    customer = get_user_model().objects.filter(username="customer").first()
    for index, (visitor, message, steps) in enumerate(DEMO):
        if SupportRequest.objects.filter(visitor=f"demo-visitor-{visitor}").exists():
            continue
        start = timezone.now() - timedelta(hours=2 + index)
        for offset, (kind, data) in enumerate(steps):
            JourneyEvent.objects.create(
                created_at=start + timedelta(minutes=offset * 3),
                visitor=f"demo-visitor-{visitor}",
                kind=kind,
                data=data,
                locale="en",
            )
        data = RequestInput.parse(
            {"message": message, "email": "customer@faro.example", "locale": "en",
             "entry_point": "feedback" if index == 0 else "launcher"},
            email_required=False,
        )  # fmt: skip
        actions.create_request(
            data,
            actions.Requester(
                user=customer if index == 0 else None,
                visitors=(f"demo-visitor-{visitor}",),
                consented=True,
            ),
        )
    log("Support: demo requests in the inbox at /admin/support/ (log in as agent / faro-demo).")
