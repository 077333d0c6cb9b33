"""Password guessing is throttled on both login pages (django-axes), per username and client,
without storing a raw address; ``X-Forwarded-For`` counts only from a trusted proxy."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory

from core.visitors import client_ip, hashed_ip_address
from tests.factories import make_user

PASSWORD = "correct horse battery staple"
SITE_LOGIN = "/en/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


@pytest.fixture
def person(db):
    user = make_user("lou", staff=True)
    user.set_password(PASSWORD)
    user.is_superuser = True  # may use the Wagtail admin too
    user.save()
    return user


def attempt(client: Client, url: str, username: str, password: str, **extra) -> int:
    return client.post(url, {"username": username, "password": password}, **extra).status_code


@pytest.mark.parametrize("url", [SITE_LOGIN, ADMIN_LOGIN])
def test_five_wrong_passwords_lock_the_username_out_from_that_client(person, settings, url):
    settings.AXES_FAILURE_LIMIT = 5
    client = Client(REMOTE_ADDR="203.0.113.7")
    codes = [attempt(client, url, "lou", f"guess-{n}") for n in range(5)]
    assert 429 not in codes[:4]
    # Locked: even the right password is refused now, with 429.
    assert attempt(client, url, "lou", PASSWORD) == 429
    # Another client (another network) is not locked out of the same account.
    assert attempt(Client(REMOTE_ADDR="198.51.100.20"), url, "lou", PASSWORD) == 302


def test_the_lockout_stores_no_raw_address(person):
    client = Client(REMOTE_ADDR="203.0.113.7")
    attempt(client, SITE_LOGIN, "lou", "wrong")
    stored = AccessAttempt.objects.get(username="lou")
    assert stored.ip_address != "203.0.113.7"
    assert "203.0.113.7" not in str(stored.ip_address)


def test_a_right_password_resets_the_count(person, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = Client(REMOTE_ADDR="203.0.113.7")
    attempt(client, SITE_LOGIN, "lou", "wrong")
    attempt(client, SITE_LOGIN, "lou", "wrong")
    assert attempt(client, SITE_LOGIN, "lou", PASSWORD) == 302
    client.logout()
    assert attempt(client, SITE_LOGIN, "lou", "wrong") == 200
    assert attempt(client, SITE_LOGIN, "lou", "wrong") == 200
    assert attempt(client, SITE_LOGIN, "lou", PASSWORD) == 302


# Trusted proxies -------------------------------------------------------------------------------


def request_from(peer: str, forwarded: str = ""):
    meta = {"REMOTE_ADDR": peer}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_x_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(settings):
    settings.FARO_TRUSTED_PROXIES = []
    assert client_ip(request_from("203.0.113.7", "1.2.3.4")) == "203.0.113.7"
    settings.FARO_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request_from("203.0.113.7", "1.2.3.4")) == "203.0.113.7"
    # Behind the proxy: the right-most address the trusted proxies did not add.
    assert client_ip(request_from("10.0.0.2", "1.2.3.4")) == "1.2.3.4"
    assert client_ip(request_from("10.0.0.2", "6.6.6.6, 1.2.3.4, 10.0.0.9")) == "1.2.3.4"
    assert client_ip(request_from("10.0.0.2", "not-an-address")) == "10.0.0.2"
    assert client_ip(request_from("10.0.0.2")) == "10.0.0.2"


def test_the_axes_client_is_a_stable_salted_hash():
    one = hashed_ip_address(request_from("203.0.113.7"))
    assert one == hashed_ip_address(request_from("203.0.113.7"))
    assert one != hashed_ip_address(request_from("203.0.113.8"))
    assert "203.0.113.7" not in one


def test_a_spoofed_header_does_not_escape_a_lockout(person, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.FARO_TRUSTED_PROXIES = ["10.0.0.0/8"]
    direct = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(3):
        attempt(direct, SITE_LOGIN, "lou", "wrong", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}")
    assert attempt(direct, SITE_LOGIN, "lou", PASSWORD, HTTP_X_FORWARDED_FOR="9.9.9.9") == 429
    # Through the trusted proxy, each real client is its own: another one is not locked out.
    proxied = Client(REMOTE_ADDR="10.0.0.2")
    assert attempt(proxied, SITE_LOGIN, "lou", PASSWORD, HTTP_X_FORWARDED_FOR="1.2.3.4") == 302


def test_a_spoofed_header_does_not_escape_a_rate_limit(help_centre, settings):
    settings.FARO_SEARCH_RATE = "2/minute"
    client = Client(REMOTE_ADDR="203.0.113.7")
    codes = [
        client.get("/api/v1/search", {"q": "plan"}, HTTP_X_FORWARDED_FOR=f"1.2.3.{n}").status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]
