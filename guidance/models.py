"""In-product guidance: the apps that embed the snippet, the tips editors target at their users,
and the daily counters that tell editors how each tip performs.

Tips are Wagtail snippets with drafts, revisions and previews, so an edit is never live until it
is published. Matching a tip to a page view is done by pure functions in ``targeting.py`` over
what ``TipQuerySet.candidates`` narrows down in SQL (app, live, schedule, locale).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.fields import RichTextField, StreamField
from wagtail.models import DraftStateMixin, PreviewableMixin, RevisionMixin

from .targeting import RULE_OPERATORS, parse_rules


def new_public_key() -> str:
    return "pk_" + secrets.token_urlsafe(18)


def new_secret() -> str:
    return "sk_" + secrets.token_urlsafe(32)


class GuidedApp(models.Model):
    """A product that embeds the snippet. The public key is in the host's HTML (not a secret);
    the secret signs user identities on the host's server and never leaves it. Both rotate."""

    name = models.CharField(max_length=100)
    public_key = models.CharField(max_length=64, unique=True, default=new_public_key)
    secret = models.CharField(
        max_length=80,
        default=new_secret,
        help_text=_("Signs user ids and traits on your server (HMAC-SHA256). Keep it private."),
    )
    allowed_origins = models.TextField(
        blank=True,
        help_text=_("One origin per line, e.g. https://app.example.com (scheme, host and port)."),
    )
    active = models.BooleanField(default=True)
    help_centre_url = models.URLField(
        blank=True, help_text=_("Base URL of the help centre; empty means this server.")
    )
    frustration_enabled = models.BooleanField(
        default=True, help_text=_('Offer "need a hand?" when a user seems stuck.')
    )
    rage_click_count = models.PositiveSmallIntegerField(
        default=4, help_text=_("Clicks on the same element …")
    )
    rage_click_window_ms = models.PositiveIntegerField(default=1200, help_text=_("… within ms."))
    error_count = models.PositiveSmallIntegerField(
        default=3, help_text=_("JavaScript errors on one page view before offering help.")
    )
    form_failure_count = models.PositiveSmallIntegerField(
        default=3, help_text=_("Failed submissions of the same form.")
    )
    repeat_search_count = models.PositiveSmallIntegerField(
        default=3, help_text=_("Searches without opening a result.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    key_rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("guided app")

    def __str__(self) -> str:
        return self.name

    def origins(self) -> list[str]:
        return [o.strip().rstrip("/").lower() for o in self.allowed_origins.split() if o.strip()]

    def origin_allowed(self, origin: str) -> bool:
        return bool(origin) and origin.rstrip("/").lower() in self.origins()

    def rotate(self, *, key: bool = True, secret: bool = True) -> None:
        """Issue a new public key and/or secret; the old ones stop working at once."""
        if key:
            self.public_key = new_public_key()
        if secret:
            self.secret = new_secret()
        self.key_rotated_at = timezone.now()
        self.save()

    def thresholds(self) -> dict:
        return {
            "rage_clicks": self.rage_click_count,
            "rage_window_ms": self.rage_click_window_ms,
            "errors": self.error_count,
            "form_failures": self.form_failure_count,
            "searches": self.repeat_search_count,
        }


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120)
    body = blocks.RichTextBlock(features=["bold", "italic", "link"], required=False)
    selector = blocks.CharBlock(
        required=False, max_length=200, help_text=_("CSS selector to anchor this step to.")
    )


class TipQuerySet(models.QuerySet):
    def candidates(self, app: GuidedApp, locale: str, now: datetime | None = None) -> TipQuerySet:
        """Live tips of ``app`` in ``locale`` or for every language (and scheduled at ``now``
        when given). URL, trait and schedule checks happen per tip in ``targeting.match_tip``."""
        tips = self.filter(app=app, live=True).filter(Q(locale="") | Q(locale=locale))
        if now is not None:
            tips = tips.filter(Q(show_from__isnull=True) | Q(show_from__lte=now))
            tips = tips.filter(Q(show_until__isnull=True) | Q(show_until__gt=now))
        return tips.select_related("link_article").order_by("-priority", "pk")


class Tip(DraftStateMixin, RevisionMixin, PreviewableMixin, models.Model):
    class Kind(models.TextChoices):
        TOOLTIP = "tooltip", _("Tooltip")
        BANNER = "banner", _("Banner")
        MODAL = "modal", _("Modal")
        CHECKLIST = "checklist", _("Checklist")
        TOUR = "tour", _("Tour")

    class Trigger(models.TextChoices):
        PAGE_LOAD = "page_load", _("Page load")
        ELEMENT = "element", _("Element appears")
        DELAY = "delay", _("After a delay")
        FRUSTRATION = "frustration", _("Frustration signal")

    class Signal(models.TextChoices):
        ANY = "", _("Any signal")
        RAGE_CLICK = "rage_click", _("Rapid repeated clicks")
        JS_ERROR = "js_error", _("Repeated JavaScript errors")
        FORM_FAILURE = "form_failure", _("Form failing again and again")
        REPEAT_SEARCH = "repeat_search", _("Searches without opening a result")

    class Frequency(models.TextChoices):
        ONCE = "once", _("Once")
        UNTIL_DISMISSED = "until_dismissed", _("Until dismissed")
        EVERY_N_DAYS = "every_n_days", _("Every N days")

    app = models.ForeignKey(GuidedApp, on_delete=models.CASCADE, related_name="tips")
    name = models.CharField(max_length=120, help_text=_("For editors; not shown to users."))
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.TOOLTIP)
    title = models.CharField(max_length=160)
    body = RichTextField(features=["bold", "italic", "link", "ol", "ul"], blank=True)
    steps = StreamField(
        [("step", StepBlock())],
        blank=True,
        help_text=_("Tour steps in order, or checklist items."),
    )
    link_article = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    link_search = models.CharField(
        max_length=200, blank=True, help_text=_("Or open the launcher searching for this.")
    )
    link_label = models.CharField(max_length=60, blank=True)
    url_patterns = models.TextField(
        blank=True,
        help_text=_("One per line: /billing/* (glob on the path). Empty: every page."),
    )
    selector = models.CharField(
        max_length=200, blank=True, help_text=_("CSS selector to anchor to and wait for.")
    )
    locale = models.CharField(
        max_length=10,
        blank=True,
        choices=[("", _("Any language")), ("en", "English"), ("es", "Español")],
    )
    audience_rules = models.TextField(
        blank=True,
        help_text=_("One rule per line: plan = pro · role in admin,owner · signup_days < 14. ")
        + _("Operators: ")
        + ", ".join(RULE_OPERATORS),
    )
    restricted = models.BooleanField(
        default=False,
        help_text=_("Audience-restricted: rules are checked against signed traits only."),
    )
    trigger = models.CharField(max_length=12, choices=Trigger.choices, default=Trigger.PAGE_LOAD)
    delay_seconds = models.PositiveSmallIntegerField(default=0)
    signal = models.CharField(max_length=16, choices=Signal.choices, blank=True)
    priority = models.SmallIntegerField(default=0, help_text=_("Higher shows first."))
    show_from = models.DateTimeField(null=True, blank=True)
    show_until = models.DateTimeField(null=True, blank=True)
    frequency = models.CharField(
        max_length=16, choices=Frequency.choices, default=Frequency.UNTIL_DISMISSED
    )
    frequency_days = models.PositiveSmallIntegerField(default=7)
    reshow_on_article_change = models.BooleanField(
        default=False, help_text=_("Show again when the linked article is republished.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = TipQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["app", "live", "locale"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            parse_rules(self.audience_rules)
        except ValueError as error:
            raise ValidationError({"audience_rules": str(error)}) from error
        if self.kind == self.Kind.TOOLTIP and not self.selector:
            raise ValidationError({"selector": _("A tooltip needs an element to anchor to.")})
        if self.kind in (self.Kind.TOUR, self.Kind.CHECKLIST) and not self.steps:
            raise ValidationError({"steps": _("Add at least one step.")})
        if self.trigger == self.Trigger.ELEMENT and not self.selector:
            raise ValidationError({"selector": _("Which element should appear?")})

    @cached_property
    def parsed_rules(self) -> list:
        return parse_rules(self.audience_rules)

    def version(self) -> str:
        """Changes when the content does, or (if asked) when the linked article is republished:
        the snippet keys dismissals by it, so a changed tip is seen again."""
        parts = [str(self.pk), str(self.latest_revision_id or self.updated_at)]
        if self.reshow_on_article_change and self.link_article_id:
            parts.append(str(self.link_article.last_published_at))
        return hashlib.sha1("|".join(parts).encode()).hexdigest()[:10]

    def get_preview_template(self, request, mode_name):
        return "guidance/tip_preview.html"


class PageArticle(models.Model):
    """Editors map product pages to the articles the launcher suggests there."""

    app = models.ForeignKey(GuidedApp, on_delete=models.CASCADE, related_name="page_articles")
    url_pattern = models.CharField(max_length=200, help_text=_("Glob on the path: /billing/*"))
    article = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("page suggestion")

    def __str__(self) -> str:
        return f"{self.url_pattern} → {self.article}"


class TipDailyStat(models.Model):
    """Pre-aggregated per tip and day (no visitor link): what editors and Insights read."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="daily_stats")
    day = models.DateField()
    shown = models.PositiveIntegerField(default=0)
    clicked = models.PositiveIntegerField(default=0)
    dismissed = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tip", "day"], name="tipstat_unique_day")]

    def __str__(self) -> str:
        return f"{self.tip_id} @ {self.day}"


class FrustrationDailyStat(models.Model):
    """Signals seen and offers shown per app, signal and day: lets editors tune thresholds."""

    app = models.ForeignKey(GuidedApp, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    signal = models.CharField(max_length=16)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["app", "day", "signal"], name="frustration_unique")
        ]

    def __str__(self) -> str:
        return f"{self.signal} @ {self.day}: {self.count}"
