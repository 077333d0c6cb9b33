"""API shapes. Output serializers read the models; input serializers only check the request's
shape — the rules (limits, permissions, spam) live in ``actions.py`` for pages and API alike."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from .models import Answer, Comment, Flag, ModerationAction, Question


def _languages() -> list[str]:
    return [code for code, _ in settings.LANGUAGES]


@extend_schema_field(OpenApiTypes.STR)
class AuthorField(serializers.Field):
    def to_representation(self, user) -> str:
        return user.get_short_name() or user.get_username()


class CommentSerializer(serializers.ModelSerializer):
    author = AuthorField(read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "author", "body", "body_html", "status", "created_at"]


@extend_schema_serializer(component_name="CommunityAnswer")  # search has its own "Answer"
class AnswerSerializer(serializers.ModelSerializer):
    author = AuthorField(read_only=True)
    accepted = serializers.SerializerMethodField()
    comments = serializers.SerializerMethodField()

    class Meta:
        model = Answer
        fields = ["id", "author", "body", "body_html", "status", "is_official", "accepted",
                  "score", "created_at", "comments"]  # fmt: skip

    def get_accepted(self, answer: Answer) -> bool:
        return answer.question.accepted_answer_id == answer.pk

    def get_comments(self, answer: Answer) -> list[dict]:
        user = self.context["request"].user
        comments = answer.comments.visible_to(user).select_related("author")
        return CommentSerializer(comments, many=True).data


class ThreadSummarySerializer(serializers.ModelSerializer):
    author = AuthorField(read_only=True)
    url = serializers.CharField(read_only=True)
    locale = serializers.CharField(source="language_code", read_only=True)
    solved = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()

    class Meta:
        model = Question
        fields = ["id", "title", "url", "locale", "author", "status", "score", "answer_count",
                  "solved", "locked", "tags", "created_at", "last_activity_at"]  # fmt: skip

    def get_solved(self, question: Question) -> bool:
        return question.accepted_answer_id is not None

    def get_tags(self, question: Question) -> list[str]:
        return [tag.name for tag in question.tags.all()]


class ThreadSerializer(ThreadSummarySerializer):
    answers = serializers.SerializerMethodField()
    comments = serializers.SerializerMethodField()
    accepted_answer = serializers.IntegerField(
        source="accepted_answer_id", read_only=True, allow_null=True
    )
    duplicate_of = serializers.IntegerField(
        source="duplicate_of_id", read_only=True, allow_null=True
    )

    class Meta(ThreadSummarySerializer.Meta):
        fields = [*ThreadSummarySerializer.Meta.fields, "body", "body_html", "accepted_answer",
                  "duplicate_of", "answers", "comments"]  # fmt: skip

    def get_answers(self, question: Question) -> list[dict]:
        user = self.context["request"].user
        answers = question.answers.visible_to(user).select_related("author", "question")
        return AnswerSerializer(answers, many=True, context=self.context).data

    def get_comments(self, question: Question) -> list[dict]:
        user = self.context["request"].user
        comments = question.comments.filter(answer__isnull=True).visible_to(user)
        return CommentSerializer(comments.select_related("author"), many=True).data


class ThreadListParamsSerializer(serializers.Serializer):
    locale = serializers.ChoiceField(choices=[], required=False)
    show = serializers.ChoiceField(
        choices=["", "unanswered", "solved", "open"], required=False, default=""
    )
    limit = serializers.IntegerField(min_value=1, max_value=50, default=20)
    # Bounded: PostgreSQL's OFFSET is a bigint, and nobody pages a million threads deep.
    offset = serializers.IntegerField(min_value=0, max_value=1_000_000, default=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locale"].choices = _languages()


class ThreadListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = ThreadSummarySerializer(many=True)


class AskSerializer(serializers.Serializer):
    locale = serializers.ChoiceField(choices=[], required=False)
    title = serializers.CharField(trim_whitespace=False, allow_blank=True)
    body = serializers.CharField(trim_whitespace=False, allow_blank=True)
    tags = serializers.ListField(child=serializers.CharField(), required=False, default=list)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locale"].choices = _languages()


class BodySerializer(serializers.Serializer):
    body = serializers.CharField(trim_whitespace=False, allow_blank=True)


class AcceptSerializer(serializers.Serializer):
    answer = serializers.IntegerField(allow_null=True, help_text="null clears the acceptance.")


class FollowSerializer(serializers.Serializer):
    follow = serializers.BooleanField(
        default=True, help_text="true: e-mail me about new and accepted answers; false: stop."
    )


class VoteSerializer(serializers.Serializer):
    target = serializers.ChoiceField(choices=["question", "answer"])
    id = serializers.IntegerField()
    value = serializers.ChoiceField(choices=[1, -1])


class VoteResultSerializer(serializers.Serializer):
    score = serializers.IntegerField()


class ModerateSerializer(serializers.Serializer):
    target = serializers.ChoiceField(choices=["question", "answer", "comment"])
    id = serializers.IntegerField()
    action = serializers.ChoiceField(
        choices=[k for k in ModerationAction.Kind.values if k not in ("edit", "auto_hold",
                                                                      "promote")]
    )  # fmt: skip
    reason = serializers.CharField(max_length=500)
    merge_into = serializers.IntegerField(required=False, allow_null=True)


class ModerationResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    action = serializers.CharField()
    status = serializers.CharField()


class PromoteSerializer(serializers.Serializer):
    category = serializers.IntegerField(help_text="A category page in the thread's language.")


class PromoteResultSerializer(serializers.Serializer):
    article = serializers.IntegerField()
    edit_url = serializers.CharField()


class SimilarParamsSerializer(serializers.Serializer):
    q = serializers.CharField(max_length=300)
    locale = serializers.ChoiceField(choices=[], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locale"].choices = _languages()


class SimilarSerializer(serializers.Serializer):
    class SimilarHit(serializers.Serializer):
        type = serializers.CharField()
        title = serializers.CharField()
        url = serializers.CharField()
        summary = serializers.CharField()

    results = SimilarHit(many=True)


FLAG_REASONS = Flag.Reason.values
