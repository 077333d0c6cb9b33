"""Input and output shapes of the guidance API (they are also its OpenAPI schema)."""

from __future__ import annotations

import json

from django.conf import settings
from rest_framework import serializers

from core.urls_safe import UnsafeURL, check_url

MAX_EVENTS = 50
EVENT_TYPES = ("shown", "clicked", "dismissed", "completed", "step", "frustration", "offer", "page")
EVENT_TYPES += ("search", "opened")  # the launcher: a search (detail = the query), a result opened
SIGNALS = ("rage_click", "js_error", "form_failure", "repeat_search")


def safe_url(value: str) -> str:
    """Host page URLs reach agents' screens through the journey: http(s) or a path only."""
    try:
        return check_url(value)
    except UnsafeURL as error:
        raise serializers.ValidationError(str(error)) from error


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


class IdentityFields(serializers.Serializer):
    key = serializers.CharField(max_length=64, help_text="The app's public key.")
    identity = serializers.CharField(
        required=False, allow_blank=True, max_length=4000, help_text="Signed by the host."
    )
    signature = serializers.CharField(
        required=False, allow_blank=True, max_length=128, help_text="hex HMAC-SHA256."
    )


class PageParamsSerializer(IdentityFields):
    url = serializers.CharField(
        max_length=2000, validators=[safe_url], help_text="The host page's path (or full URL)."
    )
    locale = serializers.ChoiceField(choices=[], required=False)
    traits = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Unsigned traits as a JSON object; never unlock restricted tips.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locale"].choices = language_codes()

    def validate_traits(self, value: str) -> dict:
        if not value:
            return {}
        try:
            parsed = json.loads(value)
        except ValueError as error:
            raise serializers.ValidationError("traits must be JSON.") from error
        if not isinstance(parsed, dict):
            raise serializers.ValidationError("traits must be a JSON object.")
        return parsed


class StepSerializer(serializers.Serializer):
    title = serializers.CharField()
    body = serializers.CharField()
    selector = serializers.CharField()


class TipSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    body = serializers.CharField(help_text="Sanitised rich-text HTML.")
    steps = StepSerializer(many=True)
    link = serializers.DictField(allow_null=True)
    selector = serializers.CharField()
    trigger = serializers.CharField()
    delay = serializers.IntegerField()
    signal = serializers.CharField()
    priority = serializers.IntegerField()
    frequency = serializers.DictField()
    version = serializers.CharField(help_text="Changes with the content; keys dismissals.")
    why = serializers.ListField(child=serializers.CharField(), help_text="Why it matched.")


class ArticleLinkSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.URLField()


class PageConfigSerializer(serializers.Serializer):
    app = serializers.DictField()
    locale = serializers.CharField()
    identity = serializers.DictField()
    tips = TipSerializer(many=True)
    articles = ArticleLinkSerializer(many=True)
    launcher = serializers.DictField()
    frustration = serializers.DictField()
    i18n = serializers.DictField(child=serializers.CharField())


class EventSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=EVENT_TYPES)
    tip = serializers.IntegerField(required=False, min_value=1)
    step = serializers.IntegerField(required=False, min_value=0, max_value=100)
    signal = serializers.ChoiceField(choices=SIGNALS, required=False)
    detail = serializers.CharField(required=False, allow_blank=True, max_length=200)
    results = serializers.IntegerField(required=False, min_value=0, max_value=1000)
    version = serializers.CharField(required=False, allow_blank=True, max_length=20)
    url = serializers.CharField(
        required=False, allow_blank=True, max_length=500, validators=[safe_url]
    )

    def validate(self, data: dict) -> dict:
        if data["type"] in ("shown", "clicked", "dismissed", "completed", "step") and not data.get(
            "tip"
        ):
            raise serializers.ValidationError(f"a '{data['type']}' event needs a tip id.")
        if data["type"] == "frustration" and not data.get("signal"):
            raise serializers.ValidationError("a frustration event needs a signal.")
        return data


class EventBatchSerializer(IdentityFields):
    anon = serializers.RegexField(
        r"^[A-Za-z0-9_-]{8,64}$", help_text="The snippet's random per-browser id."
    )
    consent = serializers.BooleanField(help_text="The user (or the host site) agreed.")
    url = serializers.CharField(
        required=False, allow_blank=True, max_length=500, validators=[safe_url]
    )
    locale = serializers.CharField(required=False, allow_blank=True, max_length=10)
    events = EventSerializer(many=True, allow_empty=False, max_length=MAX_EVENTS)


class EventResultSerializer(serializers.Serializer):
    accepted = serializers.IntegerField()
    ignored = serializers.IntegerField()
    journey = serializers.IntegerField()


class SearchParamsSerializer(serializers.Serializer):
    key = serializers.CharField(max_length=64)
    q = serializers.CharField(max_length=300)
    locale = serializers.ChoiceField(choices=[], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locale"].choices = language_codes()


class LauncherAnswerSerializer(serializers.Serializer):
    """The search's answer card (search/answers.py), quoted from a public article."""

    text = serializers.CharField(help_text="The sentence(s) that answer, quoted as written.")
    title = serializers.CharField()
    heading = serializers.CharField(allow_blank=True)
    url = serializers.CharField(help_text="Absolute deep link to the section quoted.")
    last_reviewed = serializers.DateField(allow_null=True)
    caveat = serializers.ChoiceField(
        choices=["", "review_due", "translation_outdated"], allow_blank=True
    )
    ref = serializers.CharField(
        help_text="`source:id:anchor`: send it as `answer` (with `question`) to "
        "`/api/v1/support/requests` when the customer says it did not help."
    )


class LauncherSearchSerializer(serializers.Serializer):
    query = serializers.CharField()
    hits = serializers.ListField(child=serializers.DictField())
    next_steps = serializers.ListField(child=serializers.DictField())
    answer_likely_missing = serializers.BooleanField()
    query_id = serializers.IntegerField(
        allow_null=True, help_text="Send it to `answer-feedback` with the customer's verdict."
    )
    answer = LauncherAnswerSerializer(allow_null=True)


class LauncherFeedbackSerializer(serializers.Serializer):
    """``POST /api/v1/guidance/answer-feedback``: did the launcher's answer card help?"""

    key = serializers.CharField(max_length=64)
    query_id = serializers.IntegerField(min_value=1, max_value=2**62)
    helpful = serializers.BooleanField()
