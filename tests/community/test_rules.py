"""Abuse rules: rate limits, votes, accepted answers, spam holds, and notifications."""

from __future__ import annotations

import pytest
from django.core import mail

from community.actions import (
    CommunityError,
    NotAllowed,
    NotFound,
    RateLimited,
    accept_answer,
    ask_question,
    flag_post,
    post_answer,
    vote,
)
from community.models import Answer, MemberProfile, Question, Status, Vote
from community.moderation import moderate
from community.trust import level
from tests.factories import make_user

from .conftest import actor, established


def test_post_rate_limit_per_member_and_network(settings, community, member, other_member):
    settings.FARO_COMMUNITY_POST_RATES = {"new": "1/hour", "member": "2/hour", "trusted": "9/hour"}
    for n in range(2):
        ask_question(
            community.en,
            actor(member),
            f"Question number {n} about exports",
            f"Details of question {n} are here.",
        )
    with pytest.raises(RateLimited, match="too quickly"):
        ask_question(
            community.en,
            actor(member),
            "One question too many",
            "This one is refused by the limit.",
        )
    assert Question.objects.count() == 2
    # The network limit is 5x one member's: ten posts from one address, any accounts.
    shared = [established(f"office{i}") for i in range(6)]
    posted = 0
    with pytest.raises(RateLimited):
        for user in shared:
            for _ in range(2):
                ask_question(
                    community.en,
                    type(actor(user))(user, "office-net"),
                    f"Office question {posted} title",
                    f"Office body number {posted} with text.",
                )
                posted += 1
    assert posted == 10


def test_vote_rules(thread, member, other_member):
    question, answer = thread
    with pytest.raises(NotAllowed, match="own post"):
        vote(actor(member), question, 1)
    voter = established("vic")
    assert vote(actor(voter), answer, 1) == 1
    assert vote(actor(voter), answer, -1) == -1  # a changed mind replaces the vote
    assert Vote.objects.filter(user=voter).count() == 1
    assert vote(actor(voter), answer, -1) == 0  # the same vote again takes it back
    assert vote(actor(member), answer, 1) == 1
    with pytest.raises(CommunityError, match="\\+1 or -1"):
        vote(actor(voter), answer, 5)
    assert MemberProfile.objects.get(user=other_member).reputation == 10 + 2


def test_no_votes_on_held_posts(community, member, newcomer):
    held = ask_question(
        community.en, actor(newcomer), "A held question title", "Waiting for a moderator to review."
    )
    with pytest.raises(NotFound):
        vote(actor(member), held, 1)


def test_vote_rate_limit(settings, thread):
    settings.FARO_COMMUNITY_VOTE_RATE = "2/hour"
    question, answer = thread
    voter = established("vera")
    vote(actor(voter), answer, 1)
    vote(actor(voter), answer, 1)
    with pytest.raises(RateLimited):
        vote(actor(voter), question, 1)
    assert not Vote.objects.filter(question=question).exists()


def test_accept_rules(thread, member, other_member, moderator, community):
    question, answer = thread
    with pytest.raises(NotAllowed, match="Only the person who asked"):
        accept_answer(question, other_member, answer.pk)
    other = ask_question(
        community.en,
        actor(other_member),
        "Some other thread title",
        "Something else entirely, about billing.",
    )
    foreign = post_answer(other, actor(member), "An answer to the other thread.")
    with pytest.raises(NotFound):
        accept_answer(question, member, foreign.pk)
    accept_answer(question, member, answer.pk)
    question.refresh_from_db()
    assert question.accepted_answer == answer
    assert MemberProfile.objects.get(user=other_member).reputation == 10 + 15
    accept_answer(question, moderator, "")
    question.refresh_from_db()
    assert question.accepted_answer is None
    assert MemberProfile.objects.get(user=other_member).reputation == 10


def test_spam_heuristics_hold_posts(community, member, other_member):
    links = " ".join(f"https://spam{i}.test" for i in range(5))
    spammy = ask_question(community.en, actor(member), "Cheap offers for everyone", f"Buy {links}")
    assert spammy.status == Status.HELD and "links" in spammy.hold_reason
    question = ask_question(
        community.en,
        actor(other_member),
        "A normal question title",
        "Where do I change my password?",
    )
    post_answer(question, actor(member), "Settings, then Security, then Password.")
    repeat = post_answer(question, actor(member), "Settings, then Security, then Password.")
    assert repeat.status == Status.HELD and "Repeats" in repeat.hold_reason


def test_new_members_are_held_until_approved_then_trusted(community, moderator):
    newcomer = make_user("neo")
    assert level(newcomer) == "new"
    first = ask_question(
        community.en,
        actor(newcomer),
        "My very first question",
        "Hello there, how do projects work?",
    )
    assert first.status == Status.HELD
    moderate(moderator, first, "approve", "looks fine")
    assert level(newcomer) == "member"
    second = ask_question(
        community.en,
        actor(newcomer),
        "My second question here",
        "Thanks, and how do I add a client?",
    )
    assert second.status == Status.VISIBLE


def test_flags_hold_a_post_after_three_members(thread):
    _question, answer = thread
    for name in ("f1", "f2"):
        flag_post(actor(established(name)), answer, "spam")
    answer.refresh_from_db()
    assert answer.status == Status.VISIBLE
    flag_post(actor(established("f3")), answer, "offensive")
    answer.refresh_from_db()
    assert answer.status == Status.HELD


def test_staff_answers_are_official(thread, moderator):
    question, _ = thread
    official = post_answer(question, actor(moderator), "From the support team: use Reports.")
    assert official.is_official
    assert question.best_answer() == official


def test_asker_is_emailed_when_answered_and_can_unsubscribe(
    client, community, member, other_member, moderator
):
    question = ask_question(
        community.en, actor(member), "Where are my invoices?", "I cannot find the invoices page."
    )
    mail.outbox.clear()
    answer = post_answer(question, actor(other_member), "Billing, then Invoices.")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member.email] and "Where are my invoices?" in message.subject
    assert question.url in message.body and "List-Unsubscribe" in message.extra_headers
    accept_answer(question, moderator, answer.pk)
    assert len(mail.outbox) == 2 and "accepted" in mail.outbox[1].subject
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>").split("testserver")[1]
    assert client.get(unsubscribe).status_code == 200
    assert client.post(unsubscribe).status_code == 200
    assert client.get(unsubscribe.replace("/unsubscribe/", "/unsubscribe/x")).status_code == 404
    post_answer(question, actor(established("late")), "Another answer after unsubscribing.")
    assert len(mail.outbox) == 2
    assert Answer.objects.filter(question=question).count() == 2
