"""Following a thread: the asker follows automatically, any member can follow or unfollow, and
followers get an e-mail (in the thread's language, with stop links) about new and accepted
answers, unless they turned community e-mails off."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from community.actions import (
    NotAllowed,
    NotFound,
    accept_answer,
    ask_question,
    follow,
    post_answer,
)
from community.models import Follow, MemberProfile
from community.moderation import moderate
from tests.factories import make_user

from .conftest import actor, established


def links(body: str) -> dict[str, str]:
    """The e-mail's stop links, as paths on the test server."""
    found = dict(re.findall(r"http://testserver(/\w\w/community/(unfollow|unsubscribe)/\S+)", body))
    return {kind: path for path, kind in found.items()}


def test_asker_follows_and_followers_hear_about_answers(client, thread, member, other_member):
    question, _ = thread
    assert Follow.objects.filter(user=member, question=question).exists()
    reader = established("rita")
    assert follow(actor(reader), question) is True
    assert follow(actor(reader), question) is True  # idempotent
    mail.outbox.clear()
    helper = established("hugo")
    post_answer(question, actor(helper), "You can also schedule it under Reports.")
    assert sorted(m.to[0] for m in mail.outbox) == [member.email, reader.email]
    to_reader = next(m for m in mail.outbox if m.to == [reader.email])
    to_asker = next(m for m in mail.outbox if m.to == [member.email])
    assert "a thread you follow" in to_reader.body and "your question" in to_asker.body
    assert to_reader.subject.startswith("New answer in")
    # The reader stops following from the e-mail (a confirmation first: scanners follow links).
    stop = links(to_reader.body)
    assert set(stop) == {"unfollow", "unsubscribe"}
    assert "threads you follow" in client.get(stop["unsubscribe"]).content.decode()
    assert client.get(stop["unfollow"]).status_code == 200
    assert Follow.objects.filter(user=reader, question=question).exists()
    assert client.post(stop["unfollow"]).status_code == 200
    assert not Follow.objects.filter(user=reader, question=question).exists()
    forged = stop["unfollow"].replace("/unfollow/", "/unfollow/x")
    assert client.get(forged).status_code == 404
    mail.outbox.clear()
    post_answer(question, actor(established("ivan")), "A third answer for the record.")
    assert [m.to for m in mail.outbox] == [[member.email]]


def test_the_answerer_and_opted_out_followers_get_nothing(thread, member, other_member):
    question, _ = thread
    follow(actor(other_member), question)
    MemberProfile.objects.filter(user=member).update(email_notifications=False)
    mail.outbox.clear()
    post_answer(question, actor(other_member), "Adding a second answer myself.")
    assert mail.outbox == []  # the asker opted out; the follower wrote it


def test_accepted_answers_reach_followers_but_not_who_accepted(thread, member, moderator):
    question, answer = thread
    reader = established("rosa")
    follow(actor(reader), question)
    mail.outbox.clear()
    accept_answer(question, member, answer.pk)
    assert [m.to for m in mail.outbox] == [[reader.email]]
    assert "was accepted" in mail.outbox[0].body
    mail.outbox.clear()
    accept_answer(question, moderator, "")  # clearing tells nobody
    accept_answer(question, moderator, answer.pk)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.email, reader.email])


def test_spanish_threads_email_in_spanish(community, member, other_member):
    question = ask_question(
        community.es, actor(member), "¿Dónde están mis facturas?", "No encuentro la página."
    )
    reader = established("lucia")
    follow(actor(reader), question)
    mail.outbox.clear()
    post_answer(question, actor(other_member), "En Facturación, luego Facturas.")
    to_reader = next(m for m in mail.outbox if m.to == [reader.email])
    assert to_reader.subject.startswith("Nueva respuesta en")
    assert "/es/community/unfollow/" in to_reader.body
    assert "Dejar de seguir este hilo" in to_reader.body


def test_held_answers_notify_only_once_approved(thread, member, moderator):
    question, _ = thread
    mail.outbox.clear()
    held = post_answer(question, actor(make_user("fresh")), "My first post, held for review.")
    assert held.status == "held" and mail.outbox == []
    moderate(moderator, held, "approve", "fine")
    assert [m.to for m in mail.outbox] == [[member.email]]


def test_follow_rules_and_merge(community, thread, member, moderator):
    question, _ = thread
    anonymous = type("Anon", (), {"is_authenticated": False, "pk": None})()
    with pytest.raises(NotAllowed):
        follow(actor(anonymous), question)
    moderate(moderator, question, "hide", "off topic")
    with pytest.raises(NotFound):
        follow(actor(established("nosy")), question)
    original = ask_question(
        community.en, actor(moderator), "The original thread", "The same thing, asked first."
    )
    duplicate = ask_question(
        community.en, actor(member), "A duplicate thread", "The same thing, asked again."
    )
    moderate(moderator, duplicate, "merge", "duplicate", original.pk)
    assert Follow.objects.filter(user=member, question=original).exists()


def test_follow_and_unfollow_from_the_thread_page(client, thread, other_member):
    question, _ = thread
    url = question.page.route_url("write", question.pk, "follow")
    assert client.post(url, {"on": "1"}).status_code == 403  # signed out: nothing saved
    client.force_login(other_member)
    page = client.get(question.url).content.decode()
    assert "Follow this thread to get an e-mail" in page and ">Follow</button>" in page
    response = client.post(url, {"on": "1"}, HTTP_ACCEPT="application/json")
    assert response.json() == {"ok": True, "following": True}
    assert "You follow this thread" in client.get(question.url).content.decode()
    response = client.post(url, {"on": "0"})
    assert response.status_code == 303 and response["Location"].endswith("#follow")
    assert not Follow.objects.filter(user=other_member, question=question).exists()
    MemberProfile.objects.filter(user=other_member).update(email_notifications=False)
    assert "e-mails are turned off" in client.get(question.url).content.decode()


def test_follow_through_the_api(thread, other_member, moderator):
    from rest_framework.test import APIClient

    question, _ = thread
    url = f"/api/v1/community/threads/{question.pk}/follow/"
    api = APIClient()
    assert api.post(url, {"follow": True}, format="json").status_code == 403
    api.force_login(other_member)
    assert api.post(url, {"follow": True}, format="json").json() == {"follow": True}
    assert Follow.objects.filter(user=other_member, question=question).exists()
    bad = api.post(url, {"follow": "perhaps"}, format="json")
    assert bad.status_code == 400 and "follow" in bad.json()["error"]
    assert api.post(url, {"follow": False}, format="json").json() == {"follow": False}
    assert not Follow.objects.filter(user=other_member, question=question).exists()
    moderate(moderator, question, "hide", "off topic")
    assert api.post(url, {"follow": True}, format="json").status_code == 404
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert '"operationId": "community_follow"' in schema
