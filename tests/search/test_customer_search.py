"""Search as a customer meets it (issue 19): typos searched as corrected, results before the
"no answer" help, explanations in the customer's own words, community threads labelled, and
suggestions that complete the word people mean."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from community.actions import accept_answer, ask_question, post_answer
from kb.models import ArticleDailyViews
from search.engine import SearchRequest, search
from search.models import SearchClick, SearchQueryLog
from tests.community.conftest import actor, established, make_community
from tests.factories import ArticlePageFactory, block, make_user

SUGGEST = "/api/v1/search/suggest"


@pytest.fixture
def account_articles(help_centre):
    def article(title: str, slug: str, text: str):
        body = [block("paragraph", f"<p>{text}</p>")]
        return ArticlePageFactory(
            parent=help_centre.category, title=title, slug=slug, summary=text,
            body=json.dumps(body),
        )  # fmt: skip

    return {
        "reset": article(
            "Reset your password",
            "reset-password",
            "Forgot your password? Ask for a password reset link by email and choose a new one.",
        ),
        "archive": article(
            "Archive and restore projects",
            "archive-projects",
            "Archive a finished project to hide it; restore it at any time with its history.",
        ),
        "rest": article(
            "REST API",
            "rest-api",
            "Use the REST API with a personal token to read and write projects and time entries.",
        ),
    }


def test_a_typo_is_searched_as_corrected_and_answered_normally(account_articles):
    result = search(SearchRequest(query="pasword resset", locale="en"))
    assert result.did_you_mean == "password reset"
    assert result.corrected is True
    assert result.hits[0].title == "Reset your password"
    assert result.answer_likely_missing is False
    assert result.next_steps[0]["type"] == "read_section"

    as_typed = search(SearchRequest(query="pasword resset", locale="en", correct=False))
    assert as_typed.corrected is False
    assert as_typed.did_you_mean == "password reset"  # still offered


def test_the_page_shows_results_for_the_correction_and_offers_the_words_as_typed(
    client, account_articles
):
    html = client.get("/en/search/", {"q": "pasword resset"}).content.decode()
    assert "Showing results for <strong>password reset</strong>." in html
    assert 'href="?q=pasword+resset&amp;correct=false"' in html
    assert "Search instead for “pasword resset”" in html
    assert "data-missing-note" not in html
    assert html.index("/reset-password/") < html.index("data-next-steps")

    typed = client.get("/en/search/", {"q": "pasword resset", "correct": "false"})
    html = typed.content.decode()
    assert "Showing results for" not in html
    assert "Did you mean" in html


def test_the_page_in_spanish_says_so_in_spanish(client, help_centre):
    html = client.get("/es/search/", {"q": "cambai tu plan"}).content.decode()
    assert "Mostrando resultados de <strong>cambia tu plan</strong>." in html
    assert "Buscar en su lugar “cambai tu plan”" in html


def test_when_the_answer_is_likely_missing_results_still_come_first(client, help_centre):
    html = client.get("/en/search/", {"q": "how do I bake sourdough bread at home"}).content
    html = html.decode()
    assert "data-missing-note" in html
    # The short note names the person; the full next steps follow the (closest) results.
    assert html.index("data-missing-note") < html.index("data-next-steps")
    assert "?from=search&amp;q=how+do+I+bake+sourdough+bread+at+home" in html
    if "data-search-results" in html:
        assert html.index("data-search-results") < html.index("data-next-steps")


def test_why_this_result_uses_the_typed_words_and_keeps_numbers_for_staff(client, help_centre):
    html = client.get("/en/search/", {"q": "choosing plans"}).content.decode()
    assert "Matches “choosing”, “plans”" in html
    assert "choos," not in html and "Score" not in html and "data-scores" not in html

    client.force_login(make_user("edna", staff=True))
    html = client.get("/en/search/", {"q": "choosing plans"}).content.decode()
    assert "Matches “choosing”, “plans”" in html
    assert "data-scores" in html and "Score" in html


def test_why_this_result_in_spanish(client, help_centre):
    html = client.get("/es/search/", {"q": "elegir planes"}).content.decode()
    assert "Coincide con “" in html


def test_community_threads_are_labelled_with_their_answer(client, help_centre, locales):
    community = make_community(help_centre, locales)
    asker, helper = established("mia"), established("otto")
    question = ask_question(
        community.en,
        actor(asker),
        "How do I export timesheets to CSV?",
        "I need the hours of last month in a spreadsheet for payroll.",
        ["export"],
    )
    answer = post_answer(question, actor(helper), "Open **Reports** and press Export CSV.")
    accept_answer(question, asker, answer.pk)

    html = client.get("/en/search/", {"q": "export timesheets csv"}).content.decode()
    assert '<span class="badge badge--community">Community</span>' in html
    assert '<span class="badge badge--answer">Accepted answer</span>' in html
    # Articles carry no community label.
    article = client.get("/en/search/", {"q": "choose a plan"}).content.decode()
    assert "badge--community" not in article


def suggest(client, q: str, locale: str = "en") -> list[str]:
    response = client.get(SUGGEST, {"q": q, "locale": locale}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return [item["title"] for item in response.json()["suggestions"]]


def test_suggestions_prefer_what_people_open(client, account_articles):
    cache.clear()  # the click counts are kept for ten minutes
    today = timezone.localdate()
    for days, article in enumerate([account_articles["reset"]] * 3 + [account_articles["rest"]]):
        ArticleDailyViews.objects.create(article=article, day=today - timedelta(days=days), views=9)
    titles = suggest(client, "how do I res")
    assert titles[0] == "Reset your password"
    assert titles[1] == "REST API"
    assert set(titles) >= {"Archive and restore projects"}


def test_suggestions_prefer_a_title_that_completes_the_word(client, account_articles):
    # "projects" appears in the REST API's summary, but only one title completes "proj".
    titles = suggest(client, "proj")
    assert titles[0] == "Archive and restore projects"


def test_opens_from_search_weigh_more_than_browsing(client, account_articles):
    """Archive is browsed most, but people who search open Reset: Reset is suggested first."""
    cache.clear()
    today = timezone.localdate()
    ArticleDailyViews.objects.create(article=account_articles["archive"], day=today, views=200)
    ArticleDailyViews.objects.create(article=account_articles["reset"], day=today, views=20)
    log = SearchQueryLog.objects.create(
        query="reset password", locale="en", semantic_ratio=0.5, result_count=3, latency_ms=1
    )
    for _ in range(12):
        SearchClick.objects.create(
            query_log=log, source="article", object_id=str(account_articles["reset"].pk), position=1
        )
    SearchClick.objects.create(
        query_log=log, source="article", object_id=str(account_articles["archive"].pk), position=2
    )
    assert suggest(client, "how do I res")[0] == "Reset your password"
