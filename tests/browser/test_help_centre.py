"""A visitor's journey through the help centre in a real Chromium, with and without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kb.models import ArticleFeedback

pytestmark = pytest.mark.browser


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
