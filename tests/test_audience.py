"""Restricted articles are never shown to someone outside their audience: not the page, not a
listing, not a related link, not the sitemap."""

import pytest

from tests.factories import make_user


def test_anonymous_visitor_is_asked_to_sign_in_for_customer_articles(client, help_centre):
    response = client.get(help_centre.customers_only.url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert "Download invoices" not in response.content.decode()


def test_signed_in_customer_reads_customer_articles(client, help_centre, customer):
    client.force_login(customer)
    response = client.get(help_centre.customers_only.url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_customer_outside_the_group_gets_a_plain_404(client, help_centre, customer):
    client.force_login(customer)
    response = client.get(help_centre.enterprise_only.url)
    assert response.status_code == 404
    assert "Negotiated pricing" not in response.content.decode()


def test_group_member_reads_group_articles(client, help_centre, enterprise_customer):
    client.force_login(enterprise_customer)
    assert client.get(help_centre.enterprise_only.url).status_code == 200


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("anonymous", {"Change your plan"}),
        ("customer", {"Change your plan", "Download invoices"}),
        ("member", {"Change your plan", "Download invoices", "Negotiated pricing"}),
        ("staff", {"Change your plan", "Download invoices", "Negotiated pricing"}),
    ],
)
def test_category_listing_shows_only_what_the_visitor_may_read(client, help_centre, who, visible):
    if who == "customer":
        client.force_login(make_user("c1"))
    elif who == "member":
        client.force_login(make_user("m1", groups=[help_centre.enterprise]))
    elif who == "staff":
        client.force_login(make_user("s1", staff=True))
    html = client.get(help_centre.category.url).content.decode()
    for title in ["Change your plan", "Download invoices", "Negotiated pricing"]:
        assert (title in html) == (title in visible), title


def test_home_popular_and_related_links_skip_restricted_articles(client, help_centre):
    from kb.models import ArticleRelatedLink

    ArticleRelatedLink.objects.create(page=help_centre.public, article=help_centre.enterprise_only)
    home = client.get(help_centre.home.url).content.decode()
    article = client.get(help_centre.public.url).content.decode()
    assert "Change your plan" in home
    for html in (home, article):
        assert "Negotiated pricing" not in html
        assert "Download invoices" not in html


def test_feedback_on_an_article_you_cannot_see_is_refused(client, help_centre):
    response = client.post(
        f"/feedback/article/{help_centre.enterprise_only.pk}/", {"helpful": "yes"}
    )
    assert response.status_code == 404
