"""The secretariat builds its region's list of agencies: one by one, or from a spreadsheet."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, log_in, path_of, submit

AGENCY_FIELDS = {
    "#id_name": "Badan Perencanaan Pembangunan Daerah",
    "#id_short_name": "Bappeda",
    "#id_code": "4.01",
    "#id_email": "bappeda@luwuutarakab.go.id",
    "#id_phone": "0473 21234",
}


def fill_agency_form(page, fields, kind="badan"):
    for selector, value in fields.items():
        page.locator(selector).fill(value)
    page.locator("#id_kind").select_option(kind)


def test_agency_add_and_duplicate_name_keeps_input(page, people):
    from siwanda.regions.models import Agency

    log_in(page, people["secretariat"].email)
    page.goto("/wilayah/73.22/perangkat-daerah/")
    with page.expect_navigation():
        page.locator("main a[href='/wilayah/73.22/perangkat-daerah/tambah/']").click()
    assert_accessible(page, label="agency form")

    fill_agency_form(page, AGENCY_FIELDS)
    page.locator("#id_parent").select_option(label="Dinas Kesehatan")
    submit(page)

    expect(page).to_have_url(re.compile(r"/perangkat-daerah/\d+/$"))
    agency = Agency.objects.get(region__code="73.22", name=AGENCY_FIELDS["#id_name"])
    expect(page).to_have_url(f"/perangkat-daerah/{agency.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(AGENCY_FIELDS["#id_name"])
    expect(page.locator("main")).to_contain_text("bappeda@luwuutarakab.go.id")
    assert_accessible(page, label="page of the new agency")
    assert (agency.short_name, agency.kind, agency.code, agency.parent) == (
        "Bappeda",
        "badan",
        "4.01",
        people["agency"],
    )

    # The same name again (other capitals): refused, and nothing typed is lost.
    page.goto("/wilayah/73.22/perangkat-daerah/tambah/")
    duplicate = {
        **AGENCY_FIELDS,
        "#id_name": "badan perencanaan pembangunan daerah",
        "#id_code": "4.02",
    }
    fill_agency_form(page, duplicate)
    with page.expect_response(lambda r: r.request.method == "POST") as info:
        submit(page)

    assert info.value.status == 200
    expect(page).to_have_url("/wilayah/73.22/perangkat-daerah/tambah/")
    expect(page.locator("#id_name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_name_error")).to_be_visible()
    for selector, value in duplicate.items():
        expect(page.locator(selector)).to_have_value(value)
    expect(page.locator("#id_kind")).to_have_value("badan")
    assert Agency.objects.filter(region__code="73.22").count() == 3
    assert_accessible(page, label="agency form with an error")


def write_workbook(path, rows):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_agency_import_skips_bad_row(page, people, tmp_path):
    from siwanda.regions.models import Agency

    workbook = write_workbook(
        tmp_path / "perangkat-daerah.xlsx",
        [
            ["Nama", "Jenis", "Induk", "Singkatan", "Kode"],
            ["Badan Pendapatan Daerah", "Badan", "", "Bapenda", "4.02"],
            ["Puskesmas Masamba", "puskesmas", "Dinas Kesehatan", "", ""],
            ["Kantor Serba Ada", "gudang", "", "", ""],  # not a type of agency
            ["Kecamatan Sabbang", "kecamatan", "", "", 3],  # a code typed as a number
        ],
    )
    log_in(page, people["secretariat"].email)
    page.goto("/wilayah/73.22/perangkat-daerah/impor/")
    assert_accessible(page, label="import page")

    page.locator("main input[type=file]").set_input_files(workbook)
    submit(page)

    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(0).locator("th")).to_have_text("2")
    bad = rows.filter(has_text="Kantor Serba Ada")
    expect(bad.locator("th")).to_have_text("4")
    expect(bad.locator(".import-errors li")).to_have_count(1)
    expect(bad.locator(".import-errors li")).to_have_text(re.compile(r"\w{3,}"))
    for good in ("Badan Pendapatan Daerah", "Puskesmas Masamba", "Kecamatan Sabbang"):
        expect(rows.filter(has_text=good).locator(".import-errors li")).to_have_count(0)
    assert Agency.objects.filter(region__code="73.22").count() == 2  # nothing saved yet
    assert_accessible(page, label="import preview")

    with page.expect_navigation():
        page.locator("main form:has(input[name=token]) button[type=submit]").click()

    expect(page).to_have_url("/wilayah/73.22/perangkat-daerah/")
    table = page.locator("main table")
    for name in ("Badan Pendapatan Daerah", "Puskesmas Masamba", "Kecamatan Sabbang"):
        expect(table.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(table).not_to_contain_text("Kantor Serba Ada")
    expect(table.locator("tr", has_text="Puskesmas Masamba")).to_contain_text("Dinas Kesehatan")
    imported = dict(Agency.objects.filter(region__code="73.22").values_list("name", "kind"))
    assert imported == {
        "Dinas Kesehatan": "dinas",
        "Dinas Pendidikan": "dinas",
        "Badan Pendapatan Daerah": "badan",
        "Puskesmas Masamba": "puskesmas",
        "Kecamatan Sabbang": "kecamatan",
    }
    assert Agency.objects.get(name="Kecamatan Sabbang").code == "3"
    assert path_of(page.url) == "/wilayah/73.22/perangkat-daerah/"
