"""What members see on the community pages: their own vote, "1 vote" in both languages, tag
pages, the community's search box (visible threads only), and the staff pages' headings."""

from __future__ import annotations

import re

from django.utils import translation

from community.actions import ask_question, vote
from community.models import Question
from community.moderation import moderate
from community.queries import vote_label

from .conftest import actor


def pressed(html: str, label: str) -> str:
    button = re.search(rf'<button[^>]*aria-pressed="(\w+)"[^>]*aria-label="{label}"', html)
    return button.group(1) if button else ""


def test_vote_labels_are_pluralised_in_both_languages():
    assert [vote_label(n) for n in (0, 1, 2, -1)] == ["0 votes", "1 vote", "2 votes", "-1 vote"]
    with translation.override("es"):
        assert [vote_label(n) for n in (1, 3)] == ["1 voto", "3 votos"]


def test_my_vote_is_pressed_from_the_server_and_in_the_json(client, thread, member):
    question, answer = thread
    client.force_login(member)
    url = question.page.route_url("write", question.pk, "vote")
    html = client.get(question.url).content.decode()
    assert pressed(html, "Vote up") == "false" and "0 votes" in html
    response = client.post(
        url, {"target": "answer", "id": answer.pk, "value": "1"}, HTTP_ACCEPT="application/json"
    )
    assert response.json() == {
        "ok": True, "score": 1, "label": "1 vote", "vote": 1, "mine": "You voted this up.",
    }  # fmt: skip
    html = client.get(question.url).content.decode()
    assert pressed(html, "Vote up") == "true" and pressed(html, "Vote down") == "false"
    assert "You voted this up." in html and "1 vote<" in html
    again = client.post(url, {"target": "answer", "id": answer.pk, "value": "1"},
                        HTTP_ACCEPT="application/json")  # fmt: skip
    assert again.json()["vote"] == 0 and again.json()["label"] == "0 votes"


def test_index_says_one_vote(client, thread, other_member):
    question, _ = thread
    vote(actor(other_member), question, 1)
    html = client.get(question.page.url).content.decode()
    assert "1 vote\n" in html or "1 vote " in html
    assert "1 votes" not in html


def test_tag_pages_list_visible_tagged_threads(client, community, thread, member, moderator):
    question, _ = thread  # tagged "export"
    other = ask_question(community.en, actor(member), "Invoices in euros please",
                         "How do I change the currency on invoices?", ["billing"])  # fmt: skip
    hidden = ask_question(community.en, actor(member), "Export is broken for me",
                          "Exporting fails with an error every time.", ["export"])  # fmt: skip
    moderate(moderator, hidden, "hide", "duplicate report")
    base = community.en.url
    thread_html = client.get(question.url).content.decode()
    assert f'<a href="{base}tags/export/">export</a>' in thread_html
    html = client.get(f"{base}tags/export/").content.decode()
    assert question.title in html and other.title not in html and hidden.title not in html
    assert "Threads tagged “export”" in html
    assert client.get(f"{base}tags/no-such-tag/").status_code == 404
    index = client.get(base).content.decode()
    assert "Browse by tag" in index and f'href="{base}tags/billing/"' in index


def test_community_search_shows_visible_threads_only(client, community, thread, moderator):
    question, _ = thread
    base = community.en.url
    html = client.get(base, {"q": "export timesheets csv"}).content.decode()
    assert question.title in html and "Threads about “export timesheets csv”" in html
    # Hidden a moment ago and the index not yet updated: still never shown.
    Question.objects.filter(pk=question.pk).update(status="hidden")
    html = client.get(base, {"q": "export timesheets csv"}).content.decode()
    assert question.title not in html and "No threads match that search." in html
    assert f"{base}ask/?title=export+timesheets+csv" in html
    too_long = client.get(base, {"q": "word " * 100})
    assert too_long.status_code == 400 and "Keep the search under" in too_long.content.decode()


def test_spanish_index_has_its_search_box_and_tags(client, community, member):
    ask_question(community.es, actor(member), "¿Cómo cambio la moneda?",
                 "Necesito facturar en pesos mexicanos.", ["facturación"])  # fmt: skip
    html = client.get(community.es.url).content.decode()
    assert "Buscar en la comunidad" in html and "Explorar por etiqueta" in html
    assert "1 voto" not in html and "0 votos" in html


def test_admin_pages_are_titled_and_fields_are_text_inputs(client, thread, moderator, community):
    from tests.factories import make_user

    ask_question(community.en, actor(make_user("newbie")), "Held question for the queue",
                 "A first post from a new member waits.")  # fmt: skip
    client.force_login(moderator)
    queue = client.get("/admin/community/moderation/").content.decode()
    header = re.search(r"<header.*?</header>", queue, re.S).group(0)
    assert "Community moderation" in header
    assert '<input type="text" name="merge_into"' in queue
    assert '<input type="text" name="reason"' in queue
    report = client.get("/admin/community/unanswered/").content.decode()
    assert "Unanswered questions" in re.search(r"<header.*?</header>", report, re.S).group(0)
