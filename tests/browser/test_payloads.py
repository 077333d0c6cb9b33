"""Hostile text and URLs from visitors and host products, seen by staff in a real Chromium.

Every payload tries to run ``window.__pwned = 1`` or ``alert()``; the test listens for dialogs,
reads the flag, and looks for any ``javascript:`` link on each staff page: the support inbox and
a request (message, name, page URL, journey), the community moderation queue, Insights' query
lists and a tip's preview. Rows are written the way visitors write them (the support API, the
search log, the community) and, for URLs the API now refuses, straight into the table as an
older row would be: the pages must be safe by construction, not only by input checks.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from community.models import CommunityIndexPage, MemberProfile
from guidance.models import GuidedApp, Tip
from insights.aggregate import aggregate_range
from search.models import SearchQueryLog
from support.models import SupportRequest
from tests.factories import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RUN = "window.__pwned=1"
PAYLOADS = [
    f"<script>{RUN}</script>",
    f'"><script>{RUN}</script>',
    f'\'><img src=x onerror="{RUN}">',
    f'<svg onload="{RUN}"></svg>',
    '<img src=x onerror="alert(1)">',
    f"</textarea><script>{RUN}</script>",
    f"javascript:{RUN}",
    f'<a href="javascript:{RUN}">click</a>',
    "{{ 7|add:7 }}{% now 'Y' %}",
]
TEXT = " ".join(PAYLOADS)
BAD_URLS = [f"javascript:{RUN}", f"data:text/html,<script>{RUN}</script>", " javascript:alert(1)"]


@pytest.fixture
def hostile(site, client):
    """Every place a visitor or host can put text or URLs that staff later read."""
    # Support: through the API (text), and an older row holding script URLs.
    client.post(
        "/api/v1/support/requests",
        json.dumps({"message": TEXT, "email": "a@x.test", "name": PAYLOADS[1][:120],
                    "page_url": "https://app.example/x?q=%22%3E%3Cscript%3E"}),
        content_type="application/json",
    )  # fmt: skip
    for url in BAD_URLS:  # refused by the API now, with a message
        response = client.post(
            "/api/v1/support/requests",
            json.dumps({"message": "hello there, please", "email": "a@x.test", "page_url": url}),
            content_type="application/json",
        )
        assert response.status_code == 400
    kinds = ("search", "search_click", "article_view", "product_page", "tip_shown")
    data = {"q": TEXT, "title": TEXT, "url": BAD_URLS[1], "results": 0}
    journey = [{"at": "2026-01-01T10:00:00+00:00", "kind": kind, "channel": "snippet",
                "page_url": BAD_URLS[0], "data": data} for kind in kinds]  # fmt: skip
    legacy = SupportRequest.objects.create(
        reference="FR-LEGACY", message=TEXT, email="b@x.test", name=PAYLOADS[2][:120],
        page_url=BAD_URLS[0], consented=True, journey=journey, external_id=PAYLOADS[3],
    )  # fmt: skip
    # Community: a newcomer's question is held for moderation.
    index = CommunityIndexPage(title="Community", slug="community")
    site.home.add_child(instance=index)
    index.save_revision().publish()
    from community.actions import Actor, ask_question

    newcomer = make_user("newbie")
    MemberProfile.objects.get_or_create(user=newcomer)
    ask_question(index, Actor(newcomer), PAYLOADS[1][:150], TEXT)
    # Insights: searches people typed (zero results, so they reach the gap lists too).
    day = timezone.localdate()
    for payload in PAYLOADS:
        for session in ("s-a", "s-b"):
            SearchQueryLog.objects.create(
                query=payload, locale="en", semantic_ratio=0.8, result_count=0, latency_ms=5,
                answer_likely_missing=True, session_hash=session,
            )  # fmt: skip
    aggregate_range(day, day)
    # A tip whose text fields carry payloads (an importer or a careless paste).
    app = GuidedApp.objects.create(name=PAYLOADS[0][:100], allowed_origins="https://app.example")
    tip = Tip.objects.create(
        app=app, name=PAYLOADS[2][:120], title=PAYLOADS[1][:160], kind=Tip.Kind.BANNER,
        link_search=PAYLOADS[3][:200], link_label=PAYLOADS[4][:60], selector=PAYLOADS[5][:200],
        url_patterns=PAYLOADS[6], audience_rules="", live=False,
    )  # fmt: skip
    revision = tip.save_revision()
    get_user_model().objects.create_superuser("boss", "boss@x.test", "pw-boss")
    return {"legacy": legacy, "tip": tip, "revision": revision}


def staff_pages(hostile) -> list[str]:
    legacy, tip, revision = hostile["legacy"], hostile["tip"], hostile["revision"]
    first = SupportRequest.objects.exclude(pk=legacy.pk).get()
    tip_view = reverse("wagtailsnippets_guidance_tip:revisions_view", args=[tip.pk, revision.pk])
    return [
        "/admin/support/",
        f"/admin/support/{legacy.pk}/",
        f"/admin/support/{first.pk}/",
        "/admin/community/moderation/",
        "/admin/insights/?days=7",
        "/admin/insights/search/?days=7",
        "/admin/insights/backlog/?days=7",
        "/admin/insights/tune/?locale=en&q=" + quote(PAYLOADS[1]),  # a query opened from a list
        tip_view,
    ]


def test_no_payload_runs_on_any_staff_page(hostile, page, live_server):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "boss")
    page.fill("input[name=password]", "pw-boss")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    seen = 0
    for path in staff_pages(hostile):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        page.wait_for_load_state("load")
        html = page.content()
        seen += html.count("window.__pwned=1")  # the payload is there, as text
        assert page.evaluate("window.__pwned") is None, path
        links = page.eval_on_selector_all(
            "[href], [src], [action], [formaction]",
            "els => els.map(e => e.getAttribute('href') || e.getAttribute('src')"
            " || e.getAttribute('action') || e.getAttribute('formaction'))",
        )
        script_links = [u for u in links if (u or "").strip().lower().startswith("javascript:")]
        assert not script_links, (path, script_links)
        injected = page.locator("svg[onload], img[onerror], script:not([src])").evaluate_all(
            "els => els.filter(e => !['application/json', 'application/ld+json']"
            ".includes(e.type)).map(e => e.outerHTML)"
        )
        assert not injected, (path, injected)
    assert dialogs == []
    assert seen >= 5  # the pages did show the hostile text (escaped), so the test saw it
