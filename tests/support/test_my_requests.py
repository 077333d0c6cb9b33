"""A signed-in customer's own requests, the contact form pre-filled from search, and the
password reset by e-mail (issue 19), over real HTTP through Django's test client."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from support.models import SupportRequest
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_my_requests_needs_an_account_and_shows_only_its_own(client, help_centre):
    response = client.get("/en/support/requests/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")

    me, other = make_user("casey"), make_user("olga")
    SupportRequest.objects.create(reference="FR-MINE01", user=me, message="Export is empty")
    SupportRequest.objects.create(
        reference="FR-OTHER1", user=other, email=me.email, message="Not yours"
    )  # same address, other account: typed addresses prove nothing
    client.force_login(me)
    page = client.get("/en/support/requests/")
    html = page.content.decode()
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    assert "Request FR-MINE01" in html and "Export is empty" in html
    assert "FR-OTHER1" not in html and "Not yours" not in html
    assert "Mis solicitudes" in client.get("/es/support/requests/").content.decode()


def test_contact_from_search_prefills_the_question(client, help_centre):
    html = client.get("/en/support/", {"from": "search", "q": "  export   csv "}).content.decode()
    assert ">export csv</textarea>" in html
    assert "our team sees only what you write here" in html  # no consent given


def test_password_reset_end_to_end(client, help_centre):
    make_user("casey")
    page = client.get("/en/accounts/login/").content.decode()
    assert 'href="/en/accounts/password-reset/"' in page
    response = client.post("/en/accounts/password-reset/", {"email": "casey@x.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/en/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    set_password_url = form.redirect_chain[-1][0]
    done = client.post(
        set_password_url, {"new_password1": "a-new-Secret-42", "new_password2": "a-new-Secret-42"}
    )
    assert done.status_code == 302
    assert get_user_model().objects.get(username="casey").check_password("a-new-Secret-42")
    # Unknown addresses get the same answer and no e-mail.
    client.post("/en/accounts/password-reset/", {"email": "nobody@x.test"})
    assert len(mail.outbox) == 1
