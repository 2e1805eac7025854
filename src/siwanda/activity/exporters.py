"""The activity log as CSV or XLSX, streamed row by row so a long log never sits in memory."""

import csv
import json
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .actions import action_label


def _header():
    return [
        _("Time"),
        _("Time zone"),
        _("Done by"),
        _("Action"),
        _("Object type"),
        _("Object"),
        _("Object ID"),
        _("Region"),
        _("IP address"),
        _("Changes"),
        _("Details"),
    ]


def _values(entry):
    local = timezone.localtime(entry.created_at)
    return [
        local.strftime("%Y-%m-%d %H:%M:%S"),
        local.tzname(),
        entry.actor_label,
        action_label(entry.action),
        entry.target_type.model,
        entry.target_label,
        entry.target_id,
        entry.region.name if entry.region else "",
        entry.ip_address or "",
        json.dumps(entry.changes, ensure_ascii=False) if entry.changes else "",
        json.dumps(entry.data, ensure_ascii=False) if entry.data else "",
    ]


class _Echo:
    def write(self, value):
        return value


def export_csv(entries, filename: str):
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff"  # so that Excel opens UTF-8 correctly
        yield writer.writerow(_header())
        for entry in entries.iterator(chunk_size=2000):
            yield writer.writerow(_values(entry))

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def export_xlsx(entries, filename: str):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Activity"))
    sheet.append(_header())
    for entry in entries.iterator(chunk_size=2000):
        sheet.append(_values(entry))
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after sending
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
