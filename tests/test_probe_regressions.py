"""Controls the outside probe found holding, with a test where none existed: suggestions never
complete a restricted title, and the help centre's forms refuse a cross-site POST (no CSRF
token), so a page elsewhere cannot send a support request or a question as the visitor."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("prefix", ["dow", "neg"])
def test_suggestions_never_complete_a_restricted_title_for_anonymous(client, help_centre, prefix):
    """ "Download invoices" is for customers, "Negotiated pricing" for one group."""
    response = client.get("/api/v1/search/suggest", {"q": prefix, "locale": "en"})
    assert response.status_code == 200
    titles = [s["title"] for s in response.json()["suggestions"]]
    assert not [t for t in titles if t.startswith(("Download", "Negotiated"))], titles


def test_support_and_consent_forms_refuse_a_post_without_the_csrf_token(help_centre):
    browser = Client(enforce_csrf_checks=True)
    form = {"step": "send", "message": "A cross-site request", "email": "x@x.test"}
    assert browser.post("/en/support/", form).status_code == 403
    assert browser.post("/en/support/consent/", {"choice": "granted"}).status_code == 403
    assert browser.post("/en/support/privacy/", {"email": "x@x.test"}).status_code == 403
    page = browser.get("/en/support/")
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else None
    assert token, "the contact page sets a CSRF cookie"
