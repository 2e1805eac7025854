"""Sending a proposal: refused while anything required is missing, then approved (or returned)
by the agency head; refused after the deadline unless the secretariat extends it for the agency.

Texts are translated: the tests follow URLs, the data on the page (titles, comments), the
number of problems, the time zone suffix of a deadline and the state kept in the database."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, log_in, path_of

TITLE = "Dapur Sehat Atasi Stunting"


def signed_in(new_page, person, **options):
    """A browser of its own for `person`, logged in; confirmation dialogs are answered yes."""
    page = new_page(**options)
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, person.email)
    expect(page).to_have_url("/")
    return page


def press(page, action: str):
    """Press the button of the form posting to `action`, and wait for the page it leads to."""
    with page.expect_navigation():
        page.locator(f"main form[action='{action}'] button[type=submit]").click()


def refusal(page):
    return page.locator("main .messages [role=alert]")


def competition_and_innovation(people, luwu_utara, **options):
    from tests.builders import competition_from_template, innovation_for

    competition = competition_from_template(people["secretariat"], luwu_utara, **options)
    return competition, innovation_for(people["operator"], people["agency"], title=TITLE)


def sent_proposal(competition, innovation, people):
    from siwanda.proposals.services import proposal_send
    from tests.builders import fill, start_proposal

    proposal = fill(start_proposal(competition, people["operator"], innovation), people["operator"])
    return proposal_send(actor=people["operator"], proposal=proposal)


def test_submission_refused_until_complete_then_approved(new_page, people, luwu_utara):
    from siwanda.proposals.models import Proposal
    from siwanda.proposals.services import proposal_findings
    from siwanda.screening.checks import blocking
    from tests.builders import fill

    competition, innovation = competition_and_innovation(people, luwu_utara)
    operator = signed_in(new_page, people["operator"])

    # From the competition page: write a proposal about the registered innovation.
    operator.goto(f"/kompetisi/{competition.pk}/")
    with operator.expect_navigation():
        operator.locator(f"main a[href^='/kompetisi/{competition.pk}/usulan/baru/']").click()
    assert_accessible(operator, label="new proposal")
    operator.locator("#id_innovation").select_option(str(innovation.pk))
    operator.locator("#id_group").select_option(str(competition.groups.get(name="Umum").pk))
    with operator.expect_navigation():
        operator.locator("main form[method=post] button[type=submit]").click()

    proposal = Proposal.objects.get(competition=competition, innovation=innovation)
    editor, check, detail = (f"/usulan/{proposal.pk}/{p}" for p in ("tulis/", "periksa/", ""))
    expect(operator).to_have_url(editor)
    expect(operator.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert proposal.status == Proposal.Status.DRAFT

    # "Check my proposal" lists what is missing, section by section.
    problems = len(blocking(proposal_findings(proposal)))
    assert problems > 0
    with operator.expect_navigation():
        operator.locator(f"main a[href='{check}']").first.click()
    expect(operator.locator("main .list-group-item-danger")).to_have_count(problems)
    for section in ("Ringkasan", "Strategi Keberlanjutan"):
        expect(operator.get_by_role("heading", level=2, name=section)).to_be_visible()
    expect(operator.locator(f"main a[href^='{editor}#field-']").first).to_be_visible()
    assert_accessible(operator, label="check my proposal, with problems")

    # Sending now is refused: back on the check page, told how many problems remain.
    operator.goto(editor)
    press(operator, f"/usulan/{proposal.pk}/kirim/")
    expect(operator).to_have_url(check)
    expect(refusal(operator)).to_contain_text(str(problems))
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DRAFT

    # Once every answer and file is in, it goes to the agency head.
    fill(proposal, people["operator"])
    operator.goto(check)
    expect(operator.locator("main .list-group-item-danger")).to_have_count(0)
    operator.goto(editor)
    press(operator, f"/usulan/{proposal.pk}/kirim/")
    expect(operator).to_have_url(detail)
    expect(refusal(operator)).to_have_count(0)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.AWAITING_APPROVAL

    # The head finds it on the home page and approves it.
    head = signed_in(new_page, people["head"])
    task = head.locator(f"main a[href='{detail}']")
    expect(task).to_have_count(1)
    expect(head.locator("main li", has=head.locator(f"a[href='{detail}']"))).to_contain_text(TITLE)
    with head.expect_navigation():
        task.click()
    expect(head.locator(f"main form[action='/usulan/{proposal.pk}/kembalikan/']")).to_be_visible()
    assert_accessible(head, label="proposal awaiting the head's approval")
    press(head, f"/usulan/{proposal.pk}/setujui/")
    expect(head).to_have_url(detail)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    assert proposal.approved_by == people["head"]
    expect(head.locator(f"main form[action='/usulan/{proposal.pk}/setujui/']")).to_have_count(0)

    # Submitted: the operator can no longer change it.
    operator.goto(editor)
    expect(operator).to_have_url(detail)
    expect(operator.locator(f"main a[href='{editor}']")).to_have_count(0)
    expect(operator.locator("main textarea, main input[name^=f]")).to_have_count(0)
    expect(operator.get_by_role("heading", level=1)).to_have_text(TITLE)


def test_submission_returned_by_head_shows_comment_on_editor(new_page, people, luwu_utara):
    from siwanda.proposals.models import Proposal

    comment = "Tambahkan jumlah balita per desa pada bagian Signifikansi."
    competition, innovation = competition_and_innovation(people, luwu_utara)
    proposal = sent_proposal(competition, innovation, people)
    editor, detail = f"/usulan/{proposal.pk}/tulis/", f"/usulan/{proposal.pk}/"

    head = signed_in(new_page, people["head"])
    with head.expect_navigation():
        head.locator(f"main a[href='{detail}']").click()
    head.locator("#id_comment").fill(comment)
    press(head, f"/usulan/{proposal.pk}/kembalikan/")
    expect(head).to_have_url(detail)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.return_comment) == (Proposal.Status.DRAFT, comment)

    # The operator is told on the home page and reads the comment above the editor.
    operator = signed_in(new_page, people["operator"])
    task = operator.locator("main li", has=operator.locator(f"a[href='{editor}']"))
    expect(task.filter(has_text=comment)).to_have_count(1)
    with operator.expect_navigation():
        task.filter(has_text=comment).locator("a").click()
    expect(operator).to_have_url(editor)
    expect(operator.locator("main .alert", has_text=comment)).to_be_visible()
    expect(
        operator.locator(f"main form[action='/usulan/{proposal.pk}/kirim/'] button")
    ).to_be_enabled()
    assert_accessible(operator, label="editor of a returned proposal")


def test_deadline_refuses_sending_until_extension_for_one_agency(new_page, people, luwu_utara):
    from siwanda.competitions.deadlines import end_of_day
    from siwanda.competitions.models import Competition, DeadlineExtension
    from siwanda.core.models import Notice
    from siwanda.proposals.models import Proposal
    from tests.builders import fill, innovation_for, start_proposal

    competition, innovation = competition_and_innovation(people, luwu_utara)
    mine = fill(start_proposal(competition, people["operator"], innovation), people["operator"])
    theirs = innovation_for(
        people["other_operator"], people["other_agency"], title="Sekolah Ramah Anak Masamba"
    )
    other = fill(
        start_proposal(competition, people["other_operator"], theirs), people["other_operator"]
    )

    # Both operators have their editor open when the deadline passes.
    agency_a = signed_in(new_page, people["operator"])
    agency_a.goto(f"/usulan/{mine.pk}/tulis/")
    agency_b = signed_in(new_page, people["other_operator"])
    agency_b.goto(f"/usulan/{other.pk}/tulis/")
    today = timezone.localdate()
    Competition.objects.filter(pk=competition.pk).update(
        deadline_at=end_of_day(today - datetime.timedelta(days=1), luwu_utara)
    )

    # Agency A sends: refused, the refusal names the deadline in the organiser's zone.
    press(agency_a, f"/usulan/{mine.pk}/kirim/")
    expect(agency_a).to_have_url(f"/usulan/{mine.pk}/periksa/")
    expect(refusal(agency_a)).to_contain_text("WITA")
    mine.refresh_from_db()
    assert mine.status == Proposal.Status.DRAFT

    # The editor says the deadline has passed and no longer sends.
    agency_a.goto(f"/usulan/{mine.pk}/tulis/")
    expect(agency_a.locator("main p.deadline")).to_have_class(re.compile(r"\btext-danger\b"))
    expect(agency_a.locator("main p.deadline")).to_contain_text("WITA")
    expect(agency_a.locator("#proposal-editor > .alert-danger[role=alert]")).to_be_visible()
    send_a = agency_a.locator(f"main form[action='/usulan/{mine.pk}/kirim/'] button")
    expect(send_a).to_be_disabled()
    expect(agency_a.locator("main textarea").first).not_to_be_editable()

    # The secretariat grants agency A three more days, from the call-for-entries page.
    until = today + datetime.timedelta(days=3)
    reason = "Jaringan internet kantor Dinas Kesehatan terputus dua hari."
    secretariat = signed_in(new_page, people["secretariat"])
    entries = f"/kompetisi/{competition.pk}/penjaringan/"
    secretariat.goto(entries)
    secretariat.locator("#id_agency").select_option(str(people["agency"].pk))
    secretariat.locator("#id_until_on").fill(until.isoformat())
    secretariat.locator("#id_until_time").fill("23:59")
    secretariat.locator("#id_reason").fill(reason)
    press(secretariat, f"/kompetisi/{competition.pk}/perpanjangan/")
    assert path_of(secretariat.url) == entries
    extension = DeadlineExtension.objects.get(competition=competition)
    assert extension.agency == people["agency"]
    assert extension.until.astimezone(luwu_utara.zone).date() == until
    expect(secretariat.locator("#extensions li", has_text=reason)).to_contain_text(
        "Dinas Kesehatan"
    )
    extended = secretariat.locator("main table tbody tr", has_text="Dinas Kesehatan")
    expect(extended.locator("td").first.locator(".badge")).to_have_count(1)  # "extended"
    assert Notice.objects.filter(user=people["operator"], url=f"/kompetisi/{competition.pk}/")
    assert_accessible(secretariat, label="call for entries with an extension")

    # Agency A can send again, and its head approve.
    agency_a.goto(f"/usulan/{mine.pk}/tulis/")
    expect(agency_a.locator("#proposal-editor > .alert-danger[role=alert]")).to_have_count(0)
    press(agency_a, f"/usulan/{mine.pk}/kirim/")
    expect(agency_a).to_have_url(f"/usulan/{mine.pk}/")
    head = signed_in(new_page, people["head"])
    head.goto(f"/usulan/{mine.pk}/")
    press(head, f"/usulan/{mine.pk}/setujui/")
    mine.refresh_from_db()
    assert mine.status == Proposal.Status.SUBMITTED

    # Agency B still cannot.
    press(agency_b, f"/usulan/{other.pk}/kirim/")
    expect(agency_b).to_have_url(f"/usulan/{other.pk}/periksa/")
    expect(refusal(agency_b)).to_contain_text("WITA")
    agency_b.goto(f"/usulan/{other.pk}/tulis/")
    expect(
        agency_b.locator(f"main form[action='/usulan/{other.pk}/kirim/'] button")
    ).to_be_disabled()
    other.refresh_from_db()
    assert other.status == Proposal.Status.DRAFT


def mentored_draft(people, luwu_utara):
    from tests.builders import fill, start_proposal

    competition, innovation = competition_and_innovation(people, luwu_utara)
    proposal = fill(start_proposal(competition, people["operator"], innovation), people["operator"])
    section = proposal.form_version.sections.get(name="Signifikansi")
    return proposal, section


def assign_mentor(page, people):
    from siwanda.mentoring.models import Assignment

    page.goto("/wilayah/73.22/pendamping/")
    page.locator("#id_mentor").select_option(str(people["mentor"].pk))
    page.locator("#id_agency").select_option(str(people["agency"].pk))
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").first.click()
    expect(page).to_have_url("/wilayah/73.22/pendamping/")
    assignment = page.locator("main .list-group-item", has_text=people["mentor"].full_name)
    expect(assignment).to_contain_text("Dinas Kesehatan")
    assert Assignment.objects.filter(mentor=people["mentor"], agency=people["agency"]).exists()


def test_mentoring_visible_to_operator_and_hidden_from_juror(new_page, people, luwu_utara):
    from siwanda.mentoring.models import Comment

    comment = "Sebutkan penurunan angka stunting per desa, bukan hanya totalnya."
    reply = "Sudah kami tambahkan tabel per desa untuk 2024 dan 2025."
    proposal, section = mentored_draft(people, luwu_utara)
    detail, editor = f"/usulan/{proposal.pk}/", f"/usulan/{proposal.pk}/tulis/"

    secretariat = signed_in(new_page, people["secretariat"])
    assign_mentor(secretariat, people)
    assert_accessible(secretariat, label="mentor assignments")

    # The mentor finds the draft on the home page and comments on one section.
    mentor = signed_in(new_page, people["mentor"])
    with mentor.expect_navigation():
        mentor.locator(f"main a[href='{detail}']").click()
    assert_accessible(mentor, label="proposal page of a mentor")
    mentor.locator(f"#comment-{section.pk}").fill(comment)
    press(mentor, f"/usulan/{proposal.pk}/bagian/{section.pk}/komentar/")
    saved = Comment.objects.get(proposal=proposal)
    assert (saved.section, saved.author, saved.text) == (section, people["mentor"], comment)
    # (Where sending leads the mentor: test_mentoring_comment_sent_returns_mentor_to_proposal.)
    mentor.goto(detail)
    expect(mentor.locator(f"#section-{section.pk} aside")).to_contain_text(comment)

    # The operator reads it under that section of the editor, replies and resolves it.
    operator = signed_in(new_page, people["operator"])
    with operator.expect_navigation():
        operator.locator(f"main a[href='{editor}']").click()
    thread = operator.locator(f"#section-{section.pk} aside.mentoring")
    expect(thread).to_contain_text(comment)
    expect(thread).to_contain_text(people["mentor"].full_name)
    expect(operator.locator("main aside.mentoring", has_text=comment)).to_have_count(1)
    assert_accessible(operator, label="editor with a mentoring comment")
    thread.locator("summary").click()
    thread.locator(f"#reply-{saved.pk}").fill(reply)
    press(operator, f"/komentar/{saved.pk}/balas/")
    expect(operator).to_have_url(f"{editor}#section-{section.pk}")
    expect(thread).to_contain_text(reply)
    press(operator, f"/komentar/{saved.pk}/selesai/")
    expect(operator).to_have_url(f"{editor}#section-{section.pk}")
    saved.refresh_from_db()
    assert saved.resolved_by == people["operator"]
    assert saved.replies.get().text == reply
    expect(thread.locator(".badge.text-bg-success")).to_have_count(1)  # "resolved"
    expect(
        thread.locator(f"form[action='/komentar/{saved.pk}/selesai/'] input[name=resolved]")
    ).to_have_value("0")

    # A juror of the region: not found, and not a word of the mentoring anywhere.
    juror = signed_in(new_page, people["juror"])
    for text in (comment, reply, proposal.title):
        expect(juror.locator("body")).not_to_contain_text(text)  # the juror's home page
    for path in (detail, editor, f"/usulan/{proposal.pk}/periksa/", f"/usulan/{proposal.pk}/pdf/"):
        response = juror.goto(path)
        assert response.status == 404, path
        expect(juror.get_by_role("heading", level=1)).to_be_visible()
        html = juror.content()
        assert comment not in html and reply not in html and proposal.title not in html, path


def test_mentoring_comment_sent_returns_mentor_to_proposal(new_page, people, luwu_utara):
    from siwanda.mentoring.services import mentor_assign

    proposal, section = mentored_draft(people, luwu_utara)
    mentor_assign(
        actor=people["secretariat"],
        mentor=people["mentor"],
        region=luwu_utara,
        agency=people["agency"],
    )
    mentor = signed_in(new_page, people["mentor"])
    mentor.goto(f"/usulan/{proposal.pk}/")
    mentor.locator(f"#comment-{section.pk}").fill("Lampirkan data dari Dinas Kesehatan.")
    with mentor.expect_navigation() as navigation:
        mentor.locator(f"#section-{section.pk} aside form button[type=submit]").click()

    assert navigation.value.status == 200
    expect(mentor).to_have_url(re.compile(rf"/usulan/{proposal.pk}/(#section-{section.pk})?$"))
    expect(mentor.locator(f"#section-{section.pk} aside")).to_contain_text("Dinas Kesehatan")
