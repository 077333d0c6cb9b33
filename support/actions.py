"""Named write operations for support. Views and the API validate input and call these.

``create_request(data, requester)`` is the one way a request is made (help-centre form, snippet
API, demo): it stores the request, its journey snapshot and every outgoing delivery in one
transaction, and only after the commit wakes a worker. A repeated ``idempotency_key`` from the
same requester with the same content returns the first request instead of making a second one;
with other content it is refused (``IdempotencyConflict``).
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from core import http
from core import journey as core_journey
from core.consent import has_consent
from core.models import JourneyEvent
from core.visitors import ip_hash
from hosts.identity import Identity

from . import journey, payloads, tasks
from .models import Deflection, Delivery, Destination, SupportMessage, SupportRequest
from .validation import RequestError, RequestInput

__all__ = ["IdempotencyConflict", "RequestError", "RequestInput", "Requester", "create_request"]

DEFAULT_RATE = "10/hour"
NETWORK_FACTOR = 5
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read over the phone


RateLimited = http.RateLimited  # raised by the rate checks (core.http, shared by every app)


@dataclass(frozen=True)
class Requester:
    """Who is asking, as far as Faro knows: an account, journey visitor hashes (help-centre
    cookie and/or the snippet's ``snippet_visitor(app_key, anon_id)``), a signed identity."""

    user: object = None
    visitors: tuple[str, ...] = ()
    consented: bool = False
    channel: str = "help_centre"
    app_key: str = ""
    identity: Identity = field(default_factory=Identity)
    network: str = ""

    def scope(self) -> str:
        """What an idempotency key is scoped to, so one customer's key never finds another's."""
        if self.user is not None:
            return f"user:{self.user.pk}"
        if self.identity.signed:
            return f"ext:{self.app_key}:{self.identity.user_id}"
        return f"visitor:{self.visitors[0]}" if self.visitors else f"net:{self.network}"


def requester_from_http(request: HttpRequest) -> Requester:
    user = request.user if request.user.is_authenticated else None
    visitor = core_journey.journey_visitor(request)
    return Requester(
        user=user,
        visitors=(visitor,) if visitor else (),
        consented=has_consent(request),
        network=ip_hash(request),
    )


def check_rate(requester: Requester) -> None:
    """Count a request for the requester and for their network (always both).

    Only an account or a host-signed identity is a visitor the client cannot renew at will; an
    anonymous requester's cookie or the snippet's ``anonymous_id`` is new whenever the client
    likes, so anonymous requests are counted per network at the visitor's rate."""
    trusted = requester.user is not None or requester.identity.signed
    visitor = requester.scope() if trusted else f"net:{requester.network}"
    rate = getattr(settings, "FARO_SUPPORT_RATE", DEFAULT_RATE)
    http.check_rate(
        "support", rate, visitor=visitor, network=requester.network, factor=NETWORK_FACTOR
    )


def new_reference() -> str:
    return "FR-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _i in range(6))


class IdempotencyConflict(RequestError):
    """The key was already used for a request with other content: answered 409, nothing made."""

    def __init__(self) -> None:
        super().__init__(
            {
                "idempotency_key": _(
                    "This request was already sent with this idempotency key and other content; "
                    "use a new key for a new request."
                )
            }
        )


def idempotency_digest(requester: Requester, key: str) -> str | None:
    """The stored form of a key: scoped to the channel, the app and the requester (account,
    signed user, visitor, or — only when none is known — the network), so nobody else's key
    can match; and ``replayed`` also compares the payload."""
    if not key:
        return None
    scope = f"{requester.channel}|{requester.app_key}|{requester.scope()}|{key}"
    return hashlib.sha256(scope.encode()).hexdigest()


def payload_digest(data: RequestInput) -> str:
    """What the customer sent, hashed: a retry sends the same, a different request does not."""
    digest = hashlib.sha256()
    fields = [data.message, data.email, data.name, data.page_url, data.entry_point, data.locale,
              ",".join(sorted(data.removed_parts)), data.deflection_token]  # fmt: skip
    digest.update("\x1f".join(fields).encode())
    if data.attachment is not None:
        data.attachment.seek(0)
        for chunk in data.attachment.chunks():
            digest.update(chunk)
        data.attachment.seek(0)
    return digest.hexdigest()


def existing(digest: str | None) -> SupportRequest | None:
    return SupportRequest.objects.filter(idempotency_key=digest).first() if digest else None


def replayed(digest: str | None, payload: str) -> SupportRequest | None:
    """The request this key already made, if the payload is the same; ``IdempotencyConflict``
    if it is not (the key was reused for something else, or guessed)."""
    found = existing(digest)
    if found is not None and found.payload_hash != payload:
        raise IdempotencyConflict
    return found


def create_request(data: RequestInput, requester: Requester) -> tuple[SupportRequest, bool]:
    """Store a request with the journey the customer agreed to share, and queue its deliveries.

    Returns ``(request, created)``; ``created`` is False for a repeated idempotency key. Without
    consent no journey is attached and nothing is added to the journey table: only what the
    customer typed (message, email, attachment) and the page language are kept.
    """
    digest = idempotency_digest(requester, data.idempotency_key)
    payload = payload_digest(data)
    found = replayed(digest, payload)
    if found is not None:
        return found, False
    removed = set(data.removed_parts)
    identity = requester.identity if "identity" not in removed else Identity()
    email = data.email or identity.email or getattr(requester.user, "email", "")
    name = data.name or identity.name or _full_name(requester.user)
    if not email:
        raise RequestError({"email": _("Enter an email address so we can reply.")})
    events = (
        journey.collect(list(requester.visitors), requester.user) if requester.consented else []
    )
    keep_page = requester.consented and journey.PAGE_PART not in removed
    try:
        with transaction.atomic():
            request = SupportRequest.objects.create(
                reference=new_reference(),
                idempotency_key=digest,
                payload_hash=payload,
                message=data.message,
                email=email,
                name=name,
                user=requester.user,
                external_id=identity.user_id,
                identity_verified=identity.signed,
                verified_fields=identity.verified_in(id=identity.user_id, email=email, name=name),
                visitor=requester.visitors[0] if requester.visitors else "",
                app_key=requester.app_key,
                channel=requester.channel,
                entry_point=data.entry_point,
                locale=data.locale,
                page_url=data.page_url if keep_page else "",
                consented=requester.consented,
                journey=journey.without(events, removed),
                removed_parts=sorted(removed),
                attachment_type=data.attachment_type,
                shown_answer=shown_answer(data, requester),
            )
            if data.attachment is not None:
                request.attachment.save(data.attachment.name, data.attachment, save=True)
            queue_new_request(request)
            _mark_deflection(data.deflection_token, request)
            if requester.consented:
                for visitor in requester.visitors[:1] or ("",):
                    core_journey.record_for_visitor(
                        visitor,
                        JourneyEvent.Kind.SUPPORT_REQUEST,
                        {"reference": request.reference},
                        consented=True,
                        user=requester.user,
                        locale=data.locale,
                        channel=requester.channel,
                    )
    except IntegrityError:
        # The same key committed by a concurrent submit (double click, client retry).
        found = replayed(digest, payload)
        if found is None:
            raise
        return found, False
    tasks.kick_request(request.pk)
    return request, True


def shown_answer(data: RequestInput, requester: Requester) -> dict | None:
    """The answer card the customer said did not help, as they may see it (search/shown.py)."""
    if not data.answer_ref:
        return None
    from search.shown import resolve

    return resolve(data.answer_ref, data.question, requester.user, data.locale or "en")


def _full_name(user) -> str:
    return user.get_full_name() if user is not None else ""


def support_address() -> str:
    return settings.FARO_SUPPORT_EMAIL  # one default, in config/settings/base.py


def queue_new_request(request: SupportRequest) -> list[Delivery]:
    """One delivery per active destination (or the support address), plus the customer's
    confirmation with the status link. Called inside the creating transaction."""
    destinations = list(Destination.objects.filter(active=True))
    if not Destination.objects.exists():
        destinations = [Destination(kind=Destination.Kind.EMAIL, target=support_address())]
    rows = []
    for destination in destinations:
        delivery_id = uuid.uuid4()
        if destination.kind == Destination.Kind.WEBHOOK:
            kind, payload = Delivery.Kind.WEBHOOK, payloads.webhook(request, str(delivery_id))
        else:
            kind, payload = Delivery.Kind.EMAIL, payloads.support_email(request)
        rows.append(
            Delivery(
                id=delivery_id,
                request=request,
                destination=destination if destination.pk else None,
                kind=kind,
                target=destination.target,
                payload=payload,
            )
        )
    rows.append(
        Delivery(
            request=request,
            kind=Delivery.Kind.CUSTOMER_EMAIL,
            topic="confirmation",
            target=request.email,
            payload=payloads.confirmation_email(request),
        )
    )
    return Delivery.objects.bulk_create(rows)


def _mark_deflection(token: str, request: SupportRequest) -> None:
    if token:
        Deflection.objects.filter(token=_uuid_or_none(token)).update(
            outcome=Deflection.Outcome.SENT, request=request
        )


def _uuid_or_none(value: str):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def offer_answer(message: str, locale: str, user, channel: str = "help_centre") -> dict | None:
    """The best article for the typed message, when the engine is confident; records the offer
    (deflection) and returns ``{"token", "title", "url", "heading"}`` or None."""
    from search.engine import QueryError, SearchRequest, search

    request = SearchRequest(query=message[:300], locale=locale, limit=3, user=user)
    try:
        result = search(request)
    except QueryError:
        return None
    if not result.hits or result.answer_likely_missing:
        return None
    best = result.hits[0]
    offer = Deflection.objects.create(
        locale=locale, channel=channel, article_url=best.url[:500], article_title=best.title[:255]
    )
    return {
        "token": str(offer.token),
        "title": best.title,
        "url": best.url,
        "heading": best.heading,
    }


def resolve_deflection(token: str) -> bool:
    """The customer said the offered article solved it: no request is made."""
    return bool(
        Deflection.objects.filter(
            token=_uuid_or_none(token), outcome=Deflection.Outcome.OFFERED
        ).update(outcome=Deflection.Outcome.RESOLVED)
    )


# Agents' actions (the inbox in the Wagtail admin).


def assign(request: SupportRequest, agent) -> None:
    request.assigned_to = agent
    if agent is not None and request.status == SupportRequest.Status.RECEIVED:
        request.status = SupportRequest.Status.IN_PROGRESS
    request.save(update_fields=["assigned_to", "status", "updated_at"])


def set_status(request: SupportRequest, status: str) -> None:
    request.status = SupportRequest.Status(status)
    request.answered_at = timezone.now() if status == SupportRequest.Status.ANSWERED else None
    request.save(update_fields=["status", "answered_at", "updated_at"])


def add_note(request: SupportRequest, author, body: str) -> SupportMessage:
    return SupportMessage.objects.create(
        request=request, kind=SupportMessage.Kind.NOTE, author=author, body=body.strip()
    )


def reply(request: SupportRequest, author, body: str) -> SupportMessage:
    """Email the customer (through the outbox) and mark the request answered, atomically."""
    with transaction.atomic():
        message = SupportMessage.objects.create(
            request=request, kind=SupportMessage.Kind.REPLY, author=author, body=body.strip()
        )
        delivery = Delivery.objects.create(
            request=request,
            kind=Delivery.Kind.CUSTOMER_EMAIL,
            topic=f"reply:{message.pk}",
            target=request.email,
            payload=payloads.reply_email(request, message),
        )
        set_status(request, SupportRequest.Status.ANSWERED)
        tasks.kick_delivery(delivery.pk)
    return message


def send_privacy_link(email: str, locale: str, network: str) -> bool:
    """Email a signed link to export or delete what Faro holds for ``email``. Sent whether or
    not anything is held, so the page reveals nothing about who has asked for help."""
    rate = getattr(settings, "FARO_SUPPORT_RATE", DEFAULT_RATE)
    http.check_rate("support:privacy", rate, network=network, factor=1)
    with transaction.atomic():
        delivery = Delivery.objects.create(
            kind=Delivery.Kind.CUSTOMER_EMAIL,
            topic="privacy_link",
            target=email,
            payload=payloads.privacy_email(email, locale),
        )
        tasks.kick_delivery(delivery.pk)
    return True
