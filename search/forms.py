"""The promoted-result snippet's form: the pinned object is chosen among what the index holds
(any source's, in every language), not typed as a source and an id."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import DEFAULT_INDEX, PromotedResult, SearchDocument
from .sources import all_sources

MAX_CHOICES = 5000


def result_choices() -> list[tuple[str, str]]:
    """``source:id`` → "Title (en, Article)" for every indexed object, by language and title."""
    labels = {source.name: source.label or source.name for source in all_sources()}
    rows = (
        SearchDocument.objects.filter(index_name=DEFAULT_INDEX, section="")
        .order_by("locale", "title")
        .values_list("source", "object_id", "title", "locale")[:MAX_CHOICES]
    )
    return [
        (f"{source}:{object_id}", f"{title} ({locale}, {labels.get(source, source)})")
        for source, object_id, title, locale in rows
    ]


class PromotedResultForm(WagtailAdminModelForm):
    result = forms.ChoiceField(
        label=_("Result"),
        help_text=_("Shown first for these words, to visitors who may see it."),
    )

    class Meta:
        model = PromotedResult
        fields = ["locale", "query", "sort_order", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = result_choices()
        current = ""
        if self.instance.pk:
            current = f"{self.instance.source}:{self.instance.object_id}"
            if current not in dict(choices):
                choices.insert(0, (current, f"{current} ({_('no longer indexed')})"))
        self.fields["result"].choices = [("", "---------"), *choices]
        self.fields["result"].initial = current

    def save(self, commit: bool = True):
        source, _sep, object_id = self.cleaned_data["result"].partition(":")
        self.instance.source, self.instance.object_id = source, object_id
        return super().save(commit=commit)
