"""The datasets of the dashboards, on small hand-built data with numbers worked out by hand."""

import datetime
from decimal import Decimal

import pytest

from siwanda.insights import selectors
from siwanda.insights.selectors import Column, Row
from siwanda.regions.models import Region
from tests.factories import AgencyFactory
from tests.insights.conftest import YEAR, kipp, make_innovation, make_proposal

pytestmark = pytest.mark.django_db


def test_compliance_counts_each_agency_by_the_year_its_innovations_began(oaoi_world, luwu_utara):
    result = selectors.compliance(region=luwu_utara, year=YEAR)
    assert [(a.name, a.last_year, a.this_year, a.entries) for a in result.agencies] == [
        ("Dinas Kesehatan", 1, 1, 2),
        ("Dinas Pendidikan", 0, 1, 0),
        ("Kecamatan Baebunta", 0, 0, 0),
    ]
    assert (result.compliant, result.total, result.percent) == (2, 3, 67)
    assert [a.name for a in result.missing] == ["Kecamatan Baebunta"]


def test_compliance_a_year_earlier(oaoi_world, luwu_utara):
    result = selectors.compliance(region=luwu_utara, year=YEAR - 1)
    assert [(a.name, a.last_year, a.this_year, a.entries) for a in result.agencies] == [
        ("Dinas Kesehatan", 0, 1, 0),
        ("Dinas Pendidikan", 0, 0, 1),
        ("Kecamatan Baebunta", 1, 0, 0),
    ]
    assert (result.compliant, result.percent) == (1, 33)


def test_compliance_dataset_highlights_agencies_without_an_innovation(oaoi_world, luwu_utara):
    dataset = selectors.compliance_dataset(selectors.compliance(region=luwu_utara, year=YEAR))
    assert dataset.key == "oaoi"
    assert dataset.title == "One Agency, One Innovation 2026"
    assert dataset.header() == [
        "Agency",
        "Innovations 2025",
        "Innovations 2026",
        "Competition entries 2026",
        "Complies",
    ]
    assert dataset.rows == (
        Row("Dinas Kesehatan", (1, 1, 2, "Yes")),
        Row("Dinas Pendidikan", (0, 1, 0, "Yes")),
        Row("Kecamatan Baebunta", (0, 0, 0, "No"), "No innovation in 2026"),
    )
    assert dataset.series == (0, 1)
    assert [c.series_name for c in dataset.columns[:2]] == ["2025", "2026"]


def test_percent_rounds_halves_up():
    assert [selectors.percent(p, w) for p, w in ((1, 8), (1, 200), (2, 3), (0, 0), (5, 5))] == [
        13,
        1,
        67,
        0,
        100,
    ]


def test_breakdowns_of_the_registry(oaoi_world, luwu_utara):
    stage = selectors.by_stage(region=luwu_utara)
    assert [(r.label, r.values) for r in stage.rows] == [
        ("Initiative (inisiatif)", (5,)),
        ("Trial (uji coba)", (1,)),
        ("Implementation (penerapan)", (1,)),
    ]
    form = selectors.by_form(region=luwu_utara)
    assert [(r.label, r.values) for r in form.rows] == [
        ("Governance (tata kelola pemerintahan)", (1,)),
        ("Public service (pelayanan publik)", (5,)),
        ("Other regional innovation within a government affair", (1,)),
    ]
    urusan = selectors.by_urusan(region=luwu_utara)
    assert [(r.label, r.values) for r in urusan.rows] == [
        ("Health", (4,)),
        ("Education", (1,)),
        ("Food", (1,)),
        ("Not given", (1,)),
    ]
    sdg = selectors.by_sdg(region=luwu_utara)
    assert len(sdg.rows) == 17
    assert [(r.label, r.values) for r in sdg.rows[1:4]] == [
        ("2. Zero hunger", (1,)),
        ("3. Good health and well-being", (2,)),
        ("4. Quality education", (1,)),
    ]
    assert sum(r.values[0] for r in sdg.rows) == 4
    assert sdg.header() == ["SDG goal", "Innovations"]


def test_funnel_year_over_year(funnel_world, luwu_utara):
    dataset = selectors.funnel(region=luwu_utara)
    assert dataset.header() == [
        "Year",
        "Proposals started",
        "Submitted",
        "Passed screening",
        "Winners",
        "Special categories",
    ]
    assert dataset.rows == (Row("2025", (7, 4, 2, 2, 1)), Row("2026", (0, 0, 0, 0, 0)))
    assert dataset.series == (0, 1, 2, 3, 4)


def test_awards_by_year_and_level(funnel_world, luwu_utara):
    dataset = selectors.awards_by_level(region=luwu_utara)
    assert dataset.header() == ["Year", "Regency / city", "Province", "National"]
    assert dataset.rows == (
        Row("2018", (1, 0, 0)),
        Row("2025", (3, 1, 0)),
        Row("2026", (0, 0, 1)),
    )


def test_nothing_registered_gives_empty_rows(luwu_utara):
    assert selectors.by_urusan(region=luwu_utara).rows == ()
    assert selectors.funnel(region=luwu_utara).rows == ()
    assert selectors.awards_by_level(region=luwu_utara).rows == ()
    assert selectors.compliance(region=luwu_utara, year=YEAR).percent == 0


def test_province_comparison(oaoi_world, people, luwu_utara, other_regency):
    province = Region.objects.get(code="73")
    # Luwu Timur: two agencies, one innovation begun 2026 and two older ones, one award of 2026
    # and one of 2025, a submitted proposal to a 2026 competition (anyone's) and a draft.
    extra = AgencyFactory(region=other_regency, name="Dinas Pendidikan")
    fresh = make_innovation(extra, "Baru", initiative_date=datetime.date(2026, 4, 1))
    make_innovation(extra, "Lama", initiative_date=datetime.date(2020, 4, 1))
    fresh.awards.create(year=2026, level="province", title="Top 30")
    fresh.awards.create(year=2025, level="regency", title="Top 7")
    competition = kipp(people["neighbour_secretariat"], other_regency, YEAR, name="KIPP Timur")
    make_proposal(competition, fresh, "submitted")
    make_proposal(competition, fresh, "draft")
    dataset = selectors.province_comparison(province=province, year=YEAR)
    assert dataset.header() == [
        "Regency or city",
        "Agencies",
        "Innovations",
        "Innovations per agency",
        "Agencies with an innovation in 2026",
        "Agencies complying (%)",
        "Competition entries 2026",
        "Awards 2026",
    ]
    rows = {r.label: r.values for r in dataset.rows}
    assert len(rows) == Region.objects.filter(parent=province).count() == 24
    # Luwu Utara: 3 counted agencies, 7 innovations (the inactive agency's and the public's
    # count as registered innovations, not as agencies), Dinas Kesehatan and Dinas Pendidikan
    # began one in 2026, 2 entries to 2026 competitions.
    assert rows["Kabupaten Luwu Utara"] == (3, 7, Decimal("2.33"), 2, 67, 2, 0)
    assert rows["Kabupaten Luwu Timur"] == (2, 3, Decimal("1.50"), 2, 100, 1, 1)
    assert rows["Kota Makassar"] == (0, 0, None, 0, 0, 0, 0)
    assert dataset.series == (2,)


def test_dashboard_regions_by_role(people, luwu_utara, other_regency):
    def codes(user):
        return list(selectors.dashboard_regions(user).values_list("code", flat=True))

    assert codes(people["secretariat"]) == ["73.22"]
    assert codes(people["leadership"]) == ["73.22"]
    assert codes(people["neighbour_secretariat"]) == ["73.24"]
    for role in ("operator", "head", "mentor", "juror", "nobody"):
        assert codes(people[role]) == [], role
    assert len(codes(people["admin"])) == Region.objects.count()
    assert selectors.province_regions(people["secretariat"]).count() == 0
    assert selectors.default_region(people["leadership"]) == luwu_utara
    assert selectors.default_region(people["admin"]).code == "11"
    assert selectors.default_region(people["operator"]) is None


@pytest.mark.parametrize("agencies", [3, 30])
def test_compliance_costs_three_queries_whatever_the_number_of_agencies(
    agencies, luwu_utara, people, django_assert_num_queries
):
    for n in range(agencies):
        agency = AgencyFactory(region=luwu_utara)
        make_innovation(agency, f"Inovasi {n}", initiative_date=datetime.date(2026, 1, 2))
    with django_assert_num_queries(3):
        result = selectors.compliance(region=luwu_utara, year=YEAR)
    assert result.total == agencies + 2  # and the two agencies of `people`


def test_province_comparison_costs_five_queries(luwu_utara, people, django_assert_num_queries):
    province = Region.objects.get(code="73")
    with django_assert_num_queries(5):
        selectors.province_comparison(province=province, year=YEAR)


def test_column_series_name_falls_back_to_the_header():
    assert Column("Winners").series_name == "Winners"
    assert Column("Innovations 2025", "2025").series_name == "2025"
