"""What a customer meets in Chromium (issue 19): a typo answered normally, suggestions that
complete the intended word, "why this result" in words, community results labelled, the
consent banner first, the contact form carrying the search, "My requests" and a password
reset by e-mail. Both languages where text is involved."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from community.actions import accept_answer, ask_question, post_answer
from kb.models import ArticleDailyViews
from support.models import SupportRequest
from tests.community.conftest import actor, established, make_community
from tests.factories import ArticlePageFactory, block, make_user, translate

from .conftest import open_page

pytestmark = pytest.mark.browser

MOBILE = {"width": 390, "height": 844}


def article(parent, title: str, slug: str, text: str):
    return ArticlePageFactory(
        parent=parent, title=title, slug=slug, summary=text,
        body=json.dumps([block("paragraph", f"<p>{text}</p>")]),
    )  # fmt: skip


@pytest.fixture
def accounts(site, locales):
    """Three articles that all start with "res", the password one opened most; Spanish too."""
    reset = article(
        site.category, "Reset your password", "reset-password",
        "Forgot your password? Ask for a password reset link by email and choose a new one.",
    )  # fmt: skip
    translate(reset, locales["es"], title="Restablece tu contraseña", slug="restablecer")
    rest = article(
        site.category, "REST API", "rest-api",
        "Use the REST API with a personal token to read and write projects and time entries.",
    )  # fmt: skip
    article(
        site.category, "Archive and restore projects", "archive-projects",
        "Archive a finished project to hide it; restore it at any time with its history.",
    )  # fmt: skip
    today = timezone.localdate()
    for days in range(5):
        ArticleDailyViews.objects.create(article=reset, day=today - timedelta(days), views=20)
    ArticleDailyViews.objects.create(article=rest, day=today, views=3)
    return reset


@pytest.fixture
def mobile_page(request, browser):
    yield from open_page(request, browser, viewport=MOBILE)


def consent(page, live_server) -> None:
    page.context.add_cookies([{"name": "faro_consent", "value": "granted", "url": live_server.url}])


def test_a_typo_shows_the_right_answer_first_on_a_phone(mobile_page, live_server, accounts):
    page = mobile_page
    consent(page, live_server)
    page.goto(live_server.url + "/en/search/?q=pasword+resset")
    expect(page.locator("[data-corrected]")).to_contain_text("Showing results for password reset.")
    # The answer card (when confident) or else the first result: either way the right article.
    first = page.get_by_role("link", name=re.compile(r"^Reset your password")).first
    expect(first).to_be_in_viewport()
    page.get_by_role("link", name="Search instead for “pasword resset”").click()
    expect(page).to_have_url(re.compile(r"correct=false"))
    expect(page.get_by_text("Did you mean")).to_be_visible()

    page.goto(live_server.url + "/es/search/?q=contrasena+restablecre")
    expect(page.locator("[data-corrected]")).to_contain_text("Mostrando resultados de")
    expect(page.get_by_role("link", name="Restablece tu contraseña").first).to_be_in_viewport()


def test_suggestions_complete_the_word_people_mean(page, live_server, accounts):
    page.goto(live_server.url + "/en/search/")
    box = page.get_by_role("combobox", name="What are you looking for?")
    box.press_sequentially("how do I res", delay=30)
    options = page.get_by_role("listbox").get_by_role("option")
    expect(options.first).to_have_text("Reset your password")


@pytest.mark.parametrize(
    ("url", "words"),
    [("/en/search/?q=choosing+plans", "Matches “choosing”, “plans”"),
     ("/es/search/?q=elegir+planes", "Coincide con “")],
)  # fmt: skip
def test_why_this_result_speaks_the_customers_words(page, live_server, site, url, words):
    page.goto(live_server.url + url)
    why = page.locator(".result__why").first
    why.locator("summary").click()
    expect(why).to_contain_text(words)
    expect(why).not_to_contain_text("Score")
    expect(why).not_to_contain_text("choos,")


def test_community_results_say_so(page, live_server, site, locales):
    community = make_community(site, locales)
    asker, helper = established("mia"), established("otto")
    question = ask_question(
        community.en, actor(asker), "How do I export timesheets to CSV?",
        "I need the hours of last month in a spreadsheet for payroll.", ["export"],
    )  # fmt: skip
    answer = post_answer(question, actor(helper), "Open **Reports** and press Export CSV.")
    accept_answer(question, asker, answer.pk)
    page.goto(live_server.url + "/en/search/?q=export+timesheets+csv")
    thread = page.locator(".result--community").first
    expect(thread.get_by_text("Community", exact=True)).to_be_visible()
    expect(thread.get_by_text("Accepted answer").first).to_be_visible()


@pytest.mark.parametrize("viewport", [None, MOBILE])
def test_the_consent_banner_is_seen_first(request, browser, live_server, site, viewport):
    options = {"viewport": viewport} if viewport else {}
    for page in open_page(request, browser, **options):
        page.goto(live_server.url + "/en/")
        banner = page.get_by_role("complementary", name="Privacy choice")
        expect(banner).to_be_in_viewport()
        page.keyboard.press("Tab")
        expect(banner.get_by_role("button", name="Yes, remember")).to_be_focused()
        banner.get_by_role("button", name="No thanks").click()
        expect(page.get_by_role("complementary", name="Privacy choice")).to_have_count(0)


@pytest.mark.parametrize(
    ("lang", "q", "honest", "wrong"),
    [("en", "pasword resset", "our team sees only what you write here",
      "We already know what you looked at"),
     ("es", "cambiar plan", "nuestro equipo solo ve lo que escribas aquí", "Ya sabemos")],
)  # fmt: skip
def test_contact_without_consent_is_honest_and_carries_the_search(
    page, live_server, site, lang, q, honest, wrong
):
    page.goto(f"{live_server.url}/{lang}/search/?q={q.replace(' ', '+')}")
    page.get_by_role("complementary", name=re.compile("Next steps|Siguientes pasos")).get_by_role(
        "link", name=re.compile("Talk to a person|Habla con una persona")
    ).click()
    expect(page.locator(".page-header .lead")).to_contain_text(honest)
    expect(page.locator(".page-header")).not_to_contain_text(wrong)
    expect(page.locator("#support-message")).to_have_value(q)
    # Styled like the rest of the site: a bordered, full-width field in the site's font.
    field = page.locator("#support-message")
    assert field.evaluate("e => getComputedStyle(e).borderTopWidth") == "1px"
    assert field.evaluate("e => getComputedStyle(e).fontFamily") == page.locator("body").evaluate(
        "e => getComputedStyle(e).fontFamily"
    )


def sign_in(page, live_server, username: str, password: str, lang: str = "en") -> None:
    page.goto(f"{live_server.url}/{lang}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form.form button[type=submit]").click()


def test_my_requests_lists_only_my_own(page, live_server, site):
    me, other = make_user("casey"), make_user("olga")
    SupportRequest.objects.create(
        reference="FR-OTHER1", user=other, email=other.email, message="Someone else's problem"
    )
    sign_in(page, live_server, "casey", "pw-casey")
    page.goto(live_server.url + "/en/support/?from=footer")
    page.locator("#support-message").fill("My timesheet export shows the wrong month.")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send to our team").click()
    expect(page.get_by_role("link", name="All my requests")).to_be_visible()
    page.get_by_role("banner").get_by_role("link", name="My requests").click()
    mine = SupportRequest.objects.get(user=me)
    listed = page.locator("[data-my-requests]")
    expect(listed.get_by_role("link", name=f"Request {mine.reference}")).to_be_visible()
    expect(listed).to_contain_text("My timesheet export shows the wrong month.")
    expect(listed).not_to_contain_text("Someone else's problem")
    listed.get_by_role("link", name=f"Request {mine.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Request {mine.reference}")

    page.goto(live_server.url + "/es/support/requests/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mis solicitudes")


@pytest.mark.parametrize(
    ("lang", "forgot", "send", "save", "done"),
    [("en", "Forgot your password?", "Send the link", "Save my new password", "Password changed"),
     ("es", "¿Has olvidado tu contraseña?", "Enviar el enlace", "Guardar mi contraseña nueva",
      "Contraseña cambiada")],
)  # fmt: skip
def test_a_customer_resets_a_forgotten_password_by_email(
    page, live_server, site, lang, forgot, send, save, done
):
    make_user("casey")
    mail.outbox.clear()
    page.goto(f"{live_server.url}/{lang}/accounts/login/")
    page.get_by_role("link", name=forgot).click()
    page.locator("#id_email").fill("casey@x.test")
    page.get_by_role("button", name=send).click()
    expect(page.get_by_role("status")).to_be_visible()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/reset/\S+/", mail.outbox[0].body).group(0)
    assert f"/{lang}/accounts/reset/" in link
    page.goto(link)
    page.locator("#id_new_password1").fill("a-new-Secret-42")
    page.locator("#id_new_password2").fill("a-new-Secret-42")
    page.get_by_role("button", name=save).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(done)

    sign_in(page, live_server, "casey", "a-new-Secret-42", lang)
    expect(page.get_by_role("banner").locator(".account__name")).to_have_text("casey")
    # The link works once.
    page.goto(link)
    expect(page.locator(".auth .lead")).to_be_visible()
    expect(page.locator("#id_new_password1")).to_have_count(0)
