"""Support requests, their conversation, and the outbox that delivers them.

A request is stored first (with the journey the customer agreed to share, frozen as a snapshot so
purging old journey events or a later change of mind never alters what an agent saw), and every
outgoing message — to the support address, to a helpdesk webhook, to the customer — is a
``Delivery`` row written in the same transaction. Background tasks drain the outbox; the rows are
the source of truth, so a killed worker or a receiver that is down only delays delivery.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def attachment_storage() -> FileSystemStorage:
    """Attachments are private: outside MEDIA_ROOT (never served as static files), read through
    views that check the secret link or the agent's permission."""
    location = getattr(
        settings, "FARO_SUPPORT_ATTACHMENT_ROOT", settings.BASE_DIR / ".data" / "support-files"
    )
    return FileSystemStorage(location=location, base_url=None)


def attachment_path(instance: SupportRequest, filename: str) -> str:
    """A random folder per file: names never collide and never reveal the reference."""
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}/{filename[-100:]}"


class SupportRequestQuerySet(models.QuerySet):
    def open(self) -> SupportRequestQuerySet:
        return self.exclude(status=SupportRequest.Status.ANSWERED).filter(anonymised_at=None)

    def inbox(self, status: str = "", assignee=None) -> SupportRequestQuerySet:
        """What agents see: newest first, optionally one status or one assignee."""
        qs = self.select_related("assigned_to", "user").order_by("-created_at")
        if status:
            qs = qs.filter(status=status)
        if assignee is not None:
            qs = qs.filter(assigned_to=assignee)
        return qs

    def of_subject(self, email: str = "", user=None) -> SupportRequestQuerySet:
        """Everything asked by one person: by account and by the address they gave."""
        match = Q(pk__in=[])
        if email:
            match |= Q(email__iexact=email)
        if user is not None and getattr(user, "pk", None):
            match |= Q(user=user)
        return self.filter(match)


class SupportRequest(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        IN_PROGRESS = "in_progress", _("In progress")
        ANSWERED = "answered", _("Answered")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=16, unique=True)
    # sha256(channel | app | requester scope | key): a key replays only its own requester's request
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    # sha256 of what was sent with the key: the same key with other content is refused (409)
    payload_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    message = models.TextField()
    email = models.EmailField(blank=True)
    name = models.CharField(max_length=120, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who the host product says this is (signed by its secret; see hosts/identity.py), and which
    # of the shown fields ("id", "email", "name") are exactly what the host signed.
    external_id = models.CharField(max_length=200, blank=True)
    identity_verified = models.BooleanField(default=False)
    verified_fields = models.JSONField(default=list, blank=True)
    visitor = models.CharField(max_length=64, blank=True, db_index=True)
    app_key = models.CharField(max_length=64, blank=True)
    channel = models.CharField(max_length=20, default="help_centre")  # help_centre, snippet
    entry_point = models.CharField(max_length=30, blank=True)  # footer, search, feedback, launcher
    locale = models.CharField(max_length=10, blank=True)
    page_url = models.CharField(max_length=500, blank=True)
    consented = models.BooleanField(default=False)
    journey = models.JSONField(default=list, blank=True)  # the snapshot the customer agreed to
    removed_parts = models.JSONField(default=list, blank=True)
    # The answer card the customer saw and said did not help ({ref, title, heading, url, text}),
    # looked up again in the search index when the request was made (search/shown.py).
    shown_answer = models.JSONField(null=True, blank=True)
    attachment = models.FileField(
        upload_to=attachment_path, storage=attachment_storage, blank=True, max_length=300
    )
    attachment_type = models.CharField(max_length=100, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_support_requests",
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = SupportRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")

    def __str__(self) -> str:
        return self.reference


class SupportMessage(models.Model):
    """The conversation after the first message: agents' replies (emailed) and internal notes."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Internal note")
        REPLY = "reply", _("Reply to the customer")

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} on {self.request_id}"


class Destination(models.Model):
    """Where new requests go besides Faro's inbox: the support address or a helpdesk webhook.

    With no active destination, requests are emailed to ``FARO_SUPPORT_EMAIL``; a team that moved
    to a helpdesk adds a webhook and, to stop the emails, an inactive email destination."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("Email")
        WEBHOOK = "webhook", _("Signed webhook")

    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    target = models.CharField(max_length=500, help_text=_("Email address or HTTPS URL."))
    secret = models.CharField(
        max_length=200, blank=True, help_text=_("Webhooks: the HMAC-SHA256 signing secret.")
    )
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class DeliveryQuerySet(models.QuerySet):
    def due(self, now=None) -> DeliveryQuerySet:
        """Ready to (re)try: pending and due, or claimed by a worker whose lease ran out."""
        now = now or timezone.now()
        return self.filter(
            Q(state=Delivery.State.PENDING, next_attempt_at__lte=now)
            | Q(state=Delivery.State.IN_FLIGHT, lease_until__lt=now)
        )

    def unfinished(self) -> DeliveryQuerySet:
        return self.filter(state__in=[Delivery.State.PENDING, Delivery.State.IN_FLIGHT])

    def dead(self) -> DeliveryQuerySet:
        return self.filter(state=Delivery.State.DEAD).select_related("request")


class Delivery(models.Model):
    """One message to one destination. ``id`` is the delivery id receivers dedupe on: stable
    across retries, so "at least once" sending becomes "exactly once" received."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("Email to support")
        WEBHOOK = "webhook", _("Webhook")
        CUSTOMER_EMAIL = "customer_email", _("Email to the customer")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        IN_FLIGHT = "in_flight", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        DEAD = "dead", _("Failed (dead letter)")
        CANCELLED = "cancelled", _("Cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(
        SupportRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    destination = models.ForeignKey(Destination, null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # What this delivery is about ("created", "confirmation", "reply:<id>", "privacy_link"):
    # unique per request and destination, so one event can never be queued twice.
    topic = models.CharField(max_length=40, default="created")
    target = models.CharField(max_length=500)
    payload = models.JSONField(default=dict)  # frozen at creation: retries send the same bytes
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    claim = models.UUIDField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind", "target", "topic"], name="support_delivery_once"
            )
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.kind} → {self.target} ({self.state})"


class DeliveryAttempt(models.Model):
    """Each try, kept for the admin: when, how long, what the receiver answered."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(null=True)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]

    def __str__(self) -> str:
        return f"attempt {self.number} of {self.delivery_id}"


class OutboxClock(models.Model):
    """One row: when the next outbox sweep is scheduled, so workers enqueue one, not hundreds."""

    next_sweep_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"next sweep {self.next_sweep_at}"


class Deflection(models.Model):
    """The last self-service chance: Faro offered an article for the typed message; did the
    customer still send the request? Holds no message text and no visitor link (counts only)."""

    class Outcome(models.TextChoices):
        OFFERED = "offered", _("Offered, no answer yet")
        RESOLVED = "resolved", _("The article solved it")
        SENT = "sent", _("Sent the request anyway")

    token = models.UUIDField(default=uuid.uuid4, unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    locale = models.CharField(max_length=10, blank=True)
    channel = models.CharField(max_length=20, default="help_centre")
    article_url = models.CharField(max_length=500, blank=True)
    article_title = models.CharField(max_length=255, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OFFERED)
    request = models.ForeignKey(
        SupportRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.article_title}: {self.outcome}"
