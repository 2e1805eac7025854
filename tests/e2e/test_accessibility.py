"""The secretariat's everyday pages have no serious accessibility problem (axe-core)."""

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, log_in

PAGES = [
    "/wilayah/73.22/",
    "/wilayah/73.22/perangkat-daerah/",
    "/perangkat-daerah/{agency}/",
    "/perangkat-daerah/{agency}/ubah/",
    "/wilayah/73.22/pengguna/",
    "/wilayah/73.22/pengguna/impor/",
    "/pengguna/{operator}/",
    "/wilayah/73.22/aktivitas/",
    "/profil/",
    "/profil/sandi/",
]


def test_accessibility_secretariat_pages(page, people):
    log_in(page, people["secretariat"].email)
    for url in PAGES:
        url = url.format(agency=people["agency"].pk, operator=people["operator"].pk)
        response = page.goto(url)
        assert response.status == 200, url
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page, label=url)


def test_accessibility_pages_before_login(page):
    for url in ("/masuk/", "/sandi/lupa/"):
        response = page.goto(url)
        assert response.status == 200, url
        assert_accessible(page, label=url)
