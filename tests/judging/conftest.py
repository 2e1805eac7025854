"""Fixtures for judging: a competition of Luwu Utara past its screening, with proposals of
several agencies that passed it, and a panel of jurors."""

import datetime

import pytest
from django.utils import timezone

from siwanda.accounts.models import Role
from siwanda.competitions.models import Competition
from siwanda.innovations.models import Innovation
from siwanda.proposals.models import Proposal
from tests.factories import AgencyFactory, person_with_role


def passed_proposals(competition, agencies, per_agency=1):
    """Proposals that passed screening, made directly (the submission is tested elsewhere)."""
    group = competition.groups.order_by("order").first()
    version = group.form.versions.order_by("-number").first()
    made = []
    for agency in agencies:
        for n in range(per_agency):
            innovation = Innovation.objects.create(
                agency=agency,
                region=agency.region,
                title=f"Inovasi {agency.name} {n}",
                form="public_service",
                urusan="kesehatan",
                initiator="civil_servant",
                stage="implementation",
            )
            made.append(
                Proposal.objects.create(
                    competition=competition,
                    agency=agency,
                    innovation=innovation,
                    group=group,
                    form_version=version,
                    title=innovation.title,
                    status=Proposal.Status.PASSED,
                    submitted_at=timezone.now(),
                )
            )
    return made


@pytest.fixture
def screened(people, competition):
    """The competition in screening, every proposal decided: six agencies, one proposal each
    (the first from the Dinas Kesehatan of `people`)."""
    agencies = [people["agency"], people["other_agency"]] + [
        AgencyFactory(region=competition.region, name=f"Kecamatan {n}") for n in range(4)
    ]
    proposals = passed_proposals(competition, agencies)
    Competition.objects.filter(pk=competition.pk).update(
        status=Competition.Status.SCREENING,
        deadline_at=timezone.now() - datetime.timedelta(days=1),
    )
    competition.refresh_from_db()
    return proposals


@pytest.fixture
def jurors(luwu_utara):
    return [
        person_with_role(Role.JUROR, region=luwu_utara, full_name=f"Juri {n}") for n in range(5)
    ]


# --- Judging under way: stages, panel, assignments, scores (views, queries, results, exports) ----
# Plain builders first (the permission matrix and the results tests call them too), then the
# fixtures that chain them.

DESK_BASE = 50  # screened[i] scores DESK_BASE + 5 i, except the one the jurors disagree on


def regency_stages(secretariat, competition):
    """The regency template's stages: desk evaluation (Top 15), then presentations (Top 7)."""
    from siwanda.judging import services as judging

    return judging.stages_from_template(actor=secretariat, competition=competition, key="regency")


def seat(secretariat, stage, jurors, *, chair=None, agencies=None):
    from siwanda.judging import services as judging

    for juror in jurors:
        judging.panel_add(
            actor=secretariat,
            stage=stage,
            juror=juror,
            is_chair=juror == chair,
            agency=(agencies or {}).get(juror),
        )


def score_sheet(assignment, value, *, submit=True):
    """Give every criterion of the assignment's rubric `value`, then submit the sheet."""
    from siwanda.judging import services as judging

    for criterion in assignment.stage.rubric.criteria.all():
        judging.score_save(
            actor=assignment.juror, assignment=assignment, criterion=criterion, value=value
        )
    if submit:
        judging.sheet_submit(actor=assignment.juror, assignment=assignment)


def score_stage(stage, value_of):
    """Score and submit every sheet of the stage, `value_of(assignment)` on each criterion."""
    from siwanda.judging.models import Assignment

    for a in Assignment.objects.filter(stage=stage).select_related("stage__rubric", "juror"):
        score_sheet(a, value_of(a))


def desk_values(proposals, disputed=None):
    """Scores by proposal: proposals[i] gets DESK_BASE + 5 i from everyone, except `disputed`,
    whose jurors give 40, 70 and 90 (more than the threshold of 20 apart: flagged)."""
    order = {p.pk: i for i, p in enumerate(proposals)}
    disputes = iter([40, 70, 90, 90, 90, 90])

    def value_of(a):
        if disputed is not None and a.proposal_id == disputed.pk:
            return next(disputes)
        return DESK_BASE + 5 * order[a.proposal_id]

    return value_of


def close_and_advance(secretariat, stage, top_n):
    """Close scoring, keep the computed score of every flagged proposal, stage the best
    `top_n` and apply."""
    from siwanda.judging import services as judging
    from siwanda.judging.models import Moderation

    judging.stage_close(actor=secretariat, stage=stage)
    for m in Moderation.objects.filter(stage=stage, status=Moderation.Status.OPEN):
        judging.moderation_decide(
            actor=secretariat, moderation=m, consensus=None, justification="Sepakat"
        )
    judging.stage_save(actor=secretariat, competition=stage.competition, stage=stage, top_n=top_n)
    judging.outcomes_stage(actor=secretariat, stage=stage)
    judging.outcomes_apply(actor=secretariat, stage=stage)


def screen(competition, agencies):
    """What `screened` does, for module-wide worlds: one proposal of each agency passed
    screening and the competition is in screening."""
    proposals = passed_proposals(competition, agencies)
    Competition.objects.filter(pk=competition.pk).update(
        status=Competition.Status.SCREENING,
        deadline_at=timezone.now() - datetime.timedelta(days=1),
    )
    competition.refresh_from_db()
    return proposals


@pytest.fixture
def stages(people, competition, screened):
    """The regency template's stages on the competition in screening."""
    return regency_stages(people["secretariat"], competition)


@pytest.fixture
def seated(people, stages, jurors, screened):
    """The desk evaluation with its panel and no assignment yet: the five jurors, Juri 0 in the
    chair, Juri 4 recorded as working in Dinas Kesehatan (in conflict with screened[0])."""
    desk = stages[0]
    seat(
        people["secretariat"],
        desk,
        jurors,
        chair=jurors[0],
        agencies={jurors[4]: screened[0].agency},
    )
    return desk


@pytest.fixture
def assigned(people, seated):
    """The desk evaluation assigned automatically: three jurors per proposal, none in conflict."""
    from siwanda.judging import services as judging

    judging.assign_automatic(actor=people["secretariat"], stage=seated)
    return seated


@pytest.fixture
def scoring(people, assigned):
    """The desk evaluation open for scoring (the competition moves to judging)."""
    from siwanda.judging import services as judging

    return judging.stage_open(actor=people["secretariat"], stage=assigned)


@pytest.fixture
def closed(people, scoring, screened):
    """The desk evaluation scored by everyone and closed: screened[1] is flagged for moderation."""
    from siwanda.judging import services as judging

    score_stage(scoring, desk_values(screened, disputed=screened[1]))
    return judging.stage_close(actor=people["secretariat"], stage=scoring)


# --- A competition judged to the end, for the results tests (imported from tests/results) -------


def judge_through(secretariat, stages, jurors, screened):
    """Both stages of the regency template judged, ready to publish.

    Desk evaluation (raw means, three jurors a proposal): screened[i] gets 50 + 5 i from
    everyone, except screened[1] (40, 70, 90: flagged, the chair settles on 60) and screened[2]
    (one sheet reopened and resubmitted at 64: 61.33). The best three go on: screened[5] (75),
    screened[4] (70), screened[3] (65).
    Presentations, Juri 1 and Juri 2 on each: screened[3] 90 and 60 (flagged, computed score
    kept), screened[4] 70 and 72, screened[5] 50 and 50. The best two win. Combined 40/60:
    screened[3] 71, screened[4] 70.6, screened[5] 60.
    screened[0] gets the "Kategori Partisipatif"."""
    from siwanda.judging import services as judging

    sec = secretariat
    desk, presentation = stages
    competition = desk.competition
    judging.stage_save(actor=sec, competition=competition, stage=desk, rank_by_normalised=False)
    seat(sec, desk, jurors, chair=jurors[0], agencies={jurors[4]: screened[0].agency})
    judging.assign_automatic(actor=sec, stage=desk)
    desk = judging.stage_open(actor=sec, stage=desk)
    score_stage(desk, desk_values(screened, disputed=screened[1]))
    redo = desk.assignments.filter(proposal=screened[2]).order_by("juror_id").first()
    judging.sheet_reopen(actor=sec, sheet=redo.sheet, reason="Salah ketik")
    score_sheet(redo, 64)
    judging.stage_close(actor=sec, stage=desk)
    judging.moderation_decide(
        actor=jurors[0],
        moderation=desk.moderations.get(),
        consensus=60,
        justification="Pleno: nilai tengah",
    )
    judging.stage_save(actor=sec, competition=competition, stage=desk, top_n=3)
    judging.outcomes_stage(actor=sec, stage=desk)
    judging.outcomes_apply(actor=sec, stage=desk)

    seat(sec, presentation, jurors[1:3], chair=jurors[1])
    judging.assign_bulk(actor=sec, stage=presentation, juror_ids=[jurors[1].pk, jurors[2].pk])
    presentation = judging.stage_open(actor=sec, stage=presentation)
    given = {
        (jurors[1], screened[3]): 90,
        (jurors[2], screened[3]): 60,
        (jurors[1], screened[4]): 70,
        (jurors[2], screened[4]): 72,
        (jurors[1], screened[5]): 50,
        (jurors[2], screened[5]): 50,
    }
    for (juror, proposal), value in given.items():
        score_sheet(presentation.assignments.get(juror=juror, proposal=proposal), value)
    judging.stage_close(actor=sec, stage=presentation)
    judging.moderation_decide(
        actor=jurors[1],
        moderation=presentation.moderations.get(),
        consensus=None,
        justification="Nilai dihitung tetap",
    )
    judging.stage_save(actor=sec, competition=competition, stage=presentation, top_n=2)
    judging.outcomes_stage(actor=sec, stage=presentation)
    judging.outcomes_apply(actor=sec, stage=presentation)
    judging.special_award_add(
        actor=sec,
        competition=competition,
        proposal=screened[0],
        name="Kategori Partisipatif",
        name_en="Participatory category",
        reason="Melibatkan warga desa",
    )
    return desk, presentation
