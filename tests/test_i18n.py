"""English and Spanish help centres: language redirects, the switcher, and stale translations."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from kb.models import ArticlePage

from .factories import ArticlePageFactory


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def switcher(response) -> dict[str, str]:
    nav = soup_of(response).find("nav", class_="lang-switcher")
    return {a["data-lang"]: a["href"] for a in nav.find_all("a")}


def reload(page: ArticlePage) -> ArticlePage:
    return ArticlePage.objects.get(pk=page.pk)


# --- routing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [(None, "/en/"), ("es", "/es/"), ("es-MX,es;q=0.9,en;q=0.5", "/es/"), ("fr", "/en/")],
)
def test_root_redirects_to_a_language(client, help_centre, accept_language, expected):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept_language} if accept_language else {}
    response = client.get("/", **headers)
    assert response.status_code == 302
    assert response["Location"] == expected
    assert client.get(expected).status_code == 200


def test_spanish_home_is_served_in_spanish(client, help_centre):
    soup = soup_of(client.get("/es/"))
    assert soup.html["lang"] == "es"
    assert soup.title.string.startswith("Centro de ayuda")
    assert soup.h1.get_text(strip=True) == "Centro de ayuda"
    assert "Facturación" in soup.find("main").get_text()

    english = soup_of(client.get("/en/"))
    assert english.html["lang"] == "en"
    assert english.h1.get_text(strip=True) == "Help Centre"


def test_spanish_article_is_served_at_its_spanish_url(client, help_centre):
    assert help_centre.public_es.url == "/es/facturacion/cambia-tu-plan/"
    soup = soup_of(client.get("/es/facturacion/cambia-tu-plan/"))
    assert soup.html["lang"] == "es"
    assert soup.h1.get_text(strip=True) == "Cambia tu plan"
    assert soup.title.string.startswith("Cambia tu plan")
    crumbs = [li.get_text(strip=True) for li in soup.select("nav.breadcrumbs li")]
    assert crumbs == ["Centro de ayuda", "Facturación", "Cambia tu plan"]


# --- the language switcher -------------------------------------------------------------------


def test_switcher_links_an_article_to_its_translation(client, help_centre):
    links = switcher(client.get(help_centre.public.url))
    assert links == {"en": help_centre.public.url, "es": "/es/facturacion/cambia-tu-plan/"}
    back = switcher(client.get(links["es"]))
    assert back == {"en": help_centre.public.url, "es": help_centre.public_es.url}


def test_switcher_marks_the_current_language(client, help_centre):
    nav = soup_of(client.get(help_centre.public_es.url)).find("nav", class_="lang-switcher")
    current = [a["data-lang"] for a in nav.find_all("a", attrs={"aria-current": "true"})]
    assert current == ["es"]


def test_switcher_falls_back_to_the_spanish_home_without_a_translation(client, help_centre):
    lonely = ArticlePageFactory(parent=help_centre.category, slug="english-only")
    links = switcher(client.get(lonely.url))
    assert links["es"] == help_centre.home_es.url == "/es/"
    assert links["en"] == lonely.url
    landing = soup_of(client.get(links["es"]))
    assert landing.html["lang"] == "es"


def test_switcher_on_a_non_wagtail_page_keeps_the_path(client, help_centre):
    links = switcher(client.get("/en/accounts/login/"))
    assert links == {"en": "/en/accounts/login/", "es": "/es/accounts/login/"}
    assert client.get(links["es"]).status_code == 200


# --- translation freshness -------------------------------------------------------------------


@pytest.fixture
def superuser_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@x.test", "pw-root")
    client.force_login(admin)
    return client


def edit_url(page) -> str:
    return f"/admin/pages/{page.pk}/edit/"


def publish_via_admin(client, page: ArticlePage, *, up_to_date: bool):
    """Submit the page's own edit form as the admin renders it, then press Publish."""
    response = client.get(edit_url(page))
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data.pop("audience_groups", None)  # an empty multi-select: nothing chosen
    body = [
        (b["type"], rich_text(b["value"]) if b["type"] == "paragraph" else b["value"])
        for b in page.body.raw_data
    ]
    data.update(nested_form_data({"body": streamfield(body)}))
    if up_to_date:
        data["translation_up_to_date"] = "on"
    data["action-publish"] = "action-publish"
    response = client.post(edit_url(page), data)
    assert response.status_code == 302, "edit form rejected"
    return reload(page)


def test_never_synced_translation_is_stale(help_centre):
    es = reload(help_centre.public_es)
    assert es.source_synced_at is None
    assert es.translation_is_stale
    assert reload(help_centre.public).stale_translations() == [es]


def test_source_article_is_never_stale(help_centre):
    assert reload(help_centre.public).source_article() is None
    assert not reload(help_centre.public).translation_is_stale


def test_synced_translation_goes_stale_when_the_source_is_republished(
    superuser_client, help_centre
):
    es = publish_via_admin(superuser_client, help_centre.public_es, up_to_date=True)
    assert es.source_synced_at is not None
    assert es.last_published_at >= es.source_synced_at
    assert not es.translation_is_stale
    assert reload(help_centre.public).stale_translations() == []

    source = reload(help_centre.public)
    source.save_revision().publish()

    es = reload(es)
    assert es.translation_is_stale
    assert reload(help_centre.public).stale_translations() == [es]


def test_publishing_a_translation_without_ticking_the_box_keeps_it_stale(
    superuser_client, help_centre
):
    es = publish_via_admin(superuser_client, help_centre.public_es, up_to_date=False)
    assert es.last_published_at > reload(help_centre.public).last_published_at
    assert es.source_synced_at is None
    assert es.translation_is_stale


def test_admin_edit_page_shows_staleness_and_clears_it(superuser_client, help_centre):
    es = help_centre.public_es
    page = soup_of(superuser_client.get(edit_url(es)))
    assert page.find(attrs={"data-translation-stale": True}) is not None
    assert page.find("input", attrs={"name": "translation_up_to_date"}) is not None

    publish_via_admin(superuser_client, es, up_to_date=True)

    page = soup_of(superuser_client.get(edit_url(es)))
    assert page.find(attrs={"data-translation-stale": True}) is None
    assert page.find(attrs={"data-translation-current": True}) is not None


def test_admin_source_page_lists_its_stale_translations(superuser_client, help_centre):
    page = soup_of(superuser_client.get(edit_url(help_centre.public)))
    # The source itself has nothing to tick.
    assert page.find("input", attrs={"name": "translation_up_to_date"}) is None
    warning = page.find(attrs={"data-translation-stale": True})
    assert warning is not None
    assert warning.find("a", href=edit_url(help_centre.public_es)) is not None


def report_titles(client) -> list[str]:
    soup = soup_of(client.get("/admin/reports/stale-translations/"))
    return [row.find("a").get_text(strip=True) for row in soup.select("table.listing tbody tr")]


def test_stale_translations_report_lists_stale_articles(superuser_client, help_centre):
    # Only the translation is listed, never its source.
    assert report_titles(superuser_client) == ["Cambia tu plan"]

    publish_via_admin(superuser_client, help_centre.public_es, up_to_date=True)
    assert report_titles(superuser_client) == []

    reload(help_centre.public).save_revision().publish()
    assert report_titles(superuser_client) == ["Cambia tu plan"]
