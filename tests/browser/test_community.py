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
    expect(page.get_by_text("Accepted answer", exact=True)).to_be_visible()
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


# --- issue 19: what a first look in a real browser found ------------------------------------
@pytest.fixture
def threads(community_site):
    """An answered English thread tagged "export" and a Spanish one, asked by ``asker``."""
    from wagtail.models import Locale

    from community.actions import Actor, ask_question, post_answer
    from tests.factories import translate

    index, people = community_site
    question = ask_question(
        index, Actor(people["asker"]), "How do I export timesheets to CSV?",
        "Payroll needs last month's hours in a spreadsheet.", ["export"],
    )  # fmt: skip
    answer = post_answer(question, Actor(people["helper"]), "Open Reports and press Export CSV.")
    es_index = translate(index, Locale.objects.get(language_code="es"), title="Comunidad",
                         slug="comunidad")  # fmt: skip
    es_question = ask_question(
        es_index.specific, Actor(people["asker"]), "¿Cómo exporto las horas a CSV?",
        "Necesito las horas del mes pasado en una hoja.", ["exportar"],
    )  # fmt: skip
    return question, answer, es_question, people


def vote_box(page, name: str):
    return page.get_by_role("group", name=name)


@pytest.mark.parametrize("language", ["en", "es"])
def test_votes_are_touch_sized_pressed_and_pluralised(page, live_server, threads, language):
    question, _, es_question, _ = threads
    thread = question if language == "en" else es_question
    words = {
        "en": ("Votes on the question", "Vote up", "1 vote", "0 votes", "You voted this up."),
        "es": ("Votos de la pregunta", "Votar a favor", "1 voto", "0 votos", "Has votado a favor."),
    }[language]
    group, up_name, one, zero, mine = words
    sign_in(page, live_server, "helper")
    page.goto(live_server.url + thread.url)
    votes = vote_box(page, group)
    up = votes.get_by_role("button", name=up_name)
    box = up.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    expect(up).to_have_attribute("aria-pressed", "false")
    expect(votes).to_contain_text(zero)
    up.click()  # by fetch: no reload
    expect(up).to_have_attribute("aria-pressed", "true")
    expect(votes).to_contain_text(one)
    expect(votes).to_contain_text(mine)
    page.reload()  # the server shows the same state
    up = vote_box(page, group).get_by_role("button", name=up_name)
    expect(up).to_have_attribute("aria-pressed", "true")
    pressed_bg = up.evaluate("b => getComputedStyle(b).backgroundColor")
    up.click()  # the same vote again takes it back
    expect(up).to_have_attribute("aria-pressed", "false")
    expect(vote_box(page, group)).to_contain_text(zero)
    assert up.evaluate("b => getComputedStyle(b).backgroundColor") != pressed_bg


def test_unaccept_is_visible_to_the_asker(page, live_server, threads):
    question, *_ = threads
    sign_in(page, live_server, "asker")
    page.goto(live_server.url + question.url)
    page.get_by_role("button", name="Accept this answer").click()
    unaccept = page.get_by_role("button", name="Unaccept")
    expect(unaccept).to_be_visible()
    colour = unaccept.evaluate("b => getComputedStyle(b).color")
    assert colour not in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")
    box = unaccept.bounding_box()
    assert box["height"] >= 24 and box["width"] >= 24
    unaccept.click()
    expect(page.get_by_role("button", name="Accept this answer")).to_be_visible()


@pytest.mark.parametrize("language", ["en", "es"])
def test_follow_search_and_browse_by_tag(page, live_server, threads, language):
    question, _, es_question, _ = threads
    thread = question if language == "en" else es_question
    text = {
        "en": ("Follow", "Unfollow", "You follow this thread", "Search the community",
               "Search", "export", "Threads tagged “export”", "timesheets CSV"),
        "es": ("Seguir", "Dejar de seguir", "Sigues este hilo", "Buscar en la comunidad",
               "Buscar", "exportar", "Hilos con la etiqueta «exportar»", "exporto horas CSV"),
    }[language]  # fmt: skip
    follow, unfollow, following, search_label, search_button, tag, tag_title, query = text
    sign_in(page, live_server, "helper")
    page.goto(live_server.url + thread.url)
    page.get_by_role("button", name=follow, exact=True).click()
    expect(page.get_by_text(following)).to_be_visible()
    page.get_by_role("button", name=unfollow).click()
    expect(page.get_by_role("button", name=follow, exact=True)).to_be_visible()

    page.get_by_role("link", name=tag, exact=True).click()
    expect(page.locator("h1")).to_have_text(tag_title)
    expect(page.get_by_role("link", name=thread.title)).to_be_visible()

    page.goto(live_server.url + thread.page.url)
    page.get_by_role("searchbox", name=search_label).fill(query)
    page.get_by_role("search", name=search_label).get_by_role("button", name=search_button).click()
    results = page.locator(".community-results")
    expect(results.get_by_role("link", name=thread.title)).to_be_visible()


def test_moderation_page_is_titled_and_its_fields_have_borders(
    page, live_server, community_site, settings
):
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = None
    index, _ = community_site
    from community.actions import Actor, ask_question

    ask_question(index, Actor(make_user("newbie")), "Cheap watches for sale here",
                 "Visit my shop for great deals today.")  # fmt: skip
    sign_in(page, live_server, "mod")
    page.goto(live_server.url + "/admin/community/moderation/")
    expect(page.locator("header h1, header h2").first).to_contain_text("Community moderation")
    for name in ("merge_into", "reason"):
        field = page.locator(f"form.community-decision input[name={name}]").first
        border = field.evaluate(
            "e => [getComputedStyle(e).borderTopStyle, getComputedStyle(e).borderTopWidth]"
        )
        assert border[0] != "none" and border[1] != "0px", (name, border)


def test_signed_in_thread_has_no_axe_violations(page, live_server, threads):
    """u1's axe test reads pages signed out; members also meet vote buttons, Follow and
    Unaccept, so the thread is checked as the asker (accepted answer) and as a voter."""
    from tests.browser.test_accessibility import AXE, violations

    question, answer, es_question, _ = threads
    from community.actions import accept_answer

    accept_answer(question, question.author, answer.pk)
    for username in ("asker", "helper"):
        sign_in(page, live_server, username)
        for thread in (question, es_question):
            assert AXE.exists()
            assert violations(page, live_server.url + thread.url) == [], (username, thread.url)
