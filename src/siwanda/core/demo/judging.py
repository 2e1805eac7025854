"""Judging in the demo, through the judging and results services as the people would do it.

- 2019: one presentation stage over two days before a panel of six (the titles of the public
  reports), the Top 7 and three "kategori partisipatif" winners, published with certificates.
  The juror from Kecamatan Sukamaju Selatan never scores that kecamatan's two proposals, the
  three jurors of Bappelitbangda never score its GIS for E-Control; one proposal's scores spread
  too far and the chair records a consensus.
- This year's "Lomba Inovasi Daerah": the proposal evaluation is open; the demo jurors score.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from siwanda.accounts.models import User
from siwanda.competitions.models import Competition
from siwanda.judging import schedule
from siwanda.judging import services as judging
from siwanda.judging.models import (
    Assignment,
    Entry,
    Moderation,
    Rubric,
    Score,
    Sheet,
    SpecialAward,
    Stage,
)
from siwanda.regions.models import Agency
from siwanda.results import services as results

JUROR_EMAIL = "juri{n}@luwuutara.siwanda.test"
# Juror number -> the agency the juror heads or works in (for conflicts of interest).
JUROR_AGENCY = {
    1: "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
    2: "Dinas Komunikasi dan Informatika",
    3: "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
    4: "Bagian Organisasi Sekretariat Daerah",
    5: "Kecamatan Sukamaju Selatan",
    6: "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
}
CHAIR = 1
# How each juror scores against the panel: the severity the reliability figures then show.
LENIENCY = {1: -2, 2: 1, 3: 0, 4: 2, 5: -1, 6: 0}
DISPUTED = "Peta Baper (Peta Bank Sampah dan Persampahan)"
PARTICIPATORY_REASON = (
    "Warga terlibat sejak perencanaan sampai pelaksanaan, dan inovasi berjalan dengan swadaya "
    "masyarakat."
)


def _jurors() -> dict[int, User]:
    return {n: User.objects.get(email=JUROR_EMAIL.format(n=n)) for n in JUROR_AGENCY}


def _panel(stage: Stage, secretariat: User) -> dict[int, User]:
    jurors = _jurors()
    agencies = {a.name: a for a in Agency.objects.filter(region=stage.competition.region)}
    for n, juror in jurors.items():
        judging.panel_add(
            actor=secretariat,
            stage=stage,
            juror=juror,
            is_chair=n == CHAIR,
            agency=agencies[JUROR_AGENCY[n]],
        )
    return jurors


def _score(stage: Stage, assignment: Assignment, total: int) -> None:
    """Scores around `total`: the presentation a little below the substance, never at the
    extremes that need a comment."""
    for number, criterion in enumerate(stage.rubric.criteria.order_by("order", "id")):
        value = max(25, min(94, total - 3 * number))
        judging.score_save(
            actor=assignment.juror, assignment=assignment, criterion=criterion, value=value
        )


def judge_2019(
    competition: Competition, secretariat: User, order: list[str], participatory: list[str]
) -> None:
    """Judge and publish 2019: `order` is the titles of the passed proposals, best first;
    `participatory`, the panel's three special winners."""
    judging.stages_from_template(actor=secretariat, competition=competition, key="regency")
    desk, presentation = competition.stages.order_by("order")
    judging.stage_delete(actor=secretariat, stage=desk)
    presentation = judging.stage_save(
        actor=secretariat,
        competition=competition,
        stage=Stage.objects.get(pk=presentation.pk),
        starts_on=date(2019, 10, 8),
        ends_on=date(2019, 10, 9),
        weight=100,
    )
    jurors = _panel(presentation, secretariat)
    number_of = {juror.pk: n for n, juror in jurors.items()}
    judging.entries_sync(stage=presentation)
    judging.assign_automatic(actor=secretariat, stage=presentation)
    schedule.slots_generate(
        actor=secretariat,
        stage=presentation,
        days=[date(2019, 10, 8), date(2019, 10, 9)],
        start=time(8, 0),
        end=time(16, 0),
        rooms=["Aula Kantor Bupati Luwu Utara"],
    )
    schedule.slots_announce(actor=secretariat, stage=presentation)
    judging.stage_open(actor=secretariat, stage=presentation)

    rank_of = {title: rank for rank, title in enumerate(order)}
    for assignment in presentation.assignments.select_related("juror", "proposal", "stage"):
        n = number_of[assignment.juror_id]
        rank = rank_of[assignment.proposal.title]
        total = 91 - 2 * rank + LENIENCY[n] + (rank * 7 + n * 3) % 3 - 1
        if assignment.proposal.title == DISPUTED and n == 2:
            total -= 26
        _score(presentation, assignment, total)
        judging.sheet_submit(actor=assignment.juror, assignment=assignment)
    judging.stage_close(actor=secretariat, stage=presentation)
    for moderation in presentation.moderations.select_related("proposal"):
        judging.moderation_decide(
            actor=jurors[CHAIR],
            moderation=moderation,
            consensus=91 - 2 * rank_of[moderation.proposal.title],
            justification="Juri Kominfo menilai dari video yang tidak terputar. Dewan juri "
            "sepakat memakai nilai yang sejalan dengan penilaian juri lainnya; nilai asli tetap "
            "tercatat.",
        )
    judging.outcomes_stage(actor=secretariat, stage=presentation)
    judging.outcomes_apply(actor=secretariat, stage=presentation)
    for title in participatory:
        judging.special_award_add(
            actor=jurors[CHAIR],
            competition=competition,
            proposal=competition.proposals.get(title=title),
            name="Kategori Partisipatif",
            name_en="Participatory category",
            reason=PARTICIPATORY_REASON,
        )
    results.results_publish(actor=secretariat, competition=competition)
    _date_2019(presentation)


def _date_2019(stage: Stage) -> None:
    """Give the replayed judging the days it had in 2019 (the publication itself, immutable,
    keeps the day the demo was loaded)."""
    zone = stage.competition.region.zone
    prepared = datetime(2019, 10, 1, 9, 0, tzinfo=zone)
    opened = datetime(2019, 10, 8, 8, 0, tzinfo=zone)
    scored = datetime(2019, 10, 9, 16, 30, tzinfo=zone)
    closed = datetime(2019, 10, 9, 17, 0, tzinfo=zone)
    decided = datetime(2019, 10, 10, 10, 0, tzinfo=zone)
    Stage.objects.filter(pk=stage.pk).update(opened_at=opened, closed_at=closed)
    Rubric.objects.filter(stages=stage).update(created_at=prepared, frozen_at=opened)
    Entry.objects.filter(stage=stage).update(added_at=prepared, decided_at=decided)
    Assignment.objects.filter(stage=stage).update(created_at=prepared)
    Sheet.objects.filter(assignment__stage=stage).update(submitted_at=scored, updated_at=scored)
    Score.objects.filter(sheet__assignment__stage=stage).update(updated_at=scored)
    Moderation.objects.filter(stage=stage).update(decided_at=decided)
    SpecialAward.objects.filter(competition=stage.competition).update(created_at=decided)


def open_desk_evaluation(competition: Competition, secretariat: User) -> Stage:
    """This year's competition: proposal evaluation open for a week more, three jurors per
    proposal; the chair has finished, another juror is halfway."""
    judging.stages_from_template(actor=secretariat, competition=competition, key="regency")
    desk = competition.stages.order_by("order").first()
    today = timezone.localdate()
    desk = judging.stage_save(
        actor=secretariat,
        competition=competition,
        stage=desk,
        starts_on=today - timedelta(days=3),
        ends_on=today + timedelta(days=7),
    )
    jurors = _panel(desk, secretariat)
    judging.entries_sync(stage=desk)
    judging.assign_automatic(actor=secretariat, stage=desk)
    judging.stage_open(actor=secretariat, stage=desk)
    ranks = {
        p: rank
        for rank, p in enumerate(
            desk.entries.order_by("proposal__title").values_list("proposal_id", flat=True)
        )
    }
    for n, submit in ((CHAIR, True), (2, False)):
        work = list(desk.assignments.filter(juror=jurors[n]).select_related("juror", "stage"))
        for assignment in work if submit else work[: len(work) // 2]:
            _score(desk, assignment, 86 - 3 * ranks[assignment.proposal_id] + LENIENCY[n])
            if submit:
                judging.sheet_submit(actor=assignment.juror, assignment=assignment)
    return desk
