"""Admin → Settings → Import content: upload a ZIP, run the import, read the report."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .actions import import_content
from .files import UnsafeSource, ZipTree
from .forms import ImportForm

PERMISSION = "importing.import_content"


def upload(request: HttpRequest) -> HttpResponse:
    """Thin: validate the form, hand the ZIP to ``import_content``, show its report. A ZIP that
    may not be read (zip-slip, too many files, too big) is a form error with the reason."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                tree = ZipTree(data["archive"])
            except UnsafeSource as error:
                form.add_error("archive", str(error))
            else:
                report = import_content(
                    tree,
                    data["format"],
                    locale=data["locale"] or None,
                    user=request.user,
                    dry_run=data["dry_run"],
                    overwrite=data["overwrite"],
                )
        if form.errors:
            status = 400
    return render(request, "importing/upload.html", {"form": form, "report": report}, status=status)
