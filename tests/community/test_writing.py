"""Markdown in, sanitized HTML out; XSS payloads in every field stay text; limits hold."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from community.actions import CommunityError, ask_question, post_answer, post_comment
from community.models import Question
from community.writing import render_markdown

from .conftest import actor


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.found.append((tag, attrs))


def parsed(html: str) -> list[tuple[str, list]]:
    """The real elements in some HTML (escaped text is not an element)."""
    parser = _Elements()
    parser.feed(html)
    return parser.found


PAYLOADS = [
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<svg/onload=alert(1)>",
    '"><iframe src="https://evil.test"></iframe>',
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_rendered_markdown_has_no_active_content(payload):
    elements = parsed(render_markdown(f"Hello {payload} world"))
    assert {tag for tag, _ in elements} <= {"p", "a"}
    for _, attrs in elements:
        assert all(not name.startswith("on") for name, _ in attrs)
        assert all(not (value or "").lower().startswith("javascript") for _, value in attrs)


def test_links_are_nofollow_ugc_and_headings_are_demoted():
    html = render_markdown("# Big\n\nSee [docs](https://example.com/a).")
    assert '<a href="https://example.com/a" rel="nofollow ugc">docs</a>' in html
    assert "<h3>Big</h3>" in html and "<h1>" not in html


def test_xss_in_every_field_is_shown_as_text(client, community, member, other_member):
    payload = "<script>alert('pwn')</script><img src=x onerror=alert(2)>"
    question = ask_question(
        community.en, actor(member), f"Title {payload}", f"Body {payload} more words here", []
    )
    answer = post_answer(question, actor(other_member), f"Answer {payload}")
    post_comment(question, actor(other_member), f"Comment {payload}")
    post_comment(question, actor(member), f"Reply {payload}", answer.pk)
    for url in (question.url, community.en.url):
        content = client.get(url).content.decode()
        assert "<script>alert" not in content
        assert "<img src=x" not in content
    thread_page = client.get(question.url).content.decode()
    assert "&lt;script&gt;alert(&#x27;pwn&#x27;)&lt;/script&gt;" in thread_page  # the title
    # Shown as text (escaped), never as an element or attribute.
    assert not re.search(r"<[a-z][^>]*\son[a-z]+=", thread_page, re.IGNORECASE)
    assert "&lt;img src=x onerror=alert(2)&gt;" in thread_page


def test_tags_refuse_markup(community, member):
    with pytest.raises(CommunityError, match="Tags"):
        ask_question(
            community.en,
            actor(member),
            "A proper title here",
            "A body that is long enough.",
            ["<b>x</b>"],
        )


@pytest.mark.parametrize(
    ("title", "body", "message"),
    [
        ("short", "A body that is long enough.", "at least 10"),
        ("A title " * 30, "A body that is long enough.", "under 150"),
        ("A proper title here", "tiny", "at least 20"),
        ("A proper title here", "x" * 10_001, "under 10000"),
    ],
)
def test_length_limits_refuse_and_save_nothing(community, member, title, body, message):
    with pytest.raises(CommunityError, match=message):
        ask_question(community.en, actor(member), title, body)
    assert not Question.objects.exists()


def test_edit_keeps_revision_history(thread, member, moderator):
    from community.actions import edit_post
    from community.models import PostRevision

    question, answer = thread
    old_body = question.body
    edit_post(
        member,
        question,
        "Now with the **new** details of the payroll export.",
        "How do I export timesheets as CSV?",
    )
    question.refresh_from_db()
    assert "<strong>new</strong>" in question.body_html
    revision = PostRevision.objects.get(object_id=question.pk)
    assert revision.body == old_body and revision.editor == member
    with pytest.raises(CommunityError, match="reason"):
        edit_post(moderator, answer, "Edited by a moderator without a reason.")
    edit_post(moderator, answer, "Edited by a moderator with a reason.", reason="typo")
    assert PostRevision.objects.filter(object_id=answer.pk).count() == 1
