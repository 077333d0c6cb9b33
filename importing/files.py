"""Reading a source (a folder or a ZIP) without ever leaving it.

Every path the importer opens comes from outside: file names inside a ZIP and image links inside
articles. Both are resolved here, against the source's own root, so a ``../`` link, an absolute
path, a symlink out of the folder or a zip-slip entry is refused with a reason instead of read.
ZIPs are read in memory with bounded size and file count; nothing is extracted to disk.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path, PurePosixPath
from typing import BinaryIO
from urllib.parse import unquote, urlparse

from django.conf import settings

MAX_ZIP_FILES = getattr(settings, "FARO_IMPORT_MAX_FILES", 5000)
MAX_ZIP_BYTES = getattr(settings, "FARO_IMPORT_MAX_BYTES", 200 * 1024 * 1024)
MAX_FILE_BYTES = getattr(settings, "FARO_IMPORT_MAX_FILE_BYTES", 20 * 1024 * 1024)


class UnsafeSource(ValueError):
    """A source that may not be read (zip-slip, path traversal, too big): the message says why."""


class NotInSource(ValueError):
    """A link the import does not follow (remote, or a missing file): noted, not fatal."""


def clean_relative(path: str) -> str:
    """A normalised relative POSIX path, or UnsafeSource if it is absolute or climbs out."""
    if "\x00" in path or "\\" in path:
        raise UnsafeSource(f"{path!r}: invalid characters in path")
    pure = PurePosixPath(path)
    if pure.is_absolute() or (pure.parts and ":" in pure.parts[0]):
        raise UnsafeSource(f"{path!r}: absolute paths are not allowed")
    normal = posixpath.normpath(path)
    if normal == ".." or normal.startswith("../"):
        raise UnsafeSource(f"{path!r}: path escapes the source folder")
    return "" if normal == "." else normal


class SourceTree:
    """Files of a source by relative POSIX path; subclasses say where the bytes come from."""

    def files(self) -> list[str]:
        raise NotImplementedError

    def read_bytes(self, path: str) -> bytes:
        raise NotImplementedError

    def read_text(self, path: str) -> str:
        return self.read_bytes(path).decode("utf-8")

    def exists(self, path: str) -> bool:
        return path in set(self.files())

    def resolve_link(self, from_file: str, link: str) -> str:
        """The tree path a relative link in ``from_file`` points at; refuses anything else.

        Only relative links to files inside the source are followed: ``http(s)`` images are
        refused (the import never fetches from the network), other schemes are refused too."""
        parsed = urlparse(link)
        if parsed.scheme or parsed.netloc:
            raise NotInSource(f"{link[:80]!r}: only images inside the source are imported")
        target = posixpath.join(posixpath.dirname(from_file), unquote(parsed.path))
        path = clean_relative(target)
        if not self.exists(path):
            raise NotInSource(f"{link[:80]!r}: no such file in the source")
        return path


class FolderTree(SourceTree):
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        if not self.root.is_dir():
            raise UnsafeSource(f"{root}: not a folder")
        self._files: list[str] | None = None

    def files(self) -> list[str]:
        if self._files is None:
            found = []
            for path in sorted(self.root.rglob("*")):
                # A symlink pointing out of the folder is not part of the source.
                if path.is_file() and path.resolve().is_relative_to(self.root):
                    found.append(path.relative_to(self.root).as_posix())
            self._files = found
        return self._files

    def exists(self, path: str) -> bool:
        return path in set(self.files())

    def read_bytes(self, path: str) -> bytes:
        full = (self.root / clean_relative(path)).resolve()
        if not full.is_relative_to(self.root):
            raise UnsafeSource(f"{path!r}: path escapes the source folder")
        if full.stat().st_size > MAX_FILE_BYTES:
            raise UnsafeSource(f"{path!r}: larger than {MAX_FILE_BYTES} bytes")
        return full.read_bytes()


class ZipTree(SourceTree):
    """A ZIP read in memory. Every entry is checked before any is used: one unsafe name rejects
    the whole archive, since a crafted archive is not a partial import."""

    def __init__(self, stream: BinaryIO) -> None:
        try:
            archive = zipfile.ZipFile(stream)
        except (zipfile.BadZipFile, OSError) as error:
            raise UnsafeSource(f"not a ZIP file: {error}") from error
        infos = [info for info in archive.infolist() if not info.is_dir()]
        if len(infos) > MAX_ZIP_FILES:
            raise UnsafeSource(f"the ZIP holds {len(infos)} files; the limit is {MAX_ZIP_FILES}")
        total = sum(info.file_size for info in infos)
        if total > MAX_ZIP_BYTES:
            raise UnsafeSource(f"the ZIP unpacks to {total} bytes; the limit is {MAX_ZIP_BYTES}")
        self.archive = archive
        self.entries: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            name = clean_relative(info.filename)  # zip-slip: ../ and absolute names
            if info.external_attr >> 28 == 0o12:  # a symlink entry
                raise UnsafeSource(f"{info.filename!r}: symbolic links are not allowed")
            self.entries[name] = info

    def files(self) -> list[str]:
        return sorted(self.entries)

    def exists(self, path: str) -> bool:
        return path in self.entries

    def read_bytes(self, path: str) -> bytes:
        info = self.entries.get(clean_relative(path))
        if info is None:
            raise UnsafeSource(f"{path!r}: no such file in the ZIP")
        with self.archive.open(info) as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # the header's size may lie
        if len(data) > MAX_FILE_BYTES:
            raise UnsafeSource(f"{path!r}: larger than {MAX_FILE_BYTES} bytes")
        return data


def open_source(source: str | Path) -> SourceTree:
    """A folder or a ``.zip`` file given on the command line."""
    path = Path(source)
    if path.is_file() and zipfile.is_zipfile(path):
        return ZipTree(path.open("rb"))
    return FolderTree(path)
