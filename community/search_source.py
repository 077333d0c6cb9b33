"""How a community thread becomes search sections: the question, and its accepted (or official)
answer as a second section deep-linked to the answer. Votes become the row's ``boost``."""

from __future__ import annotations

import math
from collections.abc import Iterable
from urllib.parse import urlencode

from django.utils.translation import gettext as _
from django.utils.translation import override

from search.sources import SearchSource, Section

from .models import CommunityIndexPage, Question, Status
from .writing import plain_text

MAX_BOOST = 0.1


def vote_boost(question: Question, answer_score: int = 0, solved: bool = False) -> float:
    """A small, saturating lift: a well-voted, solved thread edges ahead of an equally relevant
    one, but votes never outweigh relevance (keyword scores are in the 0.1 to 1 range)."""
    votes = max(0, question.score) + max(0, answer_score)
    boost = 0.02 * math.log1p(votes) + (0.02 if solved else 0.0)
    return round(min(MAX_BOOST, boost), 4)


class ThreadSource(SearchSource):
    name = "thread"
    label = "Community thread"
    model = Question
    community = True
    answer_section = "answer"  # the accepted (or official) answer's row, below

    def sections(self, question: Question) -> list[Section]:
        page = question.page
        if (
            question.status != Status.VISIBLE
            or question.duplicate_of_id
            or not page.live
            or page.get_view_restrictions().exists()
        ):
            return []
        answer = question.best_answer()
        locale = page.locale.language_code
        url = question.url
        common = {
            "locale": locale,
            "title": question.title,
            "summary": plain_text(question.body_html)[:240],
            "tags": [tag.name for tag in question.tags.all()],
            "audience": "public",
            "boost": vote_boost(
                question, answer.score if answer else 0, question.accepted_answer_id is not None
            ),
        }
        sections = [
            Section(section="", position=0, heading="", body=plain_text(question.body_html),
                    url=url, **common)
        ]  # fmt: skip
        if answer is not None:
            with override(locale):
                heading = (
                    _("Accepted answer") if answer.pk == question.accepted_answer_id
                    else _("Official answer")
                )  # fmt: skip
            sections.append(
                Section(section="answer", position=1, heading=heading,
                        body=plain_text(answer.body_html), url=f"{url}#answer-{answer.pk}",
                        **common)
            )  # fmt: skip
        return sections

    def all_objects(self) -> Iterable[Question]:
        return (
            Question.objects.filter(status=Status.VISIBLE, duplicate_of__isnull=True)
            .select_related("page__locale")
            .order_by("pk")
            .iterator(100)
        )


def ask_community_step(query: str, locale: str) -> dict | None:
    """Search's "ask the community" next step when the answer is likely missing: the ask form
    in the results' language with the query as the title (``search.next_steps``)."""
    page = CommunityIndexPage.objects.live().filter(locale__language_code=locale[:2]).first()
    if page is None or not page.url:
        return None
    url = page.url + page.reverse_subpage("ask") + "?" + urlencode({"title": query[:150]})
    return {"type": "ask_community", "label": _("Ask the community"), "url": url}
