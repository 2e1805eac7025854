"""Administrative screening: the secretariat closes the call, runs the automatic checks, sees
near-identical titles and an innovation too young to enter, fails one proposal with its reasons
and passes another; the agency objects and the secretariat's answer is final.

Texts are translated: the tests follow URLs, the data on the page (titles, agencies, reasons,
the months of the implementation-age finding) and the state kept in the database."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible, assert_fits_phone, log_in

ORIGINAL = "Kampung Donor Darah Penyelamat Jiwa"
NEAR_COPY = "Kampung Donor Darah Penyelamat Jiwa Puskesmas Masamba"
YOUNG = "Posyandu Remaja Cerdas"


def signed_in(new_page, person, **options):
    """A browser of its own for `person`, logged in; confirmation dialogs are answered yes."""
    page = new_page(**options)
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, person.email)
    expect(page).to_have_url("/")
    return page


def press(page, action: str, **attributes):
    """Press the submit button (with these name/value attributes) of the form posting to
    `action`, and wait for the page it leads to."""
    button = "button[type=submit]" + "".join(f"[{k}='{v}']" for k, v in attributes.items())
    with page.expect_navigation():
        page.locator(f"main form[action='{action}'] {button}").click()


def decide(page, decision: str):
    """Pass or fail on the screening review: its decision form posts to the page itself."""
    with page.expect_navigation():
        page.locator(f"main form:not([action]) button[name=decision][value={decision}]").click()


def months_before(day: datetime.date, months: int) -> datetime.date:
    years, month = divmod(day.month - 1 - months, 12)
    return day.replace(year=day.year + years, month=month + 1, day=min(day.day, 28))


def submitted(competition, author, approver, agency, title, started=None):
    from siwanda.proposals.services import proposal_approve, proposal_send
    from tests.builders import fill, innovation_for, start_proposal

    innovation = innovation_for(author, agency, title=title, started=started)
    proposal = fill(start_proposal(competition, author, innovation), author)
    proposal_send(actor=author, proposal=proposal)
    return proposal_approve(actor=approver, proposal=proposal)


def test_screening_findings_failure_objection_and_final_pass(new_page, people, luwu_utara):
    from siwanda.competitions.deadlines import end_of_day
    from siwanda.competitions.models import Competition
    from siwanda.core.models import Notice
    from siwanda.proposals.models import Proposal
    from siwanda.screening.models import Objection, Review
    from tests.builders import competition_from_template

    closed_on = timezone.localdate() - datetime.timedelta(days=1)
    competition = competition_from_template(people["secretariat"], luwu_utara)
    original = submitted(
        competition, people["operator"], people["head"], people["agency"], ORIGINAL
    )
    young = submitted(
        competition,
        people["operator"],
        people["head"],
        people["agency"],
        YOUNG,
        started=months_before(closed_on, 5),
    )
    # Dinas Pendidikan has no head in Siwanda: the secretariat approves for it.
    near_copy = submitted(
        competition,
        people["other_operator"],
        people["secretariat"],
        people["other_agency"],
        NEAR_COPY,
    )
    Notice.objects.update(read_at=timezone.now())
    # The deadline passed yesterday.
    Competition.objects.filter(pk=competition.pk).update(
        deadline_at=end_of_day(closed_on, luwu_utara)
    )
    screening = f"/kompetisi/{competition.pk}/seleksi/"

    # Close the call and start screening, then run the automatic checks.
    secretariat = signed_in(new_page, people["secretariat"])
    secretariat.goto(f"/kompetisi/{competition.pk}/")
    press(secretariat, f"{screening}mulai/")
    expect(secretariat).to_have_url(screening)
    competition.refresh_from_db()
    assert competition.status == Competition.Status.SCREENING
    press(secretariat, f"{screening}periksa-ulang/")
    expect(secretariat).to_have_url(screening)

    def findings_of(proposal):
        row = secretariat.locator(
            "main table tbody tr",
            has=secretariat.locator(f"a[href='/usulan/{proposal.pk}/seleksi/']"),
        )
        return row.locator("td").nth(2)

    expect(secretariat.locator("main table tbody tr")).to_have_count(3)
    for proposal, other, agency in (
        (original, NEAR_COPY, "Dinas Pendidikan"),
        (near_copy, ORIGINAL, "Dinas Kesehatan"),
    ):
        cell = findings_of(proposal)
        expect(cell.locator("li")).to_have_count(1)
        expect(cell.locator("li")).to_contain_text(other)
        expect(cell.locator("li")).to_contain_text(agency)
        expect(cell.locator(".badge.text-bg-warning")).to_have_text("1")
    age = findings_of(young).locator("li")
    expect(age).to_have_count(1)
    expect(age).to_have_text(re.compile(r"(?=.*\b5\b)(?=.*\b12\b)"))
    assert_accessible(secretariat, label="screening list")

    # The near-identical title: failed on a checklist item, with the reasons.
    item = competition.checklist.get(name__startswith="SK penetapan inovator")
    item_reason = "SK inovator belum ditandatangani kepala dinas."
    reason = "Judul dan isi hampir sama dengan usulan Dinas Kesehatan."
    review = f"/usulan/{near_copy.pk}/seleksi/"
    with secretariat.expect_navigation():
        secretariat.locator(f"main a[href='{review}']").click()
    findings = secretariat.locator("section[aria-labelledby=findings-title] li")
    expect(findings).to_have_count(1)
    expect(findings).to_contain_text(ORIGINAL)
    assert_accessible(secretariat, label="screening review")
    secretariat.set_viewport_size(PHONE)
    secretariat.reload()
    assert_fits_phone(secretariat, label="screening review")
    secretariat.set_viewport_size(DESKTOP)
    secretariat.locator(f"#no-{item.pk}").check()
    secretariat.locator(f"#reason-{item.pk}").fill(item_reason)
    secretariat.locator("#reason").fill(reason)
    decide(secretariat, "fail")
    expect(secretariat).to_have_url(screening)
    near_copy.refresh_from_db()
    assert near_copy.status == Proposal.Status.FAILED
    decided = Review.objects.get(proposal=near_copy)
    assert decided.reason == reason
    assert decided.checklist[str(item.pk)] == {"ok": False, "reason": item_reason}

    # The too-young innovation's review names its age; the original title passes.
    secretariat.goto(f"/usulan/{young.pk}/seleksi/")
    expect(findings).to_have_text(re.compile(r"(?=.*\b5\b)(?=.*\b12\b)"))
    secretariat.goto(f"/usulan/{original.pk}/seleksi/")
    decide(secretariat, "pass")
    original.refresh_from_db()
    assert original.status == Proposal.Status.PASSED
    secretariat.goto(f"{screening}?status=failed")
    expect(secretariat.locator("main table tbody tr")).to_have_count(1)
    expect(secretariat.locator("main table tbody tr")).to_contain_text(NEAR_COPY)

    # The operator of the failed proposal is told, reads why, and objects.
    detail = f"/usulan/{near_copy.pk}/"
    objection = "SK sudah ditandatangani kepala dinas pada 2 Januari; terlampir di halaman 3."
    operator = signed_in(new_page, people["other_operator"])
    expect(operator.locator("header a[href='/pemberitahuan/'] .badge")).to_contain_text("1")
    with operator.expect_navigation():
        operator.locator("header a[href='/pemberitahuan/']").click()
    notice = operator.locator(f"main li.list-group-item-warning a[href='{detail}']")  # unread
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text(NEAR_COPY)
    with operator.expect_navigation():
        notice.click()
    result = operator.locator("section[aria-labelledby=screening-title]")
    expect(result).to_have_class(re.compile(r"\bborder-danger\b"))
    expect(result).to_contain_text(reason)
    expect(result.locator("li")).to_have_text(f"{item.name}: {item_reason}")
    assert_accessible(operator, label="failed proposal with the objection form")
    operator.locator("#objection").fill(objection)
    press(operator, f"/usulan/{near_copy.pk}/keberatan/")
    expect(operator).to_have_url(detail)
    expect(result).to_contain_text(objection)
    expect(result.locator("#objection")).to_have_count(0)
    pending = Objection.objects.get(proposal=near_copy)
    assert pending.decision == Objection.Decision.PENDING

    # The secretariat sees the objection waiting and accepts it.
    secretariat.goto("/")
    with secretariat.expect_navigation():
        secretariat.locator(f"main a[href='{screening}?status=failed']").click()
    waiting = secretariat.locator("main table tbody tr", has_text=NEAR_COPY)
    expect(waiting.locator("td").nth(1).locator(".badge.text-bg-danger")).to_have_count(1)
    with secretariat.expect_navigation():
        waiting.locator(f"a[href='{review}']").click()
    answer = "SK sah dan sesuai; keberatan diterima."
    expect(secretariat.locator("main section.border-danger")).to_contain_text(objection)
    secretariat.locator(f"#note-{pending.pk}").fill(answer)
    press(secretariat, f"/keberatan/{pending.pk}/putuskan/", name="decision", value="accept")
    expect(secretariat).to_have_url(review)
    expect(secretariat.locator("main button[name=decision]")).to_have_count(0)
    near_copy.refresh_from_db()
    pending.refresh_from_db()
    assert near_copy.status == Proposal.Status.PASSED
    assert pending.decision == Objection.Decision.ACCEPTED
    assert Review.objects.get(proposal=near_copy).final

    # The operator sees the final pass.
    operator.goto(detail)
    expect(result).to_have_class(re.compile(r"\bborder-success\b"))
    expect(result).to_contain_text(answer)
    expect(result.locator("#objection")).to_have_count(0)
    expect(operator.locator("main .badge.text-bg-success").first).to_be_visible()
    expect(operator.locator("header a[href='/pemberitahuan/'] .badge")).to_contain_text("1")
