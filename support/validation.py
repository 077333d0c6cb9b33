"""Input checks for a support request: clear messages a customer can act on, per field.

Attachments are checked by size and by what the bytes are (not only the name a browser sent):
a renamed executable is refused even when it is called ``screenshot.png``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from core.urls_safe import UnsafeURL, check_url

from .journey import PART_NAMES

MESSAGE_MIN = 10
MESSAGE_MAX = 5000
PAGE_URL_MAX = 500
DEFAULT_ATTACHMENT_MAX = 5 * 1024 * 1024
ENTRY_POINTS = {"footer", "search", "feedback", "launcher", "article", "api", ""}

# extension → (content type, a check on the first bytes)
ALLOWED_TYPES: dict[str, tuple[str, object]] = {
    "png": ("image/png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    "jpg": ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    "jpeg": ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    "gif": ("image/gif", lambda head: head[:6] in {b"GIF87a", b"GIF89a"}),
    "webp": ("image/webp", lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
    "pdf": ("application/pdf", lambda head: head.startswith(b"%PDF-")),
    "txt": ("text/plain", lambda head: _is_text(head)),
    "log": ("text/plain", lambda head: _is_text(head)),
    "csv": ("text/csv", lambda head: _is_text(head)),
}


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still text.
        return error.start >= len(head) - 3
    return True


class RequestError(ValueError):
    """Field → message; shown next to the fields (form) or as ``{"errors": …}`` (API)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class RequestInput:
    message: str
    email: str = ""
    name: str = ""
    locale: str = ""
    page_url: str = ""
    entry_point: str = ""
    removed_parts: frozenset[str] = field(default_factory=frozenset)
    idempotency_key: str = ""
    attachment: UploadedFile | None = None
    attachment_type: str = ""
    deflection_token: str = ""
    # "No, talk to a person" under an answer card: which card (search/shown.py) and the
    # question it answered. Only references: the card is looked up again, never trusted.
    answer_ref: str = ""
    question: str = ""

    @classmethod
    def parse(cls, data, files=None, *, email_required: bool = True) -> RequestInput:
        """Validate raw form or JSON data (``data.getlist`` or lists for ``remove``)."""
        errors: dict[str, str] = {}
        message = str(data.get("message", "") or "").strip()
        if len(message) < MESSAGE_MIN:
            errors["message"] = _("Tell us a little more: at least %(n)d characters.") % {
                "n": MESSAGE_MIN
            }
        elif len(message) > MESSAGE_MAX:
            errors["message"] = _("Keep the message under %(n)d characters.") % {"n": MESSAGE_MAX}
        email = str(data.get("email", "") or "").strip()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors["email"] = _("Enter an email address we can reply to.")
        elif email_required:
            errors["email"] = _("Enter an email address so we can reply.")
        key = str(data.get("idempotency_key", "") or "").strip()
        if len(key) > 200:
            errors["idempotency_key"] = _("The idempotency key is too long (200 at most).")
        page_url = str(data.get("page_url", "") or "")
        try:  # shown to agents as a link: http(s) or a path here, never javascript: or data:
            page_url = check_url(page_url, max_length=8000)[:PAGE_URL_MAX]
        except UnsafeURL as error:
            errors["page_url"] = _("The page address was refused: %(why)s") % {"why": error}
        entry = str(data.get("entry_point", "") or "")
        removed = data.getlist("remove") if hasattr(data, "getlist") else data.get("remove", [])
        attachment = (files or {}).get("attachment")
        attachment_type = ""
        if attachment is not None:
            try:
                attachment_type = check_attachment(attachment)
            except RequestError as error:
                errors.update(error.errors)
        if errors:
            raise RequestError(errors)
        return cls(
            message=message,
            email=email,
            name=str(data.get("name", "") or "").strip()[:120],
            locale=str(data.get("locale", "") or "")[:10],
            page_url=page_url,
            entry_point=entry if entry in ENTRY_POINTS else "",
            removed_parts=frozenset(str(r) for r in removed or [] if str(r) in PART_NAMES),
            idempotency_key=key,
            attachment=attachment,
            attachment_type=attachment_type,
            deflection_token=str(data.get("deflection", "") or "")[:36],
            answer_ref=str(data.get("answer", "") or "")[:230],
            question=" ".join(str(data.get("question", "") or "").split())[:300],
        )


def check_attachment(upload: UploadedFile) -> str:
    """The attachment's content type, or ``RequestError`` saying what is wrong with it."""
    limit = getattr(settings, "FARO_SUPPORT_ATTACHMENT_MAX_BYTES", DEFAULT_ATTACHMENT_MAX)
    if upload.size > limit:
        raise RequestError(
            {
                "attachment": _("The file is too large: %(max)d MB at most.")
                % {"max": max(1, limit // (1024 * 1024))}
            }
        )
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    allowed = ALLOWED_TYPES.get(extension)
    names = ", ".join(sorted(ALLOWED_TYPES))
    if allowed is None:
        raise RequestError(
            {
                "attachment": _("Attach an image, a PDF or a text file (%(types)s).")
                % {"types": names}
            }
        )
    upload.seek(0)
    head = upload.read(512)
    upload.seek(0)
    content_type, looks_right = allowed
    if not head or not looks_right(head):
        raise RequestError(
            {
                "attachment": _("The file's content does not match its name (.%(ext)s).")
                % {"ext": extension}
            }
        )
    return content_type
