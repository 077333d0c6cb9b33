"""Searching the help centre in a real Chromium: suggestions by keyboard, results, clicks.

Fixtures (``site``, ``browser``, ``page``) come from ``tests/browser/conftest.py``.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from search.models import SearchClick, SearchQueryLog

from .waiting import wait_for

pytestmark = pytest.mark.browser


def test_suggestions_by_keyboard_open_the_article(page, live_server, site):
    page.goto(live_server.url + "/en/")
    header = page.get_by_role("search", name="Site search")
    box = header.get_by_role("combobox", name="Search the help centre")
    box.press_sequentially("chan", delay=40)

    listbox = header.get_by_role("listbox")
    expect(listbox).to_be_visible()
    option = listbox.get_by_role("option", name="Change your plan")
    expect(option).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(header.locator("[data-suggest-status]")).to_have_text(
        "Suggestions available: 1. Use the up and down arrow keys to choose."
    )

    box.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    box.press("Enter")
    expect(page).to_have_url(live_server.url + "/en/billing/change-plan/")
    expect(page.locator("h1")).to_have_text("Change your plan")


def test_restricted_titles_are_not_suggested_and_escape_closes(page, live_server, site):
    page.goto(live_server.url + "/en/billing/")
    header = page.get_by_role("search", name="Site search")
    box = header.get_by_role("combobox")
    box.press_sequentially("down", delay=40)
    expect(page.get_by_text("Suggestions available")).to_have_count(0)
    page.wait_for_timeout(600)  # debounce + request: still nothing to suggest
    expect(header.get_by_role("listbox")).to_be_hidden()
    box.fill("")
    box.press_sequentially("cha", delay=40)
    expect(header.get_by_role("option", name="Change your plan")).to_be_visible()
    expect(header.get_by_role("option", name="Download invoices")).to_have_count(0)
    box.press("Escape")
    expect(header.get_by_role("listbox")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")


def test_search_results_page_with_highlight_next_steps_and_click_beacon(page, live_server, site):
    page.goto(live_server.url + "/en/")
    box = page.get_by_role("search", name="Site search").get_by_role("combobox")
    box.fill("which role do I need")
    box.press("Enter")  # no suggestion chosen: a full search

    expect(page).to_have_url(re.compile(r"/en/search/\?q=which\+role\+do\+I\+need$"))
    results = page.get_by_role("region", name="Results")
    expect(results.get_by_role("status")).to_contain_text("1 result for “which role do I need”")
    link = results.get_by_role("link", name="Change your plan")
    expect(link).to_have_attribute("href", "/en/billing/change-plan/#before-you-start")
    expect(results.locator("mark").filter(has_text=re.compile("^role$"))).to_be_visible()
    expect(results.get_by_text("Before you start")).to_be_visible()

    why = results.locator("details").first
    why.get_by_text("Why this result?").click()
    expect(why).to_contain_text(re.compile("Matches .*“role”"))  # typed words, not stems

    steps = page.get_by_role("complementary", name="Next steps")
    expect(steps).to_be_visible()
    expect(steps.get_by_role("link", name="Talk to a person")).to_be_visible()
    expect(steps.get_by_text("Read this section")).to_be_visible()

    query_log = SearchQueryLog.objects.get(channel="page")
    link.click()
    expect(page).to_have_url(live_server.url + "/en/billing/change-plan/#before-you-start")
    assert wait_for(lambda: SearchClick.objects.filter(query_log=query_log).exists())
    click = SearchClick.objects.get(query_log=query_log)
    assert (click.object_id, click.section, click.position) == (
        str(site.public.pk),
        "before-you-start",
        1,
    )


def test_search_works_without_javascript(page_without_js, live_server, site):
    page = page_without_js
    page.goto(live_server.url + "/en/")
    hero = page.get_by_role("search", name="Search the help centre")
    hero.get_by_label("Search for answers").fill("owner role")
    hero.get_by_role("button", name="Search").click()

    expect(page).to_have_url(re.compile(r"/en/search/\?q=owner\+role$"))
    result = page.get_by_role("region", name="Results").get_by_role("link", name="Change your plan")
    expect(result).to_be_visible()
    expect(page.locator(".results mark").first).to_have_text("Owner")

    page.get_by_label("Category").select_option(label="Billing")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"category=billing"))
    expect(result).to_be_visible()
    expect(page.get_by_label("Category")).to_have_value("billing")


def test_api_docs_load_from_the_site_only(page, live_server, site):
    # The page fixture fails the test if anything is requested from outside the site.
    page.goto(live_server.url + "/api/docs/")
    expect(page.get_by_text("/api/v1/search/suggest", exact=True)).to_be_visible()
    expect(page.get_by_text("/api/v1/search", exact=True)).to_be_visible()
