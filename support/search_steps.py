"""Support's part in search: the "talk to a person" next step (``search.next_steps``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _


def talk_to_a_person(query: str, locale: str) -> dict:
    """``FARO_SUPPORT_URL`` when set, else Faro's own contact form in the results' language
    (search activates it), carrying the query so the customer does not type it twice."""
    url = settings.FARO_SUPPORT_URL
    if not url:
        url = reverse("support:contact") + "?" + urlencode({"from": "search", "q": query})
    return {"type": "contact_human", "label": _("Talk to a person"), "url": url}
