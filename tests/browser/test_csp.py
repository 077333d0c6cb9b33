"""The Content-Security-Policy in a real Chromium: the help centre's scripts and the Wagtail
admin (sign in, open the page editor, save a draft) work under it, with no violation reported."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def violations(page) -> list[str]:
    return page.evaluate("window.__csp || []")


def test_help_centre_scripts_run_under_the_policy(site, page, live_server):
    page.add_init_script(WATCH)
    page.goto(live_server.url + "/en/")
    box = page.locator("input[type=search]").first
    box.fill("plan")
    page.goto(live_server.url + site.public.url)
    page.locator("[data-feedback-vote] button[value=no]").click()
    page.locator("[data-support-after-unhelpful]").wait_for(state="visible")  # help.js ran
    assert violations(page) == []
    page.goto(live_server.url + "/en/support/?message=my+plan+page+shows+an+error")
    assert violations(page) == []
    page.goto(live_server.url + "/api/docs/")
    page.locator(".swagger-ui .info").wait_for()  # Swagger UI started from its own script file
    assert violations(page) == []


def test_the_admin_editor_works_under_the_policy(site, page, live_server):
    get_user_model().objects.create_superuser("boss", "boss@x.test", "pw-boss")
    page.add_init_script(WATCH)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "boss")
    page.fill("input[name=password]", "pw-boss")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    assert violations(page) == []
    page.goto(f"{live_server.url}/admin/pages/{site.public.pk}/edit/")
    page.locator(".Draftail-Editor").first.wait_for()  # the rich-text editor started
    title = page.locator("#id_title")
    title.fill("Change your plan (edited under CSP)")
    page.get_by_role("button", name="Save draft").click()
    page.locator(".messages .success, [data-w-messages] .success").first.wait_for()
    assert violations(page) == []
    site.public.refresh_from_db()
    assert site.public.get_latest_revision().content["title"].endswith("(edited under CSP)")
    page.goto(f"{live_server.url}/admin/support/")
    assert violations(page) == []
