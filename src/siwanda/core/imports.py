"""Spreadsheet imports with a preview: read CSV or XLSX, validate every row with a form, show
the result, and only save when the person confirms.

The rows are kept in the session between preview and confirmation and validated again on
confirmation, because the data may have changed in between.
"""

import csv
import io
import secrets
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SESSION_PREFIX = "siwanda_import:"


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the header written in the template file
    aliases: tuple[str, ...] = ()
    required: bool = False


@dataclass
class Row:
    number: int  # the row number as the spreadsheet shows it (header is row 1)
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    cleaned: dict | None = None
    cells: list[str] = field(default_factory=list)  # the values in column order, for display

    @property
    def ok(self) -> bool:
        return not self.errors


def _normalise(header: str) -> str:
    return " ".join(str(header or "").replace("_", " ").replace("*", "").lower().split())


def _table_from_csv(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def _table_from_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ValidationError(
            _("This file could not be read as an Excel workbook (.xlsx).")
        ) from error
    sheet = workbook.worksheets[0]
    table = []
    for values in sheet.iter_rows(values_only=True):
        table.append(["" if value is None else _cell_text(value) for value in values])
    workbook.close()
    return table


def _cell_text(value) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        if abs(value) >= 1e15:
            # Excel keeps 15 digits of a number: an 18-digit NIP typed as a number is already
            # wrong in the file. Show it as Excel does, so the row's error explains itself.
            return f"{value:.15g}".upper()
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
    return str(value)


def read_table(upload) -> list[list[str]]:
    """The cells of an uploaded CSV or XLSX file, as text, first row included."""
    if upload.size > settings.SIWANDA_IMPORT_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)d MB.")
            % {"size": settings.SIWANDA_IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    data = upload.read()
    if data[:4] == b"PK\x03\x04":
        table = _table_from_xlsx(data)
    elif upload.name.lower().endswith((".xlsx", ".xls")) or b"\x00" in data[:1024]:
        raise ValidationError(
            _(
                "Only .xlsx workbooks and .csv files can be imported. Save the file as one of "
                "those and upload it again."
            )
        )
    else:
        table = _table_from_csv(data)
    return [row for row in table if any(cell.strip() for cell in row)]


class Importer:
    """One kind of import: its columns and the form that validates a row."""

    columns: tuple[Column, ...] = ()
    row_form: type[forms.Form]

    def form_kwargs(self) -> dict:
        return {}

    def check_row(self, row: Row, seen: dict) -> None:
        """Cross-row checks (duplicates within the file and the like); add to row.errors."""

    def parse(self, table: list[list[str]]) -> list[Row]:
        if not table:
            raise ValidationError(_("The file is empty."))
        headers = [_normalise(cell) for cell in table[0]]
        positions = {}
        for column in self.columns:
            names = {
                _normalise(column.label),
                _normalise(column.key),
                *map(_normalise, column.aliases),
            }
            for index, header in enumerate(headers):
                if header in names:
                    positions[column.key] = index
                    break
        missing = [str(c.label) for c in self.columns if c.required and c.key not in positions]
        if missing:
            raise ValidationError(
                _("The first row must name the columns. Missing: %(columns)s.")
                % {"columns": ", ".join(missing)}
            )
        body = table[1:]
        if len(body) > settings.SIWANDA_IMPORT_MAX_ROWS:
            raise ValidationError(
                _("The file has more than %(rows)d rows; split it into smaller files.")
                % {"rows": settings.SIWANDA_IMPORT_MAX_ROWS}
            )
        rows = []
        for number, cells in enumerate(body, start=2):
            values = {
                key: (cells[index].strip() if index < len(cells) else "")
                for key, index in positions.items()
            }
            rows.append(Row(number=number, values=values))
        return rows

    def validate(self, rows: list[Row]) -> list[Row]:
        seen: dict = {}
        labels = {c.key: c.label for c in self.columns}
        for row in rows:
            row.errors, row.cleaned = [], None
            row.cells = [row.values.get(c.key, "") for c in self.columns]
            form = self.row_form(data=row.values, **self.form_kwargs())
            if form.is_valid():
                row.cleaned = form.cleaned_data
            else:
                for key, messages in form.errors.items():
                    prefix = f"{labels[key]}: " if key in labels else ""
                    row.errors.extend(f"{prefix}{message}" for message in messages)
            self.check_row(row, seen)
            if row.errors:
                row.cleaned = None
        return rows

    def template_csv(self) -> str:
        """A header row (and nothing else) to download and fill in."""
        out = io.StringIO()
        csv.writer(out).writerow([c.label for c in self.columns])
        return out.getvalue()


def stash(session, kind: str, payload: dict) -> str:
    token = secrets.token_urlsafe(12)
    # Sessions are not iterable like a dict: .keys() is needed.
    stale = [k for k in session.keys() if k.startswith(f"{SESSION_PREFIX}{kind}:")]  # noqa: SIM118
    for key in stale:
        del session[key]
    session[f"{SESSION_PREFIX}{kind}:{token}"] = payload
    return token


def unstash(session, kind: str, token: str, *, remove: bool = False) -> dict | None:
    key = f"{SESSION_PREFIX}{kind}:{token}"
    return session.pop(key, None) if remove else session.get(key)
