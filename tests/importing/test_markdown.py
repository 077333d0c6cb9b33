"""Markdown folders: front matter, folders as categories, relative images, structured blocks."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.contrib.redirects.models import Redirect
from wagtail.images.models import Image

from importing.actions import import_content
from importing.files import FolderTree
from kb.models import ArticlePage, Audience, CategoryPage, CustomerGroup

pytestmark = pytest.mark.django_db


def test_markdown_folder_becomes_categories_articles_blocks_and_translations(help_centre, sample):
    out = StringIO()
    call_command("import_content", str(sample("markdown")), "--format", "markdown", stdout=out)
    assert "articles created: 3" in out.getvalue()

    article = ArticlePage.objects.get(title="Switch to another plan")
    assert article.live and article.slug == "change-your-plan"
    assert article.summary.startswith("Move to another plan")
    assert sorted(t.name for t in article.tags.all()) == ["billing", "plans"]
    assert article.last_reviewed == datetime.date(2025, 1, 15)
    # the "billing" folder is a category under the English home, with _category.md's fields
    billing = article.get_parent().specific
    assert isinstance(billing, CategoryPage) and billing.get_parent().pk == help_centre.home.pk
    assert (billing.title, billing.description) == (
        "Billing",
        "Plans, invoices and payment methods.",
    )

    kinds = [b.block_type for b in article.body]
    assert kinds == [
        "paragraph",
        "heading",
        "steps",
        "image",
        "callout",
        "code",
        "heading",
        "faq",
        "faq",
    ]
    blocks = {b.block_type: b.value for b in reversed(list(article.body))}
    assert blocks["steps"]["steps"][0]["text"].source == (
        "<p>Open <b>Settings</b> &gt; <b>Billing</b>.</p>"
    )
    assert blocks["callout"]["kind"] == "warning"
    assert blocks["callout"]["text"].source == (
        "<p>Downgrading removes features at the end of the billing period.</p>"
    )
    assert blocks["code"]["language"] == "bash"
    assert blocks["faq"]["question"] == "Do I get a refund when I downgrade?"
    # the relative image link was uploaded into Wagtail's image library
    image = blocks["image"]
    assert isinstance(image["image"], Image) and image["alt"] == "The plan picker"
    assert image["caption"] == "Plans side by side"
    assert "<b>check your role</b>" in article.body[0].value.source


def test_translations_are_linked_and_groups_created(help_centre, sample):
    report = import_content(FolderTree(sample("markdown")), "markdown")
    english = ArticlePage.objects.get(title="Switch to another plan")
    spanish = ArticlePage.objects.get(title="Cambiar de plan")
    assert spanish.locale.language_code == "es"
    assert spanish.translation_key == english.translation_key
    assert spanish.get_parent().specific.title == "Facturación"
    assert spanish.get_parent().translation_key == english.get_parent().translation_key
    assert spanish.get_parent().get_parent().pk == help_centre.home_es.pk
    # nested folders are nested categories; a group audience creates the customer group
    two_factor = ArticlePage.objects.get(title="Turn on two-factor authentication")
    assert [p.title for p in two_factor.get_ancestors()[2:]] == ["Account", "Security"]
    assert two_factor.audience == Audience.GROUPS
    assert [g.name for g in two_factor.audience_groups.all()] == ["Enterprise admins"]
    assert report.groups_created == ["Enterprise admins"]
    assert CustomerGroup.objects.filter(name="Enterprise admins").count() == 1
    # a Markdown table is not a Faro block: its text is kept as rich text, not dropped
    assert "Works offline" in "".join(
        b.value.source for b in two_factor.body if b.block_type == "paragraph"
    )


def test_old_markdown_paths_redirect_permanently(help_centre, sample, client):
    report = import_content(FolderTree(sample("markdown")), "markdown")
    article = ArticlePage.objects.get(title="Switch to another plan")
    for old in ("/en/billing/change-plan", "https://docs.plano.example/billing/plans.html"):
        redirect = Redirect.objects.get(old_path=Redirect.normalise_path(old))
        assert redirect.is_permanent and redirect.redirect_page_id == article.pk
    response = client.get("/billing/plans.html")
    assert response.status_code == 301 and response["Location"] == article.url
    # a javascript: URL from the source is refused with a note, never stored
    assert not Redirect.objects.filter(old_path__icontains="alert").exists()
    assert any("only http(s)" in note for _, note in report.notes)
