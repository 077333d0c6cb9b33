"""Trust and limits. Members earn reputation from votes and accepted answers; trust lifts the
posting rate and the number of links allowed, and ends the review of first posts.

Levels: ``new`` (nothing approved yet: posts are held), ``member``, ``trusted`` (reputation at
least ``FARO_COMMUNITY_TRUSTED_REPUTATION``). Staff and moderators are trusted.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Answer, Comment, MemberProfile, Question, Status, is_moderator
from .writing import count_links

NEW, MEMBER, TRUSTED = "new", "member", "trusted"
REPUTATION = {"upvote": 2, "downvote": -1, "accepted": 15, "approved": 1}
POST_RATES = {NEW: "3/hour", MEMBER: "20/hour", TRUSTED: "60/hour"}
MAX_LINKS = {NEW: 0, MEMBER: 3, TRUSTED: 10}
NETWORK_FACTOR = 5  # a shared network (office, school) gets this many times one member's rate


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, f"FARO_COMMUNITY_{name}", default)


def reputation(user: Any) -> int:
    profile = MemberProfile.objects.filter(user=user).first()
    return max(0, profile.reputation) if profile else 0


def has_approved_posts(user: Any) -> bool:
    return any(
        model.objects.filter(author=user, status=Status.VISIBLE).exists()
        for model in (Question, Answer, Comment)
    )


def level(user: Any) -> str:
    if user.is_staff or is_moderator(user):
        return TRUSTED
    points = reputation(user)
    if points >= _setting("TRUSTED_REPUTATION", 50):
        return TRUSTED
    if points > 0 or has_approved_posts(user):
        return MEMBER
    return NEW


def post_rate(user: Any) -> str:
    return _setting("POST_RATES", POST_RATES)[level(user)]


def vote_rate() -> str:
    return _setting("VOTE_RATE", "60/hour")


def add_reputation(user: Any, event: str, times: int = 1) -> None:
    MemberProfile.objects.get_or_create(user=user)
    MemberProfile.objects.filter(user=user).update(
        reputation=F("reputation") + REPUTATION[event] * times
    )


def spam_reasons(user: Any, text: str) -> list[str]:
    """Why a new post should wait for a moderator (empty: publish it). Holding rather than
    rejecting keeps false positives cheap: a moderator approves and the member learns nothing
    about the thresholds."""
    if user.is_staff or is_moderator(user):
        return []
    trust = level(user)
    reasons = []
    if trust == NEW:
        reasons.append(_("First posts from new members are reviewed."))
    if count_links(text) > _setting("MAX_LINKS", MAX_LINKS)[trust]:
        reasons.append(_("Contains more links than allowed."))
    if _repeated(user, text):
        reasons.append(_("Repeats content posted recently."))
    return reasons


def _repeated(user: Any, text: str) -> bool:
    """The same text from this member in the last day, or from several members in the last
    hour (copy-paste campaigns)."""
    from .writing import content_hash

    digest = content_hash(text)
    now = timezone.now()
    mine = sum(
        model.objects.filter(
            author=user, body_hash=digest, created_at__gte=now - timedelta(days=1)
        ).count()
        for model in (Question, Answer, Comment)
    )
    others = sum(
        model.objects.filter(body_hash=digest, created_at__gte=now - timedelta(hours=1))
        .exclude(author=user)
        .count()
        for model in (Question, Answer, Comment)
    )
    return mine > 0 or others >= 2
