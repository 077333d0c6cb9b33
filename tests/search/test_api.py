"""The search API and page on a small, really indexed help centre (indexing runs on publish)."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from search.models import SearchClick, SearchDocument, SearchQueryLog
from search.serializers import SearchResponseSerializer

SEARCH = "/api/v1/search"
SUGGEST = "/api/v1/search/suggest"
CLICK = "/api/v1/search/click"


@pytest.fixture
def site(help_centre):
    # The fixture's articles share one body ("Open Settings and choose a plan…"), so "plan"
    # matches the public article and both restricted ones.
    assert SearchDocument.objects.filter(object_id=str(help_centre.customers_only.pk)).exists()
    return help_centre


def get(client: Client, url: str, **params):
    response = client.get(url, params, HTTP_ACCEPT="application/json")
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response


def titles(body: dict) -> list[str]:
    return [hit["title"] for hit in body["hits"]]


def test_search_returns_the_public_article_explained_with_next_steps(client, site):
    response = get(client, SEARCH, q="which role do I need")
    assert response.status_code == 200
    body = response.json()
    top = body["hits"][0]
    assert top["title"] == "Change your plan"
    assert top["type"] == "article"
    assert top["id"] == str(site.public.pk)
    # A deep link to the section that answers, with the matched word marked.
    assert top["url"] == "/en/billing/change-plan/#before-you-start"
    assert top["heading"] == "Before you start"
    assert "<mark>role</mark>" in top["snippet"]
    assert set(top["explanation"]) == {
        "matched_terms", "keyword_score", "semantic_similarity", "promoted", "score", "parts",
    }  # fmt: skip
    assert "role" in top["explanation"]["matched_terms"]
    assert {step["type"] for step in body["next_steps"]} >= {"read_section", "contact_human"}
    assert isinstance(body["query_id"], int)
    assert body["locale"] == "en"
    for key in ("total", "did_you_mean", "confidence", "answer_likely_missing", "latency_ms"):
        assert key in body
    # What the OpenAPI schema promises is exactly what is sent: nothing missing, nothing extra.
    assert json.loads(json.dumps(SearchResponseSerializer(body).data)) == body


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        (None, {"Change your plan"}),
        ("customer", {"Change your plan", "Download invoices"}),
        ("enterprise_customer", {"Change your plan", "Download invoices", "Negotiated pricing"}),
        ("editor", {"Change your plan", "Download invoices", "Negotiated pricing"}),
    ],
)
def test_restricted_articles_only_for_those_who_may_read_them(
    client, site, request, user, expected
):
    if user:
        client.force_login(request.getfixturevalue(user))
    body = get(client, SEARCH, q="choose a plan", limit=50).json()
    assert set(titles(body)) == expected
    assert body["total"] == len(expected)
    hidden = {"Download invoices", "Negotiated pricing"} - expected
    text = json.dumps(body)
    for title in hidden:
        assert title not in text  # not in hits, snippets, next steps or related articles

    suggested = {s["title"] for s in get(client, SUGGEST, q="down").json()["suggestions"]}
    assert ("Download invoices" in suggested) == ("Download invoices" in expected)
    suggested = {s["title"] for s in get(client, SUGGEST, q="negotiated pri").json()["suggestions"]}
    assert ("Negotiated pricing" in suggested) == ("Negotiated pricing" in expected)


def test_did_you_mean_never_reveals_restricted_words(client, site, enterprise_customer):
    # Corrections come only from words in sections this visitor may see.
    assert get(client, SEARCH, q="negotiatd").json()["did_you_mean"] is None
    assert "negotiated" not in client.get("/en/search/", {"q": "negotiatd"}).content.decode()
    assert get(client, SEARCH, q="settngs").json()["did_you_mean"] == "settings"
    page = client.get("/en/search/", {"q": "settngs", "category": "billing"}).content.decode()
    # The page shows the corrected results and keeps the filters on "search instead for".
    assert "Showing results for <strong>settings</strong>." in page
    assert 'href="?q=settngs&amp;category=billing&amp;correct=false"' in page
    as_typed = client.get(
        "/en/search/", {"q": "settngs", "category": "billing", "correct": "false"}
    )
    assert 'Did you mean <a href="?q=settings&amp;category=billing">settings</a>?' in (
        as_typed.content.decode()
    )
    client.force_login(enterprise_customer)
    assert get(client, SEARCH, q="negotiatd").json()["did_you_mean"] == "negotiated"


def test_a_person_comes_first_when_the_answer_is_likely_missing(client, site):
    # (A typo is not "unsure": "settngs" is searched as "settings"; see test_customer_search.)
    unsure = get(client, SEARCH, q="how do I bake sourdough bread at home").json()
    assert unsure["answer_likely_missing"] is True
    assert unsure["next_steps"][0]["type"] == "contact_human"
    sure = get(client, SEARCH, q="which role do I need").json()
    assert sure["answer_likely_missing"] is False
    assert sure["next_steps"][0]["type"] == "read_section"
    assert sure["next_steps"][-1]["type"] == "contact_human"


def test_suggest_completes_titles_with_urls(client, site):
    response = get(client, SUGGEST, q="cha")
    assert response.status_code == 200
    assert response.json() == {
        "query": "cha",
        "suggestions": [
            {
                "type": "article",
                "id": str(site.public.pk),
                "title": "Change your plan",
                "url": "/en/billing/change-plan/",
            }
        ],
    }


def test_locale_parameter_and_request_language(client, site):
    response = get(client, SEARCH, q="plan", locale="es")
    assert "Accept-Language" in response["Vary"]
    body = response.json()
    assert titles(body) == ["Cambia tu plan"]
    assert body["hits"][0]["url"].startswith("/es/facturacion/cambia-tu-plan/")
    assert body["locale"] == "es"
    # Without the parameter the request's language decides.
    response = client.get(SEARCH, {"q": "plan"}, HTTP_ACCEPT_LANGUAGE="es")
    assert response.json()["locale"] == "es"
    suggested = get(client, SUGGEST, q="camb", locale="es").json()["suggestions"]
    assert [s["title"] for s in suggested] == ["Cambia tu plan"]


def test_type_and_category_filters(client, site):
    assert titles(get(client, SEARCH, q="plan", type="article").json()) == ["Change your plan"]
    repeated = client.get(f"{SEARCH}?q=plan&type=article&type=article")
    assert repeated.status_code == 200
    assert titles(get(client, SEARCH, q="plan", category="billing").json()) == ["Change your plan"]
    assert get(client, SEARCH, q="plan", category="elsewhere").json()["total"] == 0
    response = get(client, SEARCH, q="plan", type="article,forum")
    assert response.status_code == 400
    assert "forum" in response.json()["error"]


@pytest.mark.parametrize(
    ("params", "word"),
    [
        ({}, "search"),
        ({"q": ""}, "search"),
        ({"q": "   "}, "search"),
        ({"q": "x" * 301}, "300"),
        ({"q": "plan", "semantic_ratio": "2"}, "semantic_ratio"),
        ({"q": "plan", "semantic_ratio": "-0.1"}, "semantic_ratio"),
        ({"q": "plan", "semantic_ratio": "abc"}, "semantic_ratio"),
        ({"q": "plan", "semantic_ratio": "nan"}, "semantic_ratio"),
        ({"q": "plan", "limit": "0"}, "limit"),
        ({"q": "plan", "limit": "51"}, "limit"),
        ({"q": "plan", "limit": "ten"}, "limit"),
        ({"q": "plan", "locale": "fr"}, "locale"),
        ({"q": "plan", "type": "nonsense"}, "type"),
        ({"q": "plan", "category": "c" * 121}, "category"),
        ({"q": "plan\x00"}, ""),
    ],
)
def test_malformed_searches_are_400_with_a_reason(client, site, params, word):
    response = get(client, SEARCH, **params)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"error"}
    assert word.lower() in body["error"].lower()
    assert not SearchQueryLog.objects.exists()


@pytest.mark.parametrize(
    "params", [{}, {"q": ""}, {"q": "x" * 301}, {"q": "a", "locale": "de"}, {"q": "a", "limit": 0}]
)
def test_malformed_suggestions_are_400(client, site, params):
    response = get(client, SUGGEST, **params)
    assert response.status_code == 400
    assert set(response.json()) == {"error"}


def test_rate_limit_answers_429(client, site, settings):
    settings.FARO_SEARCH_RATE = "2/hour"
    settings.FARO_SUGGEST_RATE = "1/hour"
    assert get(client, SEARCH, q="plan").status_code == 200
    assert get(client, SEARCH, q="plan").status_code == 200
    limited = get(client, SEARCH, q="plan")
    assert limited.status_code == 429
    assert "error" in limited.json()
    assert int(limited["Retry-After"]) > 0
    assert SearchQueryLog.objects.count() == 2
    assert get(client, SUGGEST, q="cha").status_code == 200
    assert get(client, SUGGEST, q="cha").status_code == 429
    # The page shares the search budget.
    assert client.get("/en/search/", {"q": "plan"}).status_code == 429


def test_openapi_schema_and_docs_ui(client, db):
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    paths = schema["paths"]
    assert {"/api/v1/search", "/api/v1/search/suggest", "/api/v1/search/click"} <= set(paths)
    names = {p["name"] for p in paths["/api/v1/search"]["get"]["parameters"]}
    assert names >= {"q", "locale", "semantic_ratio", "type", "category", "product_area", "limit"}
    assert {"200", "400", "429"} <= set(paths["/api/v1/search"]["get"]["responses"])
    assert "SearchResponse" in schema["components"]["schemas"]
    assert "query_id" in schema["components"]["schemas"]["SearchResponse"]["properties"]
    assert all(path.startswith("/api/") for path in paths)  # not Wagtail's admin API
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "loads from the internet"


def test_each_search_is_logged_without_an_ip_address(client, site):
    query_id = get(client, SEARCH, q="  change   plan ", category="billing").json()["query_id"]
    log = SearchQueryLog.objects.get(pk=query_id)
    assert log.query == "change plan"
    assert log.channel == "api"
    assert log.locale == "en"
    assert log.filters == {"category": "billing", "limit": 10}
    assert log.result_count == 1
    assert log.top_results[0] == {"type": "article", "id": str(site.public.pk), "section": ""}
    assert log.top_results[0].keys() == {"type", "id", "section"}
    assert 0 <= log.semantic_ratio <= 1 and log.latency_ms > 0
    assert re.fullmatch(r"[0-9a-f]{64}", log.session_hash)
    row = json.dumps({f.name: str(getattr(log, f.name)) for f in log._meta.fields})
    assert "127.0.0.1" not in row
    # The same visitor keeps the same hash; suggestions are not logged.
    get(client, SEARCH, q="plan")
    get(client, SUGGEST, q="pla")
    assert SearchQueryLog.objects.count() == 2
    assert set(SearchQueryLog.objects.values_list("session_hash", flat=True)) == {log.session_hash}


def test_click_is_recorded_for_a_logged_search(client, site, customer):
    query_id = get(client, SEARCH, q="plan").json()["query_id"]
    # A signed-in visitor's beacon carries no CSRF token and must still be accepted.
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(customer)
    click = {"query_id": query_id, "type": "article", "id": str(site.public.pk), "position": 1}
    response = csrf_client.post(CLICK, click)  # form-encoded, as navigator.sendBeacon sends it
    assert response.status_code == 201
    assert response.json() == {"recorded": True}
    response = client.post(CLICK, {**click, "section": "before-you-start", "position": 2},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 201
    clicks = SearchClick.objects.filter(query_log_id=query_id).order_by("position")
    assert [(c.object_id, c.section, c.position) for c in clicks] == [
        (str(site.public.pk), "", 1),
        (str(site.public.pk), "before-you-start", 2),
    ]


@pytest.mark.parametrize(
    "change",
    [{"query_id": 999999}, {"query_id": "x"}, {"position": 0}, {"type": ""}, {"id": None}],
)
def test_bad_clicks_are_400(client, site, change):
    query_id = get(client, SEARCH, q="plan").json()["query_id"]
    click = {"query_id": query_id, "type": "article", "id": "1", "position": 1, **change}
    click = {key: value for key, value in click.items() if value is not None}
    response = client.post(CLICK, click, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"error"}
    assert not SearchClick.objects.exists()


def test_malformed_json_and_wrong_method_keep_the_error_shape(client, db):
    response = client.post(CLICK, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"error"}
    response = client.get(CLICK)
    assert response.status_code == 405
    assert set(response.json()) == {"error"}


# The server-rendered page -------------------------------------------------------------------


def test_search_page_renders_results_filters_and_next_steps(client, site):
    response = client.get("/en/search/", {"q": "owner role"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="search"' in html
    assert 'href="/en/billing/change-plan/#before-you-start"' in html
    assert "<mark>Owner</mark>" in html
    assert "data-next-steps" in html
    assert "Why this result?" in html
    assert 'role="status"' in html
    assert '<option value="billing">Billing</option>' in html
    assert "Download invoices" not in html
    log = SearchQueryLog.objects.get()
    assert log.channel == "page"
    assert f'data-query-id="{log.pk}"' in html


def test_search_page_in_spanish_and_without_query(client, site):
    response = client.get("/es/search/", {"q": "plan"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/es/facturacion/cambia-tu-plan/' in html
    assert '<option value="facturacion">Facturación</option>' in html
    # Another language's category (after switching) is dropped, not an error.
    assert client.get("/es/search/", {"q": "plan", "category": "billing"}).status_code == 200
    landing = client.get("/en/search/")
    assert landing.status_code == 200
    assert not SearchQueryLog.objects.filter(channel="page", locale="en").exists()


def test_search_page_shows_errors_instead_of_failing(client, site):
    response = client.get("/en/search/", {"q": "x" * 301})
    assert response.status_code == 400
    assert "Keep the search under 300 characters." in response.content.decode()


def test_header_and_home_hero_have_search_boxes(client, site):
    html = client.get("/en/").content.decode()
    assert 'id="header-search"' in html
    assert 'id="hero-search"' in html
    assert html.count('role="search"') == 2
    assert 'action="/en/search/"' in html
