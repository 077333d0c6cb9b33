"""A small hand-made log whose right answers are known (see each test for the arithmetic).

Day D, en unless said otherwise:

search log: "Refund" (3 results, clicked), "refund " (2 results, not clicked),
"wire transfer" twice (0 results, one answer_likely_missing), a typeahead "ref" (excluded),
es "factura" (1 result, not clicked).

journeys (consented visitors):
- v1 searched "refund", opened a result, read the article, voted helpful → helpful, offered
- v2 searched "wire transfer" (0 results), asked for a person → support, not offered, found
  nothing
- v3 searched "refund", read the article, voted not helpful → nothing, offered
- v4 searched "refund", read the article, asked for a person → support, offered
- v5 searched "factura" (es), came back 40 minutes later to read → nothing, offered
- v6 saw tip 7 on /settings, clicked it, then asked from /settings → later asked, same page
- v7 saw tip 7 on /settings, dismissed it, then asked from /billing → other page
- v8 rage click + repeated search on /sync, then asked from /sync; v9 a js error on /sync
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from core.models import JourneyEvent
from kb.models import ArticleDailyViews, ArticleFeedback
from search.models import SearchClick, SearchQueryLog
from tests.factories import make_user

K = JourneyEvent.Kind


@pytest.fixture
def day():
    return timezone.localdate() - timedelta(days=1)


@pytest.fixture
def handmade(help_centre, day):
    t0 = timezone.make_aware(datetime.combine(day, time(10, 0)))
    public = help_centre.public
    top = [{"type": "article", "id": str(public.pk), "section": ""}]

    def log(q, results, session, locale="en", channel="page", missing=False):
        row = SearchQueryLog.objects.create(
            query=q, locale=locale, semantic_ratio=0.8, result_count=results,
            top_results=top if results else [], confidence=0.5, answer_likely_missing=missing,
            latency_ms=5, channel=channel, session_hash=session,
        )  # fmt: skip
        SearchQueryLog.objects.filter(pk=row.pk).update(created_at=t0)
        return row

    l1 = log("Refund", 3, "session-hash-1")
    SearchClick.objects.create(query_log=l1, source="article", object_id=str(public.pk), position=1)
    l2 = log("refund ", 2, "session-hash-2")
    l3 = log("wire transfer", 0, "session-hash-3", missing=True)
    log("wire  transfer", 0, "session-hash-4")
    log("ref", 4, "session-hash-9", channel="suggest")
    l6 = log("factura", 1, "session-hash-5", locale="es")

    def ev(visitor, kind, minutes, data=None, page_url="", locale=""):
        JourneyEvent.objects.create(
            created_at=t0 + timedelta(minutes=minutes), visitor=visitor, kind=kind,
            data=data or {}, page_url=page_url, locale=locale,
        )  # fmt: skip

    art = {"id": public.pk, "title": public.title}
    ev("v1", K.SEARCH, 0, {"q": "Refund", "results": 3, "query_id": l1.pk})
    ev("v1", K.SEARCH_CLICK, 1, {"q": "Refund"})
    ev("v1", K.ARTICLE_VIEW, 2, art)
    ev("v1", K.FEEDBACK, 3, {**art, "helpful": True})
    ev("v2", K.SEARCH, 0, {"q": "wire transfer", "results": 0, "query_id": l3.pk})
    ev("v2", K.SUPPORT_REQUEST, 5, {"reference": "R1"})
    ev("v3", K.SEARCH, 0, {"q": "refund", "results": 2, "query_id": l2.pk})
    ev("v3", K.ARTICLE_VIEW, 1, art)
    ev("v3", K.FEEDBACK, 2, {**art, "helpful": False})
    ev("v4", K.SEARCH, 0, {"q": "refund", "results": 2, "query_id": l2.pk})
    ev("v4", K.ARTICLE_VIEW, 1, art)
    ev("v4", K.SUPPORT_REQUEST, 3, {"reference": "R2"})
    ev("v5", K.SEARCH, 0, {"q": "factura", "results": 1, "query_id": l6.pk})
    ev("v5", K.ARTICLE_VIEW, 40, art)
    settings_url = "https://app.example/settings?token=secret"
    ev("v6", K.TIP_SHOWN, 0, {"tip": 7}, settings_url)
    ev("v6", K.TIP_CLICKED, 1, {"tip": 7}, settings_url)
    ev("v6", K.PRODUCT_PAGE, 10, {}, "https://app.example/settings")
    ev("v6", K.SUPPORT_REQUEST, 11, {"reference": "R3"})
    ev("v7", K.TIP_SHOWN, 0, {"tip": 7}, settings_url)
    ev("v7", K.TIP_DISMISSED, 1, {"tip": 7}, settings_url)
    ev("v7", K.PRODUCT_PAGE, 4, {}, "https://app.example/billing")
    ev("v7", K.SUPPORT_REQUEST, 5, {"reference": "R4"})
    sync = "https://app.example/sync"
    ev("v8", K.FRUSTRATION, 0, {"signal": "rage_click"}, sync)
    ev("v8", K.FRUSTRATION, 1, {"signal": "repeat_search"}, sync)
    ev("v8", K.FRUSTRATION, 1, {"event": "offer", "signal": "offer"}, sync)
    ev("v8", K.SUPPORT_REQUEST, 2, {"reference": "R5"}, sync)
    ev("v9", K.FRUSTRATION, 0, {"signal": "js_error"}, sync)

    for visitor, helpful, reason in (
        ("a", True, "solved"),
        ("b", True, ""),
        ("c", False, "incomplete"),
    ):
        fb = ArticleFeedback.objects.create(
            article=public, visitor_hash=visitor, helpful=helpful, reason=reason
        )
        ArticleFeedback.objects.filter(pk=fb.pk).update(updated_at=t0, created_at=t0)
    ArticleDailyViews.objects.create(article=public, day=day, views=10)
    return help_centre


@pytest.fixture
def analyst(db):
    user = make_user("ines", staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user
