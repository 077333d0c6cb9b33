"""Re-runs update in place by source id, keep editors' changes unless asked, and leave history;
``--dry-run`` writes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.contrib.redirects.models import Redirect
from wagtail.images.models import Image
from wagtail.models import PageLogEntry

from importing.actions import import_content
from importing.files import FolderTree
from importing.models import ImportedItem
from kb.models import ArticlePage, CategoryPage, CustomerGroup

pytestmark = pytest.mark.django_db
CHANGE_PLAN = "en/billing/change-plan.md"


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (ArticlePage, CategoryPage, Redirect, Image, CustomerGroup, ImportedItem)
    )


def edit_source(folder, old: str, new: str) -> None:
    path = folder / CHANGE_PLAN
    path.write_text(path.read_text().replace(old, new))


def test_rerun_updates_in_place_with_a_new_revision_and_no_duplicates(help_centre, sample):
    folder = sample("markdown")
    first = import_content(FolderTree(folder), "markdown")
    page_id = first.pages["en:change-plan"]
    before = counts()
    again = import_content(FolderTree(folder), "markdown")
    assert counts() == before
    assert len(again.unchanged) == 3 and not again.created and not again.updated

    edit_source(folder, "Move to another plan at any time", "Switch plans whenever you like")
    revisions = ArticlePage.objects.get(pk=page_id).revisions.count()
    third = import_content(FolderTree(folder), "markdown")
    assert third.updated == [CHANGE_PLAN] and third.pages["en:change-plan"] == page_id
    assert counts() == before
    page = ArticlePage.objects.get(pk=page_id)
    assert page.summary.startswith("Switch plans whenever you like") and page.live
    assert page.revisions.count() == revisions + 1
    # the page's history shows each import
    assert PageLogEntry.objects.filter(page=page, action="faro.import").count() == 2


def test_rerun_keeps_editor_changes_unless_overwrite(help_centre, sample, editor):
    folder = sample("markdown")
    page_id = import_content(FolderTree(folder), "markdown").pages["en:change-plan"]
    page = ArticlePage.objects.get(pk=page_id)
    page.title = "Changing plans (edited in Faro)"
    page.save_revision(user=editor).publish()

    edit_source(folder, "Move to another plan at any time", "Switch plans whenever you like")
    kept = import_content(FolderTree(folder), "markdown")
    assert kept.kept == [CHANGE_PLAN] and not kept.updated
    page.refresh_from_db()
    assert page.title == "Changing plans (edited in Faro)"
    assert page.summary.startswith("Move to another plan")

    out = StringIO()
    call_command("import_content", str(folder), "--format", "markdown", "--overwrite", stdout=out)
    page.refresh_from_db()
    assert page.title == "Switch to another plan"
    assert page.summary.startswith("Switch plans whenever you like")
    assert "articles updated: 3" in out.getvalue()


def test_dry_run_reports_and_writes_nothing(help_centre, sample, media_root):
    before = counts()
    out = StringIO()
    call_command(
        "import_content", str(sample("markdown")), "--format", "markdown", "--dry-run", stdout=out
    )
    text = out.getvalue()
    assert "Would have: articles created: 3" in text
    assert f"would create: {CHANGE_PLAN}" in text
    assert "new customer group: Enterprise admins" in text
    assert "Dry run: nothing written." in text
    assert counts() == before
    assert not CustomerGroup.objects.filter(name="Enterprise admins").exists()
    assert not any(media_root.rglob("*.png")) if media_root.exists() else True
