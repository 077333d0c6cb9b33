"""The contact flow in a real browser: consent, read an article, vote "not helpful", follow the
contact entry that appears, see what will be shared, remove a part, send, land on the status
page. Everything runs locally (the page refuses any request that leaves localhost)."""

from __future__ import annotations

import pytest

from support.models import SupportRequest


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_contact_from_an_article_after_a_not_helpful_vote(site, page, live_server):
    page.goto(live_server.url + site.public.url)
    page.get_by_role("button", name="Yes, remember").click()
    page.wait_for_url("**" + site.public.url)
    assert page.locator("[data-consent-banner]").count() == 0
    page.reload()  # a read with consent is a journey step
    entry = page.locator("[data-support-after-unhelpful]")
    assert entry.is_hidden()
    page.locator("[data-feedback-vote] button[value=no]").click()
    entry.wait_for(state="visible")
    entry.get_by_role("link", name="Talk to a person").click()
    page.get_by_label("What do you need help with?").fill("The plan page shows an error")
    page.get_by_role("button", name="Continue").click()
    share = page.locator("[data-support-share]")
    share.wait_for()
    assert "Change your plan" in share.locator("[data-part=articles]").inner_text()
    share.locator("[data-part=votes] [data-keep]").uncheck()
    page.get_by_label("Your email address").fill("browser@x.test")
    page.get_by_role("button", name="Send to our team").click()
    page.locator("[data-sent]").wait_for()
    assert "FR-" in page.locator("h1").inner_text()
    support_request = SupportRequest.objects.get()
    kinds = {event["kind"] for event in support_request.journey}
    assert "article_view" in kinds and "feedback" not in kinds
    assert support_request.removed_parts == ["votes"]
    assert support_request.entry_point == "feedback"
