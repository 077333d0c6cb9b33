"""Export and erase everything Faro holds about one person (policy: docs/support.md).

A person is found by their account and/or the email address they gave; from their requests come
the visitor hashes that link their journey and their votes. Requests are anonymised, not deleted,
so counts (how many requests, how fast answered, deflection) stay right. Other apps join in by
providing ``<app>.privacy`` with ``export(subject) -> dict`` and ``erase(subject) -> int``
(community does, for posts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.models import JourneyEvent
from core.visitors import salted_digest
from kb.models import ArticleFeedback

from .models import Delivery, SupportMessage, SupportRequest
from .payloads import request_data

OTHER_APPS = ("community", "guidance")


@dataclass
class Subject:
    email: str = ""
    user: object = None
    visitors: set[str] = field(default_factory=set)

    @classmethod
    def find(cls, email: str = "", user=None) -> Subject:
        subject = cls(email=email.strip().lower(), user=user)
        if user is not None and not subject.email:
            subject.email = (user.email or "").lower()
        requests = SupportRequest.objects.of_subject(subject.email, user)
        subject.visitors = {v for v in requests.values_list("visitor", flat=True) if v}
        if user is None:
            users = {r.user for r in requests.select_related("user") if r.user_id}
            subject.user = users.pop() if len(users) == 1 else None
        return subject

    def vote_keys(self) -> set[str]:
        keys = set(self.visitors)
        if self.user is not None:
            keys.add(salted_digest("user", str(self.user.pk)))
        return keys

    def journey(self):
        match = Q(visitor__in=self.visitors)
        if self.user is not None:
            match |= Q(user=self.user)
        return JourneyEvent.objects.filter(match)


def _other_apps(function: str):
    for app in OTHER_APPS:
        if find_spec(app) and find_spec(f"{app}.privacy"):
            handler = getattr(import_module(f"{app}.privacy"), function, None)
            if handler:
                yield app, handler


def export(subject: Subject) -> dict:
    requests = SupportRequest.objects.of_subject(subject.email, subject.user)
    data = {
        "generated_at": timezone.now().isoformat(),
        "email": subject.email,
        "account": (
            {
                "username": subject.user.get_username(),
                "email": subject.user.email,
                "name": subject.user.get_full_name(),
            }
            if subject.user is not None
            else None
        ),
        "support_requests": [
            {
                **{k: v for k, v in request_data(r).items() if k != "admin_url"},
                "messages": [
                    {"kind": m.kind, "at": m.created_at.isoformat(), "body": m.body}
                    for m in r.messages.all()
                ],
            }
            for r in requests.filter(anonymised_at=None)
        ],
        "journey": [
            {"at": e.created_at.isoformat(), "kind": e.kind, "page_url": e.page_url, "data": e.data}
            for e in subject.journey().order_by("created_at")
        ],
        "votes": [
            {
                "article": f.article.title,
                "helpful": f.helpful,
                "reason": f.reason,
                "comment": f.comment,
                "at": f.created_at.isoformat(),
            }
            for f in ArticleFeedback.objects.filter(
                visitor_hash__in=subject.vote_keys()
            ).select_related("article")
        ],
    }
    for app, handler in _other_apps("export"):
        data[app] = handler(subject)
    return data


def anonymise(request: SupportRequest) -> None:
    """Keep the row (for counts) without anything that identifies or was written by the person."""
    if request.attachment:
        request.attachment.delete(save=False)
    SupportRequest.objects.filter(pk=request.pk).update(
        message="",
        email="",
        name="",
        user=None,
        external_id="",
        identity_verified=False,
        verified_fields=[],
        visitor="",
        page_url="",
        journey=[],
        idempotency_key=None,
        attachment="",
        anonymised_at=timezone.now(),
    )
    SupportMessage.objects.filter(request=request).update(body="")
    Delivery.objects.filter(request=request).unfinished().update(state=Delivery.State.CANCELLED)
    Delivery.objects.filter(request=request).update(payload={})
    # The customer's address; support and webhook targets are the team's, not the person's.
    Delivery.objects.filter(request=request, kind=Delivery.Kind.CUSTOMER_EMAIL).update(target="")


def erase(subject: Subject) -> dict[str, int]:
    """Delete the person's journey and votes, anonymise their requests; returns counts."""
    counts: dict[str, int] = {}
    with transaction.atomic():
        counts["journey"] = subject.journey().delete()[0]
        counts["votes"] = ArticleFeedback.objects.filter(
            visitor_hash__in=subject.vote_keys()
        ).delete()[0]
        requests = list(
            SupportRequest.objects.of_subject(subject.email, subject.user).filter(
                anonymised_at=None
            )
        )
        for request in requests:
            anonymise(request)
        counts["support_requests"] = len(requests)
        for app, handler in _other_apps("erase"):
            counts[app] = handler(subject)
    return counts
