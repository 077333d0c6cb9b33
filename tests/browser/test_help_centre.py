"""A visitor's journey through the help centre in a real Chromium, with and without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import Browser, Page, expect, sync_playwright

from kb.models import ArticleFeedback

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture
def site(live_server, django_db_serialized_rollback, help_centre):
    """The shared help centre, committed so the live server's thread can read it.

    ``live_server`` makes the database transactional, and each transactional test ends with a
    flush; serialized rollback restores what migrations created (root page, default site,
    locales, groups) before each test so ``help_centre`` can build on it."""
    return help_centre


@pytest.fixture
def browser(site, monkeypatch) -> Iterator[Browser]:
    """Chromium, started only once the test data exists.

    Playwright's sync API keeps an asyncio loop running in this thread, and while it runs Django
    hands out different connection objects (asgiref keys them by async context). Setting up the
    database first keeps serialized rollback working; the test's own ORM calls then need
    DJANGO_ALLOW_ASYNC_UNSAFE, and their connections are closed before the loop stops."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            connections.close_all()
            browser.close()


def _open_page(request, browser: Browser, *, javascript: bool) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=javascript, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    failed_before = request.session.testsfailed
    yield page
    if request.session.testsfailed > failed_before:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def page(request, browser) -> Iterator[Page]:
    yield from _open_page(request, browser, javascript=True)


@pytest.fixture
def page_without_js(request, browser) -> Iterator[Page]:
    yield from _open_page(request, browser, javascript=False)


def test_visitor_reads_an_article_switches_language_and_votes(page, live_server, site):
    page.goto(live_server.url + "/en/")
    expect(page.locator("h1")).to_have_text("Help Centre")

    page.get_by_role("link", name="Billing").click()
    expect(page).to_have_url(live_server.url + "/en/billing/")
    expect(page.locator("h1")).to_have_text("Billing")

    page.get_by_role("link", name="Change your plan").click()
    expect(page).to_have_url(live_server.url + "/en/billing/change-plan/")
    expect(page.locator("h1")).to_have_text("Change your plan")

    toc_link = page.get_by_role("navigation", name="On this page").get_by_role(
        "link", name="Before you start"
    )
    expect(toc_link).to_have_attribute("href", "#before-you-start")
    toc_link.click()
    expect(page).to_have_url(re.compile(r"#before-you-start$"))
    expect(page.locator("#before-you-start")).to_be_visible()

    page.get_by_role("navigation", name="Language").get_by_role("link", name="Español").click()
    expect(page).to_have_url(live_server.url + "/es/facturacion/cambia-tu-plan/")
    expect(page.locator("h1")).to_have_text("Cambia tu plan")
    expect(page.locator("html")).to_have_attribute("lang", "es")

    # The interface is Spanish now: the switcher's label too.
    page.get_by_role("navigation", name="Idioma").get_by_role("link", name="English").click()
    expect(page).to_have_url(live_server.url + "/en/billing/change-plan/")
    expect(page.locator("h1")).to_have_text("Change your plan")

    feedback = page.locator("[data-feedback]")
    expect(feedback.get_by_role("heading")).to_have_text("Was this article helpful?")
    feedback.get_by_role("button", name="Yes").click()

    details = feedback.locator("[data-feedback-details=helpful]")
    expect(details).to_be_visible()
    expect(feedback.locator("[data-feedback-vote]")).to_be_hidden()
    expect(feedback.locator("[data-feedback-details=unhelpful]")).to_be_hidden()
    # The vote was stored before any reason is given, without leaving the page.
    expect(page).to_have_url(live_server.url + "/en/billing/change-plan/")
    assert ArticleFeedback.objects.filter(article=site.public, helpful=True).count() == 1

    details.get_by_label("Easy to follow").check()
    details.get_by_role("button", name="Send feedback").click()
    expect(feedback.locator("[data-feedback-status]")).to_have_text("Thanks for your feedback!")
    expect(details).to_be_hidden()

    vote = ArticleFeedback.objects.get(article=site.public)
    assert vote.helpful is True
    assert vote.reason == "easy"


def test_voting_no_works_without_javascript(page_without_js, live_server, site):
    page = page_without_js
    page.goto(live_server.url + site.public.url)
    expect(page.locator("h1")).to_have_text("Change your plan")

    feedback = page.locator("#feedback")
    feedback.get_by_role("button", name="No").click()

    # A plain form post: the server redirects back to the article, asking for a reason.
    expect(page).to_have_url(re.compile(r"/en/billing/change-plan/\?feedback=unhelpful#feedback$"))
    vote = ArticleFeedback.objects.get(article=site.public)
    assert vote.helpful is False
    assert vote.reason == ""

    details = feedback.locator("[data-feedback-details=unhelpful]")
    expect(details).to_be_visible()
    expect(feedback.locator("[data-feedback-details=helpful]")).to_be_hidden()
    details.get_by_label("Missing information").check()
    details.get_by_label("Anything else? (optional)").fill("No mention of annual plans.")
    details.get_by_role("button", name="Send feedback").click()

    expect(page).to_have_url(re.compile(r"\?feedback=thanks#feedback$"))
    expect(feedback.locator("[data-feedback-status]")).to_have_text("Thanks for your feedback!")

    # Same visitor (first-party cookie): the vote is updated, not duplicated.
    vote = ArticleFeedback.objects.get(article=site.public)
    assert vote.helpful is False
    assert vote.reason == "incomplete"
    assert vote.comment == "No mention of annual plans."
