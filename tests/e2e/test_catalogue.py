"""The public catalogue in the browser: a visitor (not signed in) searches with a misspelt
word, narrows the results with a filter whose count matches, downloads them as CSV and opens
an innovation's page; an operator of Kabupaten Luwu Timur asks to replicate an innovation of
Luwu Utara, its owner agrees, the requester records the replica, and the source's page counts
it. The list and the detail page pass axe-core, on a desktop and at phone width.

Texts are translated (the browser asks for Indonesian): the tests follow URLs, ids and the data
on the page; where a text is checked, it is the message in the page's own language."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import expect

from tests.catalogue.builders import make_agencies, make_library
from tests.e2e.conftest import PHONE, assert_accessible, assert_fits_phone
from tests.e2e.test_screening import press, signed_in


def say(page, message) -> str:
    """A lazy translatable text as the page shows it, in the page's language."""
    with translation.override(page.locator("html").get_attribute("lang")):
        return str(message)


def say_count(page, singular, plural, count) -> str:
    """A {% blocktranslate count %} text as the page shows it, in the page's language."""
    with translation.override(page.locator("html").get_attribute("lang")):
        return translation.ngettext(singular, plural, count) % {"counter": count}


@pytest.fixture
def library(people, luwu_utara):
    from siwanda.regions.models import Region

    agencies = make_agencies(people, luwu_utara, Region.objects.get(code="75.01"))
    return make_library(agencies)


def results(page):
    return page.locator("#catalogue-results ol > li")


def test_a_visitor_searches_narrows_downloads_and_opens_an_innovation(page, library):
    daring, adminduk = library["daring"], library["adminduk"]
    page.goto("/katalog/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(results(page)).to_have_count(6)
    assert_accessible(page, label="catalogue")

    # A misspelt word: the corrected word is searched and marked in the results.
    page.locator("#id_q").fill("kependudukn")
    page.locator("#id_q").press("Enter")
    expect(page).to_have_url(re.compile(r"/katalog/\?.*q=kependudukn"))
    expect(results(page)).to_have_count(2)
    expect(page.locator("#catalogue-results strong", has_text="kependudukan")).to_be_visible()
    marked = results(page).locator("mark")
    expect(marked).to_have_count(2)
    expect(marked.first).to_have_text("Kependudukan")
    for innovation in (daring, adminduk):
        expect(results(page).locator(f"a[href='/katalog/{innovation.pk}/']")).to_be_visible()
    expect(page.locator("#catalogue-results")).not_to_contain_text("Belum Terbit")  # unpublished
    assert_accessible(page, label="catalogue search")

    # Narrowed to the trials: the option said how many there would be.
    trial = page.locator("#id_stage option[value=trial]")
    count = int(re.search(r"\((\d+)\)$", trial.inner_text().strip()).group(1))
    assert count == 1
    page.locator("#id_stage").select_option("trial")
    expect(page).to_have_url(re.compile(r"stage=trial"))
    expect(results(page)).to_have_count(count)
    expect(results(page).first.locator("h3")).to_have_text(daring.title)
    expect(page.locator("#id_stage")).to_have_value("trial")
    expect(page.locator("#id_q")).to_have_value("kependudukn")

    # The CSV holds exactly what is shown.
    with page.expect_download() as info:
        page.locator("#catalogue-results a[href^='/katalog/unduh.csv']").click()
    download = info.value
    assert re.fullmatch(r"katalog-inovasi-\d{8}\.csv", download.suggested_filename)
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(row["id"], row["title"], row["stage"]) for row in rows] == [
        (str(daring.pk), daring.title, "trial")
    ]

    # The innovation's page.
    with page.expect_navigation():
        results(page).locator(f"a[href='/katalog/{daring.pk}/']").click()
    expect(page).to_have_url(f"/katalog/{daring.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(daring.title)
    expect(page.locator("main")).to_contain_text(daring.goals)
    expect(page.locator("main")).to_contain_text("Kabupaten Luwu Timur")
    assert_accessible(page, label="innovation's public page")


def test_the_catalogue_fits_a_phone(new_page, library):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto("/katalog/?q=kelola+sampah")
    expect(results(page)).to_have_count(2)
    assert_fits_phone(page, label="catalogue at phone width")
    assert_accessible(page, label="catalogue at phone width")
    page.goto(f"/katalog/{library['bank_sampah'].pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(library["bank_sampah"].title)
    assert_fits_phone(page, label="innovation's page at phone width")
    assert_accessible(page, label="innovation's page at phone width")


def test_an_agency_of_another_regency_replicates_an_innovation(new_page, people, library):
    from siwanda.catalogue.models import CatalogueEntry, ReplicationRequest
    from siwanda.innovations.models import Innovation

    source = library["stunting"]  # Dinas Kesehatan, Kabupaten Luwu Utara
    requester = people["neighbour_operator"]  # Dinas Kesehatan, Kabupaten Luwu Timur

    # The requester finds the innovation and asks its owner.
    asking = signed_in(new_page, requester)
    asking.goto(f"/katalog/{source.pk}/")
    with asking.expect_navigation():
        asking.locator(f"main a[href='/katalog/{source.pk}/replikasi/']").click()
    expect(asking.locator("#id_agency")).to_have_value(str(people["neighbour_agency"].pk))
    asking.locator("#id_message").fill("Kami ingin menerapkan Dapur Sehat di Luwu Timur.")
    with asking.expect_navigation():
        asking.locator("main form[method=post] button[type=submit]").click()
    request = ReplicationRequest.objects.get()
    expect(asking).to_have_url(f"/replikasi/{request.pk}/")
    expect(asking.locator("main")).to_contain_text("Kami ingin menerapkan Dapur Sehat")
    assert (request.agency, request.status) == (people["neighbour_agency"], "requested")

    # The owner's operator agrees, from the list of requests for its innovations.
    owner = signed_in(new_page, people["operator"])
    owner.goto("/replikasi/")
    with owner.expect_navigation():
        owner.locator(f"main a[href='/replikasi/{request.pk}/']").click()
    answer = owner.locator(f"main form[action='/replikasi/{request.pk}/jawab/']")
    answer.locator("input[name=status][value=agreed]").check()
    answer.locator("textarea[name=text]").fill("Silakan, kami bantu.")
    press(owner, f"/replikasi/{request.pk}/jawab/")
    expect(owner).to_have_url(f"/replikasi/{request.pk}/")
    agreed = say(owner, ReplicationRequest.Status.AGREED.label)
    expect(owner.locator("main .badge.text-bg-primary")).to_have_text(agreed)
    request.refresh_from_db()
    assert request.status == "agreed"

    # The requester records the replica: a new innovation started from the source.
    asking.reload()
    expect(asking.locator("main")).to_contain_text("Silakan, kami bantu.")
    expect(asking.locator("#id_replica")).to_have_value("")
    press(asking, f"/replikasi/{request.pk}/selesai/")
    expect(asking).to_have_url(f"/replikasi/{request.pk}/")
    replicated = say(asking, ReplicationRequest.Status.REPLICATED.label)
    expect(asking.locator("main .badge.text-bg-primary")).to_have_text(replicated)
    request.refresh_from_db()
    replica = Innovation.objects.get(source_innovation=source)
    assert (request.status, request.replica) == ("replicated", replica)
    assert (replica.agency, replica.title) == (people["neighbour_agency"], source.title)
    assert CatalogueEntry.objects.get(innovation=source).replication_count == 1

    # Anyone now reads on the source's page that it was replicated, and where.
    visitor = new_page()
    visitor.goto(f"/katalog/{source.pk}/")
    replicated = say_count(
        visitor, "Replicated %(counter)s time", "Replicated %(counter)s times", 1
    )
    expect(visitor.locator("main .badge", has_text=replicated)).to_be_visible()
    expect(visitor.locator("#replications li")).to_have_text(
        "Dinas Kesehatan, Kabupaten Luwu Timur"
    )
    assert_accessible(visitor, label="a replicated innovation's page")
