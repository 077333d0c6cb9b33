"""Turn the demo content's Markdown dialect (``kb/demo_content/FORMAT.md``) into StreamField data.

Writers get plain text files that read well in a diff; the seed command gets the same block
structure an editor would build by hand in the Wagtail admin.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import markdown

# ``image:key`` names a demo illustration; any other target is a path (imports: importing/).
_IMAGE = re.compile(
    r'^!\[(?P<alt>[^\]]*)\]\((?:image:(?P<key>[\w-]+)|(?P<src>[^\s)"]+))(?:\s+"(?P<caption>[^"]*)")?\)$'
)
_VIDEO = re.compile(r'^@video\s+(?P<url>\S+)(?:\s+"(?P<title>[^"]*)")?$')
_STEP = re.compile(r"^\d+\.\s+(?P<text>.+)$")
_CALLOUT = re.compile(r"^>\s*(?P<kind>Note|Tip|Warning):\s*(?P<text>.*)$", re.IGNORECASE)


class ContentError(ValueError):
    """A content file that does not follow FORMAT.md; the message names the file and line."""


@dataclass
class Document:
    path: Path
    meta: dict[str, str]
    blocks: list[dict] = field(default_factory=list)

    def list(self, key: str) -> list[str]:
        return [item.strip() for item in self.meta.get(key, "").split(",") if item.strip()]


def inline_html(text: str) -> str:
    """Markdown paragraphs and bullet lists to the HTML Wagtail stores for rich text."""
    return markdown.markdown(text.strip(), output_format="html")


def _block(kind: str, value: object) -> dict:
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def parse_front_matter(path: Path, text: str) -> tuple[dict[str, str], list[str]]:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise ContentError(f"{path}: must start with a '---' front-matter line")
    try:
        end = lines.index("---", 1)
    except ValueError as error:
        raise ContentError(f"{path}: front matter is not closed with '---'") from error
    meta = {}
    for number, line in enumerate(lines[1:end], start=2):
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise ContentError(f"{path}:{number}: expected 'key: value'")
        meta[key.strip()] = value.strip()
    return meta, lines[end + 1 :]


def parse_file(path: Path) -> Document:
    meta, body = parse_front_matter(path, path.read_text(encoding="utf-8"))
    return Document(path=path, meta=meta, blocks=_Parser(path, body).parse())


def parse_body(path: Path, lines: list[str], *, lenient: bool = False) -> list[dict]:
    """Blocks for the lines after the front matter. ``lenient`` (imports of Markdown written
    elsewhere): a blockquote without a "Note:"-style marker is a note instead of an error."""
    return _Parser(path, lines, lenient=lenient).parse()


class _Parser:
    def __init__(self, path: Path, lines: list[str], *, lenient: bool = False) -> None:
        self.path = path
        self.lenient = lenient
        self.lines = lines
        self.i = 0
        self.blocks: list[dict] = []
        self.text: list[str] = []

    def error(self, message: str) -> ContentError:
        return ContentError(f"{self.path}: {message} (body line {self.i + 1})")

    def flush_text(self) -> None:
        if any(line.strip() for line in self.text):
            self.blocks.append(_block("paragraph", inline_html("\n".join(self.text))))
        self.text = []

    def parse(self) -> list[dict]:
        while self.i < len(self.lines):
            line = self.lines[self.i].rstrip()
            handled = self._special(line)
            if not handled:
                self.text.append(line)
                self.i += 1
        self.flush_text()
        return self.blocks

    def _special(self, line: str) -> bool:
        for prefix, level in (("### ", "h3"), ("## ", "h2")):
            if line.startswith(prefix):
                self.flush_text()
                text = line[len(prefix) :].strip()
                self.blocks.append(_block("heading", {"text": text, "level": level}))
                self.i += 1
                return True
        if line.startswith("```"):
            self._code(line[3:].strip() or "text")
        elif _STEP.match(line) and not any(t.strip() for t in self.text[-1:]):
            self._steps()
        elif line.startswith(">"):
            self._callout()
        elif line.startswith("Q: "):
            self._faq()
        elif match := _IMAGE.match(line):
            self.flush_text()
            self.blocks.append(_block("image", {"image_key": match["key"], **match.groupdict()}))
            self.i += 1
        elif match := _VIDEO.match(line):
            self.flush_text()
            value = {"url": match["url"], "title": match["title"] or "", "transcript": ""}
            self.blocks.append(_block("video", value))
            self.i += 1
        else:
            return False
        return True

    def _code(self, language: str) -> None:
        self.flush_text()
        start = self.i
        self.i += 1
        code = []
        while self.i < len(self.lines) and not self.lines[self.i].startswith("```"):
            code.append(self.lines[self.i])
            self.i += 1
        if self.i >= len(self.lines):
            self.i = start
            raise self.error("code fence is never closed")
        self.i += 1
        self.blocks.append(_block("code", {"language": language, "code": "\n".join(code)}))

    def _steps(self) -> None:
        self.flush_text()
        steps = []
        while self.i < len(self.lines) and (match := _STEP.match(self.lines[self.i])):
            steps.append(_block("item", {"text": inline_html(match["text"]), "image": None}))
            self.i += 1
        self.blocks.append(_block("steps", {"title": "", "steps": steps}))

    def _callout(self) -> None:
        self.flush_text()
        match = _CALLOUT.match(self.lines[self.i])
        if not match and not self.lenient:
            raise self.error("a callout starts with '> Note:', '> Tip:' or '> Warning:'")
        kind = match["kind"].lower() if match else "note"
        parts = [match["text"] if match else self.lines[self.i].lstrip(">").strip()]
        self.i += 1
        while self.i < len(self.lines) and self.lines[self.i].startswith(">"):
            parts.append(self.lines[self.i].lstrip(">").strip())
            self.i += 1
        value = {"kind": kind, "text": inline_html(" ".join(parts))}
        self.blocks.append(_block("callout", value))

    def _faq(self) -> None:
        self.flush_text()
        question = self.lines[self.i][3:].strip()
        self.i += 1
        if self.i >= len(self.lines) or not self.lines[self.i].startswith("A: "):
            raise self.error(f"question {question!r} must be followed by an 'A: ' line")
        answer = [self.lines[self.i][3:]]
        self.i += 1
        while self.i < len(self.lines) and self.lines[self.i].strip():
            if self.lines[self.i].startswith(("Q: ", "## ", "> ", "```")):
                break
            answer.append(self.lines[self.i])
            self.i += 1
        self.blocks.append(
            _block("faq", {"question": question, "answer": inline_html("\n".join(answer))})
        )
