"""Samples for the importer tests: the committed text files, copied to a temporary folder with
tiny PNG images drawn by Pillow and the documents made here (the repository ships no binaries):
a PDF, a .docx, and the kinds the importer must refuse (a Windows program, an HTML page)."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from PIL import Image

SAMPLES = Path(__file__).parent / "samples"
IMAGES = {
    "zendesk": ["attachments/8800001/plans.png", "attachments/8800002/planes.png"],
    "markdown": ["en/billing/images/plans.png", "es/billing/images/planes.png"],
    "html": ["img/board.png"],
}


def pdf(text: str = "Plano") -> bytes:
    """A small, valid one-page PDF."""
    stream = f"BT /F1 12 Tf 20 20 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 50] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = b"%PDF-1.4\n"
    for n, body in enumerate(objects, 1):
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    return out + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


def docx() -> bytes:
    """The smallest ZIP Word would call a .docx (content types, a document part)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return buffer.getvalue()


EXE = b"MZ\x90\x00\x03" + bytes(59)
DOCUMENTS = {
    "zendesk": {
        "attachments/8800003/plan-comparison.pdf": lambda: pdf("Plans"),
        "attachments/8800004/plano-setup.exe": lambda: EXE,
        "attachments/8800005/invoice-guide.docx": docx,
        "attachments/8800006/invoice-preview.html": lambda: b"<!doctype html><script>x()</script>",
    },
    "markdown": {"en/billing/files/price-list.pdf": lambda: pdf("Prices")},
    "html": {"files/checklist.pdf": lambda: pdf("Checklist")},
}


def png(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), colour).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded images go to a temporary folder, not the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def sample(tmp_path):
    """``sample("markdown")``: a fresh copy of that sample with its images."""

    def copy(name: str) -> Path:
        target = tmp_path / "src" / name
        shutil.copytree(SAMPLES / name, target)
        for n, relative in enumerate(IMAGES[name]):
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(png(["#0b5cad", "#a35a00"][n % 2]))
        for relative, make in DOCUMENTS[name].items():
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(make())
        return target

    return copy


def zip_folder(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()
