"""Secret links: the customer's status page and the privacy (export/delete) page.

The status link's secret is an HMAC of the request's public id, so nothing secret is stored and
the worker can rebuild the link for any email; rotating ``SECRET_KEY`` invalidates old links.
The privacy link is a signed, expiring token naming an email address.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import override

from .models import SupportRequest

PRIVACY_SALT = "support.privacy"
PRIVACY_MAX_AGE = 2 * 86400


def status_token(request: SupportRequest) -> str:
    return salted_hmac("support.status", str(request.public_id)).hexdigest()[:32]


def token_matches(request: SupportRequest, token: str) -> bool:
    return constant_time_compare(status_token(request), token or "")


def absolute(path: str) -> str:
    base = getattr(settings, "FARO_BASE_URL", "") or settings.WAGTAILADMIN_BASE_URL
    return base.rstrip("/") + path


def status_path(request: SupportRequest, locale: str = "") -> str:
    with override(locale or request.locale or settings.LANGUAGE_CODE):
        return reverse("support:status", args=[request.public_id, status_token(request)])


def status_url(request: SupportRequest) -> str:
    return absolute(status_path(request))


def admin_url(request: SupportRequest) -> str:
    return absolute(reverse("support_admin:detail", args=[request.pk]))


def privacy_token(email: str) -> str:
    return signing.dumps({"email": email.lower()}, salt=PRIVACY_SALT)


def privacy_email(token: str) -> str | None:
    """The address a privacy link was sent to, or None when forged or expired."""
    try:
        return signing.loads(token, salt=PRIVACY_SALT, max_age=PRIVACY_MAX_AGE)["email"]
    except (signing.BadSignature, KeyError, TypeError):
        return None


def privacy_url(email: str, locale: str = "") -> str:
    with override(locale or settings.LANGUAGE_CODE):
        return absolute(reverse("support:privacy_manage", args=[privacy_token(email)]))
