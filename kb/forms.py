"""The article edit form: adds the translator's "up to date with the source" checkbox."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class ArticlePageForm(WagtailAdminPageForm):
    """Freshness is an explicit claim by the translator, not a side effect of any publish: fixing
    a typo in the Spanish text must not hide that the English source changed underneath it."""

    translation_up_to_date = forms.BooleanField(
        required=False,
        label=_("Translation is up to date"),
        help_text=_("Tick when this translation matches the current source article."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None or self.instance.source_article() is None:
            del self.fields["translation_up_to_date"]

    def save(self, commit: bool = True) -> Any:
        page = super().save(commit=False)
        if self.cleaned_data.get("translation_up_to_date"):
            page.source_synced_at = timezone.now()
        if commit:
            page.save()
        return page
