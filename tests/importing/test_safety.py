"""The attacker's tests: zip-slip, path traversal, fake images, bounds; and one bad file
reported with its reason while the rest import and nothing half-written stays."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from wagtail.images.models import Image

from importing import files
from importing.actions import import_content
from importing.files import FolderTree, UnsafeSource, ZipTree
from importing.models import ImportedItem
from kb.models import ArticlePage

from .conftest import png, zip_folder

pytestmark = pytest.mark.django_db


def zip_of(entries: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize("name", ["../evil.md", "en/../../evil.md", "/etc/evil.md", "C:/evil.md"])
def test_zip_slip_entries_reject_the_whole_archive(name):
    archive = zip_of({"en/billing/ok.md": b"---\ntitle: Ok\n---\nHi", name: b"x"})
    with pytest.raises(UnsafeSource) as error:
        ZipTree(archive)
    assert "not allowed" in str(error.value) or "escapes the source" in str(error.value)


def test_zip_bounds_on_file_count_and_size(monkeypatch):
    monkeypatch.setattr(files, "MAX_ZIP_FILES", 2)
    with pytest.raises(UnsafeSource, match="holds 3 files"):
        ZipTree(zip_of({f"a/{n}.md": b"x" for n in range(3)}))
    monkeypatch.setattr(files, "MAX_ZIP_BYTES", 10)
    with pytest.raises(UnsafeSource, match="unpacks to"):
        ZipTree(zip_of({"a/1.md": b"x" * 11}))


def test_command_refuses_a_zip_slip_archive(tmp_path, help_centre):
    path = tmp_path / "evil.zip"
    path.write_bytes(zip_of({"../../evil.md": b"---\ntitle: Evil\n---\n"}).getvalue())
    with pytest.raises(CommandError, match="escapes the source folder"):
        call_command("import_content", str(path), "--format", "markdown")
    assert not ArticlePage.objects.filter(title="Evil").exists()


def test_bad_files_fail_with_reasons_the_rest_import_nothing_half_written(
    help_centre, sample, media_root
):
    folder = sample("markdown")
    billing = folder / "en" / "billing"
    (billing / "broken.md").write_text("---\ntitle: [unclosed\n---\nBody")
    (billing / "escape.md").write_text("---\ntitle: Escape\n---\n![x](../../../../etc/passwd)\n")
    (billing / "images" / "fresh.png").write_bytes(png("#1e7a34"))
    (billing / "images" / "fake.png").write_bytes(b"<?php system($_GET['c']); ?>")
    (billing / "fake-image.md").write_text(
        "---\ntitle: Half written\n---\n![ok](images/fresh.png)\n\n![bad](images/fake.png)\n"
    )
    report = import_content(FolderTree(folder), "markdown")
    reasons = dict(report.failed)
    assert "not valid YAML" in reasons["en/billing/broken.md"]
    assert "escapes the source folder" in reasons["en/billing/escape.md"]
    assert "not a readable image" in reasons["en/billing/fake-image.md"]
    assert len(report.created) == 3  # the good articles still came in
    assert not ArticlePage.objects.filter(title__in=["Escape", "Half written"]).exists()
    assert not ImportedItem.objects.filter(source_id__contains="fake-image").exists()
    # the first image of the failed article was uploaded, then rolled back with its file
    assert Image.objects.count() == 2
    assert len(list(media_root.rglob("original_images/*"))) == 2


def test_links_outside_the_folder_are_never_read(help_centre, sample, tmp_path):
    folder = sample("markdown")
    secret = tmp_path / "secret.png"
    secret.write_bytes(png("#9b1c31"))
    (folder / "en" / "billing" / "images" / "link.png").symlink_to(secret)
    (folder / "en" / "billing" / "linked.md").write_text(
        "---\ntitle: Linked\n---\n![s](images/link.png)\n\n![r](https://evil.example/x.png)\n"
    )
    report = import_content(FolderTree(folder), "markdown")
    linked = ArticlePage.objects.get(title="Linked")
    assert [b.block_type for b in linked.body] == ["paragraph", "paragraph"]  # alt text kept
    notes = [note for origin, note in report.notes if origin == "en/billing/linked.md"]
    assert any("no such file in the source" in n for n in notes)
    assert any("only images inside the source" in n for n in notes)
    assert Image.objects.count() == 2


def test_zip_of_the_sample_imports_like_the_folder(help_centre, sample):
    archive = io.BytesIO(zip_folder(sample("markdown")))
    report = import_content(ZipTree(archive), "markdown")
    assert report.ok and len(report.created) == 3 and report.images == 2


def test_a_broken_zendesk_export_is_reported_not_a_crash(help_centre, sample):
    folder = sample("zendesk")
    (folder / "translations" / "sections" / "300001.json").write_text("{not json")
    report = import_content(FolderTree(folder), "zendesk")
    reasons = dict(report.failed)
    assert "not valid JSON" in reasons["section 300001"]
    assert "its section was not imported" in reasons["article 360001 (es)"] or not report.ok
    (folder / "articles.json").write_text('{"articles": "nope"}')
    with pytest.raises(CommandError, match="failed"):
        call_command("import_content", str(folder), "--format", "zendesk")
