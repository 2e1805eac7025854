"""The one renderer: chart geometry, table cells and the CSV of a dataset."""

from decimal import Decimal

import pytest
from django.utils import translation

from siwanda.insights import charts
from siwanda.insights.exporters import csv_filename, dataset_csv
from siwanda.insights.selectors import Column, Dataset, Row
from siwanda.regions.models import Region

SMALL = Dataset(
    key="funnel",
    title="Funnel",
    description="",
    label_header="Year",
    columns=(Column("Proposals started", "Started"), Column("Submitted")),
    rows=(Row("2025", (10, 4)), Row("2026", (0, 2), "Nothing yet")),
    series=(0, 1),
)


def test_bar_chart_geometry():
    chart = charts.bar_chart(SMALL)
    # Rows one under the other: a 17-unit label line, two 13-unit bars 3 apart, 9 before the next.
    assert chart.height == 2 * (17 + 2 * (13 + 3) + 9) == 116
    assert [(label.y, label.text, label.flag) for label in chart.labels] == [
        (13, "2025", ""),
        (71, "2026", "Nothing yet"),
    ]
    # The longest bar (10) takes the width left of the room kept for its text: 340 - 110.
    assert [(b.y, b.width, b.text, b.text_x, b.colour) for b in chart.bars] == [
        (17, 230.0, "Started: 10", 234.0, "#1f3b57"),
        (33, 92.0, "Submitted: 4", 96.0, "#0b7285"),
        (75, 0.0, "Started: 0", 4.0, "#1f3b57"),
        (91, 46.0, "Submitted: 2", 50.0, "#0b7285"),
    ]
    assert not chart.empty
    assert chart.description == (
        "Horizontal bar chart of Proposals started, Submitted for 2 rows, each bar labelled "
        "with its number. The table beside it holds the same data."
    )


def test_a_single_series_shows_only_the_number_and_long_labels_are_cut():
    label = "Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan KB"
    dataset = Dataset(
        key="x",
        title="X",
        description="",
        label_header="Agency",
        columns=(Column("Ratio"),),
        rows=(Row(label, (Decimal("1.50"),)), Row("B", (None,), "Flag")),
    )
    chart = charts.bar_chart(dataset)
    assert [b.text for b in chart.bars] == ["1.50", "—"]
    assert [b.width for b in chart.bars] == [230.0, 0]
    assert chart.labels[0].text == label[:49].rstrip() + "…"
    assert len(chart.labels[0].text) <= charts.LABEL_CHARS


def test_an_empty_dataset_says_so():
    dataset = Dataset("x", "Awards", "", "Year", (Column("Regency"),), ())
    chart = charts.bar_chart(dataset)
    assert (chart.empty, chart.bars, chart.height) == (True, [], 40)
    assert chart.description == "Awards: nothing to show yet."


def test_table_cells_in_the_readers_number_format():
    dataset = Dataset(
        "x",
        "X",
        "",
        "Region",
        (Column("a"), Column("b"), Column("c"), Column("d")),
        (Row("R", (1234, Decimal("2.5"), None, "Yes")),),
    )
    assert charts.table_rows(dataset) == [(dataset.rows[0], ["1,234", "2.50", "—", "Yes"])]
    with translation.override("id"):
        assert charts.table_rows(dataset)[0][1] == ["1.234", "2,50", "—", "Yes"]


def test_csv_has_a_bom_a_header_row_and_plain_numbers():
    dataset = Dataset(
        "comparison",
        "X",
        "",
        "Regency or city",
        (Column("Agencies"), Column("Innovations per agency")),
        (Row("Kabupaten Luwu Utara", (22, Decimal("1.23"))), Row('Kota "Baru", Timur', (0, None))),
    )
    assert dataset_csv(dataset) == (
        "\ufeffRegency or city,Agencies,Innovations per agency\r\n"
        "Kabupaten Luwu Utara,22,1.23\r\n"
        '"Kota ""Baru"", Timur",0,\r\n'
    )


@pytest.mark.django_db
def test_csv_filename_names_region_and_year():
    region = Region.objects.get(code="73.22")
    assert csv_filename(SMALL, region, 2026) == "funnel-kabupaten-luwu-utara-2026.csv"
