"""Judging made through the services, for the browser tests: a competition of Luwu Utara past
its screening with proposals of several agencies, the regency stages, panels, assignments and
submitted score sheets. Whatever a journey itself does goes through the pages; these builders
only bring the competition to where the journey starts.

Scores are chosen so that every juror's total is known in advance: a sheet gives the same value
to every criterion, so the juror's total (a weighted mean on 0–100) is that value."""

import datetime

from django.utils import timezone

from tests.factories import AgencyFactory, person_with_role

# Titles of the proposals, by the agency that sends them.
POSYANDU = "Posyandu Keliling Digital"
DAPUR = "Dapur Sehat Atasi Stunting"
SEKOLAH = "Sekolah Lapang Guru Desa"
PASAR = "Pasar Rakyat Tanpa Tunai"
AIR = "Air Bersih Gotong Royong"
SUMMARY = "Bidan desa menjemput ibu hamil dengan ambulans motor; jadwal dipesan lewat WhatsApp."


def passed_proposal(competition, agency, title, *, summary=""):
    """A proposal that passed screening, made directly (submission and screening are tested
    elsewhere); with an answer to the summary question when `summary` is given."""
    from siwanda.competitions.models import FormField
    from siwanda.innovations.models import Innovation
    from siwanda.proposals.models import Answer, Proposal

    group = competition.groups.get(name="Umum")
    version = group.form.versions.order_by("-number").first()
    innovation = Innovation.objects.create(
        agency=agency,
        region=agency.region,
        title=title,
        form="public_service",
        urusan="kesehatan",
        initiator="civil_servant",
        stage="implementation",
    )
    proposal = Proposal.objects.create(
        competition=competition,
        agency=agency,
        innovation=innovation,
        group=group,
        form_version=version,
        title=title,
        status=Proposal.Status.PASSED,
        submitted_at=timezone.now(),
    )
    if summary:
        field = FormField.objects.get(section__version=version, key="ringkasan")
        Answer.objects.create(proposal=proposal, field=field, value=summary, version=1)
    return proposal


def screened_competition(people, region, titles):
    """KIPP of Luwu Utara whose call closed yesterday and whose screening passed one proposal
    per (agency key or Agency, title) of `titles`. Returns (competition, proposals)."""
    from siwanda.competitions.models import Competition
    from tests.builders import competition_from_template

    competition = competition_from_template(people["secretariat"], region, name="KIPP Luwu Utara")
    proposals = [
        passed_proposal(
            competition,
            people[agency] if isinstance(agency, str) else agency,
            title,
            summary=SUMMARY if title == POSYANDU else "",
        )
        for agency, title in titles
    ]
    Competition.objects.filter(pk=competition.pk).update(
        status=Competition.Status.SCREENING,
        deadline_at=timezone.now() - datetime.timedelta(days=1),
    )
    competition.refresh_from_db()
    return competition, proposals


def five_proposals(people, region):
    """Two proposals of Dinas Kesehatan, one of Dinas Pendidikan and two of kecamatan."""
    masamba = AgencyFactory(region=region, name="Kecamatan Masamba")
    sabbang = AgencyFactory(region=region, name="Kecamatan Sabbang")
    return screened_competition(
        people,
        region,
        [
            ("agency", POSYANDU),
            ("agency", DAPUR),
            ("other_agency", SEKOLAH),
            (masamba, PASAR),
            (sabbang, AIR),
        ],
    )


def jurors(people, region):
    """Four jurors of Luwu Utara; the last works in Dinas Kesehatan (the secretariat records it
    on the panel)."""
    from siwanda.accounts.models import Role

    juror = people["juror"]
    juror.full_name = "Andi Rahman"
    juror.save(update_fields=["full_name"])
    return [
        juror,
        person_with_role(Role.JUROR, region=region, full_name="Budi Santoso"),
        person_with_role(Role.JUROR, region=region, full_name="Citra Lestari"),
        person_with_role(Role.JUROR, region=region, full_name="Dewi Kesehatan"),
    ]


# --- Stages ---------------------------------------------------------------------------------------


def regency_stages(secretariat, competition):
    """The regency template's stages: proposal evaluation (desk), then presentations."""
    from siwanda.judging.services import stages_from_template

    return stages_from_template(actor=secretariat, competition=competition, key="regency")


def seat(secretariat, stage, panel, *, chair=None, works_in=None):
    """Seat `panel` on the stage; `works_in` maps a juror to the agency recorded for them."""
    from siwanda.judging.services import panel_add

    for juror in panel:
        panel_add(
            actor=secretariat,
            stage=stage,
            juror=juror,
            is_chair=juror == chair,
            agency=(works_in or {}).get(juror),
        )


def open_scoring(secretariat, stage):
    """Assign the panel automatically and open scoring."""
    from siwanda.judging.services import assign_automatic, stage_open

    assign_automatic(actor=secretariat, stage=stage)
    stage_open(actor=secretariat, stage=stage)
    stage.refresh_from_db()
    return stage


def score_all(stage, total_of):
    """Every juror scores and submits every sheet of the stage: `total_of(juror, proposal)` is
    the value given to each criterion, hence the juror's total."""
    from siwanda.judging import services
    from siwanda.judging.models import Assignment

    criteria = list(stage.rubric.criteria.all())
    for assignment in Assignment.objects.filter(stage=stage, calibration=False).select_related(
        "juror", "proposal", "stage__rubric"
    ):
        value = total_of(assignment.juror, assignment.proposal)
        for criterion in criteria:
            services.score_save(
                actor=assignment.juror, assignment=assignment, criterion=criterion, value=value
            )
        services.sheet_submit(actor=assignment.juror, assignment=assignment)


def totals_with_one_disagreement(proposals, panel, flagged):
    """A juror's total for a proposal: the proposal's level (the first proposal highest) plus
    the juror's own leaning, except that the first juror of the panel thinks much less of
    `flagged` than the others: its spread passes the stage's threshold (20 points)."""
    level = {p.pk: 84 - 6 * i for i, p in enumerate(proposals)}
    leaning = {j.pk: (-2, 1, 3, 0)[i % 4] for i, j in enumerate(panel)}

    def total_of(juror, proposal):
        if proposal == flagged and juror == panel[0]:
            return level[proposal.pk] - 30
        return level[proposal.pk] + leaning[juror.pk]

    return total_of


def decide(secretariat, stage, *, top_n):
    """Close the stage, keep the computed score of every flagged proposal, and send its best
    `top_n` on."""
    from siwanda.judging import services

    services.stage_close(actor=secretariat, stage=stage)
    for moderation in stage.moderations.all():
        services.moderation_decide(
            actor=secretariat,
            moderation=moderation,
            consensus=None,
            justification="Panel sepakat mempertahankan nilai hitungan.",
        )
    services.stage_save(actor=secretariat, competition=stage.competition, stage=stage, top_n=top_n)
    services.outcomes_stage(actor=secretariat, stage=stage)
    services.outcomes_apply(actor=secretariat, stage=stage)
    stage.refresh_from_db()
    return stage


def judged_competition(people, region):
    """Both regency stages scored and decided: three of five proposals went on from the
    proposal evaluation and all three won the presentations (Top 7). Returns (competition,
    proposals, panel)."""
    secretariat = people["secretariat"]
    competition, proposals = five_proposals(people, region)
    panel = jurors(people, region)
    desk, presentations = regency_stages(secretariat, competition)
    seat(secretariat, desk, panel, chair=panel[0], works_in={panel[3]: people["agency"]})
    open_scoring(secretariat, desk)
    score_all(desk, totals_with_one_disagreement(proposals, panel, flagged=proposals[0]))
    decide(secretariat, desk, top_n=3)
    seat(secretariat, presentations, panel[:3], chair=panel[0])
    open_scoring(secretariat, presentations)
    score_all(presentations, totals_with_one_disagreement(proposals, panel, flagged=None))
    decide(secretariat, presentations, top_n=7)
    return competition, proposals, panel
