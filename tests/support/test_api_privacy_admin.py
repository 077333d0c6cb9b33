"""The snippet API (create, status, offers, schema, rate limit), privacy export/delete by email
link and by staff, and the agents' inbox actions."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail

from core import journey
from core.models import JourneyEvent
from hosts.identity import sign_fields
from kb.models import ArticleFeedback
from support import actions
from support.models import SupportMessage, SupportRequest
from support.validation import RequestInput

pytestmark = pytest.mark.django_db
CREATE = "/api/v1/support/requests"


@pytest.fixture(autouse=True)
def _run_on_commit(monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda fn, using=None, robust=False: fn())


def test_the_snippet_links_the_journey_and_a_signed_identity(client, settings):
    settings.FARO_SNIPPET_SECRETS = {"app1": "s3cret"}
    visitor = journey.snippet_visitor("app1", "anon-42")
    journey.record_for_visitor(visitor, "tip_shown", {"title": "Try exports"}, consented=True)
    journey.record_for_visitor(visitor, "product_page", {"url": "https://app/x"}, consented=True)
    body = {
        "message": "Export button does nothing",
        "app_key": "app1",
        "anonymous_id": "anon-42",
        "consent": True,
        "identity": {"id": "u-7", "email": "u7@x.test", "name": "Uma"},
        "identity_signature": sign_fields("s3cret", "u-7", "u7@x.test", "Uma"),
        "page_url": "https://app/x",
        "remove": ["product_page"],
    }
    headers = {"HTTP_IDEMPOTENCY_KEY": "abc"}
    response = client.post(CREATE, body, content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    again = client.post(CREATE, body, content_type="application/json", **headers)
    assert again.status_code == 200 and again.json()["reference"] == response.json()["reference"]
    support_request = SupportRequest.objects.get()
    assert support_request.identity_verified and support_request.external_id == "u-7"
    assert support_request.email == "u7@x.test" and support_request.channel == "snippet"
    assert [e["kind"] for e in support_request.journey] == ["tip_shown"]
    status_url = response.json()["status_url"]
    public_id, token = re.search(r"requests/([^/]+)/([^/]+)/", status_url).groups()
    status = client.get(f"/api/v1/support/requests/{public_id}/{token}")
    assert status.status_code == 200 and status.json()["status"] == "received"
    assert client.get(f"/api/v1/support/requests/{public_id}/wrong").status_code == 404


def test_a_forged_identity_is_not_trusted(client, settings):
    settings.FARO_SNIPPET_SECRETS = {"app1": "s3cret"}
    body = {"message": "Who am I really?", "app_key": "app1", "identity": {"id": "admin"},
            "identity_signature": "00" * 32}  # fmt: skip
    response = client.post(CREATE, body, content_type="application/json")
    assert response.status_code == 400 and "email" in response.json()["errors"]


def test_api_errors_rate_limit_and_schema(client, settings):
    settings.FARO_SUPPORT_RATE = "2/hour"
    bad = client.post(CREATE, {"message": "short"}, content_type="application/json")
    assert bad.status_code == 400 and set(bad.json()["errors"]) >= {"message"}
    codes = [
        client.post(
            CREATE, {"message": f"Help number {i} please", "email": "r@x.test",
                     "anonymous_id": "same", "app_key": "a"},
            content_type="application/json",
        ).status_code
        for i in range(3)
    ]  # fmt: skip
    assert codes == [201, 201, 429]
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    for operation in ("support_request_create", "support_request_status", "support_offer"):
        assert operation in schema


def make_person_data(help_centre, user=None) -> SupportRequest:
    visitor = "visitor-hash-p"
    JourneyEvent.objects.create(created_at="2030-01-01T00:00Z", visitor=visitor, kind="search")
    ArticleFeedback.objects.create(article=help_centre.public, visitor_hash=visitor, helpful=False)
    data = RequestInput.parse({"message": "Delete me later please", "email": "p@x.test"})
    support_request, _ = actions.create_request(
        data, actions.Requester(visitors=(visitor,), consented=True, user=user)
    )
    actions.add_note(support_request, None, "Customer sounded upset")
    return support_request


def test_a_customer_exports_and_deletes_by_email_link(client, help_centre):
    support_request = make_person_data(help_centre)
    response = client.post("/en/support/privacy/", {"email": "P@x.test"})
    assert response.status_code == 200 and b"data-privacy-sent" in response.content
    link = next(m for m in mail.outbox if "privacy" in m.body or "/privacy/" in m.body)
    path = re.search(r"https?://[^/]+(/en/support/privacy/\S+/)", link.body)[1]
    exported = json.loads(client.get(path + "export.json").content)
    assert exported["support_requests"][0]["message"] == "Delete me later please"
    assert len(exported["journey"]) == 2 and len(exported["votes"]) == 1  # + "asked a person"
    done = client.post(path, {"confirm": "delete"})
    assert done.status_code == 200 and b"data-deleted" in done.content
    support_request.refresh_from_db()
    assert support_request.anonymised_at and support_request.message == ""
    assert support_request.email == "" and support_request.journey == []
    assert SupportRequest.objects.count() == 1  # kept for counts
    assert not JourneyEvent.objects.filter(visitor="visitor-hash-p").exists()
    assert not ArticleFeedback.objects.exists()
    assert SupportMessage.objects.get().body == ""
    assert client.get("/en/support/privacy/forged-token/").status_code == 404


def test_agents_work_the_inbox(admin_client, admin_user, help_centre):
    support_request = make_person_data(help_centre)
    assert support_request.reference in admin_client.get("/admin/support/").content.decode()
    url = f"/admin/support/{support_request.pk}/update/"
    admin_client.post(url, {"action": "assign", "agent": admin_user.pk})
    admin_client.post(url, {"action": "note", "body": "Checking billing"})
    mail.outbox.clear()
    admin_client.post(url, {"action": "reply", "body": "Fixed: your invoice is updated."})
    support_request.refresh_from_db()
    assert support_request.assigned_to == admin_user and support_request.status == "answered"
    assert [m.to for m in mail.outbox] == [["p@x.test"]]
    assert "Fixed: your invoice" in mail.outbox[0].body
    export = admin_client.get(f"/admin/support/{support_request.pk}/export/").json()
    assert export["support_requests"][0]["reference"] == support_request.reference
    admin_client.post(f"/admin/support/{support_request.pk}/erase/")
    support_request.refresh_from_db()
    assert support_request.anonymised_at is not None


def test_staff_without_the_permission_are_refused(client, editor):
    client.force_login(editor)
    response = client.get("/admin/support/")
    assert response.status_code in {302, 403}  # Wagtail turns the refusal into a redirect home
