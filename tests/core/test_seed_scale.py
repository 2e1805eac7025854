"""seed_scale: national-size data, here at a small size, with the invariants the services keep."""

import io
import random
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F

from siwanda.accounts.models import Role, RoleAssignment
from siwanda.catalogue.models import CatalogueEntry
from siwanda.competitions.models import CallRecipient, Competition
from siwanda.core import scale
from siwanda.innovations.models import Award, Innovation
from siwanda.judging.models import Assignment, Criterion, Score, Sheet, Stage
from siwanda.proposals.models import Proposal
from siwanda.regions.models import Agency, Region

pytestmark = pytest.mark.django_db

INNOVATIONS, PROPOSALS = 300, 40


def seed(**options):
    out = io.StringIO()
    call_command("seed_scale", innovations=INNOVATIONS, proposals=PROPOSALS, stdout=out, **options)
    return out.getvalue()


def test_sizes_follow_the_multiplier():
    assert scale.Sizes.of(1) == scale.Sizes(32_000, 3_500, 40)
    assert scale.Sizes.of(10) == scale.Sizes(320_000, 35_000, 400)
    assert scale.Sizes.of(1, innovations=300, proposals=40) == scale.Sizes(300, 40, 8)


def test_a_region_plans_20_to_40_agencies_with_distinct_names():
    rng = random.Random(1)
    regency = Region.objects.get(code="73.22")
    province = Region.objects.get(code="73")
    for region in (regency, province):
        for _ in range(20):
            plans = scale.plan_agencies(region, rng)
            assert 20 <= len(plans) <= 40
            assert len({p.name.lower() for p in plans}) == len(plans)
            assert all(p.parent is None or p.parent.parent is None for p in plans)
            assert all(p.themes and set(p.themes) <= set(scale.THEMES) for p in plans)
    kinds = Counter(p.kind for p in scale.plan_agencies(regency, random.Random(2)))
    assert kinds["dinas"] >= 8 and kinds["badan"] >= 2 and kinds["kecamatan"] >= 1


def test_seed_scale_writes_consistent_national_data():
    output = seed()

    regions = Region.objects.exclude(kind=Region.Kind.NATION)
    # Every government of the region list (38 provinces, 416 regencies, 98 cities) has agencies.
    assert regions.count() == 552
    per_region = dict(
        Agency.objects.values("region_id").annotate(n=Count("id")).values_list("region_id", "n")
    )
    assert set(per_region) == set(regions.values_list("pk", flat=True))
    assert min(per_region.values()) >= 20 and max(per_region.values()) <= 40
    assert not Agency.objects.exclude(parent=None).exclude(parent__region=F("region")).exists()

    innovations = Innovation.objects.all()
    assert innovations.count() == INNOVATIONS
    assert not innovations.exclude(region=F("agency__region")).exists()
    assert innovations.exclude(sdgs=None).count() == INNOVATIONS
    # Dates are in order and the stage has the date it needs.
    assert not innovations.filter(trial_date__lt=F("initiative_date")).exists()
    assert not innovations.filter(implementation_date__lt=F("trial_date")).exists()
    assert not innovations.filter(stage="implementation", implementation_date=None).exists()
    assert not innovations.filter(stage="trial", trial_date=None).exists()
    # Replications: 4 %, each of an innovation of another region that started earlier.
    replications = innovations.exclude(source_innovation=None)
    assert replications.count() == 12
    assert not replications.filter(source_innovation=F("pk")).exists()
    assert not replications.filter(
        initiative_date__lt=F("source_innovation__implementation_date")
    ).exists()
    assert Award.objects.count() == 9  # 3 %
    assert not Award.objects.exclude(innovation__stage="implementation").exists()

    # The national competition: 40 proposals, passed screening, from invited agencies, within
    # the quotas, each scored by exactly 5 jurors on 8 criteria.
    competition = Competition.objects.get(level=Competition.Level.NATIONAL)
    assert competition.region.kind == Region.Kind.NATION
    assert competition.status == Competition.Status.JUDGING
    proposals = Proposal.objects.filter(competition=competition)
    assert proposals.count() == PROPOSALS
    assert set(proposals.values_list("status", flat=True)) == {Proposal.Status.PASSED}
    assert not proposals.exclude(agency=F("innovation__agency")).exists()
    invited = set(CallRecipient.objects.filter(competition=competition).values_list("agency_id"))
    assert set(proposals.values_list("agency_id")) == invited
    per_agency = Counter(proposals.values_list("agency_id", flat=True))
    assert max(per_agency.values()) <= competition.max_entries_per_agency
    assert len(set(proposals.values_list("title", flat=True))) == PROPOSALS
    assert not proposals.exclude(created_by__role_assignments__agency=F("agency")).exists()
    assert not proposals.exclude(approved_by__role_assignments__agency=F("agency")).exists()

    stage = Stage.objects.get(competition=competition)
    assert stage.status == Stage.Status.CLOSED
    assert Criterion.objects.filter(rubric=stage.rubric).count() == 8
    assignments = Assignment.objects.filter(stage=stage, calibration=False)
    jurors_per_proposal = Counter(assignments.values_list("proposal_id", flat=True))
    assert set(jurors_per_proposal.values()) == {5}
    assert len(jurors_per_proposal) == PROPOSALS
    sheets = Sheet.objects.filter(assignment__stage=stage)
    assert sheets.count() == PROPOSALS * 5
    assert set(sheets.values_list("status", flat=True)) == {Sheet.Status.SUBMITTED}
    scores_per_sheet = Counter(
        Score.objects.filter(sheet__in=sheets).values_list("sheet_id", flat=True)
    )
    assert set(scores_per_sheet.values()) == {8} and len(scores_per_sheet) == PROPOSALS * 5
    panel = stage.panel.values_list("juror_id", flat=True)
    assert RoleAssignment.objects.filter(
        user__in=panel, role=Role.JUROR, region=competition.region
    ).count() == len(panel)

    # 85 % published into the public catalogue.
    assert CatalogueEntry.objects.count() == 255
    assert "255 published" in output
    assert "300 innovations (12 replications, 9 awards, 255 published), 40 proposals" in output


def test_seed_scale_refuses_a_second_run_and_if_missing_skips_it():
    seed()
    with pytest.raises(CommandError, match="seed_scale has already run on this database"):
        seed()
    assert "already seeded; nothing to do" in seed(if_missing=True)
    assert Innovation.objects.count() == INNOVATIONS
    assert Proposal.objects.count() == PROPOSALS
