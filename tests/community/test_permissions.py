"""Who may read and write: anonymous visitors, members, moderators."""

from __future__ import annotations

import pytest

from community.actions import NotAllowed, ask_question, post_answer
from community.models import ModerationAction, Question, Status
from community.moderation import moderate

from .conftest import actor


def test_anonymous_reads_but_cannot_write(client, thread):
    question, _ = thread
    assert client.get(question.url).status_code == 200
    response = client.get(question.page.url + "ask/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(
        question.page.route_url("write", question.pk, "answer"), {"body": "An anonymous answer."}
    )
    assert response.status_code == 403
    assert "Sign in" in response.content.decode()
    assert question.answers.count() == 1


def test_member_asks_and_answers_through_pages(client, community, member, other_member):
    client.force_login(member)
    response = client.post(
        community.en.url + "ask/",
        {"title": "Can I pause a project?", "body": "We stop work in August.", "tags": "projects"},
    )
    assert response.status_code == 303
    question = Question.objects.get()
    assert response["Location"] == question.url
    assert list(question.tags.names()) == ["projects"]
    client.force_login(other_member)
    response = client.post(
        community.en.route_url("write", question.pk, "answer"),
        {"body": "Yes: archive it from the project menu."},
    )
    assert response.status_code == 303
    assert question.answers.get().status == Status.VISIBLE


def test_rejected_page_write_shows_the_message_and_keeps_the_draft(client, thread, other_member):
    question, _ = thread
    client.force_login(other_member)
    response = client.post(question.page.route_url("write", question.pk, "answer"), {"body": "x"})
    assert response.status_code == 400
    content = response.content.decode()
    assert 'role="alert"' in content and "Write at least 10 characters." in content


def test_held_posts_are_seen_by_author_and_moderators_only(
    client, community, newcomer, member, moderator
):
    question = ask_question(
        community.en, actor(newcomer), "My first question here", "Hello, how does billing work?"
    )
    assert question.status == Status.HELD
    assert ModerationAction.objects.filter(action="auto_hold", object_id=question.pk).exists()
    assert client.get(question.url).status_code == 404
    client.force_login(member)
    assert client.get(question.url).status_code == 404
    assert question.title not in client.get(community.en.url).content.decode()
    client.force_login(newcomer)
    assert "Awaiting review" in client.get(question.url).content.decode()
    client.force_login(moderator)
    assert client.get(question.url).status_code == 200


def test_moderator_approves_hides_and_locks(client, thread, community, newcomer, moderator, member):
    question, answer = thread
    held = ask_question(
        community.en,
        actor(newcomer),
        "Another first question",
        "Is there a mobile app for Android?",
    )
    client.force_login(moderator)
    url = community.en.route_url("write", held.pk, "moderate")
    response = client.post(url, {"action": "approve", "target": "question", "reason": ""})
    assert response.status_code == 400 and "Give a reason" in response.content.decode()
    response = client.post(url, {"action": "approve", "target": "question", "reason": "fine"})
    assert response.status_code == 303
    held.refresh_from_db()
    assert held.status == Status.VISIBLE
    moderate(moderator, answer, "hide", "rude")
    moderate(moderator, question, "lock", "resolved long ago")
    question.refresh_from_db()
    assert question.locked and question.answer_count == 0
    with pytest.raises(Exception, match="locked"):
        post_answer(question, actor(newcomer), "A late answer to a locked thread.")
    log = ModerationAction.objects.filter(moderator=moderator).values_list("action", "reason")
    assert set(log) == {("approve", "fine"), ("hide", "rude"), ("lock", "resolved long ago")}


def test_members_cannot_moderate(client, thread, member):
    question, _answer = thread
    client.force_login(member)
    url = question.page.route_url("write", question.pk, "moderate")
    assert client.post(url, {"action": "hide", "reason": "x"}).status_code == 404
    with pytest.raises(NotAllowed):
        moderate(member, question, "hide", "because")
    assert client.get("/admin/community/moderation/").status_code in (302, 403)


def test_admin_queue_lists_held_and_applies_decisions(client, community, newcomer, moderator):
    held = ask_question(
        community.en,
        actor(newcomer),
        "Question waiting in the queue",
        "Please look at my question, moderator.",
    )
    client.force_login(moderator)
    page = client.get("/admin/community/moderation/")
    assert page.status_code == 200 and held.title in page.content.decode()
    response = client.post(
        "/admin/community/moderation/",
        {"kind": "question", "id": held.pk, "action": "hide", "reason": "spam"},
    )
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == Status.HIDDEN
    assert "spam" in client.get("/admin/community/moderation/").content.decode()


def test_merge_moves_answers_and_points_to_the_original(
    thread, community, other_member, moderator, member
):
    original, _ = thread
    duplicate = ask_question(
        community.en,
        actor(other_member),
        "Export hours to a spreadsheet?",
        "Looking for a CSV of last month's hours.",
    )
    post_answer(duplicate, actor(member), "Reports has an export button for that.")
    moderate(moderator, duplicate, "merge", "same question", merge_into=original.pk)
    duplicate.refresh_from_db()
    original.refresh_from_db()
    assert duplicate.duplicate_of == original and duplicate.locked
    assert original.answers.count() == 2 and original.answer_count == 2


def test_unanswered_questions_for_staff(client, community, member, moderator):
    from datetime import timedelta

    from django.utils import timezone

    old = ask_question(
        community.en,
        actor(member),
        "An old unanswered question",
        "Nobody replied to this one in days.",
    )
    Question.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=5))
    fresh = ask_question(
        community.en,
        actor(member),
        "A fresh unanswered question",
        "Just asked this a minute ago, please help.",
    )
    assert list(Question.objects.unanswered()) == [old, fresh]
    assert list(Question.objects.unanswered(timedelta(hours=48))) == [old]
    client.force_login(moderator)
    content = client.get("/admin/community/unanswered/").content.decode()
    # Both have no answer; only the old one has waited past the 48 hours.
    assert old.title in content and fresh.title in content
    assert content.count("Overdue") == 1
    assert "Every visible question has an answer." not in content
