"""The secretariat sets up a competition from a ready template in a few minutes and opens it;
the invited agencies see it at once.

Texts are translated: the tests follow URLs, form field ids, the data on the page (names,
titles, the sections of the KIPP 2023 form) and the state kept in the database."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, assert_accessible, assert_fits_phone, log_in, path_of

NAME = "KIPP Luwu Utara Maju"
KIPP_2023_SECTIONS = [
    "Informasi Umum",
    "Ringkasan",
    "Latar Belakang dan Tujuan",
    "Kebaruan / Nilai Tambah",
    "Implementasi",
    "Signifikansi",
    "Adaptabilitas",
    "Sumber Daya",
    "Strategi Keberlanjutan",
]


def signed_in(new_page, person, **options):
    """A browser of its own for `person`, logged in; confirmation dialogs are answered yes."""
    page = new_page(**options)
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, person.email)
    expect(page).to_have_url("/")
    return page


def save_and_continue(page, next_step):
    with page.expect_navigation():
        page.locator("main form button[type=submit][name=next]").click()
    expect(page).to_have_url(re.compile(rf"/atur/{next_step}/$"))


def test_competition_from_template_set_up_opened_and_announced(new_page, people, mailoutbox):
    from siwanda.competitions.deadlines import end_of_day
    from siwanda.competitions.models import CallRecipient, Competition
    from siwanda.core.models import Notice

    today = timezone.localdate()
    deadline = today + datetime.timedelta(days=21)
    page = signed_in(new_page, people["secretariat"])

    # New competition: the KIPP regency template, a name, the year and the opening day.
    page.goto("/kompetisi/")
    with page.expect_navigation():
        page.locator("main a[href='/kompetisi/baru/']").first.click()
    expect(page).to_have_url("/kompetisi/baru/")
    assert_accessible(page, label="new competition")
    page.locator("input[name=source][value='template:kipp-kabupaten']").check()
    page.locator("#id_name").fill(NAME)
    page.locator("#id_year").fill(str(today.year))
    page.locator("#id_opens_on").fill(today.isoformat())
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    competition = Competition.objects.get(name=NAME)
    setup = f"/kompetisi/{competition.pk}/atur"
    expect(page).to_have_url(f"{setup}/basics/")
    assert competition.status == Competition.Status.SETUP
    assert competition.region.code == "73.22"

    # 1. Basics, as the template proposes them.
    expect(page.locator("#id_name")).to_have_value(NAME)
    expect(page.locator("#id_year")).to_have_value(str(today.year))
    expect(page.locator("nav ol.nav a[aria-current=step]")).to_have_attribute(
        "href", f"{setup}/basics/"
    )
    expect(page.locator("nav ol.nav a.nav-link")).to_have_count(6)
    assert_accessible(page, label="set-up step 1 (basics)")
    save_and_continue(page, "groups")

    # 2. Groups: Umum and Replikasi, each with its form.
    group_names = page.locator("input[name^='groups-'][name$='-name']")
    expect(group_names.nth(0)).to_have_value("Umum")
    expect(group_names.nth(1)).to_have_value("Replikasi")
    assert_accessible(page, label="set-up step 2 (groups)")
    save_and_continue(page, "timeline")

    # 3. Timeline: the deadline three weeks ahead, at the end of that day.
    page.locator("#id_deadline_on").fill(deadline.isoformat())
    expect(page.locator("#id_deadline_time")).to_have_value("23:59")
    assert_accessible(page, label="set-up step 3 (timeline)")
    save_and_continue(page, "rules")
    competition.refresh_from_db()
    assert competition.deadline_at == end_of_day(deadline, competition.region)

    # 4. Rules and the screening checklist of the template.
    expect(page.locator("#id_min_implementation_months")).to_have_value("12")
    expect(page.locator("input[name='checklist-0-name']")).to_have_value(
        re.compile("kepala perangkat daerah")
    )
    assert_accessible(page, label="set-up step 4 (rules)")
    save_and_continue(page, "forms")

    # 5. Forms: the general form is the KIPP 2023 one, with its nine sections.
    general = competition.groups.get(name="Umum").form
    version = general.versions.get()
    with page.expect_navigation():
        page.locator(f"main a.fw-semibold[href='/formulir/{version.pk}/']").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(general.name)
    headings = page.locator("main section.card h2")
    expect(headings).to_have_count(len(KIPP_2023_SECTIONS))
    for number, name in enumerate(KIPP_2023_SECTIONS, start=1):
        expect(headings.nth(number - 1)).to_contain_text(f"{number}. {name}")
    assert_accessible(page, label="form editor")
    with page.expect_navigation():
        page.locator(f"main nav a[href='{setup}/forms/']").click()
    with page.expect_navigation():
        page.locator(f"main a.btn[href='{setup}/review/']").click()

    # 6. Review: nothing missing, two agencies of Luwu Utara to invite; open.
    expect(page.locator("main .alert-warning")).to_have_count(0)
    assert_accessible(page, label="set-up step 6 (review)")
    with page.expect_navigation():
        page.locator(f"main form[action='/kompetisi/{competition.pk}/buka/'] button").click()

    entries = f"/kompetisi/{competition.pk}/penjaringan/"
    expect(page).to_have_url(entries)
    competition.refresh_from_db()
    assert competition.status == Competition.Status.OPEN
    invited = {"Dinas Kesehatan", "Dinas Pendidikan"}
    assert {r.agency.name for r in CallRecipient.objects.filter(competition=competition)} == (
        invited
    )

    # The call for entries: both agencies, each with nothing yet.
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(2)
    for row in rows.all():
        expect(row.locator("td").nth(0)).to_have_text(re.compile("|".join(invited)))
        expect(row.locator("td .badge.text-bg-warning")).to_have_count(1)  # "nothing yet"
        for column in (2, 3, 4):  # drafts, awaiting approval, submitted
            expect(row.locator("td").nth(column)).to_have_text("0")
    with page.expect_navigation():
        page.locator("main nav a[href='?status=nothing']").click()
    expect(rows).to_have_count(2)
    assert_accessible(page, label="call for entries")
    page.set_viewport_size(PHONE)
    page.reload()
    assert_fits_phone(page, label="call for entries")

    # An operator of an invited agency: the competition is on the home page, with a notice.
    operator = signed_in(new_page, people["operator"])
    detail = f"/kompetisi/{competition.pk}/"
    panel = operator.locator("main section", has_text="Dinas Kesehatan")
    expect(panel.locator(f"a[href='{detail}']")).to_be_visible()
    expect(panel).to_contain_text(NAME)
    bell = operator.locator("header a[href='/pemberitahuan/'] .badge")
    expect(bell).to_contain_text("1")
    assert_accessible(operator, label="home of an invited operator")
    with operator.expect_navigation():
        operator.locator("header a[href='/pemberitahuan/']").click()
    notice = operator.locator(f"main li a[href='{detail}']")
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text(NAME)
    assert not Notice.objects.filter(user=people["operator"], read_at=None).exists()
    with operator.expect_navigation():
        notice.click()
    assert path_of(operator.url) == detail
    expect(operator.get_by_role("heading", level=1)).to_have_text(NAME)
    expect(bell).to_have_count(0)
    expect(
        operator.locator(f"main a[href^='/kompetisi/{competition.pk}/usulan/baru/']")
    ).to_be_visible()
    operator.set_viewport_size(PHONE)
    operator.reload()
    assert_fits_phone(operator, label="competition page of an operator")

    # Told by email too; the neighbouring regency's agency was not invited.
    assert any(mail.to == [people["operator"].email] for mail in mailoutbox)
    assert not Notice.objects.filter(user=people["neighbour_operator"]).exists()
