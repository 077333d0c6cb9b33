"""Admin → Settings → Import content: a logged-in editor uploads a ZIP and reads the report."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from importing import forms
from kb.models import ArticlePage
from tests.factories import make_user

from .conftest import zip_folder

pytestmark = pytest.mark.django_db
URL = "/admin/import-content/"


def csrf_client(user) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return client, response.cookies["csrftoken"].value


def upload(data: bytes, **extra) -> SimpleUploadedFile:
    return SimpleUploadedFile("help.zip", data, content_type="application/zip")


def test_editor_uploads_a_zip_and_sees_the_report(help_centre, sample, editor):
    client, token = csrf_client(editor)
    response = client.post(
        URL,
        {"archive": upload(zip_folder(sample("markdown"))), "format": "markdown",
         "csrfmiddlewaretoken": token},
    )  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-count="articles created">3<' in html, re.findall(
        r"data-count=.*?<|FAILED.*?</li>|<strong>.*?</li>", html
    )
    assert "Enterprise admins" in html  # the customer group it created
    # editors may not publish (moderation workflow): their import becomes drafts to submit
    page = ArticlePage.objects.get(title="Switch to another plan")
    assert not page.live and page.get_latest_revision().user == editor
    assert "submit it for moderation" in html


def test_a_moderator_import_is_published(help_centre, sample):
    from django.contrib.auth.models import Group

    moderator = make_user("mona", staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client, token = csrf_client(moderator)
    response = client.post(
        URL,
        {"archive": upload(zip_folder(sample("markdown"))), "format": "markdown",
         "csrfmiddlewaretoken": token},
    )  # fmt: skip
    assert response.status_code == 200
    assert ArticlePage.objects.get(title="Switch to another plan").live


def test_upload_needs_csrf_and_permission(help_centre, sample, editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    data = {"archive": upload(zip_folder(sample("markdown"))), "format": "markdown"}
    assert client.post(URL, data).status_code == 403
    outsider = make_user("olga", staff=True)  # staff without the import permission
    client = Client()
    client.force_login(outsider)
    assert client.get(URL).status_code in {302, 403}
    assert not ArticlePage.objects.filter(title="Switch to another plan").exists()


def test_bad_archives_are_form_errors_not_500s(help_centre, editor, monkeypatch):
    client, token = csrf_client(editor)
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../etc/evil.md", "---\ntitle: Evil\n---\n")
    response = client.post(
        URL, {"archive": upload(buffer.getvalue()), "format": "markdown",
              "csrfmiddlewaretoken": token},
    )  # fmt: skip
    assert response.status_code == 400
    assert "escapes the source folder" in response.content.decode()
    response = client.post(
        URL, {"archive": upload(b"not a zip"), "format": "zendesk", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 400 and "not a ZIP file" in response.content.decode()
    monkeypatch.setattr(forms, "MAX_UPLOAD_BYTES", 10)
    response = client.post(
        URL, {"archive": upload(b"x" * 11), "format": "html", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 400 and "larger than" in response.content.decode()


def test_the_upload_report_lists_documents_by_kind_and_refused_files(help_centre, sample, editor):
    client, token = csrf_client(editor)
    response = client.post(
        URL,
        {"archive": upload(zip_folder(sample("zendesk"))), "format": "zendesk",
         "csrfmiddlewaretoken": token},
    )  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-count="documents uploaded">2<' in html
    assert 'data-count="documents refused">2<' in html
    assert 'data-kind="pdf">.pdf: 1<' in html and 'data-kind="docx">.docx: 1<' in html
    refused = html.split("data-documents-refused", 1)[1]
    assert "plano-setup.exe" in refused and "never imported" in refused
    assert "invoice-preview.html" in refused
