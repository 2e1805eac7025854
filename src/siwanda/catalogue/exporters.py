"""The public catalogue as open data: CSV, JSON and XLSX, streamed row by row from the database
(XLSX through a temporary file in openpyxl's write-only mode), so a download of the whole nation
never sits in memory."""

import csv
import json
import tempfile

from django.conf import settings
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils import timezone

from . import search
from .selectors import entries_matching

COLUMNS = [
    ("id", "innovation_id"),
    ("title", "title"),
    ("agency", "agency__name"),
    ("agency_kind", "agency_kind"),
    ("region_code", "region__code"),
    ("region", "region__name"),
    ("province", "province__name"),
    ("form", "form"),
    ("urusan", "urusan"),
    ("stage", "stage"),
    ("year_started", "year"),
    ("digital", "is_digital"),
    ("highest_award", "best_award"),
    ("replications", "replication_count"),
    ("published_at", "published_at"),
    ("summary", "summary"),
]
CHUNK = 2000


def rows(filters: dict):
    """Plain dicts, in order of title, of the entries under `filters` (search text included)."""
    qs = entries_matching(filters, search.parse(filters.get("q") or ""))
    base = settings.SIWANDA_BASE_URL
    for values in (
        qs.order_by("title", "innovation_id")
        .values_list(*(source for _name, source in COLUMNS))
        .iterator(chunk_size=CHUNK)
    ):
        row = dict(zip((name for name, _source in COLUMNS), values, strict=True))
        row["published_at"] = row["published_at"].isoformat()
        row["url"] = f"{base}/katalog/{row['id']}/"
        yield row


def _filename(ext: str) -> str:
    return f"katalog-inovasi-{timezone.localdate():%Y%m%d}.{ext}"


class _Line:
    def write(self, value):
        return value


def _csv(filters):
    writer = csv.writer(_Line())
    header = [name for name, _source in COLUMNS] + ["url"]
    yield "\ufeff" + writer.writerow(header)
    for row in rows(filters):
        yield writer.writerow([row[name] for name in header])


def _json(filters):
    generated = json.dumps(timezone.now().isoformat())
    yield f'{{"generated_at": {generated}, "items": ['
    for index, row in enumerate(rows(filters)):
        yield ("," if index else "") + "\n" + json.dumps(row, ensure_ascii=False)
    yield "\n]}\n"


def _xlsx(filters):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Katalog")
    header = [name for name, _source in COLUMNS] + ["url"]
    sheet.append(header)
    for row in rows(filters):
        sheet.append([row[name] for name in header])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return handle


def download(filters: dict, fmt: str):
    if fmt == "csv":
        response = StreamingHttpResponse(_csv(filters), content_type="text/csv; charset=utf-8")
    elif fmt == "json":
        response = StreamingHttpResponse(_json(filters), content_type="application/json")
    elif fmt == "xlsx":
        return FileResponse(
            _xlsx(filters),
            as_attachment=True,
            filename=_filename("xlsx"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{_filename(fmt)}"'
    return response
