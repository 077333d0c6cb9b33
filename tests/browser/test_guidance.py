"""The snippet in a real Chromium on the demo host page (tests/guidance/urls.py mounts it): the
host page is on one origin (localhost), Faro on the other (127.0.0.1), under a strict CSP and
with deliberately hostile host CSS."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from core.models import JourneyEvent
from guidance import demo
from guidance.models import FrustrationDailyStat, GuidedApp, Tip, TipDailyStat
from support.models import SupportRequest

from .waiting import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.urls("tests.guidance.urls")]


@pytest.fixture
def host(live_server, site, settings):
    """The demo app allowing both loopback origins of the live server, and the host page URL
    (the page serves only the demo app, and only when turned on: test settings have no DEBUG)."""
    settings.FARO_DEMO_HOST = True
    port = live_server.url.rsplit(":", 1)[1]
    app = GuidedApp.objects.create(
        name=demo.DEMO_APP_NAME,
        public_key=demo.DEMO_KEY,
        allowed_origins=f"http://localhost:{port}\nhttp://127.0.0.1:{port}",
        rage_click_count=5,
    )
    host_url = f"http://localhost:{port}/demo-host/?consent=granted"
    return app, host_url


def publish(app, **fields) -> Tip:
    tip = Tip.objects.create(app=app, name=fields["title"], live=False, **fields)
    tip.save_revision().publish()
    return tip


def steps(*pairs):
    return [("step", {"title": t, "body": "", "selector": s}) for t, s in pairs]


def beside(box, anchor, gap=10, tolerance=2) -> bool:
    """The card sits next to its anchor on one side, ``gap`` pixels away."""
    return any(
        abs(d - gap) <= tolerance
        for d in (
            box["y"] - (anchor["y"] + anchor["height"]),  # below
            anchor["y"] - (box["y"] + box["height"]),  # above
            box["x"] - (anchor["x"] + anchor["width"]),  # right
            anchor["x"] - (box["x"] + box["width"]),  # left
        )
    )


def overlaps(a, b) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_tooltip_anchored_isolated_csp_clean_and_dismissal_remembered(page, host):
    app, url = host
    tip = publish(app, kind="tooltip", title="Exports live here", selector="#new-export")
    problems: list[str] = []
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
    page.emulate_media(reduced_motion="reduce")  # no entrance animation: measure final positions
    csp = page.goto(url).headers["content-security-policy"]
    assert "'unsafe-inline'" not in csp and "connect-src http://127.0.0.1:" in csp

    tooltip = page.locator("faro-guidance [data-kind=tooltip]")
    expect(tooltip).to_be_visible()
    assert tooltip.evaluate("el => getComputedStyle(el).animationName") == "none"
    button = page.locator("#new-export").bounding_box()
    box = tooltip.bounding_box()
    assert beside(box, button)
    # It does not cover the host's own controls: the Invite form below, "Sync now" beside it.
    for control in ("#invite-form input", "#invite-form button", "#broken"):
        assert not overlaps(box, page.locator(control).bounding_box()), control
    page.mouse.wheel(0, 150)
    page.wait_for_timeout(300)
    moved = tooltip.bounding_box()
    button_after = page.locator("#new-export").bounding_box()
    assert button_after["y"] < button["y"] - 100
    assert beside(moved, button_after)
    page.mouse.wheel(0, 400)  # the anchor scrolled away: so does the tooltip
    expect(tooltip).to_be_hidden()
    page.mouse.wheel(0, -550)
    expect(tooltip).to_be_visible()

    # Host CSS does not reach the widget, and the widget's does not reach the host.
    style = "(el, p) => getComputedStyle(el).getPropertyValue(p)"
    heading = tooltip.locator("h2")
    assert "Comic" not in heading.evaluate(style, "font-family")
    assert heading.evaluate(style, "color") != "rgb(0, 128, 0)"
    assert heading.evaluate(style, "text-transform") == "none"
    launcher = page.locator("faro-guidance .lb")
    assert launcher.evaluate(style, "background-color") == "rgb(11, 92, 171)"
    assert page.locator("#new-export").evaluate(style, "background-color") == "rgb(255, 105, 180)"
    assert page.locator("#host-heading").evaluate(style, "text-transform") == "uppercase"

    # Dismissed stays dismissed (and is counted).
    tooltip.locator("button.x").click()
    expect(tooltip).to_have_count(0)
    page.reload()
    expect(page.locator("faro-guidance .lb")).to_be_visible()
    page.wait_for_timeout(500)
    expect(tooltip).to_have_count(0)
    assert wait_for(lambda: TipDailyStat.objects.filter(tip=tip, dismissed=1).exists())
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems


def test_tour_advances_and_resumes_after_reload(page, host):
    app, url = host
    publish(
        app,
        kind="tour",
        title="Welcome",
        steps=steps(("Your dashboard", "#page-title"), ("Export", "#new-export"), ("Invite", "")),
    )
    page.goto(url)
    step = page.locator("faro-guidance [data-kind=tour]")
    expect(step.locator("h2")).to_have_text("Your dashboard")
    expect(step).to_contain_text("Step 1 of 3")
    # The tour does not take the keyboard away on page load.
    assert page.evaluate("document.activeElement === document.body")
    step.get_by_role("button", name="Next").click()
    expect(step.locator("h2")).to_have_text("Export")
    page.reload()
    expect(step.locator("h2")).to_have_text("Export")
    expect(step).to_contain_text("Step 2 of 3")
    step.get_by_role("button", name="Next").click()
    expect(step.locator("h2")).to_have_text("Invite")
    expect(step.get_by_role("button", name="Done")).to_be_focused()
    page.keyboard.press("Enter")
    expect(step).to_have_count(0)
    page.reload()
    expect(page.locator("faro-guidance .lb")).to_be_visible()
    page.wait_for_timeout(500)
    expect(step).to_have_count(0)


def test_launcher_search_human_path_frustration_offer_once_and_spa(page, host, live_server):
    app, url = host
    publish(app, kind="banner", title="Billing help", url_patterns="/demo-host/billing/*")
    page.goto(url)
    launcher = page.locator("faro-guidance .lb")
    launcher.click()
    panel = page.locator("faro-guidance [data-kind=launcher]")
    expect(panel).to_be_visible()
    box = panel.get_by_role("searchbox")
    expect(box).to_be_focused()
    expect(box).to_have_value("Dashboard")  # pre-filled from the page
    box.fill("change plan")
    box.press("Enter")
    results = panel.get_by_role("list", name="Search the help centre")  # (the answer card aside)
    expect(results.get_by_role("link", name="Change your plan")).to_be_visible()
    human = panel.get_by_role("link", name="More options")  # the full contact page
    assert re.search(
        rf"/en/support/\?from=snippet&app={app.public_key}&page=http",
        human.get_attribute("href"),
    )
    page.keyboard.press("Escape")
    expect(panel).to_have_count(0)
    expect(launcher).to_be_focused()

    # Normal clicking never offers help; rage clicks do, once; repeated errors then stay quiet.
    page.locator("#new-export").click()
    page.wait_for_timeout(400)
    page.locator("#new-export").click()
    expect(page.locator("faro-guidance [data-offer]")).to_have_count(0)
    page.wait_for_timeout(1300)
    for _ in range(6):
        page.locator("#page-title").click(delay=10)
    offer = page.locator("faro-guidance [data-offer]")
    expect(offer).to_have_count(1)
    expect(offer).to_have_attribute("data-offer", "rage_click")
    for _ in range(4):  # each click throws in the host page: repeated errors, but no second offer
        page.locator("#broken").click()
    signals = FrustrationDailyStat.objects.filter(app=app)
    assert wait_for(lambda: set(signals.values_list("signal", flat=True)) >= {"js_error", "offer"})
    expect(offer).to_have_count(1)

    # SPA navigation: a new page view fetches its tips.
    page.locator("header a", has_text="Billing").click()
    expect(page).to_have_url(re.compile(r"/demo-host/billing/"))
    expect(page.locator("faro-guidance [data-kind=banner]")).to_contain_text("Billing help")


def test_talk_to_a_person_inline_sends_the_product_context(page, host):
    app, url = host
    tip = publish(app, kind="banner", title="Exports moved", url_patterns="/demo-host/")
    page.goto(url)
    expect(page.locator("faro-guidance [data-kind=banner]")).to_be_visible()
    shown = JourneyEvent.objects.filter(kind=JourneyEvent.Kind.TIP_SHOWN, data__tip=tip.pk)
    assert wait_for(shown.exists)  # the beacon, with consent declared by the host

    page.locator("faro-guidance .lb").click()
    panel = page.locator("faro-guidance [data-kind=launcher]")
    panel.get_by_role("button", name="Talk to a person").click()
    message = panel.get_by_label("Your message")
    expect(message).to_be_focused()
    expect(panel).to_contain_text("the tips you saw")
    page.keyboard.press("Escape")  # back to the launcher, not closed
    expect(panel.get_by_role("button", name="Talk to a person")).to_be_focused()
    panel.get_by_role("button", name="Talk to a person").click()

    send = panel.get_by_role("button", name="Send")
    send.click()
    expect(panel.get_by_role("alert")).to_have_text("Please describe what you need.")
    message.fill("Short")
    panel.get_by_label("Your email").fill("uma@acme.test")
    send.click()  # the server's own message, and the typed text stays
    expect(panel.get_by_role("alert")).not_to_be_empty()
    expect(message).to_have_value("Short")
    message.fill("The export button does nothing on the dashboard")
    send.dblclick()
    sent = panel.locator("[data-sent]")
    expect(sent).to_contain_text(re.compile(r"Your reference is FR-\w{6}"))
    status = panel.get_by_role("link", name="Follow your request")
    expect(status).to_have_attribute("target", "_blank")
    assert "/support/" in status.get_attribute("href")

    request = SupportRequest.objects.get()  # one request for the double click
    assert sent.get_attribute("data-sent") == request.reference
    assert request.channel == "snippet" and request.app_key == app.public_key
    assert "/demo-host/" in request.page_url and request.consented
    kinds = [e["kind"] for e in request.journey]
    assert JourneyEvent.Kind.TIP_SHOWN in kinds
