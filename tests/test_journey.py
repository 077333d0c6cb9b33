"""The journey is written only with consent and is keyed by a salted visitor hash."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.signing import get_cookie_signer
from django.test import RequestFactory
from django.utils import timezone

from core import journey
from core.consent import CONSENT_COOKIE, GRANTED
from core.models import JourneyEvent
from core.visitors import VISITOR_COOKIE

pytestmark = pytest.mark.django_db


def _request(consent: str = "", cookie: str = "abc") -> object:
    factory = RequestFactory()
    request = factory.get("/en/help/")
    request.user = AnonymousUser()
    if consent:
        request.COOKIES[CONSENT_COOKIE] = consent
    if cookie:
        # As HttpResponse.set_signed_cookie signs it: the salt is the cookie name + salt.
        signer = get_cookie_signer(salt=VISITOR_COOKIE + VISITOR_COOKIE)
        request.COOKIES[VISITOR_COOKIE] = signer.sign(cookie)
    return request


def test_without_consent_nothing_is_recorded() -> None:
    assert journey.record(_request(), "search", {"q": "refund"}) is None
    assert journey.record(_request("denied"), "search", {"q": "refund"}) is None
    assert not JourneyEvent.objects.exists()


def test_with_consent_the_step_is_kept_under_a_hash_not_the_cookie() -> None:
    event = journey.record(_request(GRANTED), "search", {"q": "refund"})
    assert event is not None and event.data == {"q": "refund"}
    assert event.visitor and "abc" not in event.visitor
    assert list(journey.events_of(visitor=event.visitor)) == [event]


def test_unknown_kinds_and_oversized_payloads_are_refused_or_cut() -> None:
    assert journey.record_for_visitor("v", "made_up", {}, consented=True) is None
    event = journey.record_for_visitor("v", "frustration", {"note": "x" * 5000}, consented=True)
    assert len(event.data["note"]) == journey.TEXT_MAX


def test_purge_removes_only_expired_events(settings) -> None:
    settings.FARO_JOURNEY_RETENTION_DAYS = 30
    old = journey.record_for_visitor("v", "search", {}, consented=True)
    JourneyEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    fresh = journey.record_for_visitor("v", "search", {}, consented=True)
    assert journey.purge_expired() == 1
    assert list(JourneyEvent.objects.values_list("pk", flat=True)) == [fresh.pk]
