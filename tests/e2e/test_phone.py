"""At phone width (360 px) pages fit the screen and the menu opens from its toggler."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, assert_accessible, assert_fits_phone, log_in

MENU = ("/", "/kompetisi/", "/usulan/", "/inovasi/")


def test_phone_pages_fit_and_menu_opens(new_page, people):
    from siwanda.accounts.models import Role
    from tests.factories import AgencyFactory, person_with_role

    # Long names and addresses, the kind that push a table wider than a phone.
    person_with_role(
        Role.OPERATOR,
        agency=people["agency"],
        email="kepala.bidang.pelayanan.kesehatan.masyarakat@dinkes.luwuutarakab.go.id",
        full_name="Andi Muhammad Fachruddin Patangngai Lamaddukelleng",
    )
    AgencyFactory(
        name="Dinas Pemberdayaan Masyarakat dan Desa, Pengendalian Penduduk dan Keluarga Berencana",
        short_name="DPMD-PPKB",
    )
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)

    page.goto("/masuk/")
    assert_fits_phone(page, label="login page")

    log_in(page, people["secretariat"].email)
    expect(page).to_have_url("/")
    assert_fits_phone(page, label="home of the secretariat")

    menu = page.locator("#nav-menu")
    toggler = page.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "false")
    for href in MENU:
        expect(menu.locator(f"a.nav-link[href='{href}']")).to_be_hidden()
    toggler.click()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    for href in MENU:
        expect(menu.locator(f"a.nav-link[href='{href}']")).to_be_visible()
    expect(menu.locator("a.nav-link[href='/']")).to_have_attribute("aria-current", "page")
    assert_fits_phone(page, label="home with the menu open")
    assert_accessible(page, label="home at phone width, menu open")

    # The region's pages are grouped under one drop-down.
    menu.locator("a.dropdown-toggle", has_text=re.compile("Wilayah|Region")).click()
    with page.expect_navigation():
        menu.locator("a.dropdown-item[href='/wilayah/73.22/perangkat-daerah/']").click()
    expect(page.locator("main table")).to_contain_text("Keluarga Berencana")
    assert_fits_phone(page, label="agency list")

    page.goto("/wilayah/73.22/pengguna/")
    expect(page.locator("main table")).to_contain_text(
        "Andi Muhammad Fachruddin Patangngai Lamaddukelleng"
    )
    assert_fits_phone(page, label="person list")
    assert_accessible(page, label="person list at phone width")
