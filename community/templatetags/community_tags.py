"""``{% community_url %}``: the community's address in the current language, for the header."""

from django import template
from django.utils.translation import get_language

from community.models import CommunityIndexPage

register = template.Library()


@register.simple_tag
def community_url() -> str:
    page = (
        CommunityIndexPage.objects.live()
        .filter(locale__language_code=(get_language() or "")[:2])
        .first()
    )
    return (page.url or "") if page else ""
