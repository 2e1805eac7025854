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
