"""A member's "delete my data" reaches the community: votes go, public posts stay anonymous."""

from __future__ import annotations

from community.actions import follow, vote
from community.models import Answer, Follow, MemberProfile, Question, Vote
from community.privacy import GHOST_USERNAME
from support import privacy

from .conftest import actor


def test_export_lists_the_members_posts_and_votes(thread, member, other_member):
    question, answer = thread
    vote(actor(member), answer, 1)
    data = privacy.export(privacy.Subject.find(user=member))["community"]
    assert [q["title"] for q in data["questions"]] == [question.title]
    assert data["votes"] == [{"question": None, "answer": answer.pk, "value": 1}]
    assert data["follows"] == [question.pk]  # the asker follows their question
    assert privacy.export(privacy.Subject.find(user=other_member))["community"]["answers"]


def test_erase_keeps_the_thread_readable_but_no_longer_theirs(thread, member, other_member):
    question, answer = thread
    vote(actor(other_member), question, 1)
    follow(actor(other_member), question)
    counts = privacy.erase(privacy.Subject.find(user=other_member))
    assert counts["community"] > 0
    answer = Answer.objects.get(pk=answer.pk)
    assert answer.author.username == GHOST_USERNAME and not answer.author.is_active
    assert answer.ip_hash == "" and "Export CSV" in answer.body  # the help stays for others
    assert not Vote.objects.filter(user=other_member).exists()
    assert not Follow.objects.filter(user=other_member).exists()  # no more e-mails
    assert not MemberProfile.objects.filter(user=other_member).exists()
    assert Question.objects.get(pk=question.pk).author == member  # others are untouched
