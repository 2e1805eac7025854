"""A dataset as CSV: the header row, then one line per row, UTF-8 with a byte-order mark so that
Excel opens it correctly. Numbers are written plainly (a dot before decimals), nothing for
"no value"."""

import csv
import io

from django.http import HttpResponse
from django.utils.text import slugify

from .selectors import Dataset


def _plain(value) -> str:
    return "" if value is None else str(value)


def dataset_csv(dataset: Dataset) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(dataset.header())
    for row in dataset.rows:
        writer.writerow([row.label, *(_plain(v) for v in row.values)])
    return "\ufeff" + buffer.getvalue()


def csv_filename(dataset: Dataset, region, year: int) -> str:
    return f"{dataset.key}-{slugify(region.name)}-{year}.csv"


def csv_response(dataset: Dataset, region, year: int) -> HttpResponse:
    response = HttpResponse(dataset_csv(dataset), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{csv_filename(dataset, region, year)}"'
    )
    return response
