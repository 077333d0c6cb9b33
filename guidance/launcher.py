"""The launcher's search: the help-centre search as an anonymous visitor sees it, with the
answer card (``search/answers.py``) and a ``query_id`` for its Yes / "No, talk to a person"."""

from __future__ import annotations

from django.http import HttpRequest


def launcher_search(
    query: str, locale: str, base: str, limit: int = 5, request: HttpRequest | None = None
) -> dict:
    """The help-centre search as an anonymous visitor sees it (public articles only), logged
    (channel ``launcher``) when ``request`` is given so the answer card's Yes/No can be kept."""
    from search import actions as search_actions
    from search.engine import SearchRequest, search

    search_request = SearchRequest(query=query, locale=locale, limit=limit, user=None)
    result = search(search_request)
    query_id = None
    if request is not None:
        session = search_actions.session_hash(request)
        log = search_actions.log_search(search_request, result, channel="launcher", session=session)
        query_id = log.pk
    hits = [
        {
            "title": h.title,
            "url": h.url if h.url.startswith("http") else base + h.url,
            "snippet": h.snippet,
            "heading": h.heading,
        }
        for h in result.hits
    ]
    steps = []
    for step in result.next_steps:
        if step.get("type") == "contact_human":
            continue  # the launcher has its own human entry (launcher.human_url)
        step = dict(step)
        if step.get("url", "").startswith("/"):
            step["url"] = base + step["url"]
        steps.append(step)
    return {
        "query": result.query,
        "hits": hits,
        "next_steps": steps,
        "answer_likely_missing": result.answer_likely_missing,
        "query_id": query_id,
        "answer": launcher_answer(result.answer, base),
    }


def launcher_answer(answer: dict | None, base: str) -> dict | None:
    """The answer card for the host's page: links made absolute, plus ``ref`` (what "No, talk
    to a person" sends to support, looked up again there: search/shown.py)."""
    if not answer:
        return None
    from search.actions import answer_ref

    url = answer["url"] if answer["url"].startswith("http") else base + answer["url"]
    keep = ("text", "title", "heading", "last_reviewed", "caveat")
    return {**{key: answer[key] for key in keep}, "url": url, "ref": answer_ref(answer)}
