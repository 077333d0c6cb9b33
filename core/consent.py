"""Consent to remember a visitor's journey.

Faro keeps nothing about what an anonymous visitor did (searches, pages, tips seen) beyond
anonymous counts unless they said yes. The help centre asks once with a small banner and stores
the answer in a first-party cookie; an embedding product may declare consent for its users (its
own consent banner already asked) and the snippet passes that on with each batch of events.
An operator whose privacy policy covers it can set ``FARO_ASSUME_CONSENT``.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse

CONSENT_COOKIE = "faro_consent"
GRANTED = "granted"
DENIED = "denied"
CONSENT_MAX_AGE = 180 * 86400


def consent_state(request: HttpRequest) -> str:
    """``granted``, ``denied`` or ``""`` (not asked yet)."""
    value = request.COOKIES.get(CONSENT_COOKIE, "")
    return value if value in {GRANTED, DENIED} else ""


def has_consent(request: HttpRequest) -> bool:
    if getattr(settings, "FARO_ASSUME_CONSENT", False):
        return True
    return consent_state(request) == GRANTED


def set_consent(response: HttpResponse, granted: bool) -> None:
    response.set_cookie(
        CONSENT_COOKIE,
        GRANTED if granted else DENIED,
        max_age=CONSENT_MAX_AGE,
        samesite="Lax",
        secure=not settings.DEBUG and getattr(settings, "SESSION_COOKIE_SECURE", False),
    )
