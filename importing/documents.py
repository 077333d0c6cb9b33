"""Files an article links to that are not its images (PDFs, spreadsheets, archives): Wagtail
documents.

Readers mark each link to such a file with ``#faro-document:<path>`` (``mark_links``) and list
the file on the article (``SourceDocument``); the writer checks the file (``check``), uploads it
once per content (``DocumentStore``) and turns the mark into a rich-text document link, or into
plain text with a reported reason when the file is refused. A refused file never fails its
article: a migrating admin gets every article in and a list of files to look at.

The checks, in order: a safe file name; an accepted extension (``ACCEPTED``, narrowed by
``WAGTAILDOCS_EXTENSIONS`` when set; programs, scripts and web pages are never accepted); a size
limit (``FARO_IMPORT_MAX_DOCUMENT_BYTES``); a claimed content type that is not active content;
and the bytes themselves, which must be what the extension says (a PDF starts ``%PDF-``, a
``.docx`` is a ZIP holding ``word/``, an archive holds no programs, text is not HTML).
"""

from __future__ import annotations

import hashlib
import html
import posixpath
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote, unquote, urlparse

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image as PILImage

from .files import NotInSource, SourceTree, UnsafeSource, clean_relative
from .items import SourceDocument

MARK = "#faro-document:"
ARTICLE_SUFFIXES = {".md", ".markdown", ".html", ".htm"}
_OOXML = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
_ODF = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = {"png": {"PNG"}, "jpg": {"JPEG"}, "jpeg": {"JPEG"}, "gif": {"GIF"}, "webp": {"WEBP"}}
ACCEPTED = (
    {"pdf", "txt", "csv", "rtf", "zip", "doc", "xls", "ppt"}
    | set(_OOXML)
    | set(_ODF)
    | set(_IMAGES)
)
# Never: programs, scripts, and pages or images that would run in the help centre's origin.
DANGEROUS = {
    "exe", "msi", "bat", "cmd", "com", "scr", "dll", "ps1", "vbs", "vbe", "js", "mjs", "jse",
    "wsf", "hta", "jar", "sh", "bash", "app", "apk", "dmg", "pkg", "deb", "rpm", "lnk", "cpl",
    "html", "htm", "xhtml", "shtml", "svg", "svgz", "xml", "xsl", "php", "asp", "aspx", "jsp",
    "swf", "docm", "xlsm", "pptm", "dotm", "iso", "reg", "py", "pl", "rb",
}  # fmt: skip
ACTIVE_TYPES = {
    "text/html", "application/xhtml+xml", "image/svg+xml", "application/javascript",
    "text/javascript", "application/x-msdownload", "application/x-msdos-program",
    "application/x-executable", "application/x-sh", "application/x-httpd-php",
    "application/vnd.microsoft.portable-executable", "application/java-archive", "text/xml",
    "application/xml",
}  # fmt: skip
_PROGRAMS = {
    b"MZ": "a Windows program",
    b"\x7fELF": "a Linux program",
    b"\xcf\xfa\xed\xfe": "a macOS program",
    b"\xce\xfa\xed\xfe": "a macOS program",
    b"\xca\xfe\xba\xbe": "a macOS or Java program",
    b"#!": "a script",
}
_ACTIVE_TEXT = re.compile(rb"<\s*(!doctype|html|script|svg|iframe|body|head|\?xml)", re.I)
_MARK_LINK = re.compile(r'<a href="' + re.escape(MARK) + r'([^"]*)">(.*?)</a>', re.S)
_HREF = re.compile(r'<a href="([^"]*)">')
_CONTROL = {"Cc", "Cf", "Co", "Cs", "Zl", "Zp"}  # controls, bidi overrides, private use


def max_bytes() -> int:
    default = getattr(settings, "FARO_IMPORT_MAX_FILE_BYTES", 20 * 1024 * 1024)
    return int(getattr(settings, "FARO_IMPORT_MAX_DOCUMENT_BYTES", default))


def accepted() -> set[str]:
    """Accepted extensions: Faro's list, narrowed by Wagtail's own setting when a site sets it."""
    wagtail = getattr(settings, "WAGTAILDOCS_EXTENSIONS", None)
    return ACCEPTED & {e.lower() for e in wagtail} if wagtail else set(ACCEPTED)


# --- names and titles ------------------------------------------------------------------------
def _visible(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    return "".join(ch for ch in text if unicodedata.category(ch) not in _CONTROL)


def clean_title(text: str, fallback: str = "Document") -> str:
    """A document title safe to show anywhere: no markup, no control or bidi-override
    characters, no path, one line, at most 255 characters."""
    text = html.unescape(re.sub(r"<[^>]*>", " ", _visible(str(text))))
    text = re.sub(r"[<>]", "", text).replace("\\", "/").rsplit("/", 1)[-1]
    text = " ".join(text.split())[:255].strip()
    return text or fallback


def shown_path(path: str) -> str:
    """A source path as the report shows it: no markup or control characters, one line."""
    return " ".join(re.sub(r"[<>]", "", _visible(path)).split())[:200] or "?"


def title_from_name(name: str) -> str:
    stem = PurePosixPath(name.replace("\\", "/")).name
    stem = stem.rsplit(".", 1)[0] if "." in stem.lstrip(".") else stem
    return clean_title(stem.replace("_", " ").replace("-", " ").strip())


def storage_name(path: str) -> str:
    """The file name the library stores: the last part of the path, reduced to letters, digits,
    dots, dashes and underscores (the storage adds its own folder and suffix)."""
    name = _visible(PurePosixPath(path.replace("\\", "/")).name)
    stem, dot, ext = name.rpartition(".")
    stem = re.sub(r"[^\w-]+", "-", stem if dot else name).strip("-.")[:80]
    ext = re.sub(r"[^a-z0-9]", "", ext.lower())[:10] if dot else ""
    return f"{stem or 'document'}.{ext}" if ext else stem or "document"


def unsafe_name(name: object) -> str | None:
    """Why a file name from a source's metadata may not name a file (None: it may)."""
    if not isinstance(name, str) or not name.strip():
        return "the attachment has no file name"
    if "/" in name or "\\" in name or "\x00" in name or name in {".", ".."}:
        return f"unsafe file name {clean_title(name, '?')!r} (paths are not allowed)"
    if any(unicodedata.category(ch) in _CONTROL for ch in name):
        return f"unsafe file name {clean_title(name, '?')!r} (control characters)"
    return None


def extension(path: str) -> str:
    name = PurePosixPath(path).name
    return name.rsplit(".", 1)[-1].lower() if "." in name.lstrip(".") else ""


# --- checks ----------------------------------------------------------------------------------
def kind_problem(path: str) -> str | None:
    """Why a file of this name is refused before reading it (None: its kind is accepted)."""
    ext = extension(path)
    if not ext:
        return "files without an extension are not accepted"
    if ext in DANGEROUS:
        return f".{ext} files are never imported (programs, scripts and web pages could run)"
    if ext not in accepted():
        kinds = ", ".join(sorted(accepted()))
        return f".{ext} is not an accepted document kind (accepted: {kinds})"
    return None


def check(path: str, data: bytes, content_type: str = "") -> str | None:
    """Why these bytes may not be imported as ``path`` (None: they may). The content decides;
    a claimed content type can only make it stricter."""
    problem = kind_problem(path)
    if problem:
        return problem
    ext = extension(path)
    if len(data) > max_bytes():
        return f"larger than the {max_bytes() >> 20} MB limit for documents ({len(data)} bytes)"
    claimed = (content_type or "").split(";")[0].strip().lower()
    if claimed in ACTIVE_TYPES:
        return f"its content type {claimed!r} is active content, not a document"
    for magic, what in _PROGRAMS.items():
        if data.startswith(magic):
            return f"the file is {what}, not a .{ext} document"
    if not data:
        return "the file is empty"
    return _content_problem(ext, data)


def _content_problem(ext: str, data: bytes) -> str | None:
    head = data[:1024].lstrip()
    if ext == "pdf":
        return None if data.startswith(b"%PDF-") else "the file is not a PDF (no %PDF header)"
    if ext == "rtf":
        return None if data.startswith(b"{\\rtf") else "the file is not RTF"
    if ext in {"doc", "xls", "ppt"}:
        return None if data.startswith(_OLE) else f"the file is not a .{ext} (Office 97) file"
    if ext in {"txt", "csv"}:
        if b"\x00" in data:
            return "the file is not text (it holds NUL bytes)"
        if _ACTIVE_TEXT.search(head):
            return "the text is an HTML, SVG or XML page"
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                data.decode("cp1252")
            except UnicodeDecodeError:
                return "the file is not text in UTF-8 or Windows-1252"
        return None
    if ext in _IMAGES:
        try:
            with PILImage.open(BytesIO(data)) as probe:
                found = probe.format
                probe.verify()
        except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombError):
            return f"the file is not a readable .{ext} image"
        return None if found in _IMAGES[ext] else f"the file is a {found} image, not .{ext}"
    return _zip_problem(ext, data)


def _zip_problem(ext: str, data: bytes) -> str | None:
    """ZIP-based kinds (``.zip``, Office Open XML, OpenDocument): listed, never extracted."""
    if not data.startswith(b"PK\x03\x04"):
        return f"the file is not a .{ext} (not a ZIP container)"
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = archive.namelist()
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError) as error:
        return f"the file is a broken ZIP container ({error})"
    lowered = [name.lower() for name in names]
    if ext == "zip":
        inside = sorted({extension(n) for n in lowered} & (DANGEROUS - {"xml", "html", "htm"}))
        if inside:
            return f"the archive holds programs or scripts (.{', .'.join(inside)})"
        return None
    if any(name.endswith("vbaproject.bin") for name in lowered):
        return f"the .{ext} holds macros"
    if ext in _OOXML:
        ok = "[content_types].xml" in lowered and any(n.startswith(_OOXML[ext]) for n in lowered)
        return None if ok else f"the file is a ZIP but not a .{ext} document"
    if ext in _ODF:
        return None if mimetype == _ODF[ext].encode() else f"the file is not a .{ext} document"
    return f".{ext} is not an accepted document kind"


# --- links in rich text ----------------------------------------------------------------------
def rich_texts(blocks: list[dict]) -> Iterator[tuple[Any, Any]]:
    """``(container, key)`` of every rich-text string in neutral blocks."""
    for item in blocks:
        kind, value = item["type"], item["value"]
        if kind == "paragraph":
            yield item, "value"
        elif kind in {"callout"}:
            yield value, "text"
        elif kind == "faq":
            yield value, "answer"
        elif kind == "steps":
            for step in value["steps"]:
                yield step["value"], "text"


def mark_links(
    blocks: list[dict], resolve: Callable[[str], str | None], notes: list[str]
) -> list[SourceDocument]:
    """Replace links to files in the source with ``#faro-document:<path>`` marks (in place);
    ``resolve(href)`` gives the file's path, None for an ordinary link, raises ``NotInSource``
    (the link is kept, with a note) or ``UnsafeSource`` (the link is refused and reported)."""
    found: dict[str, SourceDocument] = {}

    def replace(match: re.Match) -> str:
        href = html.unescape(match[1])
        try:
            path = resolve(href)
        except NotInSource as error:
            notes.append(f"linked file not imported ({error}); the link was kept")
            return match[0]
        except UnsafeSource as error:
            found.setdefault(href, SourceDocument(path=href[:200], refused=str(error)))
            return f'<a href="{MARK}{quote(href[:200], safe="")}">'
        if path is None:
            return match[0]
        found.setdefault(path, SourceDocument(path=path, title=title_from_name(path)))
        return f'<a href="{MARK}{quote(path, safe="")}">'

    for container, key in rich_texts(blocks):
        container[key] = _HREF.sub(replace, container[key])
    return list(found.values())


def folder_resolver(tree: SourceTree, from_file: str) -> Callable[[str], str | None]:
    """Links in a Markdown or HTML file: a relative (or site-root) link to a file in the source
    that is not another article is a document."""

    def resolve(href: str) -> str | None:
        parsed = urlparse(href)
        if parsed.scheme or parsed.netloc or not parsed.path:
            return None
        link = unquote(parsed.path)
        suffix = PurePosixPath(link).suffix.lower()
        if not suffix or suffix in ARTICLE_SUFFIXES:
            return None
        if link.startswith("/"):
            path = clean_relative(link.lstrip("/"))
        else:
            path = clean_relative(posixpath.join(posixpath.dirname(from_file), link))
        if not tree.exists(path):
            raise NotInSource(f"{href[:80]!r}: no such file in the source")
        return path

    return resolve


# --- writing ---------------------------------------------------------------------------------
@dataclass
class DocumentStore:
    """Uploads documents into Wagtail's library once per file content (matched by Wagtail's own
    SHA-1 ``file_hash``: re-runs and translations reuse them), and remembers what it refused."""

    tree: SourceTree
    user: Any
    uploaded: int = 0
    reused: int = 0
    seen: dict[str, str] = field(default_factory=dict)  # content hash -> extension
    refused: list[tuple[str, str, str]] = field(default_factory=list)  # origin, file, reason
    by_path: dict[str, int | None] = field(default_factory=dict)
    _pending: list[tuple[str, str, str]] = field(default_factory=list)

    def begin(self) -> None:
        self._pending = []

    def rollback(self) -> None:
        """The article's transaction rolled back: forget its uploads and delete their files."""
        for path, name, digest in self._pending:
            self.by_path.pop(path, None)
            self.seen.pop(digest, None)
            default_storage.delete(name)
            self.uploaded -= 1
        self._pending = []

    @property
    def kinds(self) -> Counter:
        """Documents this import linked, by extension (each file content once)."""
        return Counter(self.seen.values())

    def _refuse(self, origin: str, path: str, reason: str) -> None:
        self.by_path[path] = None
        self.refused.append((origin, shown_path(path), reason))

    def document_id(
        self, doc: SourceDocument, origin: str, *, restricted: bool, write: bool = True
    ) -> int | None:
        """The library id for ``doc`` (uploaded on first sight), or None when it is refused."""
        from wagtail.documents import get_document_model

        if doc.path in self.by_path:
            return self.by_path[doc.path]
        if doc.refused:
            self._refuse(origin, doc.path, doc.refused)
            return None
        problem = kind_problem(doc.path)
        data = b""
        if not problem:
            try:
                data = self.tree.read_bytes(doc.path)
            except (UnsafeSource, OSError) as error:
                problem = str(error)
        problem = problem or check(doc.path, data, doc.content_type)
        if problem:
            self._refuse(origin, doc.path, problem)
            return None
        ext = extension(doc.path)
        model = get_document_model()
        digest = hashlib.sha1(data).hexdigest()
        existing = model.objects.filter(file_hash=digest).first()
        if existing is not None or not write:
            self.reused += existing is not None
            self.uploaded += existing is None and digest not in self.seen
            self.seen.setdefault(digest, ext)
            self.by_path[doc.path] = existing.pk if existing else 0
            return self.by_path[doc.path]
        document = model(
            title=clean_title(doc.title or title_from_name(doc.path)),
            uploaded_by_user=self.user,
            collection=import_collection(restricted),
        )
        document.file = ContentFile(data, name=storage_name(doc.path))
        document.file_size, document.file_hash = len(data), digest
        document.save()
        self.uploaded += 1
        self.seen[digest] = ext
        self._pending.append((doc.path, document.file.name, digest))
        self.by_path[doc.path] = document.pk
        return document.pk

    def resolve(
        self, blocks: list[dict], docs: list[SourceDocument], origin: str, *, restricted: bool
    ) -> list[dict]:
        """Marks become document links (``<a linktype="document" id="…">``); a refused file's
        link becomes its text. ``blocks`` is changed in place and returned."""
        ids = {d.path: self.document_id(d, origin, restricted=restricted) for d in docs}

        def replace(match: re.Match) -> str:
            pk = ids.get(unquote(match[1]))
            return f'<a linktype="document" id="{pk}">{match[2]}</a>' if pk else match[2]

        for container, key in rich_texts(blocks):
            container[key] = _MARK_LINK.sub(replace, container[key])
        return blocks

    def plan(self, docs: list[SourceDocument], origin: str) -> None:
        """Dry run: read and check every file, count what would be uploaded, write nothing."""
        for doc in docs:
            self.document_id(doc, origin, restricted=False, write=False)


def import_collection(restricted: bool):
    """Imported documents go to the "Imported documents" collection; those of articles not
    everyone may read go to a child collection that requires signing in (Wagtail checks it
    before serving the file), so a private article's PDF does not become public."""
    from wagtail.models import Collection, CollectionViewRestriction

    root = Collection.get_first_root_node()
    public = root.get_children().filter(name="Imported documents").first()
    if public is None:
        public = root.add_child(name="Imported documents")
    if not restricted:
        return public
    private = public.get_children().filter(name="Signed-in readers only").first()
    if private is None:
        private = public.add_child(name="Signed-in readers only")
        CollectionViewRestriction.objects.create(
            collection=private, restriction_type=CollectionViewRestriction.LOGIN
        )
    return private


def heading_for_attachments(locale: str) -> str:
    return {"es": "Archivos adjuntos"}.get(locale, "Attachments")
