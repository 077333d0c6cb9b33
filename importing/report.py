"""What an import did (or, with ``--dry-run``, would do), for the command and the admin page."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Report:
    kind: str
    dry_run: bool = False
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # edited in Faro since the last import
    failed: list[tuple[str, str]] = field(default_factory=list)
    categories_created: list[str] = field(default_factory=list)
    categories_updated: list[str] = field(default_factory=list)
    groups_created: list[str] = field(default_factory=list)
    images: int = 0
    images_reused: int = 0
    documents: int = 0
    documents_reused: int = 0
    document_kinds: dict[str, int] = field(default_factory=dict)  # extension -> imported
    documents_refused: list[tuple[str, str, str]] = field(default_factory=list)  # origin, file, why
    redirects: int = 0
    notes: list[tuple[str, str]] = field(default_factory=list)
    pages: dict[str, int] = field(default_factory=dict)  # source id -> page id
    indexed: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> list[tuple[str, int]]:
        return [
            ("articles created", len(self.created)),
            ("articles updated", len(self.updated)),
            ("articles unchanged", len(self.unchanged)),
            ("articles kept (edited in Faro)", len(self.kept)),
            ("articles failed", len(self.failed)),
            ("categories created", len(self.categories_created)),
            ("categories updated", len(self.categories_updated)),
            ("images uploaded", self.images),
            ("images already in the library", self.images_reused),
            ("documents uploaded", self.documents),
            ("documents already in the library", self.documents_reused),
            ("documents refused", len(self.documents_refused)),
            ("redirects", self.redirects),
            ("customer groups created", len(self.groups_created)),
        ]

    def lines(self) -> list[str]:
        prefix = "Would have: " if self.dry_run else ""
        out = [f"{prefix}{label}: {count}" for label, count in self.summary()]
        out += [f"  would create: {name}" for name in self.created if self.dry_run]
        out += [f"  would update: {name}" for name in self.updated if self.dry_run]
        out += [f"  kept editor changes: {name}" for name in self.kept]
        out += [f"  new customer group: {name}" for name in self.groups_created]
        if self.document_kinds:
            kinds = ", ".join(f"{kind} {count}" for kind, count in self.document_kinds.items())
            out.append(f"  documents by kind: {kinds}")
        out += [
            f"  REFUSED document {name} ({origin}): {why}"
            for origin, name, why in self.documents_refused
        ]
        out += [f"  FAILED {origin}: {reason}" for origin, reason in self.failed]
        out += [f"  note {origin}: {note}" for origin, note in self.notes]
        return out
