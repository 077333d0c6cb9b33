"""Community in a real Chromium: ask (with suggestions), answer, accept, find it in search;
XSS payloads stay text; a moderator hides a post from the admin queue.

Fixtures (``site``, ``browser``, ``page``) come from ``tests/browser/conftest.py``.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from community.models import CommunityIndexPage, MemberProfile, Question, Status
from tests.factories import make_user

pytestmark = pytest.mark.browser
XSS = (
    "<img src=x onerror=\"document.body.dataset.pwned='1'\">"
    "<script>document.body.dataset.pwned='1'</script>"
)


@pytest.fixture
def community_site(site):
    page = CommunityIndexPage(title="Community", slug="community")
    site.home.add_child(instance=page)
    page.save_revision().publish()
    people = {}
    for name in ("asker", "helper"):
        people[name] = make_user(name)
        MemberProfile.objects.create(user=people[name], reputation=10)
    people["mod"] = make_user("mod", staff=True)
    people["mod"].groups.add(Group.objects.get(name="Moderators"))
    return page, people


def sign_in(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(live_server.url + "/en/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw-" + username)
    page.get_by_role("button", name=re.compile("Sign in|Log in", re.I)).click()


def test_ask_answer_accept_and_find(page, live_server, community_site):
    sign_in(page, live_server, "asker")
    page.goto(live_server.url + "/en/community/ask/")
    page.get_by_label("Title").press_sequentially("How to change my plan", delay=20)
    suggestions = page.get_by_role("region", name="These might already answer it")
    expect(suggestions.get_by_role("link", name="Change your plan")).to_be_visible()
    page.get_by_label("Title").fill(f"Export hours to CSV {XSS}")
    page.get_by_label("Details").fill(f"I need a spreadsheet of last month's hours. {XSS}")
    page.get_by_role("button", name="Post your question").click()
    expect(page.locator("h1")).to_contain_text("Export hours to CSV <img")
    thread_url = page.url

    sign_in(page, live_server, "helper")
    page.goto(thread_url)
    page.get_by_role("textbox", name="Your answer").fill(
        f"Open **Reports** and press Export. {XSS}"
    )
    page.get_by_role("button", name="Post your answer").click()
    expect(page.get_by_role("article", name=re.compile("Answer by helper"))).to_contain_text(
        "Open Reports and press Export."
    )

    sign_in(page, live_server, "asker")
    page.goto(thread_url)
    page.get_by_role("button", name="Accept this answer").click()
    expect(page.get_by_text("Accepted answer")).to_be_visible()
    assert page.evaluate("document.body.dataset.pwned") is None
    assert page.locator("main img").count() == 0

    page.goto(live_server.url + "/en/search/?q=export+hours+spreadsheet")
    results = page.get_by_role("region", name="Results")
    expect(results.get_by_role("link", name=re.compile("Export hours to CSV"))).to_be_visible()
    assert page.evaluate("document.body.dataset.pwned") is None


def test_moderator_hides_a_held_post_from_the_admin_queue(
    page, live_server, community_site, settings
):
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = None  # the admin must not load avatars from outside
    index, _ = community_site
    newcomer = make_user("newbie")
    from community.actions import Actor, ask_question

    held = ask_question(index, Actor(newcomer), "Cheap watches for sale here",
                        "Visit my shop for great deals today.")  # fmt: skip
    assert held.status == Status.HELD
    sign_in(page, live_server, "mod")
    page.goto(live_server.url + "/admin/community/moderation/")
    row = page.locator(f"#question-{held.pk}")
    expect(row).to_contain_text("Cheap watches for sale here")
    row.get_by_label("Action").first.select_option("hide")
    row.get_by_label("Reason").first.fill("advertising")
    row.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("Done: the decision is in the moderation log.")).to_be_visible()
    expect(page.get_by_role("cell", name="advertising")).to_be_visible()
    assert Question.objects.get(pk=held.pk).status == Status.HIDDEN
