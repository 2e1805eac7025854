"""Dashboards in the browser: the leadership reads One Agency, One Innovation for Luwu Utara
with the agency that has no innovation marked, downloads the data behind a chart, and the
secretariat reminds that agency with one click.

Texts are translated: the tests follow ids, URLs and the data the pages show."""

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, assert_accessible, assert_fits_phone
from tests.e2e.test_screening import press, signed_in


@pytest.fixture
def dashboard_world(people, luwu_utara):
    """This year, Dinas Kesehatan and Dinas Pendidikan began an innovation; Kecamatan Baebunta
    (its head has an account) did not, and began one last year."""
    from siwanda.accounts.models import Role
    from siwanda.insights.selectors import current_year
    from siwanda.regions.models import Agency
    from tests.factories import AgencyFactory, person_with_role
    from tests.insights.conftest import make_innovation

    year = current_year(luwu_utara)
    kecamatan = AgencyFactory(
        region=luwu_utara, name="Kecamatan Baebunta", kind=Agency.Kind.KECAMATAN
    )
    make_innovation(people["agency"], "Dapur Sehat", initiative_date=datetime.date(year, 1, 2))
    make_innovation(
        people["other_agency"], "Sekolah Ramah Anak", initiative_date=datetime.date(year, 1, 3)
    )
    make_innovation(kecamatan, "Camat Keliling", initiative_date=datetime.date(year - 1, 5, 1))
    return {
        "year": year,
        "kecamatan": kecamatan,
        "camat": person_with_role(Role.AGENCY_HEAD, agency=kecamatan),
    }


def test_leadership_reads_compliance_and_downloads_a_chart(new_page, people, dashboard_world):
    year = dashboard_world["year"]
    page = signed_in(new_page, people["leadership"])
    page.goto("/dasbor/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Luwu Utara")
    expect(page.locator("#oaoi-summary")).to_contain_text("67 %")
    table = page.locator("#oaoi table")
    expect(table.locator("tbody tr")).to_have_count(3)
    marked = table.locator("tbody tr.table-warning")
    expect(marked).to_have_count(1)
    expect(marked).to_contain_text("Kecamatan Baebunta")
    expect(marked.locator(".badge")).to_contain_text(str(year))
    # Every chart is an image with a name, beside a table with a caption and a CSV link.
    charts = page.locator("main svg[role=img]")
    expect(charts).to_have_count(7)
    expect(page.locator("main table caption")).to_have_count(7)
    expect(page.locator("#oaoi svg text", has_text="Kecamatan Baebunta")).to_have_count(1)
    # No remind button for the leadership.
    expect(page.locator("main form[action='/dasbor/ingatkan/']")).to_have_count(0)
    assert_accessible(page, label="dashboard")

    with page.expect_download() as info:
        page.locator("#oaoi a[download]").click()
    download = info.value
    assert download.suggested_filename == f"oaoi-kabupaten-luwu-utara-{year}.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    lines = text.lstrip("\ufeff").splitlines()
    assert len(lines) == 4
    assert [line.split(",")[:4] for line in lines[1:]] == [
        ["Dinas Kesehatan", "0", "1", "0"],
        ["Dinas Pendidikan", "0", "1", "0"],
        ["Kecamatan Baebunta", "1", "0", "0"],
    ]


def test_dashboard_fits_a_phone(new_page, people, dashboard_world):
    page = signed_in(new_page, people["leadership"], viewport=PHONE)
    page.goto("/dasbor/")
    expect(page.locator("#oaoi table")).to_be_attached()
    assert_fits_phone(page, label="dashboard")


def test_secretariat_reminds_the_agencies_without_an_innovation(
    new_page, people, luwu_utara, dashboard_world
):
    from siwanda.core.models import Notice
    from siwanda.insights.models import ComplianceReminder

    page = signed_in(new_page, people["secretariat"])
    page.goto("/dasbor/")
    expect(page.locator("#oaoi tbody tr.table-warning")).to_have_count(1)
    press(page, "/dasbor/ingatkan/")
    expect(page).to_have_url(f"/dasbor/?wilayah={luwu_utara.pk}&tahun={dashboard_world['year']}")
    expect(page.locator("main .alert-success")).to_contain_text("1")
    reminder = ComplianceReminder.objects.get()
    assert (reminder.agencies_reminded, reminder.sent_by) == (1, people["secretariat"])
    assert list(
        Notice.objects.filter(user=dashboard_world["camat"]).values_list("url", flat=True)
    ) == ["/inovasi/"]
    assert_accessible(page, label="dashboard after a reminder")

    # The same day again: refused, and it says so.
    press(page, "/dasbor/ingatkan/")
    expect(page.locator("main .alert-danger")).to_be_visible()
    assert ComplianceReminder.objects.count() == 1
