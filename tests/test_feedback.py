"""“Was this helpful?”: anonymous votes, one per visitor, changed minds, bad input, CSRF, limits."""

import pytest
from django.test import Client, override_settings

from kb.models import ArticleFeedback

JSON = {"HTTP_ACCEPT": "application/json"}


def url(article) -> str:
    return f"/feedback/article/{article.pk}/"


def test_anonymous_visitor_votes_and_gets_a_cookie(client, help_centre):
    response = client.post(url(help_centre.public), {"helpful": "yes"}, **JSON)
    assert response.status_code == 201
    assert response.json() == {"helpful": True, "reason": "", "created": True}
    assert "faro_vid" in response.cookies
    vote = ArticleFeedback.objects.get(article=help_centre.public)
    assert vote.helpful is True
    assert len(vote.visitor_hash) == 64  # a digest, never the cookie value itself
    assert response.cookies["faro_vid"].value not in vote.visitor_hash


def test_changed_mind_replaces_the_vote(client, help_centre):
    client.post(url(help_centre.public), {"helpful": "yes"}, **JSON)
    response = client.post(
        url(help_centre.public),
        {"helpful": "no", "reason": "incomplete", "comment": "Which plan has SSO?"},
        **JSON,
    )
    assert response.status_code == 200
    votes = ArticleFeedback.objects.filter(article=help_centre.public)
    assert votes.count() == 1
    vote = votes.get()
    assert (vote.helpful, vote.reason, vote.comment) == (False, "incomplete", "Which plan has SSO?")


def test_two_visitors_count_twice(help_centre):
    for _ in range(2):
        Client().post(url(help_centre.public), {"helpful": "yes"}, **JSON)
    assert ArticleFeedback.objects.filter(article=help_centre.public).count() == 2


def test_signed_in_vote_follows_the_account(help_centre, customer):
    for _ in range(2):
        browser = Client()
        browser.force_login(customer)
        browser.post(url(help_centre.public), {"helpful": "no"}, **JSON)
    assert ArticleFeedback.objects.filter(article=help_centre.public).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "helpful"),
        ({"helpful": "maybe"}, "helpful"),
        ({"helpful": "yes", "reason": "incorrect"}, "reason"),
        ({"helpful": "no", "reason": "<script>"}, "reason"),
        ({"helpful": "no", "comment": "x" * 1001}, "1000"),
    ],
)
def test_bad_input_gets_a_400_with_a_message_and_stores_nothing(client, help_centre, data, message):
    response = client.post(url(help_centre.public), data, **JSON)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not ArticleFeedback.objects.exists()


def test_plain_form_post_redirects_back_to_the_article(client, help_centre):
    response = client.post(url(help_centre.public), {"helpful": "no"})
    assert response.status_code == 303
    assert response["Location"] == f"{help_centre.public.url}?feedback=unhelpful#feedback"
    follow_up = client.get(response["Location"]).content.decode()
    assert 'data-feedback-details="unhelpful"' in follow_up


def test_post_without_csrf_token_is_rejected(help_centre):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(url(help_centre.public), {"helpful": "yes"})
    assert response.status_code == 403
    assert not ArticleFeedback.objects.exists()


def test_post_with_csrf_token_from_the_page_is_accepted(help_centre):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(help_centre.public.url)
    token = page.context["csrf_token"]
    response = browser.post(
        url(help_centre.public), {"helpful": "yes", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 303


def test_get_is_not_allowed(client, help_centre):
    assert client.get(url(help_centre.public)).status_code == 405


@override_settings(FARO_FEEDBACK_RATE="3/hour")
def test_rate_limit_answers_429_after_the_limit(client, help_centre):
    codes = [
        client.post(url(help_centre.public), {"helpful": "yes"}, **JSON).status_code
        for _ in range(4)
    ]
    assert codes == [201, 200, 200, 429]
    assert (
        "Too many"
        in client.post(url(help_centre.public), {"helpful": "yes"}, **JSON).json()["error"]
    )


def test_unknown_article_is_a_404(client, help_centre):
    assert client.post("/feedback/article/999999/", {"helpful": "yes"}).status_code == 404


def test_editors_see_the_counts_on_the_article_in_the_admin(client, help_centre, editor):
    for helpful in ("yes", "yes", "no"):
        Client().post(url(help_centre.public), {"helpful": helpful, "reason": ""}, **JSON)
    client.force_login(editor)
    html = client.get(f"/admin/pages/{help_centre.public.pk}/edit/").content.decode()
    assert "2 yes · 1 no · 67% helpful" in html
