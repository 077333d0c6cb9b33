"""What editors do in the Wagtail admin: write and publish, see what needs review."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kb.models import ArticlePage
from tests.factories import ArticlePageFactory, make_user


@pytest.fixture
def moderator(db):
    from django.contrib.auth.models import Group

    user = make_user("mo", staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def test_editor_writes_an_article_and_a_moderator_approves_it(
    client, help_centre, editor, moderator
):
    """Wagtail's moderation workflow is on: editors submit, moderators approve and publish."""
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    client.force_login(editor)
    add_url = f"/admin/pages/add/kb/articlepage/{help_centre.category.pk}/"
    assert client.get(add_url).status_code == 200
    data = nested_form_data(
        {
            "title": "Export your timesheets",
            "slug": "export-timesheets",
            "summary": "Download hours as CSV.",
            "body": streamfield([("paragraph", rich_text("<p>Open Reports and export.</p>"))]),
            "audience": "public",
            "related_links": {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0},
            "tags": "export, csv",
        }
    )
    data["action-submit"] = "submit"
    response = client.post(add_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = ArticlePage.objects.get(slug="export-timesheets")
    assert not article.live
    assert client.get("/en/billing/export-timesheets/").status_code == 404
    task_state = article.current_workflow_state.current_task_state
    task_state.approve(user=moderator)
    article.refresh_from_db()
    assert article.live
    assert "Open Reports and export." in client.get(article.url).content.decode()


def test_review_due_report_lists_overdue_articles(client, help_centre, editor):
    stale = ArticlePageFactory(
        parent=help_centre.category,
        title="Very old article",
        last_reviewed=timezone.localdate() - timedelta(days=400),
    )
    ArticlePageFactory(
        parent=help_centre.category, title="Fresh article", last_reviewed=timezone.localdate()
    )
    assert (
        list(ArticlePage.objects.review_due()) == [stale]
        or stale in ArticlePage.objects.review_due()
    )
    client.force_login(editor)
    html = client.get("/admin/reports/review-due/").content.decode()
    assert "Very old article" in html
    assert "Fresh article" not in html


def test_reports_are_not_for_customers(client, help_centre, customer):
    client.force_login(customer)
    response = client.get("/admin/reports/review-due/")
    assert response.status_code in (302, 403)
