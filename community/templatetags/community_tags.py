"""Community template tags: ``{% community_url %}`` (the community's address in the current
language, for the header) and ``{% vote_count score %}`` ("1 vote", "3 votes" in any language)."""

from django import template
from django.utils.translation import get_language

from community.models import CommunityIndexPage
from community.queries import my_vote_label as _my_vote_label
from community.queries import vote_label

register = template.Library()


@register.simple_tag
def community_url() -> str:
    page = (
        CommunityIndexPage.objects.live()
        .filter(locale__language_code=(get_language() or "")[:2])
        .first()
    )
    return (page.url or "") if page else ""


@register.simple_tag
def vote_count(score: int) -> str:
    return vote_label(score)


@register.simple_tag
def my_vote_label(value: int) -> str:
    return _my_vote_label(value or 0)
