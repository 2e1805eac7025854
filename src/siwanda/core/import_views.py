"""The one page flow behind every spreadsheet import: upload, preview with per-row errors,
confirm. Nothing is saved before the person confirms."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .forms import Form
from .imports import Importer, Row, read_table, stash, unstash


class UploadForm(Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )


def import_page(request, *, kind: str, importer: Importer, save, context: dict, done_url: str):
    """`save(cleaned_rows)` creates the records and returns how many it made."""
    context = {**context, "columns": importer.columns, "kind": kind}
    if request.GET.get("template") == "csv":
        response = HttpResponse(importer.template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="templat-{kind}.csv"'
        return response

    if request.method == "POST" and "token" in request.POST:
        payload = unstash(request.session, kind, request.POST["token"], remove=True)
        if payload is None:
            messages.error(request, _("This preview has expired. Upload the file again."))
            return redirect(request.path)
        rows = importer.validate([Row(**r) for r in payload["rows"]])
        valid = [row.cleaned for row in rows if row.ok]
        count = save(valid) if valid else 0
        skipped = len(rows) - len(valid)
        messages.success(
            request,
            ngettext("%(count)d row imported.", "%(count)d rows imported.", count)
            % {"count": count}
            + (
                " "
                + ngettext(
                    "%(n)d row skipped because of errors.",
                    "%(n)d rows skipped because of errors.",
                    skipped,
                )
                % {"n": skipped}
                if skipped
                else ""
            ),
        )
        return redirect(done_url)

    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = importer.validate(importer.parse(read_table(upload)))
        except ValidationError as error:
            form.add_error("file", error)
        else:
            token = stash(
                request.session,
                kind,
                {
                    "filename": upload.name,
                    "rows": [{"number": r.number, "values": r.values} for r in rows],
                },
            )
            return render(
                request,
                "core/import_preview.html",
                {
                    **context,
                    "rows": rows,
                    "token": token,
                    "filename": upload.name,
                    "valid_count": sum(r.ok for r in rows),
                    "error_count": sum(not r.ok for r in rows),
                },
            )
    return render(request, "core/import_upload.html", {**context, "form": form})
