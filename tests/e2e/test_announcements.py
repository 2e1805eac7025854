"""Announcements in the browser: the secretariat posts a guide with its PDF and publishes it; a
visitor without an account finds it on the home page and downloads the PDF; the pages have no
serious accessibility problem and fit a phone.

Texts are translated: the tests follow URLs, field names and the data the pages show."""

import re

from playwright.sync_api import expect

from siwanda.core.demo.competitions import PDF
from tests.e2e.conftest import PHONE, assert_accessible, assert_fits_phone, submit
from tests.e2e.test_screening import press, signed_in

TITLE = "Cara menulis proposal inovasi yang baik"
BODY = "Mulailah dari masalah dan datanya.\n\nLalu tunjukkan hasil sebelum dan sesudah."


def test_secretariat_publishes_a_guide_and_a_visitor_downloads_it(new_page, people, luwu_utara):
    from siwanda.announcements.models import Announcement

    page = signed_in(new_page, people["secretariat"])
    page.goto("/pengumuman/")
    with page.expect_navigation():
        page.locator("main a[href='/pengumuman/baru/']").click()
    form = page.locator("main form[method=post]")
    form.locator("select[name=kind]").select_option("guide")
    form.locator("input[name=title]").fill(TITLE)
    form.locator("textarea[name=body]").fill(BODY)
    form.locator("input[name=attachment]").set_input_files(
        {"name": "Panduan Proposal.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    with page.expect_navigation():
        submit(page)
    announcement = Announcement.objects.get(title=TITLE)
    assert announcement.published_at is None
    assert announcement.attachment_name == "Panduan Proposal.pdf"
    expect(page).to_have_url(f"/pengumuman/{announcement.pk}/")

    # A visitor cannot read the draft yet.
    visitor = new_page()
    response = visitor.goto(f"/pengumuman/{announcement.pk}/")
    assert response.status == 404

    press(page, f"/pengumuman/{announcement.pk}/terbitkan/")
    announcement.refresh_from_db()
    assert announcement.is_published

    # The visitor finds it on the home page, reads it and downloads the PDF.
    visitor.goto("/")
    latest = visitor.locator("main section[aria-labelledby=announcements-title]")
    link = latest.get_by_role("link", name=TITLE)
    expect(link).to_be_visible()
    with visitor.expect_navigation():
        link.click()
    expect(visitor).to_have_url(f"/pengumuman/{announcement.pk}/")
    expect(visitor.locator("#announcement-body p")).to_have_text(
        ["Mulailah dari masalah dan datanya.", "Lalu tunjukkan hasil sebelum dan sesudah."]
    )
    with visitor.expect_download() as info:
        visitor.locator(f"main a[href='/pengumuman/{announcement.pk}/lampiran/']").click()
    download = info.value
    assert download.suggested_filename == "Panduan Proposal.pdf"
    with open(download.path(), "rb") as saved:
        assert saved.read() == PDF


def test_accessibility_announcement_pages(new_page, people, luwu_utara, competition):
    from siwanda.announcements import services

    guide = services.announcement_create(
        actor=people["secretariat"],
        region=luwu_utara,
        kind="guide",
        title=TITLE,
        body=BODY,
        competition=competition,
        is_pinned=True,
        publish=True,
    )
    services.announcement_create(
        actor=people["secretariat"], region=luwu_utara, kind="schedule", title="Jadwal", body="-"
    )
    visitor = new_page()
    for url in ("/", "/pengumuman/", f"/pengumuman/{guide.pk}/"):
        response = visitor.goto(url)
        assert response.status == 200, url
        expect(visitor.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(visitor, label=f"{url} (visitor)")
    page = signed_in(new_page, people["secretariat"])
    for url in (
        "/",
        "/pengumuman/",
        "/pengumuman/baru/",
        f"/pengumuman/{guide.pk}/",
        f"/pengumuman/{guide.pk}/ubah/",
        f"/kompetisi/{competition.pk}/",
    ):
        response = page.goto(url)
        assert response.status == 200, url
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page, label=url)
    # The refused form keeps what was typed, and its error is announced accessibly too.
    page.goto("/pengumuman/baru/")
    page.locator("main input[name=title]").fill("Judul tanpa isi")
    with page.expect_navigation():
        submit(page)
    expect(page.locator("main input[name=title]")).to_have_value("Judul tanpa isi")
    expect(page.locator("#id_body_error")).to_be_visible()
    assert_accessible(page, label="/pengumuman/baru/ with errors")
    phone = new_page(viewport=PHONE)
    for url in ("/pengumuman/", f"/pengumuman/{guide.pk}/"):
        phone.goto(url)
        assert_fits_phone(phone, label=url)
    expect(phone.locator("main")).to_contain_text(re.compile(TITLE))
