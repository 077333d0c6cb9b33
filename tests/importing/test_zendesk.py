"""Zendesk Guide's Help Center JSON: categories/sections, translations, drafts, segments,
attachments and redirects from every ``html_url``."""

from __future__ import annotations

import pytest
from wagtail.contrib.redirects.models import Redirect
from wagtail.images.models import Image

from importing.actions import import_content
from importing.files import FolderTree
from kb.models import ArticlePage, Audience, CategoryPage, CustomerGroup

pytestmark = pytest.mark.django_db


def page(report, source_id: str) -> ArticlePage:
    return ArticlePage.objects.get(pk=report.pages[source_id])


@pytest.fixture
def imported(help_centre, sample):
    return import_content(FolderTree(sample("zendesk")), "zendesk")


def test_categories_and_sections_become_nested_category_pages(imported, help_centre):
    billing = CategoryPage.objects.exclude(pk=help_centre.category.pk).get(
        title="Billing", locale__language_code="en"
    )
    plans = CategoryPage.objects.get(title="Plans", locale__language_code="en")
    assert billing.get_parent().pk == help_centre.home.pk
    assert plans.get_parent().pk == billing.pk
    assert plans.description == "Choosing and changing your plan."
    spanish = CategoryPage.objects.get(title="Planes")
    assert spanish.translation_key == plans.translation_key
    assert spanish.get_parent().specific.title == "Facturación"
    assert spanish.get_parent().get_parent().pk == help_centre.home_es.pk
    assert imported.ok, imported.failed


def test_translations_are_linked_and_bodies_are_blocks(imported):
    english = page(imported, "article:360001:en")
    spanish = page(imported, "article:360001:es")
    assert spanish.translation_key == english.translation_key
    assert english.live and spanish.live
    kinds = [b.block_type for b in english.body]
    assert kinds == [
        "paragraph",
        "heading",
        "paragraph",
        "steps",
        "image",
        "callout",
        "code",
        "paragraph",
    ]
    assert english.summary.startswith("You can move to another plan")
    assert sorted(t.name for t in english.tags.all()) == ["billing", "plans"]
    callout = english.body[5].value
    assert callout["kind"] == "warning"
    # nh3: no script, no javascript: link, the https link survives
    html = "".join(str(b.value.source) for b in english.body if b.block_type == "paragraph")
    assert "javascript" not in html and "<script" not in html and "alert" not in html
    assert '<a href="https://plano.example/pricing">see pricing</a>' in html


def test_attachments_become_images_in_the_library(imported):
    english = page(imported, "article:360001:en")
    spanish = page(imported, "article:360001:es")
    image = english.body[4].value
    assert image["alt"] == "The plan picker"
    assert image["image"].file.name.endswith(".png")
    spanish_image = next(b.value for b in spanish.body if b.block_type == "image")
    assert spanish_image["image"].pk != image["image"].pk
    assert Image.objects.count() == 2 and imported.images == 2


def test_draft_flag_gives_an_unpublished_draft(imported):
    draft = page(imported, "article:360003:en")
    assert not draft.live
    assert draft.get_latest_revision() is not None
    # the table is kept as text and the report says so
    assert "100+ | 10%" in draft.get_latest_revision_as_object().body[0].value.source + "".join(
        b.value.source for b in draft.get_latest_revision_as_object().body
    )
    assert any("table" in note for _, note in imported.notes)


def test_user_segments_become_audiences_and_customer_groups(imported):
    invoices = page(imported, "article:360002:en")
    assert invoices.audience == Audience.CUSTOMERS  # the built-in "Signed-in users"
    negotiated = page(imported, "article:360003:en")
    revision = negotiated.get_latest_revision_as_object()
    assert revision.audience == Audience.GROUPS
    premier = CustomerGroup.objects.get(name="Premier accounts")
    assert [g.pk for g in revision.audience_groups.all()] == [premier.pk]
    assert imported.groups_created == ["Premier accounts"]
    faq = next(b.value for b in invoices.body if b.block_type == "faq")
    assert faq["question"] == "Can I change the billing address on an old invoice?"


def test_old_zendesk_urls_redirect_permanently(imported, client):
    english = page(imported, "article:360001:en")
    spanish = page(imported, "article:360001:es")
    response = client.get("/hc/en-us/articles/360001-Change-your-plan")
    assert response.status_code == 301 and response["Location"] == english.url
    response = client.get("/hc/es/articles/360001-Cambia-tu-plan")
    assert response.status_code == 301 and response["Location"] == spanish.url
    section = CategoryPage.objects.get(title="Plans")
    assert client.get("/hc/en-us/sections/300001-Plans")["Location"] == section.url
    # 2 categories, 2 sections, 4 article translations
    assert Redirect.objects.filter(is_permanent=True).count() == imported.redirects == 8
