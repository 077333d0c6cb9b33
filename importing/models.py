"""What the importer remembers between runs, so a re-run updates pages instead of duplicating."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportedItem(models.Model):
    """One source item (a Zendesk article translation, a Markdown file, ...) and the page it became.

    ``source_hash`` is what the source said at the last import: an unchanged source is skipped.
    ``content_hash`` is the page's content as the import left it: when the page's latest revision
    no longer matches, an editor changed it in Faro and a re-run keeps their work.
    """

    source_kind = models.CharField(max_length=20)
    source_id = models.CharField(max_length=255)
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    source_hash = models.CharField(max_length=64)
    content_hash = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source_kind", "source_id"], name="importing_one_page_per_source_item"
            )
        ]
        permissions = [("import_content", _("Can import help-centre content"))]

    def __str__(self) -> str:
        return f"{self.source_kind}:{self.source_id} -> page {self.page_id}"
