"""One renderer for every dataset: the geometry of an accessible horizontal bar chart (drawn as
SVG by the template insights/_chart.html) and the cells of its table.

Pure functions over the plain structures of selectors.py. Every bar carries its number as text
(and the name of its series when a row has several bars), so nothing is told by colour alone.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from .selectors import Dataset

WIDTH = 340  # small, so that the text stays legible when a phone scales the chart down
LABEL_HEIGHT = 17  # the line holding a row's label
BAR_HEIGHT = 13
BAR_GAP = 3
ROW_GAP = 9
TEXT_ROOM = 110  # right of the longest bar: "Submitted: 1.234"
LABEL_CHARS = 50  # about what fits on WIDTH at the font size of the template
FLAGGED_LABEL_CHARS = 26  # the flag takes the rest of the line
# Series colours with at least 3:1 contrast on white (WCAG 1.4.11); the text says the rest.
COLOURS = ("#1f3b57", "#0b7285", "#b45309", "#6f42c1", "#2b8a3e")


@dataclass(frozen=True)
class Bar:
    y: int
    width: float
    colour: str
    text: str
    text_x: float
    text_y: int
    height: int = BAR_HEIGHT


@dataclass(frozen=True)
class Label:
    y: int
    text: str
    flag: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    labels: list[Label]
    bars: list[Bar]
    description: str
    empty: bool


def display(value) -> str:
    """A cell as people read it, in their language's number format; "—" for nothing."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Decimal | float):
        return formats.number_format(value, decimal_pos=2, force_grouping=True)
    if isinstance(value, int):
        return formats.number_format(value, force_grouping=True)
    return str(value)


def is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_chart(dataset: Dataset) -> Chart:
    """Rows one under the other: the label on a line of its own, then one bar per drawn column,
    as long as its value against the largest value of the chart."""
    drawn = [(i, dataset.columns[i]) for i in dataset.series]
    several = len(drawn) > 1
    largest = max(
        (
            float(row.values[i])
            for row in dataset.rows
            for i, _c in drawn
            if is_number(row.values[i])
        ),
        default=0,
    )
    scale = (WIDTH - TEXT_ROOM) / largest if largest > 0 else 0
    labels, bars, y = [], [], 0
    for row in dataset.rows:
        limit = FLAGGED_LABEL_CHARS if row.flag else LABEL_CHARS
        labels.append(Label(y=y + LABEL_HEIGHT - 4, text=_short(row.label, limit), flag=row.flag))
        y += LABEL_HEIGHT
        for n, (i, column) in enumerate(drawn):
            value = row.values[i]
            width = float(value) * scale if is_number(value) else 0
            text = f"{column.series_name}: {display(value)}" if several else display(value)
            bars.append(
                Bar(
                    y=y,
                    width=round(width, 1),
                    colour=COLOURS[n % len(COLOURS)],
                    text=text,
                    text_x=round(width + 4, 1),
                    text_y=y + BAR_HEIGHT - 2,
                )
            )
            y += BAR_HEIGHT + BAR_GAP
        y += ROW_GAP
    empty = not dataset.rows
    return Chart(
        width=WIDTH,
        height=max(y, 40),
        labels=labels,
        bars=bars,
        description=_describe(dataset, drawn, empty),
        empty=empty,
    )


def _describe(dataset: Dataset, drawn, empty: bool) -> str:
    if empty:
        return _("%(title)s: nothing to show yet.") % {"title": dataset.title}
    return _(
        "Horizontal bar chart of %(columns)s for %(count)s rows, each bar labelled with its "
        "number. The table beside it holds the same data."
    ) % {
        "columns": ", ".join(column.header for _i, column in drawn),
        "count": len(dataset.rows),
    }


def table_rows(dataset: Dataset) -> list[tuple]:
    """(row, cells) for the table: every column as people read it."""
    return [(row, [display(value) for value in row.values]) for row in dataset.rows]
