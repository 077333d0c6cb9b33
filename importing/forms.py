"""The admin upload form: a bounded ZIP and the same options as the command."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .actions import FORMATS

MAX_UPLOAD_BYTES = getattr(settings, "FARO_IMPORT_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)


class ImportForm(forms.Form):
    archive = forms.FileField(
        label=_("ZIP file"),
        help_text=_("A Zendesk export, a Markdown folder or HTML files, zipped."),
    )
    format = forms.ChoiceField(choices=[(f, f.capitalize()) for f in FORMATS])
    locale = forms.ChoiceField(
        choices=[("", _("As the source says")), *settings.LANGUAGES], required=False
    )
    dry_run = forms.BooleanField(label=_("Dry run: show what would change"), required=False)
    overwrite = forms.BooleanField(
        label=_("Overwrite pages edited in Faro since the last import"), required=False
    )

    def clean_archive(self):
        archive = self.cleaned_data["archive"]
        if archive.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB."), params={"limit": MAX_UPLOAD_BYTES >> 20}
            )
        return archive
