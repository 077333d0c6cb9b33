"""An editor with the Insights permission signs in to the admin and reads the dashboard."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from insights.aggregate import aggregate_range
from tests.factories import make_user
from tests.insights.conftest import day, handmade  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dashboard_data(site, handmade, day):  # noqa: F811
    aggregate_range(day, day)
    user = make_user("lead", staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def signed_in(dashboard_data, live_server, page):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "lead")
    page.fill("input[name=password]", "pw-lead")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def test_dashboard_with_charts(signed_in, live_server):
    page = signed_in
    page.get_by_role("link", name="Insights").first.click()
    page.wait_for_url("**/admin/insights/")
    assert page.locator("[data-kpi=self_service_rate]").inner_text() == "20.0%"
    chart = page.locator("svg.insights-chart").first
    assert chart.is_visible()
    assert chart.bounding_box()["width"] > 200
    assert page.locator("svg.insights-chart rect").count() > 3
    page.get_by_role("link", name="Search quality").click()
    page.wait_for_url("**/admin/insights/search/**")
    zero = page.locator("[data-table=zero_results]")
    assert "wire transfer" in zero.inner_text()
    preview = zero.get_by_role("link", name="preview").first
    assert preview.get_attribute("href") == "/en/search/?q=wire%20transfer"
    page.select_option("select[name=locale]", "es")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**locale=es**")
    assert "wire transfer" not in page.locator("[data-table=top_queries]").inner_text()
    assert "factura" in page.locator("[data-table=top_queries]").inner_text()
    page.get_by_role("link", name="Content gaps").click()
    page.wait_for_url("**/admin/insights/backlog/**")
    assert "factura" in page.locator(".insights-gaps").inner_text()
    assert page.get_by_role("button", name="Create article draft").first.is_visible()
