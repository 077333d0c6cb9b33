"""Samples for the importer tests: the committed text files, copied to a temporary folder with
two tiny PNG images drawn by Pillow (the repository ships no binaries)."""

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
        return target

    return copy


def zip_folder(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()
