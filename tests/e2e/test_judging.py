"""Judging in the browser: a juror scores on a phone, offline for a moment; the secretariat sets
the stages up from the regency template, seats the panel, assigns it automatically without a
conflict of interest and opens scoring; then closes it, reads the raw and normalised ranking
with its reliability figures, moderates the flagged proposal and sends the best on; and a
juror follows a presentation in the room view and scores it there.

Texts are translated: the tests follow URLs, ids and the data on the page; where a text is
checked, it is the message in the page's own language (gettext under the language of the
page's <html lang>), or one the page carries in a data-msg-* attribute."""

import re
from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, assert_accessible, assert_fits_phone, log_in
from tests.e2e.judging_fixtures import (
    DAPUR,
    PASAR,
    POSYANDU,
    SEKOLAH,
    SUMMARY,
    five_proposals,
    jurors,
    open_scoring,
    regency_stages,
    score_all,
    screened_competition,
    seat,
    totals_with_one_disagreement,
)
from tests.e2e.test_screening import press, signed_in

SHEET_COPIES = (
    "Object.keys(localStorage).filter((key) => key.startsWith('siwanda:sheet:'))"
    ".map((key) => JSON.parse(localStorage.getItem(key)))"
)


def say(page, message, **params) -> str:
    """`message` (a message id, a lazy translation or a bilingual object) as the page shows it:
    in the page's language."""
    with translation.override(page.locator("html").get_attribute("lang")):
        text = translation.gettext(message) if isinstance(message, str) else str(message)
    return text % params if params else text


def number(page, value, digits) -> str:
    """A number as the page's language writes it (floatformat)."""
    with translation.override(page.locator("html").get_attribute("lang")):
        return floatformat(value, digits)


def score_of(assignment, criterion):
    from siwanda.judging.models import Score

    return Score.objects.filter(sheet__assignment=assignment, criterion=criterion).first()


# --- The juror ------------------------------------------------------------------------------------


@pytest.fixture
def juror_work(people, luwu_utara):
    """The proposal evaluation of three proposals is open; the juror of `people` judges all
    three alone."""
    from siwanda.judging.models import Assignment
    from tests.factories import AgencyFactory

    secretariat, juror = people["secretariat"], people["juror"]
    competition, proposals = screened_competition(
        people,
        luwu_utara,
        [
            ("agency", POSYANDU),
            ("other_agency", SEKOLAH),
            (AgencyFactory(region=luwu_utara, name="Kecamatan Masamba"), PASAR),
        ],
    )
    desk, _presentations = regency_stages(secretariat, competition)
    seat(secretariat, desk, [juror], chair=juror)
    open_scoring(secretariat, desk)
    assignment = Assignment.objects.get(stage=desk, juror=juror, proposal=proposals[0])
    return desk, assignment


class Sheet:
    """A score sheet as the juror has it open; its messages come from the form's data-msg-*."""

    def __init__(self, page, assignment):
        self.page = page
        self.assignment = assignment
        self.form = page.locator("#score-sheet")
        self.status = page.locator("#sheet-status")
        self.total = page.locator("#sheet-total")

    def message(self, name) -> str:
        return self.form.get_attribute(f"data-msg-{name}")

    def saved(self) -> re.Pattern:
        """ "Saved 14.05": the moment of the last save."""
        return re.compile(rf"^{re.escape(self.message('saved'))} \d\d\.\d\d$")

    def score(self, criterion):
        return self.page.locator(f"#score-{criterion.pk}")

    def comment(self, criterion):
        return self.page.locator(f"#comment-{criterion.pk}")

    def error(self, criterion):
        return self.page.locator(f"[data-error-for='{criterion.pk}']")

    def local_copies(self) -> list[dict]:
        return self.page.evaluate(SHEET_COPIES)

    def submit(self):
        with self.page.expect_navigation():
            self.form.locator("button[name=submit]").click()


def test_juror_scores_on_a_phone_offline_for_a_moment_and_submits(new_page, people, juror_work):
    from siwanda.judging.models import Sheet as SheetModel

    stage, assignment = juror_work
    juror = people["juror"]
    criteria = list(stage.rubric.criteria.all())
    first, heaviest = criteria[0], max(criteria, key=lambda c: c.weight)
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.on("dialog", lambda dialog: dialog.accept())  # "Submit and lock this score sheet?"

    # Told by a notice that scoring is open, the juror follows it to their assignments.
    log_in(page, juror.email)
    expect(page).to_have_url("/")
    page.locator(".navbar-toggler").click()
    with page.expect_navigation():
        page.locator("header a[href='/pemberitahuan/']").click()
    with page.expect_navigation():
        page.locator("main a[href='/penilaian/']").click()
    work = page.locator(f"main section[aria-labelledby='stage-{stage.pk}']")
    expect(work.locator(f"#stage-{stage.pk}")).to_have_text(say(page, stage))
    expect(work).to_contain_text(say(page, "%(done)s of %(total)s done", done=0, total=3))
    expect(work.locator("progress")).to_have_attribute("value", "0")
    expect(work.locator("progress")).to_have_attribute("max", "3")
    expect(work.locator("li")).to_have_count(3)
    assert_fits_phone(page, label="my assignments")
    assert_accessible(page, label="my assignments")

    # The proposal and its score sheet, one above the other on a phone.
    with page.expect_navigation():
        work.get_by_role("link", name=POSYANDU).click()
    expect(page).to_have_url(f"/penilaian/{assignment.pk}/")
    sheet = Sheet(page, assignment)
    proposal = page.locator("main section[aria-labelledby=proposal-title]")
    expect(page.get_by_role("heading", level=1)).to_have_text(POSYANDU)
    expect(proposal).to_contain_text(SUMMARY)
    expect(sheet.form.locator("fieldset.criterion")).to_have_count(len(criteria))
    form_box, proposal_box = sheet.form.bounding_box(), proposal.bounding_box()
    assert form_box["y"] + form_box["height"] <= proposal_box["y"], (form_box, proposal_box)
    assert_fits_phone(page, label="score sheet")
    assert_accessible(page, label="score sheet")

    # A score saves itself.
    sheet.score(first).fill("70")
    expect(sheet.status).to_have_text(sheet.saved())
    expect(sheet.total).to_have_text("70")
    assert score_of(assignment, first).value == Decimal("70")
    assert sheet.local_copies() == []

    # Offline: the change is kept in the browser and said not to be saved, until the
    # connection returns.
    page.context.set_offline(True)
    sheet.score(first).fill("75")
    sheet.score(first).press("Tab")
    expect(sheet.status).to_have_text(sheet.message("offline"))
    expect(sheet.status).to_have_class(re.compile(r"\btext-danger\b"))
    assert score_of(assignment, first).value == Decimal("70")
    [copy] = sheet.local_copies()
    assert (copy["criterion"], copy["value"]) == (str(first.pk), "75")
    page.context.set_offline(False)
    expect(sheet.status).to_have_text(sheet.saved())
    assert score_of(assignment, first).value == Decimal("75")
    assert sheet.local_copies() == []

    # Opened again, the sheet shows what the server keeps.
    page.reload()
    expect(sheet.score(first)).to_have_value("75")
    expect(sheet.total).to_have_text("75")
    expect(sheet.status).to_be_empty()

    # A score at the top of the scale needs a comment: said at once, and on submitting.
    sheet.score(heaviest).fill("98")
    expect(sheet.error(heaviest)).to_have_text(sheet.message("explain"))
    for criterion in criteria:
        if criterion not in (first, heaviest):
            sheet.score(criterion).fill("80")
    expect(sheet.status).to_have_text(sheet.saved())
    sheet.submit()
    expect(page).to_have_url(f"/penilaian/{assignment.pk}/")
    expect(sheet.error(heaviest)).to_have_text(sheet.message("explain"))
    expect(sheet.score(heaviest)).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(sheet.score(heaviest)).to_have_value("98")
    assert SheetModel.objects.get(assignment=assignment).status == SheetModel.Status.DRAFT

    reason = "Menjangkau seluruh desa terpencil; dampak pada kunjungan ibu hamil terukur."
    sheet.comment(heaviest).fill(reason)
    expect(sheet.error(heaviest)).to_be_empty()
    sheet.submit()

    # Submitted and locked.
    expect(page).to_have_url("/penilaian/")
    expect(work).to_contain_text(say(page, "%(done)s of %(total)s done", done=1, total=3))
    expect(work.locator("progress")).to_have_attribute("value", "1")
    stored = SheetModel.objects.get(assignment=assignment)
    assert stored.status == SheetModel.Status.SUBMITTED
    assert {s.criterion_id: s.value for s in stored.scores.all()} == {
        c.pk: Decimal("75") if c == first else Decimal("98") if c == heaviest else Decimal("80")
        for c in criteria
    }
    assert score_of(assignment, heaviest).comment == reason
    with page.expect_navigation():
        work.get_by_role("link", name=POSYANDU).click()
    for criterion in criteria:
        expect(sheet.score(criterion)).to_be_disabled()
        expect(sheet.comment(criterion)).to_be_disabled()
    expect(sheet.score(heaviest)).to_have_value("98")
    expect(sheet.form.locator("button[type=submit]")).to_have_count(0)
    assert_fits_phone(page, label="submitted score sheet")
    assert_accessible(page, label="submitted score sheet")


def test_presentation_room_shows_who_is_next_runs_the_timer_and_scores(
    new_page, people, luwu_utara
):
    import datetime
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from siwanda.judging import schedule, services
    from siwanda.judging.models import Assignment

    secretariat, juror = people["secretariat"], people["juror"]
    competition, _proposals = screened_competition(
        people, luwu_utara, [("agency", POSYANDU), ("agency", DAPUR), ("other_agency", SEKOLAH)]
    )
    desk, presentations = regency_stages(secretariat, competition)
    services.stage_delete(actor=secretariat, stage=desk)  # presentations only, this year
    seat(secretariat, presentations, [juror], chair=juror)
    services.assign_automatic(actor=secretariat, stage=presentations)
    zone = ZoneInfo(luwu_utara.timezone)
    tomorrow = timezone.localdate(timezone=zone) + datetime.timedelta(days=1)
    schedule.slots_generate(
        actor=secretariat,
        stage=presentations,
        days=[tomorrow],
        start=datetime.time(8, 0),
        end=datetime.time(16, 0),
        rooms=["Aula Bappeda"],
    )
    services.stage_open(actor=secretariat, stage=presentations)
    first = presentations.slots.select_related("proposal").order_by("starts_at").first()
    assignment = Assignment.objects.get(stage=presentations, juror=juror, proposal=first.proposal)
    criteria = list(presentations.rubric.criteria.all())

    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.clock.install()
    log_in(page, juror.email)
    page.goto("/penilaian/")
    with page.expect_navigation():
        page.locator(f"main a[href='/tahap/{presentations.pk}/ruang/']").click()

    # Who is next, and the timer of the first part of a presentation (7 minutes).
    expect(page.locator("#now-title")).to_have_text(f"{say(page, 'Next')}: {first.proposal.title}")
    expect(page.locator("main ol.list-group > li")).to_have_count(3)
    expect(page.locator("main ol.list-group > li").first).to_contain_text(first.proposal.title)
    english = page.locator("html").get_attribute("lang") == "en"
    presenting, video = (part[1] if english else part[0] for part in presentations.slot_parts[:2])
    clock, part = page.locator("#timer-clock"), page.locator("#timer-part")
    expect(clock).to_have_text("7:00")
    expect(part).to_have_text(presenting)
    buttons = page.locator("#timer-buttons button")
    expect(buttons).to_have_count(3)
    assert_fits_phone(page, label="room view")
    assert_accessible(page, label="room view")
    page.clock.pause_at(page.evaluate("Date.now()") + 1_000)
    buttons.nth(0).click()  # start
    page.clock.run_for("01:05")
    expect(clock).to_have_text("5:55")
    buttons.nth(1).click()  # the next part: the video, 3 minutes
    expect(part).to_have_text(video)
    expect(clock).to_have_text("3:00")
    page.clock.resume()

    # Quick scoring from the room.
    with page.expect_navigation():
        page.locator(f"#room-timer a[href='/penilaian/{assignment.pk}/']").click()
    sheet = Sheet(page, assignment)
    substance, delivery = criteria
    sheet.score(substance).fill("70")
    sheet.score(delivery).fill("80")
    expect(sheet.status).to_have_text(sheet.saved())
    expect(sheet.total).to_have_text("73")  # 70 × 70 % + 80 × 30 %
    assert score_of(assignment, substance).value == Decimal("70")
    assert score_of(assignment, delivery).value == Decimal("80")


# --- The secretariat ------------------------------------------------------------------------------


def test_secretariat_sets_up_stages_panel_and_conflict_free_assignment_and_opens_scoring(
    new_page, people, luwu_utara
):
    from siwanda.competitions.models import Competition
    from siwanda.core.models import Notice
    from siwanda.judging.conflicts import AGENCY, REASONS
    from siwanda.judging.models import Assignment, Stage

    competition, proposals = five_proposals(people, luwu_utara)
    panel = jurors(people, luwu_utara)
    chair, in_dinkes = panel[0], panel[3]
    dinkes = people["agency"]
    page = signed_in(new_page, people["secretariat"])

    # The judging of the competition starts from the regency template.
    page.goto(f"/kompetisi/{competition.pk}/")
    with page.expect_navigation():
        page.locator(f"main a[href='/kompetisi/{competition.pk}/penjurian/']").click()
    page.locator("#template-regency").check()
    with page.expect_navigation():
        page.locator("main section[aria-labelledby=templates-title] button[type=submit]").click()
    desk, presentations = competition.stages.order_by("order")
    assert (desk.kind, presentations.kind) == (Stage.Kind.DESK, Stage.Kind.PRESENTATION)
    assert desk.rubric.criteria.count() == 7
    stages = page.locator("main ol.list-group > li")
    expect(stages).to_have_count(2)
    expect(stages.nth(0).locator(f"a[href='/tahap/{desk.pk}/']")).to_have_text(say(page, desk))
    expect(stages.nth(1).locator(f"a[href='/tahap/{presentations.pk}/']")).to_have_text(
        say(page, presentations)
    )

    # Three go on from the proposal evaluation.
    with page.expect_navigation():
        stages.nth(0).locator(f"a[href='/tahap/{desk.pk}/']").click()
    page.locator("#id_top_n").fill("3")
    with page.expect_navigation():
        page.locator("main form:not([action]) button[type=submit]").click()
    desk.refresh_from_db()
    assert desk.top_n == 3

    # The panel: a chair, and a juror who works in Dinas Kesehatan.
    with page.expect_navigation():
        page.locator(f"main .nav-tabs a[href='/tahap/{desk.pk}/panel/']").click()
    for juror in panel:
        page.locator("#id_juror").select_option(str(juror.pk))
        if juror == chair:
            page.locator("#id_is_chair").check()
        if juror == in_dinkes:
            page.locator("#id_agency").select_option(str(dinkes.pk))
        with page.expect_navigation():
            page.locator("main form:not([action]) button[type=submit]").first.click()
    members = page.locator("main section[aria-labelledby=panel-title] li")
    expect(members).to_have_count(4)
    expect(members.first).to_contain_text(chair.full_name)
    expect(members.filter(has_text=in_dinkes.full_name)).to_contain_text(dinkes.name)

    # Automatic assignment: three jurors each, never the one working in the proposing agency.
    with page.expect_navigation():
        page.locator(f"main .nav-tabs a[href='/tahap/{desk.pk}/penugasan/']").click()
    with page.expect_navigation():
        page.locator("main button[name=action][value=automatic]").click()
    pairs = set(Assignment.objects.filter(stage=desk).values_list("juror_id", "proposal_id"))
    assert Assignment.objects.filter(stage=desk).count() == len(pairs) == 15
    for proposal in proposals:
        row = page.locator(f"#proposal-{proposal.pk}")
        assigned = row.locator("td").nth(1).locator("ul > li")
        expect(assigned).to_have_count(3)
        conflicted = row.locator("td").nth(2)
        if proposal.agency_id == dinkes.pk:
            expect(assigned.filter(has_text=in_dinkes.full_name)).to_have_count(0)
            expect(conflicted).to_have_text(f"{in_dinkes.full_name}: {say(page, REASONS[AGENCY])}")
            assert (in_dinkes.pk, proposal.pk) not in pairs
        else:
            expect(conflicted).to_have_text("—")
            assert (in_dinkes.pk, proposal.pk) in pairs
    assert_accessible(page, label="assignment board")

    # Scoring opens; the jurors are told.
    with page.expect_navigation():
        page.locator(f"main .nav-tabs a[href='/tahap/{desk.pk}/']").click()
    press(page, f"/tahap/{desk.pk}/aksi/open/")
    expect(page).to_have_url(f"/tahap/{desk.pk}/")
    expect(page.locator(f"main form[action='/tahap/{desk.pk}/aksi/close/']")).to_have_count(1)
    desk.refresh_from_db()
    competition.refresh_from_db()
    assert desk.status == Stage.Status.SCORING
    assert desk.rubric.frozen_at is not None
    assert competition.status == Competition.Status.JUDGING
    assert set(Notice.objects.filter(url="/penilaian/").values_list("user_id", flat=True)) == {
        juror.pk for juror in panel
    }


@pytest.fixture
def scored_stage(people, luwu_utara):
    """The proposal evaluation of five proposals, every sheet submitted; the chair's total for
    the Posyandu is 30 points under the others'."""
    secretariat = people["secretariat"]
    competition, proposals = five_proposals(people, luwu_utara)
    panel = jurors(people, luwu_utara)
    desk, _presentations = regency_stages(secretariat, competition)
    desk.top_n = 3
    desk.save(update_fields=["top_n"])
    seat(secretariat, desk, panel, chair=panel[0], works_in={panel[3]: people["agency"]})
    open_scoring(secretariat, desk)
    score_all(desk, totals_with_one_disagreement(proposals, panel, flagged=proposals[0]))
    return desk, proposals


def test_secretariat_closes_reads_ranking_moderates_and_sends_the_best_on(
    new_page, people, scored_stage
):
    from siwanda.judging.models import Entry, Moderation, Score, Stage
    from siwanda.judging.ranking import TIE_BREAKERS, stage_result

    desk, proposals = scored_stage
    posyandu = proposals[0]
    scores_before = sorted(Score.objects.values_list("pk", "value"))
    page = signed_in(new_page, people["secretariat"])

    page.goto(f"/tahap/{desk.pk}/")
    press(page, f"/tahap/{desk.pk}/aksi/close/")
    desk.refresh_from_db()
    assert desk.status == Stage.Status.CLOSED
    with page.expect_navigation():
        page.locator(f"main a.btn[href='/tahap/{desk.pk}/peringkat/']").click()

    # Raw and normalised side by side, the method named, the panel's reliability.
    result = stage_result(desk)
    assert result.icc.single is not None and result.alpha is not None
    table = page.locator("main table")
    columns = [
        "Rank",
        "Proposal",
        "Score",
        "Raw",
        "Normalised",
        "Jurors (raw / normalised)",
        "Spread",
    ]
    expect(table.locator("thead th")).to_contain_text([say(page, c) for c in columns])
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(5)
    titles = {p.pk: p.title for p in proposals}
    for i, row in enumerate(result.rows):
        cells = rows.nth(i).locator("td")
        expect(cells.nth(0)).to_contain_text(str(row.rank))
        expect(cells.nth(1)).to_contain_text(titles[row.proposal])
        expect(cells.nth(3)).to_contain_text(number(page, row.raw, 2))
        expect(cells.nth(4)).to_contain_text(number(page, row.normalised, 2))
        expect(cells.nth(5).locator("div.text-nowrap")).to_have_count(3)
    method = page.locator("main section[aria-labelledby=method-title]")
    expect(method).to_contain_text(say(page, Stage.Aggregation.MEAN.label))
    for tie in desk.tie_breakers:
        expect(method).to_contain_text(say(page, TIE_BREAKERS[tie]))
    reliability = page.locator("main section[aria-labelledby=reliability-title] dd")
    expect(reliability).to_have_text(
        [
            number(page, result.icc.single, 3),
            number(page, result.icc.average, 3),
            number(page, result.alpha, 3),
        ]
    )

    # The Posyandu is flagged: the jurors are more than 20 points apart.
    [flag] = Moderation.objects.filter(stage=desk)
    assert flag.proposal_id == posyandu.pk and flag.spread > 20
    flagged = rows.filter(has=page.locator(f"a[href='/moderasi/{flag.pk}/']"))
    expect(flagged).to_have_count(1)
    expect(flagged).to_contain_text(posyandu.title)
    expect(flagged).to_have_class(re.compile(r"\btable-warning\b"))
    expect(rows.locator("a[href^='/moderasi/']")).to_have_count(1)
    expect(page.locator("main .alert-danger")).to_be_visible()
    assert_accessible(page, label="ranking")

    # The panel agrees on a score, and says why; the jurors' own scores stay.
    justification = "Juri pertama menilai sebelum kunjungan lapangan; panel sepakat 86."
    with page.expect_navigation():
        flagged.locator(f"a[href='/moderasi/{flag.pk}/']").click()
    expect(page.locator("main section[aria-labelledby=flag-title]")).to_contain_text(posyandu.title)
    page.locator("#id_consensus").fill("86")
    page.locator("#id_justification").fill(justification)
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").click()
    expect(page).to_have_url(f"/tahap/{desk.pk}/peringkat/")
    flag.refresh_from_db()
    assert (flag.status, flag.consensus, flag.justification) == (
        Moderation.Status.DECIDED,
        Decimal("86"),
        justification,
    )
    assert flag.decided_by == people["secretariat"]
    assert sorted(Score.objects.values_list("pk", "value")) == scores_before
    expect(page.locator("main .alert-danger")).to_have_count(0)
    expect(rows.first).to_contain_text(posyandu.title)
    expect(rows.first.locator("td").nth(2)).to_contain_text(number(page, 86, 2))

    # The best three are staged, then applied to everyone at once.
    best = [row.proposal for row in stage_result(desk).rows[:3]]
    assert best[0] == posyandu.pk
    press(page, f"/tahap/{desk.pk}/keputusan/", name="action", value="suggest")
    for proposal in proposals:
        box = page.locator(f"#advance-{proposal.pk}")
        if proposal.pk in best:
            expect(box).to_be_checked()
        else:
            expect(box).not_to_be_checked()
    assert not desk.entries.exclude(outcome=Entry.Outcome.PENDING).exists()
    press(page, f"/tahap/{desk.pk}/keputusan/", name="action", value="apply")
    expect(page.locator("main input[name=advance]")).to_have_count(0)
    expect(rows.locator(".badge.text-bg-success")).to_have_count(3)
    outcomes = dict(desk.entries.values_list("proposal_id", "outcome"))
    assert outcomes == {
        p.pk: Entry.Outcome.ADVANCED if p.pk in best else Entry.Outcome.STOPPED for p in proposals
    }
    presentations = desk.competition.stages.get(kind=Stage.Kind.PRESENTATION)
    assert set(presentations.entries.values_list("proposal_id", flat=True)) == set(best)
