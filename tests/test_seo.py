"""What search engines see: the sitemap, canonical and hreflang links, JSON-LD and robots.txt."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from wagtail.models import PageViewRestriction

from kb.models import Audience

from .factories import ArticlePageFactory, block

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def json_ld_payloads(response) -> list[dict]:
    scripts = soup_of(response).find_all("script", type="application/ld+json")
    assert scripts, "page has no JSON-LD"
    return [json.loads(script.string) for script in scripts]


def graph_of(response) -> list[dict]:
    (payload,) = json_ld_payloads(response)
    assert payload["@context"] == "https://schema.org"
    return payload["@graph"]


def of_type(graph: list[dict], kind: str) -> list[dict]:
    return [node for node in graph if node["@type"] == kind]


def article_with_body(help_centre, slug: str, body: list[dict], **fields):
    return ArticlePageFactory(
        parent=help_centre.category, slug=slug, body=json.dumps(body), **fields
    )


# --- sitemap ---------------------------------------------------------------------------------


@pytest.fixture
def sitemap(client, help_centre) -> dict[str, ET.Element]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{NS['sm']}}}urlset"
    return {url.findtext("sm:loc", namespaces=NS): url for url in root.findall("sm:url", NS)}


def test_sitemap_lists_english_and_spanish_pages(sitemap, help_centre):
    h = help_centre
    for page in (h.home, h.category, h.public, h.home_es, h.category_es, h.public_es):
        assert page.get_full_url() in sitemap, page.url
    assert h.public_es.get_full_url().endswith("/es/facturacion/cambia-tu-plan/")


def test_sitemap_links_translations_with_hreflang(sitemap, help_centre):
    def alternates(url: str) -> dict[str, str]:
        links = sitemap[url].findall("xhtml:link", NS)
        assert all(link.get("rel") == "alternate" for link in links)
        return {link.get("hreflang"): link.get("href") for link in links}

    en_url = help_centre.public.get_full_url()
    es_url = help_centre.public_es.get_full_url()
    assert alternates(en_url) == {"en": en_url, "es": es_url}
    assert alternates(es_url) == {"en": en_url, "es": es_url}


def test_sitemap_has_no_alternates_for_an_untranslated_article(client, help_centre):
    lonely = ArticlePageFactory(parent=help_centre.category, slug="english-only")
    root = ET.fromstring(client.get("/sitemap.xml").content)
    (entry,) = [
        url
        for url in root.findall("sm:url", NS)
        if url.findtext("sm:loc", namespaces=NS) == lonely.get_full_url()
    ]
    assert entry.findall("xhtml:link", NS) == []


def test_sitemap_leaves_out_restricted_articles(sitemap, help_centre):
    locations = set(sitemap)
    for restricted in (help_centre.customers_only, help_centre.enterprise_only):
        assert restricted.get_full_url() not in locations
        assert not any(restricted.slug in loc for loc in locations)


@pytest.fixture
def restricted_translation(help_centre):
    """The public English article's Spanish translation is for signed-in customers only."""
    es = help_centre.public_es
    es.audience = Audience.CUSTOMERS
    es.save_revision().publish()
    return es


def test_sitemap_never_points_hreflang_at_a_restricted_translation(
    client, help_centre, restricted_translation
):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    locations = [url.findtext("sm:loc", namespaces=NS) for url in root.findall("sm:url", NS)]
    hrefs = {link.get("href") for link in root.iterfind("sm:url/xhtml:link", NS)}
    es_url = restricted_translation.get_full_url()
    assert es_url not in locations
    assert es_url not in hrefs
    (entry,) = [
        url
        for url in root.findall("sm:url", NS)
        if url.findtext("sm:loc", namespaces=NS) == help_centre.public.get_full_url()
    ]
    # Only the English version is left, so no alternates at all (as for untranslated pages).
    assert entry.findall("xhtml:link", NS) == []
    # Translations that are public keep theirs.
    assert help_centre.category_es.get_full_url() in hrefs


def test_sitemap_never_points_hreflang_at_a_login_restricted_page(client, help_centre):
    PageViewRestriction.objects.create(
        page=help_centre.public_es, restriction_type=PageViewRestriction.LOGIN
    )
    root = ET.fromstring(client.get("/sitemap.xml").content)
    hrefs = {link.get("href") for link in root.iterfind("sm:url/xhtml:link", NS)}
    locations = {url.findtext("sm:loc", namespaces=NS) for url in root.findall("sm:url", NS)}
    es_url = help_centre.public_es.get_full_url()
    assert es_url not in locations | hrefs
    assert help_centre.public.get_full_url() in locations


def test_robots_txt_points_at_the_sitemap(client, help_centre):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
    assert client.get("/sitemap.xml").status_code == 200


# --- canonical and hreflang ------------------------------------------------------------------


def head_links(response) -> tuple[str, dict[str, str]]:
    head = soup_of(response).head
    canonicals = head.find_all("link", rel="canonical")
    assert len(canonicals) == 1
    alternates = {
        link["hreflang"]: link["href"]
        for link in head.find_all("link", rel="alternate")
        if link.has_attr("hreflang")
    }
    return canonicals[0]["href"], alternates


def test_article_has_canonical_and_hreflang_links(client, help_centre):
    en_url = help_centre.public.get_full_url()
    es_url = help_centre.public_es.get_full_url()
    assert en_url.startswith("http://") and en_url.endswith("/en/billing/change-plan/")

    canonical, alternates = head_links(client.get(help_centre.public.url))
    assert canonical == en_url
    assert alternates == {"en": en_url, "es": es_url, "x-default": en_url}

    canonical, alternates = head_links(client.get(help_centre.public_es.url))
    assert canonical == es_url
    assert alternates == {"en": en_url, "es": es_url, "x-default": en_url}


def test_untranslated_article_does_not_claim_a_spanish_version(client, help_centre):
    """The switcher falls back to the Spanish home, but hreflang must not: that home is not a
    translation of this article."""
    lonely = ArticlePageFactory(parent=help_centre.category, slug="english-only")
    canonical, alternates = head_links(client.get(lonely.url))
    assert canonical == lonely.get_full_url()
    assert "es" not in alternates
    assert help_centre.home_es.get_full_url() not in alternates.values()
    assert set(alternates.values()) <= {lonely.get_full_url()}


def test_article_does_not_claim_a_restricted_translation(
    client, help_centre, restricted_translation
):
    """Anonymous visitors (and crawlers) cannot read the Spanish version, so the head must not
    announce it, nor pass off the Spanish home as this article's translation."""
    canonical, alternates = head_links(client.get(help_centre.public.url))
    assert canonical == help_centre.public.get_full_url()
    assert "es" not in alternates
    assert restricted_translation.get_full_url() not in alternates.values()
    assert help_centre.home_es.get_full_url() not in alternates.values()


def test_canonical_ignores_the_query_string(client, help_centre):
    canonical, _ = head_links(client.get(help_centre.public.url + "?feedback=thanks"))
    assert canonical == help_centre.public.get_full_url()


# --- JSON-LD ---------------------------------------------------------------------------------


def test_every_page_json_ld_parses(client, help_centre):
    for page in (help_centre.home, help_centre.category, help_centre.public, help_centre.home_es):
        graph = graph_of(client.get(page.url))
        assert graph, page.url


def test_article_is_an_article_with_breadcrumbs(client, help_centre):
    graph = graph_of(client.get(help_centre.public.url))
    (article,) = of_type(graph, "Article")
    assert article["headline"] == "Change your plan"
    assert article["url"] == help_centre.public.get_full_url()
    assert article["inLanguage"] == "en"
    (crumbs,) = of_type(graph, "BreadcrumbList")
    assert [
        (item["position"], item["name"], item["item"]) for item in crumbs["itemListElement"]
    ] == [
        (1, "Help Centre", help_centre.home.get_full_url()),
        (2, "Billing", help_centre.category.get_full_url()),
        (3, "Change your plan", help_centre.public.get_full_url()),
    ]


def test_spanish_article_json_ld_is_in_spanish(client, help_centre):
    graph = graph_of(client.get(help_centre.public_es.url))
    (article,) = of_type(graph, "Article")
    assert article["headline"] == "Cambia tu plan"
    assert article["inLanguage"] == "es"
    (crumbs,) = of_type(graph, "BreadcrumbList")
    assert [item["name"] for item in crumbs["itemListElement"]] == [
        "Centro de ayuda",
        "Facturación",
        "Cambia tu plan",
    ]


def test_article_without_faq_or_steps_has_neither(client, help_centre):
    graph = graph_of(client.get(help_centre.public.url))
    assert of_type(graph, "FAQPage") == []
    assert of_type(graph, "HowTo") == []


def test_article_with_faq_items_is_a_faq_page(client, help_centre):
    faqs = [
        ("Can I switch plans mid-month?", "Yes, and we <b>prorate</b> the difference."),
        ("Do I lose data when I downgrade?", "No. Nothing is deleted."),
    ]
    article = article_with_body(
        help_centre,
        "plan-faq",
        [
            block("paragraph", "<p>Common questions about plans.</p>"),
            *(block("faq", {"question": q, "answer": f"<p>{a}</p>"}) for q, a in faqs),
        ],
    )
    graph = graph_of(client.get(article.url))
    (faq_page,) = of_type(graph, "FAQPage")
    questions = faq_page["mainEntity"]
    assert [q["name"] for q in questions] == [q for q, _ in faqs]
    assert [q["@type"] for q in questions] == ["Question", "Question"]
    assert [q["acceptedAnswer"]["text"] for q in questions] == [
        "Yes, and we prorate the difference.",
        "No. Nothing is deleted.",
    ]
    assert of_type(graph, "HowTo") == []
    assert len(of_type(graph, "Article")) == 1


def test_article_with_numbered_steps_is_a_how_to(client, help_centre):
    steps = ["Open <b>Settings</b>.", "Choose Billing.", "Pick a new plan."]
    article = article_with_body(
        help_centre,
        "plan-steps",
        [
            block("heading", {"text": "Steps", "level": "h2"}),
            block(
                "steps",
                {
                    "title": "",
                    "steps": [block("item", {"text": f"<p>{s}</p>", "image": None}) for s in steps],
                },
            ),
        ],
        title="Switch to another plan",
    )
    graph = graph_of(client.get(article.url))
    (how_to,) = of_type(graph, "HowTo")
    assert how_to["name"] == "Switch to another plan"
    assert [(s["@type"], s["position"], s["text"]) for s in how_to["step"]] == [
        ("HowToStep", 1, "Open Settings."),
        ("HowToStep", 2, "Choose Billing."),
        ("HowToStep", 3, "Pick a new plan."),
    ]
    assert of_type(graph, "FAQPage") == []


def test_json_ld_cannot_break_out_of_its_script_tag(client, help_centre):
    evil = "Plans </script><script>alert(1)</script> & more"
    article = ArticlePageFactory(
        parent=help_centre.category, slug="evil-title", title=evil, summary="<b>bold</b> summary"
    )
    response = client.get(article.url)
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html

    scripts = soup_of(response).find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    payload = scripts[0].string
    assert "</script" not in payload.lower()
    assert "<" not in payload and ">" not in payload
    graph = json.loads(payload)["@graph"]
    (node,) = of_type(graph, "Article")
    assert node["headline"] == evil
    assert node["description"] == "<b>bold</b> summary"
    # Nothing after the JSON-LD escaped into the page as a new script.
    assert all(
        s.get("type") == "application/ld+json" or s.get("src")
        for s in soup_of(response).find_all("script")
    )
