"""Creating requests: the journey end to end, consent, idempotency, validation, attachments."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import JourneyEvent
from search.models import SearchQueryLog
from support import actions
from support.models import Delivery, SupportRequest
from support.validation import RequestError, RequestInput

pytestmark = pytest.mark.django_db

CONTACT = "/en/support/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def grant_consent(client) -> None:
    response = client.post("/en/support/consent/", {"choice": "granted", "next": "/en/help/"})
    assert response.status_code == 303
    assert client.cookies["faro_consent"].value == "granted"
    assert "faro_vid" in client.cookies


@pytest.fixture(autouse=True)
def _run_on_commit(monkeypatch):
    """Tests run inside one transaction; run what is deferred to commit (waking the worker,
    which the immediate task backend runs at once) right away, as a real commit would."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda fn, using=None, robust=False: fn())


def journey_then_contact(client, site, **send) -> SupportRequest:
    """search → open a result → read the article → vote "not helpful" → contact us."""
    assert client.get("/en/search/", {"q": "which role do I need"}).status_code == 200
    log = SearchQueryLog.objects.latest("pk")
    client.post(
        "/api/v1/search/click",
        {"query_id": log.pk, "type": "article", "id": str(site.public.pk), "section": "",
         "position": 1},
        content_type="application/json",
    )  # fmt: skip
    assert client.get("/en/search/", {"q": "zzqx blorf"}).status_code == 200
    assert client.get(site.public.url).status_code == 200
    vote = client.post(
        f"/feedback/article/{site.public.pk}/", {"helpful": "no", "reason": "incomplete"}
    )
    assert vote.status_code == 303
    page = client.get(CONTACT, {"message": "I cannot change my plan at all", "from": "feedback"})
    assert page.status_code == 200
    response = client.post(
        CONTACT,
        {"step": "send", "message": "I cannot change my plan at all", "email": "c@x.test",
         "entry_point": "feedback", "idempotency_key": "k1", **send},
    )  # fmt: skip
    assert response.status_code == 303, response.content[:500]
    return SupportRequest.objects.get()


def test_the_request_carries_search_click_article_and_vote(client, help_centre, admin_client):
    grant_consent(client)
    support_request = journey_then_contact(client, help_centre)
    kinds = [event["kind"] for event in support_request.journey]
    assert kinds.count("search") == 2
    assert {"search_click", "article_view", "feedback"} <= set(kinds)
    zero = [
        e
        for e in support_request.journey
        if e["kind"] == "search" and e["data"]["q"] == "zzqx blorf"
    ]
    assert zero and zero[0]["data"]["results"] == 0
    vote = next(e for e in support_request.journey if e["kind"] == "feedback")
    assert vote["data"]["helpful"] is False and vote["data"]["reason"] == "incomplete"
    # Delivered to the support address with the journey, and confirmed to the customer.
    subjects = sorted(m.subject for m in mail.outbox)
    assert any(support_request.reference in s for s in subjects)
    support_mail = next(m for m in mail.outbox if m.to == [settings.FARO_SUPPORT_EMAIL])
    assert "Change your plan" in support_mail.body and "zzqx blorf" in support_mail.body
    confirmation = next(m for m in mail.outbox if m.to == ["c@x.test"])
    status_path = re.search(r"https?://[^/]+(/en/support/requests/\S+)", confirmation.body)[1]
    status_page = client.get(status_path)
    assert status_page.status_code == 200 and b"Received" in status_page.content
    # The agent sees all four in the inbox.
    admin_client.user = None
    detail = admin_client.get(f"/admin/support/{support_request.pk}/").content.decode()
    for kind in ("search", "search_click", "article_view", "feedback"):
        assert f'data-kind="{kind}"' in detail
    assert "data-zero" in detail and "Change your plan" in detail


def test_removed_parts_are_not_shared(client, help_centre):
    grant_consent(client)
    support_request = journey_then_contact(client, help_centre, remove=["searches", "votes"])
    kinds = {event["kind"] for event in support_request.journey}
    assert "search" not in kinds and "feedback" not in kinds
    assert "article_view" in kinds
    assert support_request.removed_parts == ["searches", "votes"]


def test_without_consent_nothing_extra_is_captured(client, help_centre):
    response = client.post("/en/support/consent/", {"choice": "denied"})
    assert response.cookies["faro_consent"].value == "denied"
    support_request = journey_then_contact(client, help_centre, page_url="/en/billing/")
    assert support_request.journey == []
    assert support_request.page_url == "" and not support_request.consented
    assert not JourneyEvent.objects.exists()
    assert support_request.message and support_request.email == "c@x.test"


def test_the_share_preview_lists_what_will_be_sent(client, help_centre):
    grant_consent(client)
    client.get(help_centre.public.url)
    page = client.get(CONTACT, {"message": "I cannot change my plan at all"}).content.decode()
    assert 'data-part="articles"' in page and "Change your plan" in page


def test_a_double_submit_makes_one_request(client, help_centre):
    data = {"step": "send", "message": "Please help me with billing", "email": "d@x.test",
            "idempotency_key": "same-key"}  # fmt: skip
    first = client.post(CONTACT, data)
    second = client.post(CONTACT, data)
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"]
    assert SupportRequest.objects.count() == 1
    assert Delivery.objects.count() == 2  # support address + confirmation, not twice


def test_keys_are_scoped_to_the_requester(db):
    data = RequestInput.parse({"message": "Please help me here", "email": "e@x.test",
                               "idempotency_key": "k"})  # fmt: skip
    one, created_one = actions.create_request(data, actions.Requester(visitors=("a",)))
    two, created_two = actions.create_request(data, actions.Requester(visitors=("b",)))
    again, created_again = actions.create_request(data, actions.Requester(visitors=("a",)))
    assert created_one and created_two and not created_again
    assert one.pk != two.pk and again.pk == one.pk


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"message": "short", "email": "a@x.test"}, "message"),
        ({"message": "long enough message", "email": "nope"}, "email"),
        ({"message": "long enough message"}, "email"),
    ],
)
def test_validation_names_the_field(data, field):
    with pytest.raises(RequestError) as error:
        RequestInput.parse(data)
    assert field in error.value.errors


def test_form_errors_are_shown_with_a_400(client, help_centre):
    response = client.post(CONTACT, {"step": "send", "message": "hi", "email": "bad"})
    assert response.status_code == 400
    assert b"at least 10 characters" in response.content
    assert b"Enter an email address we can reply to" in response.content


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("shot.png", b"MZ\x90\x00 not an image", "does not match"),
        ("tool.exe", b"MZ\x90\x00", "Attach an image"),
        ("big.txt", b"a" * (1024 * 1024 + 1), "too large"),
    ],
)
def test_attachments_are_checked(settings, name, content, error):
    settings.FARO_SUPPORT_ATTACHMENT_MAX_BYTES = 1024 * 1024
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(RequestError) as failure:
        RequestInput.parse({"message": "long enough message", "email": "a@x.test"},
                           {"attachment": upload})  # fmt: skip
    assert error in failure.value.errors["attachment"]


def test_a_valid_attachment_is_stored_privately_and_mailed(client, help_centre, settings):
    upload = SimpleUploadedFile("screen.png", PNG, content_type="image/png")
    response = client.post(
        CONTACT,
        {"step": "send", "message": "See the screenshot please", "email": "f@x.test",
         "attachment": upload},
    )  # fmt: skip
    assert response.status_code == 303
    support_request = SupportRequest.objects.get()
    assert support_request.attachment_type == "image/png"
    path = support_request.attachment.path
    try:
        assert not path.startswith(str(settings.MEDIA_ROOT))  # never served as a static file
        with support_request.attachment.open("rb") as handle:
            assert handle.read() == PNG
    finally:
        support_request.attachment.delete(save=False)
    support_mail = next(m for m in mail.outbox if m.to == [settings.FARO_SUPPORT_EMAIL])
    assert support_mail.attachments[0][1] == PNG
