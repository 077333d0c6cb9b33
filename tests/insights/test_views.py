"""Permissions, pages, CSV, and the editor's corrections (recorded, applied to search)."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission

from insights.aggregate import aggregate_range
from insights.models import DigestSubscription, TuningLog, WrongResult
from search.models import PromotedResult, Synonym
from tests.factories import make_user

pytestmark = pytest.mark.django_db
SECTIONS = ("overview", "search", "content", "guidance", "backlog")


@pytest.fixture
def aggregated(handmade, day):
    aggregate_range(day, day)
    return handmade


def refused(response) -> bool:
    """Wagtail answers PermissionDenied in the admin with a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url.rstrip("/") == "/admin"
    )


def test_anonymous_and_unpermitted_staff_are_refused(client, handmade):
    assert client.get("/admin/insights/").status_code == 302  # to the login page
    plain = make_user("sam", staff=True)
    group = Group.objects.create(name="Admin access only")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    plain.groups.add(group)
    client.force_login(plain)
    assert refused(client.get("/admin/insights/"))
    assert refused(client.get("/admin/insights/search/?export=top_queries"))
    assert b"/admin/insights/" not in client.get("/admin/").content
    response = client.post("/admin/insights/tune/", {"q": "x", "locale": "en", "action": "pin"})
    assert refused(response)
    assert not TuningLog.objects.exists()


def test_editor_sees_every_section_with_charts(client, aggregated, analyst):
    client.force_login(analyst)
    assert b"/admin/insights/" in client.get("/admin/").content
    for section in SECTIONS:
        response = client.get(f"/admin/insights/{section}/?days=7&locale=en")
        assert response.status_code == 200, section
        assert b"insights-chart" in response.content, section
    page = client.get("/admin/insights/search/?days=7").content.decode()
    assert "/en/search/?q=wire%20transfer" in page  # live preview link
    assert "session-hash-" not in page  # the visitors' session hashes never reach the page


def test_csv_export(client, aggregated, analyst):
    client.force_login(analyst)
    response = client.get("/admin/insights/search/?days=7&export=zero_results")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [["Query", "Language", "Searches with no result"], ["wire transfer", "en", "2"]]


def test_backlog_and_draft(client, aggregated, analyst):
    client.force_login(analyst)
    page = client.get("/admin/insights/backlog/?days=7").content.decode()
    assert "wire transfer" in page and "Create article draft" in page
    response = client.post(
        "/admin/insights/draft/",
        {"locale": "en", "title": "wire transfer", "example": ["wire transfer", "send a wire"]},
    )
    assert response.status_code == 302
    from kb.models import ArticlePage

    draft = ArticlePage.objects.get(title="Wire transfer")
    assert not draft.live and "send a wire" in str(
        draft.get_latest_revision_as_object().body.raw_data
    )
    assert TuningLog.objects.filter(kind="draft", user=analyst).exists()


def test_pin_synonym_and_wrong_apply_and_are_recorded(client, aggregated, analyst):
    client.force_login(analyst)
    article = aggregated.public
    base = {"q": "Wire Transfer", "locale": "en"}
    client.post("/admin/insights/tune/", {**base, "action": "pin", "id": article.pk})
    client.post("/admin/insights/tune/", {**base, "action": "synonym", "terms": "bank transfer"})
    client.post("/admin/insights/tune/", {**base, "action": "wrong", "type": "article", "id": "99"})
    assert PromotedResult.objects.filter(
        query="wire transfer", source="article", object_id=str(article.pk)
    ).exists()
    assert Synonym.objects.get().term_list() == ["wire transfer", "bank transfer"]
    assert WrongResult.objects.filter(query="wire transfer", object_id="99").exists()
    kinds = set(TuningLog.objects.filter(user=analyst).values_list("kind", flat=True))
    assert kinds == {"pin", "synonym", "wrong"}
    from insights.actions import wrong_results

    assert wrong_results("wire   TRANSFER", "en") == {("article", "99")}


def test_tune_page_shows_what_search_returns_now(client, aggregated, analyst):
    client.force_login(analyst)
    response = client.get("/admin/insights/tune/?q=change+plan&locale=en")
    assert response.status_code == 200
    assert b"Mark wrong" in response.content


def test_weekly_digest(client, aggregated, analyst, mailoutbox):
    from django.core.management import call_command

    client.force_login(analyst)
    client.post("/admin/insights/digest/", {"subscribe": "1"})
    assert DigestSubscription.objects.filter(user=analyst).exists()
    make_user("nosy", staff=True)  # not subscribed: gets nothing
    DigestSubscription.objects.create(user=make_user("former", staff=True))  # lost permission
    call_command("insights_digest")
    assert [m.to for m in mailoutbox] == [[analyst.email]]
    assert "Self-service rate: 20.0%" in mailoutbox[0].body
    assert "wire transfer" in mailoutbox[0].body


def test_a_result_marked_wrong_leaves_that_querys_results_at_once(help_centre, analyst):
    from insights.actions import QueryRef, mark_wrong
    from search.engine import SearchRequest, search

    def ids(query: str) -> list[str]:
        return [hit.id for hit in search(SearchRequest(query=query, locale="en")).hits]

    article = str(help_centre.public.pk)
    assert article in ids("change your plan")
    mark_wrong(analyst, QueryRef.parse("Change your  plan", "en"), "article", article)
    assert article not in ids("change your plan")
    assert article in ids("how do I change my plan")  # only that query is affected
