"""Attachments that are not images: Wagtail documents, linked where the source links them,
refused with a reason when they are programs, pages, too big or not what their name says.

The attacker's tests come first: names that climb out of the source, content that lies about
its kind, titles with markup and bidi tricks, and an export that stays inside its folder."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.management import call_command
from wagtail.documents.models import Document
from wagtail.models import CollectionViewRestriction

from importing import documents
from importing.actions import import_content
from importing.files import FolderTree, ZipTree
from kb.models import ArticlePage

from .conftest import EXE, docx, pdf, zip_folder

pytestmark = pytest.mark.django_db


def write(folder, relative: str, data: bytes | str) -> None:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)


def article(text: str, title: str = "Files") -> str:
    return f"---\ntitle: {title}\n---\n{text}\n"


def refused(report) -> dict[str, str]:
    return {name: why for _, name, why in report.documents_refused}


def body_html(page: ArticlePage) -> str:
    return "".join(str(b.value.source) for b in page.body if b.block_type == "paragraph")


# --- attackers -------------------------------------------------------------------------------
def test_zendesk_file_names_never_leave_their_attachment_folder(help_centre, sample):
    folder = sample("zendesk")
    listing = folder / "article_attachments" / "360001.json"
    data = json.loads(listing.read_text())
    for n, name in enumerate(["../../articles.json", "..", "a\\..\\b.pdf", "x\x00.pdf"]):
        data["article_attachments"].append(
            {"id": 8809000 + n, "file_name": name, "content_type": "application/pdf",
             "content_url": f"https://plano.zendesk.com/hc/article_attachments/{8809000 + n}/x",
             "inline": False, "locale": "en-us", "size": 10}
        )  # fmt: skip
    listing.write_text(json.dumps(data))
    report = import_content(FolderTree(folder), "zendesk")
    reasons = [why for _, _, why in report.documents_refused]
    assert sum("unsafe file name" in why for why in reasons) == 4, reasons
    assert not Document.objects.filter(title__icontains="articles").exists()
    assert "article:360001:en" in report.pages  # the article came in


@pytest.mark.parametrize(
    "link", ["../../../../etc/passwd.pdf", "/../../etc/passwd.pdf", "..%2F..%2F..%2Fsecret.pdf"]
)
def test_links_that_climb_out_of_the_source_are_refused_not_read(help_centre, tmp_path, link):
    folder = tmp_path / "src"
    write(tmp_path, "secret.pdf", pdf("secret"))
    write(folder, "en/guides/a.md", article(f"Read [the secret]({link}) now."))
    report = import_content(FolderTree(folder), "markdown")
    assert report.ok, report.failed  # the article imports; the link does not
    assert any("escapes the source" in why for why in refused(report).values()), report
    assert Document.objects.count() == 0
    html = body_html(ArticlePage.objects.get(title="Files"))
    assert "the secret" in html and "<a" not in html


def test_a_forged_document_mark_in_the_source_links_nothing(help_centre, tmp_path):
    folder = tmp_path / "src"
    write(folder, "en/guides/files/plan.pdf", pdf())
    forged = "#faro-document:..%2F..%2F..%2Fetc%2Fpasswd"
    write(folder, "en/guides/a.md", article(f'<p>See <a href="{forged}">this</a>.</p>'))
    report = import_content(FolderTree(folder), "markdown")
    assert report.ok and Document.objects.count() == 0
    html = body_html(ArticlePage.objects.get(title="Files"))
    assert "this" in html and "faro-document" not in html and "linktype" not in html


def test_a_zip_entry_that_climbs_out_rejects_the_whole_upload():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("en/a.md", article("[x](files/x.pdf)"))
        archive.writestr("en/files/../../../x.pdf", pdf())
    buffer.seek(0)
    with pytest.raises(documents.UnsafeSource, match="escapes the source"):
        ZipTree(buffer)


@pytest.mark.parametrize(
    ("name", "data", "claimed", "reason"),
    [
        ("guide.pdf", EXE, "application/pdf", "Windows program"),
        ("guide.pdf", b"<!doctype html><script>steal()</script>", "application/pdf", "not a PDF"),
        ("guide.pdf", pdf(), "text/html", "active content"),
        ("notes.txt", b"<html><body onload=x()>", "text/plain", "HTML, SVG or XML"),
        ("report.docx", pdf(), "", "not a ZIP container"),
        ("sheet.xlsx", docx(), "", "not a .xlsx"),
        ("photo.png", b"GIF89a" + bytes(20), "image/png", "not a readable .png"),
        ("install.sh", b"#!/bin/sh\nrm -rf /", "", "never imported"),
        ("page.html", b"<p>hi</p>", "text/html", "never imported"),
        ("logo.svg", b"<svg onload='x()'/>", "image/svg+xml", "never imported"),
        ("setup.exe", EXE, "application/x-msdownload", "never imported"),
        ("data.bin", b"\x00\x01", "", "not an accepted document kind"),
        ("README", b"text", "", "without an extension"),
    ],
)
def test_content_decides_the_kind_not_the_name_or_claimed_type(name, data, claimed, reason):
    assert reason in (documents.check(name, data, claimed) or "")


def test_archives_holding_programs_and_documents_with_macros_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
        archive.writestr("tools/setup.exe", EXE)
    assert "holds programs" in documents.check("tools.zip", buffer.getvalue())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/vbaProject.bin", b"macro")
    assert "macros" in documents.check("letter.docx", buffer.getvalue())
    assert documents.check("letter.docx", docx()) is None
    assert documents.check("plans.pdf", pdf()) is None
    assert documents.check("rates.csv", "name;rate\nTeam;8 €\n".encode()) is None


def test_documents_over_the_size_limit_are_refused(help_centre, tmp_path, settings):
    settings.FARO_IMPORT_MAX_DOCUMENT_BYTES = 100
    folder = tmp_path / "src"
    write(folder, "en/guides/files/big.pdf", pdf("x" * 200))
    write(folder, "en/guides/a.md", article("The [big one](files/big.pdf)."))
    report = import_content(FolderTree(folder), "markdown")
    assert "limit for documents" in refused(report)["en/guides/files/big.pdf"]
    assert report.ok and Document.objects.count() == 0


def test_wagtails_extension_setting_narrows_the_accepted_kinds(settings):
    settings.WAGTAILDOCS_EXTENSIONS = ["pdf"]
    assert "not an accepted document kind" in documents.check("a.docx", docx())
    assert documents.check("a.pdf", pdf()) is None


def test_titles_and_stored_names_are_sanitised(help_centre, sample):
    folder = sample("zendesk")
    listing = folder / "article_attachments" / "360001.json"
    data = json.loads(listing.read_text())
    data["article_attachments"][2]["display_file_name"] = (
        '<img src=x onerror="alert(1)">Plan\u202ecod.exe\u0007 comparison<script>x</script>.pdf'
    )
    listing.write_text(json.dumps(data))
    import_content(FolderTree(folder), "zendesk")
    title = Document.objects.exclude(title="Invoice guide.docx").get().title
    assert "<" not in title and ">" not in title and "\u202e" not in title and "\x07" not in title
    assert title.startswith("Plan") and "comparison" in title
    assert documents.clean_title("../../etc/<b>passwd</b>") == "passwd"
    assert documents.storage_name("../../a b/<evil>\u202e.pdf") == "evil.pdf"
    assert documents.storage_name("..") == "document"


def test_a_bidi_disguised_program_is_refused_by_its_real_extension():
    name = "invoice\u202efdp.exe"  # shows as "invoiceexe.pdf"
    assert "never imported" in documents.check(name, EXE)


def test_the_export_writes_documents_only_inside_its_folder(help_centre, tmp_path, media_root):
    folder = tmp_path / "src"
    write(folder, "en/guides/files/plan.pdf", pdf())
    write(folder, "en/guides/a.md", article("The [plan](files/plan.pdf)."))
    import_content(FolderTree(folder), "markdown")
    document = Document.objects.get()
    document.title = "../../../../escape"
    document.save()
    out = tmp_path / "export"
    call_command("export_content", str(out), "--format", "markdown")
    written = [
        p
        for p in tmp_path.rglob("*.pdf")
        if not p.is_relative_to(folder) | p.is_relative_to(media_root)
    ]
    assert written and all(p.resolve().is_relative_to(out.resolve()) for p in written)


# --- what a migrating admin gets -------------------------------------------------------------
def test_zendesk_attachments_become_linked_documents(help_centre, sample, client):
    report = import_content(FolderTree(sample("zendesk")), "zendesk")
    assert report.ok, report.failed
    comparison = Document.objects.get(title="Plan comparison.pdf")
    change = ArticlePage.objects.get(pk=report.pages["article:360001:en"])
    html = change.body.get_prep_value()
    paragraph = "".join(b["value"] for b in html if b["type"] == "paragraph")
    assert f'<a linktype="document" id="{comparison.pk}">plan comparison</a>' in paragraph
    # the rendered page links the file Wagtail serves
    assert comparison.url in client.get(change.url).content.decode()
    # the .docx Zendesk listed under the article is listed under "Attachments"
    invoices = ArticlePage.objects.get(pk=report.pages["article:360002:en"])
    kinds = [b.block_type for b in invoices.body]
    assert kinds[-2:] == ["heading", "paragraph"]
    assert invoices.body[-2].value["text"] == "Attachments"
    guide = Document.objects.get(title="Invoice guide.docx")
    assert f'linktype="document" id="{guide.pk}"' in invoices.body[-1].value.source
    # programs and pages are refused with a reason, and the report counts kinds
    reasons = refused(report)
    assert "never imported" in reasons["attachments/8800004/plano-setup.exe"]
    assert "never imported" in reasons["attachments/8800006/invoice-preview.html"]
    assert report.documents == 2 and report.document_kinds == {"docx": 1, "pdf": 1}
    assert not Document.objects.filter(title__contains="setup").exists()


def test_documents_of_restricted_articles_need_a_sign_in(help_centre, sample, client):
    import_content(FolderTree(sample("zendesk")), "zendesk")
    guide = Document.objects.get(title="Invoice guide.docx")  # of a signed-in-only article
    assert guide.collection.get_view_restrictions().filter(
        restriction_type=CollectionViewRestriction.LOGIN
    )
    response = client.get(guide.url)
    assert response.status_code == 302 and "login" in response["Location"]
    public = Document.objects.get(title="Plan comparison.pdf")
    response = client.get(public.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_reruns_and_translations_do_not_duplicate_documents(help_centre, sample):
    folder = sample("zendesk")
    import_content(FolderTree(folder), "zendesk")
    again = import_content(FolderTree(folder), "zendesk", overwrite=True)
    assert Document.objects.count() == 2
    assert again.documents == 0 and again.documents_reused == 2


def test_markdown_and_html_links_to_files_become_documents(help_centre, sample):
    report = import_content(FolderTree(sample("markdown")), "markdown")
    price_list = Document.objects.get(title="price list")
    english = ArticlePage.objects.get(title="Switch to another plan")
    assert f'<a linktype="document" id="{price_list.pk}">price list</a>' in body_html(english)
    assert report.document_kinds == {"pdf": 1}
    report = import_content(FolderTree(sample("html")), "html", locale="en")
    checklist = Document.objects.get(title="checklist")
    page = ArticlePage.objects.get(title="Create your first project")
    assert f'linktype="document" id="{checklist.pk}"' in body_html(page)
    assert report.documents == 1


def test_a_missing_linked_file_is_a_note_and_the_link_stays(help_centre, tmp_path):
    folder = tmp_path / "src"
    write(folder, "en/guides/a.md", article("See [the form](files/missing.pdf)."))
    report = import_content(FolderTree(folder), "markdown")
    assert report.ok
    assert any("no such file in the source" in note for _, note in report.notes)
    assert 'href="files/missing.pdf"' in body_html(ArticlePage.objects.get(title="Files"))


def test_an_article_that_fails_leaves_no_document_file_behind(help_centre, tmp_path, media_root):
    folder = tmp_path / "src"
    write(folder, "en/guides/files/plan.pdf", pdf())
    write(folder, "en/guides/images/fake.png", b"<?php ?>")
    write(folder, "en/guides/a.md", article("[plan](files/plan.pdf)\n\n![x](images/fake.png)"))
    report = import_content(FolderTree(folder), "markdown")
    assert "not a readable image" in dict(report.failed)["en/guides/a.md"]
    assert Document.objects.count() == 0 and report.documents == 0
    assert not list(media_root.rglob("documents/*"))


def test_dry_run_checks_documents_and_writes_none(help_centre, sample):
    report = import_content(FolderTree(sample("zendesk")), "zendesk", dry_run=True)
    assert report.documents == 2 and len(report.documents_refused) == 2
    assert Document.objects.count() == 0


def test_command_output_counts_documents_per_kind(help_centre, sample, capsys):
    call_command("import_content", str(sample("zendesk")), "--format", "zendesk")
    out = capsys.readouterr().out
    assert "documents uploaded: 2" in out and "documents refused: 2" in out
    assert "documents by kind: docx 1, pdf 1" in out
    assert "REFUSED document attachments/8800004/plano-setup.exe" in out


def test_zip_upload_imports_documents_too(help_centre, sample):
    report = import_content(ZipTree(io.BytesIO(zip_folder(sample("markdown")))), "markdown")
    assert report.ok and report.documents == 1
