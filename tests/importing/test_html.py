"""HTML files (a static-site export): headings and lists kept, markup cleaned with nh3."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from kb.models import ArticlePage

pytestmark = pytest.mark.django_db


def test_html_files_become_articles_with_blocks(help_centre, sample, client):
    call_command("import_content", str(sample("html")), "--format", "html", "--locale", "en")
    article = ArticlePage.objects.get(title="Create your first project")
    assert article.summary == "Set up a project, invite your team and track the first hour."
    assert sorted(t.name for t in article.tags.all()) == ["onboarding", "projects"]
    assert article.get_parent().title == "Getting started"
    kinds = [
        (b.block_type, b.value.get("level") if b.block_type == "heading" else None)
        for b in article.body
    ]
    assert kinds == [
        ("paragraph", None), ("heading", "h2"), ("steps", None), ("heading", "h3"),
        ("paragraph", None), ("callout", None), ("image", None), ("paragraph", None),
    ]  # fmt: skip
    steps = article.body[2].value["steps"]
    assert steps[0]["text"].source == "<p>Click <b>New project</b>.</p>"
    bullets = article.body[4].value.source
    assert bullets.startswith("<ul><li>Projects can be archived.</li>")
    assert article.body[5].value["kind"] == "note"
    assert article.body[6].value["image"].title == "A project board"
    # event handlers and mailto: links are gone; the text stays
    last = article.body[7].value.source
    assert "onclick" not in last and "mailto" not in last and "Write to us" in last

    track = ArticlePage.objects.get(title="Track time")
    assert [b.block_type for b in track.body] == ["paragraph", "faq", "code"]
    assert track.body[2].value["language"] == "json"
    assert client.get("/getting-started/track-time.html")["Location"] == track.url
