"""What a product user meets on first load and after, in a real Chromium on the demo host page:
one thing at a time (the consent question first, then at most one tip; the checklist folded on
phones), tours with words and a spotlight that do not grab the keyboard, continue on another page
and wait for late elements; banners that push the host's content instead of covering it; "need a
hand?" offers that match where the user struggled."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from core.models import JourneyEvent
from guidance import demo
from guidance.models import GuidedApp

from .conftest import open_page
from .test_guidance import overlaps, publish

pytestmark = [pytest.mark.browser, pytest.mark.urls("tests.guidance.urls")]
PHONE = {"width": 390, "height": 844}
INTERRUPTIVE = "faro-guidance [data-kind=tour], faro-guidance [data-kind=modal], "
INTERRUPTIVE += "faro-guidance [data-kind=tooltip], faro-guidance [data-kind=banner]"


@pytest.fixture
def host(live_server, site, settings):
    """The demo app on both loopback names of the live server (as in test_guidance.py)."""
    settings.FARO_DEMO_HOST = True
    port = live_server.url.rsplit(":", 1)[1]
    app = GuidedApp.objects.create(
        name=demo.DEMO_APP_NAME,
        public_key=demo.DEMO_KEY,
        allowed_origins=f"http://localhost:{port}\nhttp://127.0.0.1:{port}",
    )
    return app, f"http://localhost:{port}/demo-host/?consent=granted"


@pytest.fixture
def sized_page(request, browser):
    yield from open_page(request, browser, viewport=request.param)


def step(title, selector, body="<p>Look here.</p>"):
    return ("step", {"title": title, "body": body, "selector": selector})


def everything_at_once(app):
    """What the first look found piling up on the dashboard: a tour, a tooltip, a banner, a
    checklist (and, undecided, the consent question)."""
    publish(
        app,
        kind="tour",
        title="Welcome",
        url_patterns="/demo-host/",
        steps=[step("Your dashboard", "#page-title", "<p>All your week at a glance.</p>")],
    )
    publish(app, kind="tooltip", title="Exports are here", selector="#new-export")
    publish(app, kind="banner", title="Plans changed", url_patterns="/demo-host/")
    publish(
        app,
        kind="checklist",
        title="Get started",
        url_patterns="/demo-host/",
        steps=[step("Create a project", ""), step("Invite your team", "")],
    )


@pytest.mark.parametrize(
    "sized_page", [PHONE, {"width": 1280, "height": 800}], ids=["phone", "pc"], indirect=True
)
def test_first_load_one_thing_at_a_time(sized_page, host):
    app, url = host
    page = sized_page
    everything_at_once(app)
    page.goto(url.replace("?consent=granted", ""))
    consent = page.locator("faro-guidance [data-kind=consent]")
    expect(consent).to_be_visible()
    expect(consent).to_contain_text("Help us improve these tips")
    page.wait_for_timeout(800)  # nothing else comes while the question is open
    expect(page.locator(INTERRUPTIVE)).to_have_count(0)
    expect(page.locator("faro-guidance [data-kind=checklist]")).to_have_count(0)

    consent.get_by_role("button", name="Allow").click()
    tour = page.locator("faro-guidance [data-kind=tour]")
    expect(tour).to_be_visible()
    expect(tour).to_contain_text("All your week at a glance.")  # steps have words
    expect(page.locator(INTERRUPTIVE)).to_have_count(1)  # the tour, and only the tour
    spot = page.locator("faro-guidance .sp")  # a spotlight on the step's element
    expect(spot).to_be_visible()
    title, ring = page.locator("#page-title").bounding_box(), spot.bounding_box()
    assert ring["x"] <= title["x"] and ring["x"] + ring["width"] >= title["x"] + title["width"]
    assert not tour.get_by_role("button", name="Done").evaluate("b => b.matches(':focus')")

    # The checklist waits, folded, and nothing of the widget's overlaps anything else of it.
    pill = page.locator("faro-guidance [data-kind=checklist-toggle]")
    expect(pill).to_be_visible()
    expect(pill).to_have_text("Get started 0/2")
    expect(page.locator("faro-guidance [data-kind=checklist]")).to_be_hidden()
    boxes = [
        tour.bounding_box(),
        pill.bounding_box(),
        page.locator("faro-guidance .lb").bounding_box(),
    ]
    assert not any(overlaps(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :]), boxes
    pill.click()
    expect(page.locator("faro-guidance [data-kind=checklist]")).to_be_visible()


def test_banner_pushes_the_host_navigation_down_with_a_short_action(page, host, site):
    app, url = host
    publish(
        app,
        kind="banner",
        title="Upgrade with one click",
        url_patterns="/demo-host/billing/*",
        link_article=site.public,
    )
    page.goto(url.replace("/demo-host/", "/demo-host/billing/"))
    region = page.locator("faro-guidance [data-kind=banner]")
    expect(region).to_be_visible()
    expect(region.get_by_role("link", name="Read how")).to_be_visible()  # not the article title
    nav = page.locator("header a", has_text="Dashboard")
    shade, link = region.bounding_box(), nav.bounding_box()
    assert link["y"] >= shade["y"] + shade["height"], (shade, link)  # pushed, not covered
    nav.click()  # the host's navigation still works
    expect(page).to_have_url(re.compile(r"/demo-host/\?"))


def test_rage_click_offer_matches_where_it_happened(page, host):
    app, url = host
    app.error_count = 50  # "Sync now" throws in the host page: keep to the clicks here
    app.save()
    publish(
        app,
        kind="modal",
        title="Is sync not working?",
        trigger="frustration",
        signal="rage_click",
        selector="#broken",
        link_search="sync",
        link_label="Read how to fix sync",
    )
    page.goto(url)
    expect(page.locator("faro-guidance .lb")).to_be_visible()
    for _ in range(6):
        page.locator("#new-export").click(delay=10)
    offer = page.locator("faro-guidance [data-offer]")
    expect(offer).to_have_count(1)
    expect(offer).not_to_contain_text("sync")
    expect(offer).to_contain_text("“New export” is not working for you")
    offer.get_by_role("button", name="Find help with “New export”").click()
    panel = page.locator("faro-guidance [data-kind=launcher]")
    expect(panel.get_by_role("searchbox")).to_have_value("New export")
    page.keyboard.press("Escape")

    page.reload()  # a new page view: struggling with "Sync now" offers the sync help
    expect(page.locator("faro-guidance .lb")).to_be_visible()
    for _ in range(6):
        page.locator("#broken").click(delay=10)
    expect(offer).to_contain_text("Is sync not working?")
    expect(offer.get_by_role("button", name="Read how to fix sync")).to_be_visible()


def test_tour_continues_on_another_page_and_waits_for_a_late_element(page, host):
    app, url = host
    publish(
        app,
        kind="tour",
        title="Welcome",
        url_patterns="/demo-host/*",
        steps=[
            step("Your dashboard", "#page-title", "<p>Then open Billing.</p>"),
            step("Your invoices", "#late-invoices", "<p>They arrive a moment later.</p>"),
        ],
    )
    page.goto(url)
    tour = page.locator("faro-guidance [data-kind=tour]")
    expect(tour).to_contain_text("Step 1 of 2")
    tour.get_by_role("button", name="Next").click()

    # A full page load elsewhere; the element shows up a second after the page.
    page.goto(url.replace("/demo-host/", "/demo-host/billing/"))
    page.evaluate(
        """() => setTimeout(() => {
             const el = document.createElement('div');
             el.id = 'late-invoices'; el.className = 'card'; el.textContent = 'Invoices';
             document.getElementById('view').append(el);
           }, 1000)"""
    )
    expect(tour).to_contain_text("Step 2 of 2", timeout=6000)
    expect(tour).to_contain_text("They arrive a moment later.")
    late, ring = (
        page.locator("#late-invoices").bounding_box(),
        page.locator("faro-guidance .sp").bounding_box(),
    )
    assert ring["x"] <= late["x"] and ring["y"] <= late["y"]
    assert ring["x"] + ring["width"] >= late["x"] + late["width"]
    tour.get_by_role("button", name="Done").click()
    expect(tour).to_have_count(0)


def test_consent_put_off_lets_the_tip_through_untracked_and_is_not_asked_again(page, host):
    app, url = host
    publish(app, kind="banner", title="Plans changed", url_patterns="/demo-host/")
    page.goto(url.replace("?consent=granted", ""))
    consent = page.locator("faro-guidance [data-kind=consent]")
    consent.get_by_role("button", name="Ask me later").click()
    expect(page.locator("faro-guidance [data-kind=banner]")).to_be_visible()
    expect(consent).to_have_count(0)
    page.add_init_script("window.faroSettings = {cooldown: 0}")  # the tip may come again
    page.reload()  # same browser session: not asked again, and nothing reached the journey
    expect(page.locator("faro-guidance [data-kind=banner]")).to_be_visible()
    page.wait_for_timeout(1500)
    expect(consent).to_have_count(0)
    assert not JourneyEvent.objects.exists()


def test_consent_then_tour_and_folded_checklist_have_no_axe_violations(page, host):
    from .test_accessibility import AXE, RUN

    app, url = host
    everything_at_once(app)
    page.emulate_media(reduced_motion="reduce")  # measure colours after, not during, a fade-in
    page.goto(url.replace("?consent=granted", ""))
    page.evaluate(AXE.read_text(encoding="utf-8"))
    expect(page.locator("faro-guidance [data-kind=consent]")).to_be_visible()
    assert page.evaluate(RUN) == []
    page.locator("faro-guidance [data-kind=consent]").get_by_role("button", name="Allow").click()
    expect(page.locator("faro-guidance [data-kind=tour]")).to_be_visible()
    assert page.evaluate(RUN) == []
