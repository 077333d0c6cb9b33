"""axe-core (the npm package in frontend/snippet, installed by ``make test``) finds no WCAG
violation on the pages customers meet: home, category, article, search, community, a thread,
contact, a request's status page (both languages for the text-heavy ones) and the demo host
product with the snippet on it.

axe is evaluated through the DevTools protocol (``page.evaluate``), which the pages' own
Content-Security-Policy does not govern, so the strict demo host is checked as it is served.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from community.actions import ask_question, post_answer
from guidance import demo
from guidance.models import GuidedApp
from support import links
from support.models import SupportRequest
from tests.community.conftest import actor, established, make_community

from .conftest import open_page

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "frontend/snippet/node_modules/axe-core/axe.min.js"
RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + n.failureSummary),
  }));
}"""


def violations(page, url: str) -> list[dict]:
    page.goto(url)
    page.wait_for_load_state("load")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(RUN)


@pytest.fixture
def pages(site, locales, live_server) -> list[str]:
    """One URL per kind of page, with real content behind each."""
    community = make_community(site, locales)
    question = ask_question(
        community.en, actor(established("mia")), "How do I export timesheets to CSV?",
        "I need the hours of last month in a spreadsheet for payroll.", ["export"],
    )  # fmt: skip
    post_answer(question, actor(established("otto")), "Open **Reports** and press Export CSV.")
    request = SupportRequest.objects.create(
        reference="FR-A11Y01", email="casey@x.test", message="My export is empty.", locale="en"
    )
    paths = [
        "/en/", "/es/", "/en/billing/", "/en/billing/change-plan/",
        "/es/facturacion/cambia-tu-plan/",
        "/en/search/?q=change+my+plan", "/es/search/?q=cambiar+plan",
        "/en/search/?q=how+do+I+bake+sourdough+bread", "/en/community/", question.url,
        "/en/support/?from=footer&q=my+export+is+empty", "/es/support/",
        links.status_path(request, "en"), "/en/accounts/login/", "/en/accounts/password-reset/",
    ]  # fmt: skip
    return [live_server.url + path for path in paths]


def test_customer_pages_have_no_axe_violations(page, pages):
    assert AXE.exists(), "run `npm ci` in frontend/snippet (make test does)"
    found = {url: v for url in pages if (v := violations(page, url))}
    assert found == {}


@pytest.fixture
def phone(request, browser):
    yield from open_page(request, browser, viewport={"width": 390, "height": 844})


def test_customer_pages_on_a_phone_have_no_axe_violations(phone, pages):
    """The phone layout (header wrapping, compact filters) keeps contrast and targets."""
    found = {url: v for url in pages[::2] if (v := violations(phone, url))}
    assert found == {}


@pytest.mark.urls("tests.guidance.urls")
def test_demo_host_with_the_snippet_has_no_axe_violations(page, live_server, site, settings):
    settings.FARO_DEMO_HOST = True
    port = live_server.url.rsplit(":", 1)[1]
    GuidedApp.objects.create(
        name=demo.DEMO_APP_NAME,
        public_key=demo.DEMO_KEY,
        allowed_origins=f"http://localhost:{port}\nhttp://127.0.0.1:{port}",
    )
    page.goto(f"http://localhost:{port}/demo-host/?consent=granted")
    page.wait_for_load_state("networkidle")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    assert page.evaluate(RUN) == []
