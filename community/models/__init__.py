"""Community Q&A: threads (a question with its answers and comments), votes, and moderation."""

from .moderation import Flag, ModerationAction, PostRevision
from .pages import CommunityIndexPage
from .posts import (
    Answer,
    Comment,
    Follow,
    MemberProfile,
    Question,
    QuestionTag,
    Status,
    Vote,
    is_moderator,
)

__all__ = [
    "Answer",
    "Comment",
    "CommunityIndexPage",
    "Flag",
    "Follow",
    "MemberProfile",
    "ModerationAction",
    "PostRevision",
    "Question",
    "QuestionTag",
    "Status",
    "Vote",
    "is_moderator",
]
