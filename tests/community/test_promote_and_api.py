"""Editors turn a thread into an article draft; the API offers the same flows and rules."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from community.actions import NotAllowed, accept_answer
from community.models import Question, Status
from community.moderation import promote_to_article
from kb.models import ArticlePage
from tests.factories import make_user

from .conftest import established


@pytest.fixture
def editor(db):
    user = make_user("eddie", staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def test_editor_promotes_a_solved_thread_to_a_linked_draft(client, thread, member, editor, homes):
    question, answer = thread
    accept_answer(question, member, answer.pk)
    with pytest.raises(NotAllowed):
        promote_to_article(member, question, homes.category.pk)
    client.force_login(editor)
    content = client.get(question.url).content.decode()
    assert "Turn into an article draft" in content
    response = client.post(
        question.page.route_url("write", question.pk, "promote"), {"category": homes.category.pk}
    )
    assert response.status_code == 303
    article = ArticlePage.objects.get(community_question=question)
    assert response["Location"] == f"/admin/pages/{article.pk}/edit/"
    assert not article.live and article.get_parent().pk == homes.category.pk
    assert "Export CSV" in str(article.body.raw_data)
    assert "This thread became a help article" not in client.get(question.url).content.decode()
    article.save_revision().publish()
    assert "This thread became a help article" in client.get(question.url).content.decode()


def test_api_ask_answer_vote_accept_and_read(community, member, other_member):
    api = APIClient()
    response = api.post(
        "/api/v1/community/threads/",
        {"title": "Can I pause a project?", "body": "We stop work in August."},
        format="json",
    )
    assert response.status_code == 403 and "Sign in" in response.json()["error"]
    api.force_login(member)
    response = api.post(
        "/api/v1/community/threads/",
        {
            "locale": "en",
            "title": "Can I pause a project?",
            "body": "We stop work in August.",
            "tags": ["projects"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    thread_id = response.json()["id"]
    api.force_login(other_member)
    response = api.post(
        f"/api/v1/community/threads/{thread_id}/answers/",
        {"body": "Archive it from the project menu."},
        format="json",
    )
    assert response.status_code == 201
    answer_id = response.json()["id"]
    response = api.post(
        f"/api/v1/community/threads/{thread_id}/accept/", {"answer": answer_id}, format="json"
    )
    assert response.status_code == 403
    response = api.post(
        "/api/v1/community/votes/", {"target": "answer", "id": answer_id, "value": 1}, format="json"
    )
    assert response.status_code == 403 and "own post" in response.json()["error"]
    api.force_login(member)
    assert api.post(
        "/api/v1/community/votes/", {"target": "answer", "id": answer_id, "value": 1}, format="json"
    ).json() == {"score": 1}
    response = api.post(
        f"/api/v1/community/threads/{thread_id}/accept/", {"answer": answer_id}, format="json"
    )
    assert response.status_code == 200 and response.json()["solved"] is True
    anonymous = APIClient()
    detail = anonymous.get(f"/api/v1/community/threads/{thread_id}/").json()
    assert detail["accepted_answer"] == answer_id and detail["answers"][0]["score"] == 1
    listing = anonymous.get("/api/v1/community/threads/", {"locale": "en", "show": "solved"})
    assert [t["id"] for t in listing.json()["results"]] == [thread_id]


def test_api_moderation_and_promotion_permissions(thread, member, moderator, editor, homes):
    question, answer = thread
    api = APIClient()
    api.force_login(member)
    body = {"target": "question", "id": question.pk, "action": "hide", "reason": "spam"}
    assert api.post("/api/v1/community/moderation/", body, format="json").status_code == 403
    api.force_login(moderator)
    response = api.post("/api/v1/community/moderation/", {**body, "action": "hold"}, format="json")
    assert response.json()["status"] == Status.HELD
    assert APIClient().get(f"/api/v1/community/threads/{question.pk}/").status_code == 404
    api.post("/api/v1/community/moderation/", {**body, "action": "approve"}, format="json")
    api.force_login(editor)
    response = api.post(
        f"/api/v1/community/threads/{question.pk}/promote/",
        {"category": homes.category.pk},
        format="json",
    )
    assert response.status_code == 400 and "accepted or official" in response.json()["error"]
    accept_answer(question, member, answer.pk)
    response = api.post(
        f"/api/v1/community/threads/{question.pk}/promote/",
        {"category": homes.category.pk},
        format="json",
    )
    assert response.status_code == 201
    assert ArticlePage.objects.get(pk=response.json()["article"]).community_question == question


def test_api_rate_limit_and_schema(settings, community):
    settings.FARO_COMMUNITY_POST_RATES = {"new": "1/hour", "member": "1/hour", "trusted": "1/hour"}
    api = APIClient()
    api.force_login(established("ray"))
    body = {"title": "First question by ray", "body": "Details that are long enough."}
    assert api.post("/api/v1/community/threads/", body, format="json").status_code == 201
    response = api.post(
        "/api/v1/community/threads/", {**body, "title": "Second question by ray"}, format="json"
    )
    assert response.status_code == 429
    assert Question.objects.count() == 1
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    for operation in (
        "community_threads",
        "community_ask",
        "community_thread",
        "community_answer",
        "community_vote",
        "community_accept",
        "community_moderate",
    ):
        assert f'"operationId": "{operation}"' in schema
