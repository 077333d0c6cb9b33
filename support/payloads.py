"""What each delivery carries, built once when it is queued (then frozen in the row).

The webhook body is documented in docs/support.md; emails are plain text rendered from
``frontend/templates/support/email/``, in the customer's language when they are for the customer.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import override

from . import journey, links
from .models import SupportMessage, SupportRequest

WEBHOOK_VERSION = 1


def attachment_data(request: SupportRequest) -> dict | None:
    if not request.attachment:
        return None
    return {
        "name": request.attachment.name.rsplit("/", 1)[-1],
        "content_type": request.attachment_type,
        "size": request.attachment.size
        if request.attachment.storage.exists(request.attachment.name)
        else None,
    }


def request_data(request: SupportRequest) -> dict:
    """The request as helpdesks and exports see it."""
    return {
        "reference": request.reference,
        "public_id": str(request.public_id),
        "status": request.status,
        "created_at": request.created_at.isoformat(),
        "message": request.message,
        "email": request.email,
        "name": request.name,
        "locale": request.locale,
        "channel": request.channel,
        "entry_point": request.entry_point,
        "page_url": request.page_url,
        "user": (
            {"id": request.user_id, "username": request.user.get_username()}
            if request.user_id
            else None
        ),
        "identity": (
            {
                "external_id": request.external_id,
                "verified": request.identity_verified,
                "verified_fields": request.verified_fields,
            }
            if request.external_id
            else None
        ),
        "consented": request.consented,
        "removed_parts": request.removed_parts,
        "journey": request.journey,
        "articles_read": journey.articles_read(request.journey),
        "attachment": attachment_data(request),
        "admin_url": links.admin_url(request),
    }


def webhook(request: SupportRequest, delivery_id: str) -> dict:
    return {
        "id": delivery_id,
        "type": "support.request.created",
        "version": WEBHOOK_VERSION,
        "request": request_data(request),
    }


def _timeline(request: SupportRequest) -> list[dict]:
    return [
        {**event, "text": journey.describe(event), "label": journey.part_of(event["kind"])}
        for event in request.journey
    ]


def support_email(request: SupportRequest) -> dict:
    """To the support address; Reply-To is the customer, so replying from a mail client works."""
    context = {
        "request": request,
        "timeline": _timeline(request),
        "articles": journey.articles_read(request.journey),
        "admin_url": links.admin_url(request),
    }
    with override(settings.LANGUAGE_CODE):
        subject = f"[{request.reference}] {request.message.splitlines()[0][:80]}"
        body = render_to_string("support/email/new_request.txt", context)
    return {"subject": subject, "body": body, "reply_to": request.email, "attach": True}


def confirmation_email(request: SupportRequest) -> dict:
    with override(request.locale or settings.LANGUAGE_CODE):
        subject = _("We received your request %(ref)s") % {"ref": request.reference}
        body = render_to_string(
            "support/email/confirmation.txt",
            {"request": request, "status_url": links.status_url(request)},
        )
    return {"subject": subject, "body": body}


def reply_email(request: SupportRequest, message: SupportMessage) -> dict:
    with override(request.locale or settings.LANGUAGE_CODE):
        subject = _("Re: your request %(ref)s") % {"ref": request.reference}
        body = render_to_string(
            "support/email/reply.txt",
            {"request": request, "message": message, "status_url": links.status_url(request)},
        )
    return {"subject": subject, "body": body}


def privacy_email(email: str, locale: str) -> dict:
    with override(locale or settings.LANGUAGE_CODE):
        subject = _("Your data at %(site)s") % {"site": settings.WAGTAIL_SITE_NAME}
        body = render_to_string(
            "support/email/privacy.txt", {"url": links.privacy_url(email, locale)}
        )
    return {"subject": subject, "body": body}
