"""The answer card in a real Chromium: on the search page (English and Spanish, with and without
JavaScript) and in the launcher on the demo host page. Yes is kept without a reload; "No, talk to
a person" opens the contact path with the question and the answer, and the agent sees the
answer on the request. A customers-only article is quoted only to a signed-in customer."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from search.models import SearchQueryLog
from support.models import SupportRequest
from tests.factories import ArticlePageFactory, block, make_user

from .test_guidance import host  # noqa: F401  (fixture)
from .waiting import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.urls("tests.guidance.urls")]

ROTATE = (
    "API keys never expire on their own. To rotate an API key, open Settings, then Developer, "
    "and click Regenerate next to the key. The old key stops working after one hour."
)
ROTAR = (
    "Las claves de API no caducan solas. Para rotar una clave de API, abre Ajustes, luego "
    "Desarrollador, y pulsa Regenerar junto a la clave. La clave antigua deja de funcionar en "
    "una hora."
)
SECRET = (
    "Enterprise workspaces have a dedicated host. The dedicated host name for single sign-on is "
    "shown in Admin, then Security, under Identity provider."
)
QUESTION = "how do I rotate an API key"
PREGUNTA = "cómo rotar una clave de API"
SSO_QUESTION = "where is the dedicated host name for single sign-on"


def body(text: str) -> str:
    return json.dumps([block("paragraph", f"<p>{text}</p>")])


@pytest.fixture
def articles(site):
    from kb.models import Audience

    ArticlePageFactory(
        parent=site.category, title="Manage API keys", slug="api-keys", body=body(ROTATE),
        summary="Create, rotate and revoke keys.", last_reviewed=date(2026, 11, 2),
    )  # fmt: skip
    ArticlePageFactory(
        parent=site.category_es, title="Gestionar claves de API", slug="claves-api",
        body=body(ROTAR), summary="Crea, rota y revoca claves.", last_reviewed=date(2026, 11, 2),
    )  # fmt: skip
    ArticlePageFactory(
        parent=site.category, title="Single sign-on host", slug="sso-host", body=body(SECRET),
        summary="Where to find your dedicated host.", audience=Audience.CUSTOMERS,
    )  # fmt: skip
    return site


def search_url(live_server, lang: str, q: str) -> str:
    return f"{live_server.url}/{lang}/search/?q={q}"


def test_yes_is_kept_without_a_reload(page, live_server, articles):
    page.goto(search_url(live_server, "en", QUESTION))
    card = page.locator("[data-answer-card]")
    expect(card.locator("blockquote")).to_contain_text("To rotate an API key, open Settings")
    expect(card.get_by_role("link", name="Manage API keys")).to_have_attribute(
        "href", re.compile(r"/en/billing/api-keys/")
    )
    expect(card).to_contain_text("Last reviewed 2026-11-02")
    expect(card).to_contain_text("Quoted from the article closest to your question")
    first_result = page.locator("ol.results li").first
    assert card.bounding_box()["y"] < first_result.bounding_box()["y"]  # above the results
    page.evaluate("window.__noReload = true")
    card.get_by_role("button", name="Yes").click()
    expect(card.locator("[data-answer-thanks]")).to_be_visible()
    assert page.evaluate("window.__noReload") is True
    log = SearchQueryLog.objects.filter(channel="page").latest("pk")
    assert wait_for(lambda: SearchQueryLog.objects.get(pk=log.pk).answer_helpful is True)


def test_no_in_spanish_without_javascript_reaches_the_agent_with_the_answer(
    page_without_js, live_server, articles
):
    page = page_without_js
    page.goto(search_url(live_server, "es", PREGUNTA))
    card = page.locator("[data-answer-card]")
    expect(card.locator("blockquote")).to_contain_text("Para rotar una clave de API")
    expect(card).to_contain_text("Citado del artículo más cercano a tu pregunta")
    expect(card).to_contain_text("¿Esto responde a tu pregunta?")
    card.get_by_role("button", name="No, hablar con una persona").click()
    expect(page).to_have_url(re.compile(r"/es/support/\?"))
    shown = page.locator("[data-shown-answer]")
    expect(shown).to_contain_text("La respuesta que te mostramos")
    expect(shown.locator("blockquote")).to_contain_text("Para rotar una clave de API")
    expect(page.locator("#support-message")).to_have_value(PREGUNTA)
    assert SearchQueryLog.objects.filter(answer_helpful=False).count() == 1

    page.locator("#support-message").fill("Pulso Regenerar y no pasa nada, " + PREGUNTA)
    page.get_by_role("button", name=re.compile("Continuar|Continue")).click()
    expect(page.locator("[data-shown-answer]")).to_be_visible()  # still shown on step 2
    page.locator("#support-email").fill("ana@example.com")
    page.locator("[data-support-form] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"sent=1"))
    request = SupportRequest.objects.get()
    assert request.shown_answer["title"] == "Gestionar claves de API"

    get_user_model().objects.create_superuser("agent", "agent@x.test", "pw-agent")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "agent")
    page.fill("input[name=password]", "pw-agent")
    page.locator("button[type=submit]").click()
    page.goto(f"{live_server.url}/admin/support/{request.pk}/")
    answer = page.locator("section[data-shown-answer]")
    expect(answer.locator("blockquote")).to_contain_text("Para rotar una clave de API")
    expect(answer.get_by_role("link", name=re.compile("Gestionar claves de API"))).to_be_visible()


def test_restricted_article_is_quoted_only_to_a_signed_in_customer(page, live_server, articles):
    page.goto(search_url(live_server, "en", SSO_QUESTION))
    expect(page.locator("h1")).to_be_visible()
    expect(page.get_by_text("shown in Admin, then Security")).to_have_count(0)
    make_user("dana")
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.locator("#id_username").fill("dana")
    page.locator("#id_password").fill("pw-dana")
    page.locator("form.form button[type=submit]").click()
    page.goto(search_url(live_server, "en", SSO_QUESTION))
    expect(page.locator("[data-answer-card] blockquote")).to_contain_text("dedicated host name")


def test_the_launcher_card_yes_and_no_with_the_answer_carried_to_support(
    page,
    host,  # noqa: F811
    articles,
):
    _app, url = host
    page.goto(url)
    page.locator("faro-guidance .lb").click()
    panel = page.locator("faro-guidance [data-kind=launcher]")
    box = panel.get_by_role("searchbox")

    box.fill(SSO_QUESTION)  # customers-only: never quoted here (the launcher is anonymous)
    box.press("Enter")
    expect(panel.get_by_text(re.compile("Searching"))).to_have_count(0)
    expect(panel.get_by_text("shown in Admin, then Security")).to_have_count(0)

    box.fill(QUESTION)
    box.press("Enter")
    card = panel.locator("[data-answer]")
    expect(card.locator("blockquote")).to_contain_text("To rotate an API key, open Settings")
    expect(card.get_by_role("link", name="Manage API keys")).to_have_attribute(
        "href", re.compile(r"^http://127\.0\.0\.1:\d+/en/billing/api-keys/")
    )
    card.get_by_role("button", name="Yes").click()
    expect(card.locator("[data-answer-thanks]")).to_have_text("Thanks! Glad it helped.")
    logs = SearchQueryLog.objects.filter(channel="launcher", answer__isnull=False)
    assert wait_for(lambda: logs.filter(answer_helpful=True).count() == 1)

    box.press("Enter")  # the same question again, and this time it did not help
    card.get_by_role("button", name="No, talk to a person").click()
    form = panel.locator("[data-contact]")
    expect(form.locator("[data-shown-answer] blockquote")).to_contain_text("To rotate an API key")
    expect(form.get_by_label("Your message")).to_have_value(QUESTION)
    form.get_by_label("Your email").fill("uma@acme.test")
    form.get_by_role("button", name="Send").click()
    expect(panel.locator("[data-sent]")).to_be_visible()
    assert wait_for(lambda: logs.filter(answer_helpful=False).count() == 1)
    request = SupportRequest.objects.get()
    assert request.shown_answer["text"].startswith("To rotate an API key")
    assert request.channel == "snippet"
