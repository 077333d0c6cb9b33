"""The attacker's inputs, over real HTTP on the real database: one long word, a huge number, a
deeply nested body, NUL bytes, an oversized body. Each is a 4xx (or a normal answer) with a
JSON ``{"error": ...}`` under /api/, never a 500 and never a Python repr."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from guidance.models import GuidedApp
from tests.community.conftest import Homes, Page, Site, make_community
from tests.factories import CategoryPageFactory, HelpCentrePageFactory, translate

LONG_WORD = "plan" * 70  # one 280-character word, close by trigrams to the indexed "plan"
DEEP = "[" * 50_000 + "]" * 50_000
ORIGIN = "https://app.acme.test"


@pytest.fixture
def client():
    # A real server answers with its error pages; the test client must not re-raise instead.
    return Client(raise_request_exception=False)


@pytest.fixture
def app(db) -> GuidedApp:
    return GuidedApp.objects.create(name="Acme", allowed_origins=ORIGIN)


def assert_client_error(response, *allowed: int) -> dict:
    """A 4xx (one of ``allowed`` when given) with the JSON envelope and a readable message."""
    assert response.status_code < 500, response.content[:300]
    assert 400 <= response.status_code < 500, response.status_code
    if allowed:
        assert response.status_code in allowed, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    body = response.json()
    assert isinstance(body["error"], str) and body["error"]
    assert "ErrorDetail" not in body["error"] and "{'" not in body["error"], body["error"]
    return body


# One long word ---------------------------------------------------------------------------------


def long_word_request(client: Client, where: str, app: GuidedApp):
    query = f"plan {LONG_WORD}"
    if where == "api":
        return client.get("/api/v1/search", {"q": query})
    if where == "page":
        return client.get("/en/search/", {"q": query})
    if where == "launcher":
        params = {"key": app.public_key, "q": query}
        return client.get("/api/v1/guidance/search", params, HTTP_ORIGIN=ORIGIN)
    if where == "offer":
        body = {"message": f"How do I change my {query}"}
        return client.post("/api/v1/support/offers", body, content_type="application/json")
    return client.get("/api/v1/community/threads/similar/", {"q": query})


@pytest.mark.parametrize("where", ["api", "page", "launcher", "offer", "similar"])
def test_a_256_plus_character_word_in_any_search_is_no_500(
    client, help_centre, locales, app, where
):
    if where == "similar":
        make_community(help_centre, locales)
    response = long_word_request(client, where, app)
    assert response.status_code == 200, response.content[:300]


# A huge number ---------------------------------------------------------------------------------


def test_an_offset_beyond_bigint_is_a_400(client, homes, locales):
    make_community(homes, locales)
    for params in ({"offset": "9" * 30}, {"offset": str(2**63)}, {"limit": "9" * 30}):
        body = assert_client_error(client.get("/api/v1/community/threads/", params), 400)
        assert next(iter(params)) in body["error"]


@pytest.fixture
def homes(locales):
    root = Page.get_first_root_node()
    home = HelpCentrePageFactory(parent=root, slug="help", title="Help Centre")
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    home_es = translate(home, locales["es"], title="Centro de ayuda", slug="ayuda")
    category = CategoryPageFactory(parent=home, title="Billing", slug="billing")
    return Homes(home, home_es, category)


# Deeply nested JSON ----------------------------------------------------------------------------

JSON_POSTS = [
    "/api/v1/search/click",
    "/api/v1/community/threads/",
    "/api/v1/community/votes/",
    "/api/v1/guidance/events",
    "/api/v1/support/requests",
    "/api/v1/support/offers",
]


@pytest.mark.parametrize("path", JSON_POSTS)
def test_deeply_nested_json_is_a_400_on_every_json_endpoint(client, db, path):
    response = client.post(path, DEEP, content_type="application/json")
    assert_client_error(response, 400)


def test_deeply_nested_json_as_a_text_plain_beacon_is_a_400(client, db):
    response = client.post("/api/v1/guidance/events", DEEP, content_type="text/plain")
    assert_client_error(response, 400)


def test_json_nested_past_the_limit_but_not_the_stack_is_a_400(client, db):
    nested = {"message": "Where is my invoice please", "identity": json.loads("[" * 40 + "]" * 40)}
    response = client.post("/api/v1/support/requests", nested, content_type="application/json")
    assert_client_error(response, 400)


def test_nested_json_hidden_in_a_signed_field_is_a_400(client, app):
    traits = "[" * 1000 + "]" * 1000
    response = client.get(
        "/api/v1/guidance/page",
        {"key": app.public_key, "url": "/", "traits": traits},
        HTTP_ORIGIN=ORIGIN,
    )
    assert_client_error(response, 400)


# NUL bytes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/search?q=plan%00x",
        "/api/v1/search/suggest?q=pl%00",
        "/api/v1/community/threads/?show=%00",
        "/api/v1/community/threads/similar/?q=plan%00plan",
    ],
)
def test_nul_bytes_in_api_query_values_are_a_400(client, db, url):
    assert_client_error(client.get(url), 400)


def test_nul_bytes_on_the_search_page_are_a_400_not_a_500(client, db):
    response = client.get("/en/search/?q=plan%00x")
    assert response.status_code == 400


def test_nul_bytes_in_a_json_body_are_a_400(client, db):
    body = {"message": "Where is my invoice\u0000 please", "email": "a@b.test"}
    response = client.post("/api/v1/support/requests", body, content_type="application/json")
    assert_client_error(response, 400)
    identity = {"message": "Where is my invoice please", "identity": {"id": "\u0000"}}
    response = client.post("/api/v1/support/requests", identity, content_type="application/json")
    assert_client_error(response, 400)


def test_nul_bytes_in_a_form_post_are_a_400(client, help_centre):
    response = client.post(
        f"/feedback/article/{help_centre.public.pk}/",
        {"helpful": "no", "comment": "bad\x00comment"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400


# Oversized bodies ------------------------------------------------------------------------------


def test_an_oversized_json_body_is_a_json_413(client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.dumps({"message": "x" * 20_000})
    response = client.post("/api/v1/support/requests", body, content_type="application/json")
    assert_client_error(response, 413)


def test_an_oversized_form_body_is_json_under_api(client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = client.post("/api/v1/support/requests", {"message": "x" * 20_000})
    assert_client_error(response, 413)


# Messages, never reprs; JSON 404s --------------------------------------------------------------


def test_validation_errors_inside_lists_are_messages(client, db):
    response = client.post(
        "/api/v1/support/requests",
        {"message": "Where is my invoice please", "remove": [["x"]]},
        content_type="application/json",
    )
    body = assert_client_error(response, 400)
    assert all(isinstance(v, str) and "ErrorDetail" not in v for v in body["errors"].values())


def test_community_validation_errors_inside_lists_are_messages(
    client, homes, locales, django_user_model
):
    make_community(homes, locales)
    client.force_login(django_user_model.objects.create_user("mia"))
    response = client.post(
        "/api/v1/community/threads/",
        {"title": "How do I export?", "body": "Some body text here", "tags": [["x"]]},
        content_type="application/json",
    )
    body = assert_client_error(response, 400)
    assert body["error"].startswith("tags")


@pytest.mark.parametrize(
    "path",
    ["/api/v1/nothing-here", "/api/v1/community/threads/999999/", "/api/v1/support/requests/x"],
)
def test_unknown_api_paths_are_json_404s(client, db, path):
    assert_client_error(client.get(path), 404)


@pytest.mark.parametrize("path", ["/api/v1/support/offers", "/api/v1/support/requests"])
def test_a_locale_that_is_not_a_site_language_is_a_400(client, help_centre, path):
    """Found by the schema fuzzer: a "%" in the locale reached URL reversing (500)."""
    body = {"message": "I cannot change my plan at all", "locale": "¾i2%,Ö"}
    response = client.post(path, json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert "locale" in response.json()["errors"]
    assert "not a valid choice" in response.json()["error"]


def test_the_engine_refuses_an_unknown_locale(db):
    from search.engine import QueryError, SearchRequest, search

    with pytest.raises(QueryError, match="locale"):
        search(SearchRequest(query="plan", locale="%,"))
