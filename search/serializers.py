"""Input validation and output shapes of the search API, also the OpenAPI schema's source.

Input serializers turn query strings into a ``SearchRequest`` and reject anything the engine
would choke on with a message a person can act on; the engine's own ``QueryError`` stays the
last word on the query itself. Output serializers describe (and render) ``SearchResult``.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .engine import MAX_LIMIT, MAX_QUERY_CHARS, QueryError, SearchRequest
from .sources import all_sources

MAX_SUGGESTIONS = 10


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def source_names() -> list[str]:
    return sorted(source.name for source in all_sources())


class TextField(serializers.CharField):
    """A CharField that also refuses lone surrogates, which PostgreSQL cannot store (a 500)."""

    def to_internal_value(self, data: object) -> str:
        value = super().to_internal_value(data)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            self.fail("invalid")
        return value


class QueryField(TextField):
    def __init__(self, **kwargs: object) -> None:
        message = _("Type something to search for.")
        kwargs.setdefault("help_text", "What the visitor typed; whitespace is collapsed.")
        super().__init__(
            max_length=MAX_QUERY_CHARS,
            error_messages={
                "required": message,
                "blank": message,
                "max_length": format_lazy(
                    _("Keep the search under {n} characters."), n=MAX_QUERY_CHARS
                ),
            },
            **kwargs,
        )


class LocaleField(serializers.ChoiceField):
    def __init__(self, **kwargs: object) -> None:
        codes = language_codes()
        super().__init__(
            choices=codes,
            required=False,
            error_messages={
                "invalid_choice": format_lazy(
                    _("locale must be one of: {codes}."), codes=", ".join(codes)
                )
            },
            help_text="Content language; defaults to the request's language.",
            **kwargs,
        )


class SearchParamsSerializer(serializers.Serializer):
    """``GET /api/v1/search`` (and the search page's form)."""

    q = QueryField()
    locale = LocaleField()
    semantic_ratio = serializers.FloatField(
        required=False,
        min_value=0.0,
        max_value=1.0,
        error_messages={
            key: _("semantic_ratio must be a number between 0 and 1.")
            for key in ("invalid", "min_value", "max_value", "max_string_length")
        },
        help_text="0 = keyword only, 1 = semantic only; defaults to the tuned setting.",
    )
    type = TextField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Result types (source names, e.g. `article`), comma-separated; empty = all.",
    )
    category = TextField(
        required=False,
        allow_blank=True,
        max_length=120,
        help_text="Category slug path (e.g. `billing` or `integrations/api-webhooks`); "
        "covers its subcategories.",
    )
    product_area = TextField(
        required=False, allow_blank=True, max_length=60, help_text="Product area slug."
    )
    limit = serializers.IntegerField(
        required=False,
        default=10,
        error_messages={
            key: format_lazy(_("limit must be a whole number between 1 and {n}."), n=MAX_LIMIT)
            for key in ("invalid", "min_value", "max_value", "max_string_length")
        },
        min_value=1,
        max_value=MAX_LIMIT,
        help_text=f"How many results, 1 to {MAX_LIMIT}.",
    )
    correct = serializers.BooleanField(
        required=False,
        default=True,
        help_text="Search the spelling-corrected query (`did_you_mean`) when there is one; "
        "`false` searches the words as typed.",
    )

    def validate_semantic_ratio(self, value: float) -> float:
        if not math.isfinite(value):
            raise serializers.ValidationError(
                gettext("semantic_ratio must be a number between 0 and 1.")
            )
        return value

    def validate_type(self, value: str) -> tuple[str, ...]:
        names = tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
        known = source_names()
        for name in names:
            if name not in known:
                raise serializers.ValidationError(
                    gettext("Unknown type “%(name)s”; choose from: %(known)s.")
                    % {"name": name[:40], "known": ", ".join(known)}
                )
        return names

    def to_search_request(self, *, user: object, default_locale: str) -> SearchRequest:
        """The engine's request, already cleaned (``QueryError`` becomes a validation error)."""
        data = self.validated_data
        request = SearchRequest(
            query=data["q"],
            locale=data.get("locale") or default_locale,
            semantic_ratio=data.get("semantic_ratio"),
            sources=data.get("type") or (),
            category=data.get("category", "").strip("/ "),
            product_area=data.get("product_area", "").strip(),
            limit=data["limit"],
            user=user,
            correct=data.get("correct", True),
        )
        try:
            request.clean()
        except QueryError as error:
            raise serializers.ValidationError({"q": [str(error)]}) from error
        return request


class SuggestParamsSerializer(serializers.Serializer):
    """``GET /api/v1/search/suggest``: what the visitor has typed so far."""

    q = QueryField()
    locale = LocaleField()
    limit = serializers.IntegerField(
        required=False,
        default=6,
        min_value=1,
        max_value=MAX_SUGGESTIONS,
        error_messages={
            key: format_lazy(
                _("limit must be a whole number between 1 and {n}."), n=MAX_SUGGESTIONS
            )
            for key in ("invalid", "min_value", "max_value", "max_string_length")
        },
        help_text=f"How many suggestions, 1 to {MAX_SUGGESTIONS}.",
    )


class ClickSerializer(serializers.Serializer):
    """``POST /api/v1/search/click``: a visitor opened a result of a logged search."""

    query_id = serializers.IntegerField(min_value=1, help_text="`query_id` of the search.")
    type = TextField(max_length=40, help_text="The result's `type`.")
    id = TextField(max_length=64, help_text="The result's `id`.")
    section = TextField(
        max_length=120, required=False, allow_blank=True, default="", help_text="The `section`."
    )
    position = serializers.IntegerField(
        min_value=1, max_value=MAX_LIMIT, help_text="1-based rank of the result in the list."
    )


class AnswerFeedbackSerializer(serializers.Serializer):
    """``POST /api/v1/search/answer-feedback``: did the answer card of a logged search help?"""

    query_id = serializers.IntegerField(
        min_value=1, max_value=2**62, help_text="`query_id` of the search that showed `answer`."
    )
    helpful = serializers.BooleanField(
        help_text="`true`: it answered the question; `false`: it did not (a person is next)."
    )


# Output ------------------------------------------------------------------------------------


class ScorePartsSerializer(serializers.Serializer):
    keyword = serializers.FloatField(help_text="Keyword evidence's share of the score.")
    semantic = serializers.FloatField(help_text="Semantic evidence's share of the score.")


class ExplanationSerializer(serializers.Serializer):
    """Why a result is shown, so people (and editors) can trust or tune the ranking."""

    matched_terms = serializers.ListField(
        child=serializers.CharField(), help_text="Query terms (stemmed) found in the text."
    )
    keyword_score = serializers.FloatField()
    semantic_similarity = serializers.FloatField(help_text="Cosine similarity, 0..1.")
    promoted = serializers.BooleanField(help_text="Pinned by an editor for this query.")
    score = serializers.FloatField()
    parts = ScorePartsSerializer()


class HitSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="Source name, e.g. `article`.")
    id = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField(help_text="Deep link to the best-matching section.")
    section = serializers.CharField(allow_blank=True, help_text="Section anchor; empty = top.")
    heading = serializers.CharField(allow_blank=True)
    summary = serializers.CharField(allow_blank=True)
    snippet = serializers.CharField(
        help_text="HTML: escaped text with matched words in `<mark>`; safe to insert as is."
    )
    locale = serializers.CharField()
    explanation = ExplanationSerializer()
    other_language = serializers.BooleanField(
        help_text="In another language than the search's: the visitor's language has no "
        "version of it. Label it (e.g. 'Also in English')."
    )


class LinkSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()


class NextStepSerializer(serializers.Serializer):
    """One of ``read_section`` (title, heading, url), ``related`` (items), ``contact_human`` or
    ``ask_community`` (label, url). When ``answer_likely_missing`` the person comes first, then
    the community."""

    type = serializers.ChoiceField(
        choices=["read_section", "related", "contact_human", "ask_community"]
    )
    label = serializers.CharField(required=False)
    title = serializers.CharField(required=False)
    heading = serializers.CharField(required=False, allow_blank=True)
    url = serializers.CharField(required=False)
    items = LinkSerializer(many=True, required=False)


class AnswerSerializer(serializers.Serializer):
    """The passage quoted from the top result (never generated text), with where it comes from."""

    text = serializers.CharField(help_text="The sentence(s) that answer, quoted as written.")
    type = serializers.CharField(help_text="The source of the result (`article`, `thread`).")
    id = serializers.CharField()
    title = serializers.CharField()
    heading = serializers.CharField(allow_blank=True)
    url = serializers.CharField(help_text="A deep link to the section quoted.")
    last_reviewed = serializers.DateField(allow_null=True)
    caveat = serializers.ChoiceField(
        choices=["", "review_due", "translation_outdated"],
        allow_blank=True,
        help_text="Set when only an outdated passage answers: say so next to the quote.",
    )
    matched_terms = serializers.ListField(child=serializers.CharField())


class SearchResponseSerializer(serializers.Serializer):
    query_id = serializers.IntegerField(help_text="Send it with clicks to /api/v1/search/click.")
    query = serializers.CharField(help_text="The query as searched (whitespace collapsed).")
    locale = serializers.CharField()
    semantic_ratio = serializers.FloatField()
    total = serializers.IntegerField(help_text="Matches this visitor may see (before `limit`).")
    hits = HitSerializer(many=True)
    did_you_mean = serializers.CharField(allow_null=True, help_text="A corrected query, if any.")
    corrected = serializers.BooleanField(
        help_text="The results are for `did_you_mean`, not the query as typed."
    )
    confidence = serializers.FloatField(help_text="How sure the top result answers, 0..1.")
    answer_likely_missing = serializers.BooleanField()
    next_steps = NextStepSerializer(many=True)
    latency_ms = serializers.FloatField()
    answer = AnswerSerializer(
        allow_null=True,
        help_text="The passage that answers, quoted from the top results, when the engine is "
        "confident (`answer_likely_missing` false); null otherwise.",
    )


class SuggestionSerializer(LinkSerializer):
    pass


class SuggestResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    suggestions = SuggestionSerializer(many=True)


class ClickResponseSerializer(serializers.Serializer):
    recorded = serializers.BooleanField()


class AnswerFeedbackResponseSerializer(serializers.Serializer):
    recorded = serializers.BooleanField()
    helpful = serializers.BooleanField()
