"""Threads in search: solved threads are found, hidden ones never, votes lift ranking."""

from __future__ import annotations

from community.actions import accept_answer, ask_question, post_answer, vote
from community.moderation import moderate
from search.engine import SearchRequest, search
from search.models import SearchDocument
from tests.factories import make_user

from .conftest import actor, established


def found(query: str, locale: str = "en", **kwargs) -> list:
    result = search(SearchRequest(query=query, locale=locale, sources=("thread",), **kwargs))
    return result.hits


def test_solved_thread_is_found_with_its_accepted_answer(thread, member):
    question, answer = thread
    accept_answer(question, member, answer.pk)
    rows = SearchDocument.objects.filter(source="thread", object_id=str(question.pk))
    assert set(rows.values_list("section", flat=True)) == {"", "answer"}
    hits = found("export timesheets csv")
    assert hits and hits[0].id == str(question.pk)
    assert hits[0].url.startswith(question.url)
    assert any(h.heading == "Accepted answer" for h in found("Reports Export CSV month", limit=5))


def test_hidden_and_held_threads_are_not_searchable(thread, moderator, community):
    question, _ = thread
    moderate(moderator, question, "hide", "spam")
    assert not SearchDocument.objects.filter(source="thread", object_id=str(question.pk)).exists()
    assert not [h for h in found("export timesheets csv") if h.id == str(question.pk)]
    held = ask_question(
        community.en,
        actor(make_user("brandnew")),
        "Secret held question about payroll",
        "Waiting for a moderator here.",
    )
    assert held.status == "held"
    assert not SearchDocument.objects.filter(source="thread", object_id=str(held.pk)).exists()
    moderate(moderator, held, "approve", "fine")
    assert SearchDocument.objects.filter(source="thread", object_id=str(held.pk)).exists()


def test_votes_are_a_ranking_signal(community, member, other_member):
    body = "How can I change the currency used on invoices for my team?"
    first = ask_question(community.en, actor(member), "Change invoice currency", body)
    second = ask_question(community.en, actor(other_member), "Invoice currency change", body + "!")
    keyword_only = {"semantic_ratio": 0.0, "limit": 5}
    before = [h.id for h in found("invoice currency", **keyword_only)]
    loser = first if before[0] == str(second.pk) else second
    for n in range(4):
        vote(actor(established(f"voter{n}")), loser, 1)
    after = [h.id for h in found("invoice currency", **keyword_only)]
    assert after[0] == str(loser.pk)
    doc = SearchDocument.objects.get(source="thread", object_id=str(loser.pk), section="")
    assert doc.boost > 0


def test_ask_form_suggestions_come_from_the_engine(client, thread, member):
    question, _ = thread
    client.force_login(member)
    response = client.get(question.page.url + "similar/", {"q": "export my timesheets"})
    titles = [r["title"] for r in response.json()["results"]]
    assert question.title in titles


def test_spanish_threads_stay_in_spanish_search(community, member, other_member):
    pregunta = ask_question(
        community.es,
        actor(member),
        "¿Cómo exporto las horas?",
        "Necesito las horas del mes pasado en una hoja de cálculo.",
    )
    post_answer(pregunta, actor(other_member), "Ve a Informes y pulsa Exportar.")
    assert [h.id for h in found("exportar horas", locale="es")] == [str(pregunta.pk)]
    assert pregunta.url.startswith("/es/comunidad/")


def test_when_the_answer_is_likely_missing_the_community_comes_right_after_a_person(community):
    result = search(SearchRequest(query="quantum teleportation of llamas", locale="en"))
    assert result.answer_likely_missing
    kinds = [step["type"] for step in result.next_steps]
    assert kinds[:2] == ["contact_human", "ask_community"]
    ask = result.next_steps[1]
    assert ask["url"].startswith(community.en.url) and "title=quantum+teleportation" in ask["url"]
    spanish = search(SearchRequest(query="teletransporte cuántico de llamas", locale="es"))
    ask_es = next(s for s in spanish.next_steps if s["type"] == "ask_community")
    assert ask_es["url"].startswith(community.es.url)
    assert ask_es["label"] == "Pregunta a la comunidad"
