"""An editor with the Insights permission signs in to the admin and reads the dashboard."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group

from insights.aggregate import aggregate_range
from tests.factories import make_user
from tests.insights.conftest import day, handmade  # noqa: F401 - fixtures

# serialized_rollback: each test starts from what migrations made (the default Site, groups).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


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
    # The Spanish help centre answers "factura" (nearest section above search's threshold), so
    # the gap is listed apart with the article, not as a missing answer.
    assert "factura" in page.locator("[data-gaps=answered]").inner_text()
    assert "factura" not in page.locator("[data-gaps=open]").inner_text()
    page.select_option("select[name=locale]", "en")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**locale=en**")
    assert "wire transfer" in page.locator("[data-gaps=open]").inner_text()
    assert page.get_by_role("button", name="Create article draft (en)").first.is_visible()


def test_figures_explain_themselves_and_charts_are_titled(signed_in, live_server):
    """Issue 19: every headline figure's definition is one click away; charts carry a title,
    the dates they cover and axis titles."""
    page = signed_in
    page.goto(f"{live_server.url}/admin/insights/?days=7")
    label = page.locator("[data-kpi-label=support]")
    assert label.inner_text() == "search sessions then asked for a person"
    kpi = page.locator(".kpi", has=label)
    definition = kpi.locator("details p")
    assert not definition.is_visible()
    kpi.get_by_text("Definition").click()
    assert "A subset of 'Support requests received'" in definition.inner_text()
    figure = page.locator("figure.insights-figure").first
    assert "Search sessions by outcome, per day" in figure.locator("figcaption").inner_text()
    assert re.search(
        r"\w{3} \d+ \u2013 \w{3} \d+, \d{4}", figure.locator(".insights-range").inner_text()
    )
    texts = figure.locator("svg text").evaluate_all("els => els.map(e => e.textContent)")
    assert "search sessions" in texts and "day" in texts
    assert "Ended in a helpful article" in texts  # the legend names what each colour counts
    name = page.get_by_role("img", name=re.compile("Search sessions by outcome"))
    assert name.count() == 1  # the SVG's accessible name comes from its <title>


def test_pin_an_article_as_you_type_then_undo_pin_and_synonym(signed_in, live_server, site):
    """Issue 19: from a query's tune page an editor pins an article found as they type, adds a
    synonym, sees both in effect, and undoes both; the synonym shows in Snippets → Synonyms."""
    page = signed_in
    page.goto(f"{live_server.url}/admin/insights/tune/?q=wire+transfer&locale=en")
    article = site.public.title
    page.fill("#find-article", article.split()[-1][:5])  # no click on "Find": as you type
    choice = page.locator("[data-article-choices] li", has_text=article)
    choice.wait_for()
    choice.get_by_role("button", name="Pin for “wire transfer”").click()
    page.wait_for_url("**/admin/insights/tune/**")
    assert page.locator("[data-pin]", has_text=article).is_visible()
    terms = page.locator("#synonym-terms")
    assert terms.get_attribute("placeholder")  # never empty: phrasings or a hint with the query
    terms.fill("bank transfer, wire payment")
    page.get_by_role("button", name="Add synonym").click()
    page.wait_for_url("**/admin/insights/tune/**")
    assert (
        "wire transfer, bank transfer, wire payment" in page.locator("[data-synonym]").inner_text()
    )
    page.goto(f"{live_server.url}/admin/snippets/search/synonym/")
    assert "wire transfer, bank transfer, wire payment" in page.content()
    page.goto(f"{live_server.url}/admin/insights/tune/?q=wire+transfer&locale=en")
    page.get_by_role("button", name="Unpin").click()
    page.wait_for_url("**/admin/insights/tune/**")
    page.get_by_role("button", name="Remove synonym").click()
    page.wait_for_url("**/admin/insights/tune/**")
    assert (
        "No pin or synonym for this query yet."
        in page.locator("[data-current-corrections]").inner_text()
    )
