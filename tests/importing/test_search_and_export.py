"""Imported articles are found by search (indexed once, in one task, at the end), and an export
imports back into an empty site with the same articles, blocks and translations."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks import default_task_backend
from wagtail.documents.models import Document
from wagtail.images.models import Image

from importing.actions import import_content
from importing.files import FolderTree
from importing.items import strip_ids
from kb.models import ArticlePage, CategoryPage
from search.engine import SearchRequest, search
from tests.factories import ArticlePageFactory, CategoryPageFactory, block, translate

from .conftest import pdf, png

pytestmark = pytest.mark.django_db


def test_search_finds_an_imported_article(help_centre, sample):
    import_content(FolderTree(sample("markdown")), "markdown")
    result = search(SearchRequest(query="refund when I downgrade", locale="en"))
    assert result.hits and result.hits[0].title == "Switch to another plan"


def test_indexing_is_one_task_at_the_end_not_one_per_page(help_centre, sample):
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    ):
        default_task_backend.clear()
        report = import_content(FolderTree(sample("markdown")), "markdown")
        names = [result.task.name for result in default_task_backend.results]
    assert names.count("index_pages") == 1 and "index_page" not in names
    assert report.indexed == 3 + 4  # 3 articles and 4 categories were published


@pytest.fixture
def rich_site(help_centre, tmp_path):
    """A category with a nested one, an article using every block and field the export carries
    (titled steps with a screenshot, a video with a transcript, a linked PDF, quotes in titles,
    captions and alt text), and its Spanish translation."""
    from io import BytesIO

    from django.core.files.base import ContentFile
    from django.core.files.images import ImageFile

    image = Image(title="Screen")
    image.file = ImageFile(BytesIO(png("#3a4a5c")), name="screen.png")
    image.save()
    shot = Image(title="Billing screen")
    shot.file = ImageFile(BytesIO(png("#7a3a5c")), name="billing.png")
    shot.save()
    document = Document(title="Plan comparison")
    document.file = ContentFile(pdf("Plans"), name="plan-comparison.pdf")
    document.save()
    pdf_id = document.pk
    nested = CategoryPageFactory(parent=help_centre.category, title="Plans", slug="plans")
    body = [
        block("paragraph", '<p>Owners can <b>change</b> the <a href="https://plano.example/p">plan</a>.</p>'),
        block("heading", {"text": "Steps", "level": "h2"}),
        block("steps", {"title": 'Change the "plan" & confirm', "steps": [
            block("item", {"text": "<p>Open <b>Billing</b>.</p>", "image": shot.pk}),
            block("item", {"text": "<p>Pick a plan.</p>", "image": None}),
        ]}),
        block("steps", {"title": "", "steps": [
            block("item", {"text": "<p>Confirm.</p>", "image": None}),
        ]}),
        block("callout", {"kind": "tip", "text": "<p>Annual plans cost less.</p>"}),
        block("code", {"language": "bash", "code": "plano plan --set team\nplano plan --show"}),
        block("paragraph", f'<p>See the <a linktype="document" id="{pdf_id}">table</a>.</p>'),
        block("image", {"image": image.pk, "alt": "The [plan] screen",
                        "caption": 'The "Team" plan'}),
        block("heading", {"text": "Details", "level": "h3"}),
        block("paragraph", "<ul><li>One</li><li>Two</li></ul>"),
        block("faq", {"question": "Can I switch back?", "answer": "<p>Yes, any time.</p>"}),
        block("video", {"url": "https://youtu.be/dQw4w9WgXcQ", "title": 'A "quick" tour',
                        "transcript": "Welcome to Plano.\n\nThis is the board."}),
    ]  # fmt: skip
    article = ArticlePageFactory(
        parent=nested, title="Pick a plan", slug="pick-a-plan", summary="How to pick.",
        body=json.dumps(body), tags=["plans", "billing"],
    )  # fmt: skip
    nested_es = translate(nested, help_centre.home_es.locale, title="Planes", slug="planes")
    translate(article, nested_es.locale, title="Elige un plan", slug="elige-un-plan")
    return help_centre


def snapshot() -> list[tuple]:
    """Everything the round trip must keep, independent of page ids and block ids."""
    rows = []
    for page in ArticlePage.objects.order_by("locale__language_code", "title"):
        body = strip_ids(page.body.get_prep_value())
        for item in body:
            if item["type"] == "image":
                item["value"]["image"] = Image.objects.get(
                    pk=item["value"]["image"]
                ).get_file_hash()
            if item["type"] == "steps":
                for step in item["value"]["steps"]:
                    if step["value"]["image"]:
                        image = Image.objects.get(pk=step["value"]["image"])
                        step["value"]["image"] = image.get_file_hash()
            if item["type"] == "paragraph":
                item["value"] = re.sub(
                    r'linktype="document" id="(\d+)"',
                    lambda m: "document " + Document.objects.get(pk=m[1]).get_file_hash(),
                    item["value"],
                )
        ancestors = [p.title for p in page.get_ancestors()[2:]]
        partners = ArticlePage.objects.filter(translation_key=page.translation_key)
        rows.append((
            page.locale.language_code, ancestors, page.title, page.slug, page.summary,
            sorted(t.name for t in page.tags.all()), page.audience, page.live, json.dumps(body),
            sorted(p.title for p in partners),
        ))  # fmt: skip
    return rows


def test_export_then_import_into_an_empty_site_round_trips(rich_site, tmp_path, capsys):
    before = snapshot()
    out = tmp_path / "export"
    call_command("export_content", str(out), "--format", "markdown")
    text = (out / "en/billing/plans/pick-a-plan.md").read_text()
    assert "1. Open <b>Billing</b>. ![](images/" in text
    assert '@steps "Change the &quot;plan&quot; &amp; confirm"' in text
    assert "```transcript\nWelcome to Plano." in text
    assert 'href="documents/' in text and (out / "en/billing/plans/documents").is_dir()
    assert "not exported" not in capsys.readouterr().out
    for category in CategoryPage.objects.filter(depth=3):  # empty the site: homes only
        category.delete()
    assert not ArticlePage.objects.exists()
    call_command("import_content", str(out), "--format", "markdown")
    after = snapshot()
    assert len(after) == len(before)
    for got, want in zip(after, before, strict=True):
        for got_field, want_field in zip(got, want, strict=True):
            assert got_field == want_field
    assert Document.objects.count() == 1  # the same file, found again by its content


def test_exported_documents_import_into_a_library_without_them(rich_site, tmp_path):
    out = tmp_path / "export"
    call_command("export_content", str(out), "--format", "markdown")
    for category in CategoryPage.objects.filter(depth=3):
        category.delete()
    Document.objects.all().delete()
    report = import_content(FolderTree(out), "markdown")
    assert report.ok and report.documents == 1 and report.document_kinds == {"pdf": 1}
    document = Document.objects.get()
    assert document.title == "Plan comparison"
    with document.open_file() as handle:
        assert handle.read() == pdf("Plans")
