import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from siwanda.competitions.models import Competition
from siwanda.core.models import Notice
from siwanda.proposals import services as proposals
from siwanda.proposals.models import Proposal
from siwanda.screening import services
from siwanda.screening.models import Objection, Review
from tests.builders import fill, innovation_for, start_proposal


@pytest.fixture
def submitted(people, competition, proposal):
    """Two submitted proposals with near-identical titles, the competition in screening."""
    fill(proposal, people["operator"])
    proposals.proposal_approve(
        actor=people["head"],
        proposal=proposals.proposal_send(actor=people["operator"], proposal=proposal),
    )
    other = start_proposal(
        competition,
        people["other_operator"],
        innovation_for(
            people["other_operator"],
            people["other_agency"],
            title="Dapur Sehat Atasi Stunting Desa",
        ),
    )
    fill(other, people["other_operator"])
    proposals.proposal_approve(
        actor=people["secretariat"],
        proposal=proposals.proposal_send(actor=people["other_operator"], proposal=other),
    )
    Competition.objects.filter(pk=competition.pk).update(
        status=Competition.Status.SCREENING,
        objection_days=3,
        deadline_at=timezone.now() - datetime.timedelta(hours=1),
    )
    return [Proposal.objects.get(pk=proposal.pk), Proposal.objects.get(pk=other.pk)]


def test_refresh_all_finds_the_near_identical_titles(people, submitted):
    competition = submitted[0].competition
    assert services.review_refresh_all(actor=people["secretariat"], competition=competition) == 2
    for proposal in submitted:
        assert [f["code"] for f in proposal.screening.findings] == ["similar_title"]


def test_failing_needs_reasons_and_the_agency_is_told(
    people, submitted, django_capture_on_commit_callbacks
):
    proposal = submitted[0]
    item = proposal.competition.checklist.first()
    with pytest.raises(ValidationError):
        services.screening_decide(actor=people["secretariat"], proposal=proposal, passed=False)
    with pytest.raises(ValidationError):
        services.screening_decide(
            actor=people["secretariat"],
            proposal=proposal,
            passed=False,
            checklist={item.pk: {"ok": False, "reason": ""}},
        )
    with pytest.raises(ValidationError):
        services.screening_decide(
            actor=people["secretariat"],
            proposal=proposal,
            passed=True,
            checklist={item.pk: {"ok": False, "reason": "x"}},
        )
    with django_capture_on_commit_callbacks(execute=True):
        review = services.screening_decide(
            actor=people["secretariat"],
            proposal=proposal,
            passed=False,
            checklist={item.pk: {"ok": False, "reason": "SK tidak sah"}},
        )
    assert review.decision == Review.Decision.FAILED
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.FAILED
    notice = Notice.objects.get(user=people["operator"], text__contains="did not pass")
    assert "3 days" in notice.text


def test_bulk_pass(people, submitted):
    competition = submitted[0].competition
    assert (
        services.screening_decide_bulk(
            actor=people["secretariat"],
            competition=competition,
            proposal_ids=[p.pk for p in submitted],
            passed=True,
        )
        == 2
    )
    assert set(
        Proposal.objects.filter(competition=competition).values_list("status", flat=True)
    ) == {"passed"}


def test_decisions_only_during_screening(people, proposal):
    with pytest.raises(ValidationError):
        services.screening_decide(actor=people["secretariat"], proposal=proposal, passed=True)


def test_the_objection_window_and_the_final_decision(people, submitted):
    proposal = submitted[0]
    services.screening_decide(
        actor=people["secretariat"], proposal=proposal, passed=False, reason="Video rusak"
    )
    with pytest.raises(ValidationError):
        services.objection_submit(actor=people["operator"], proposal=proposal, text=" ")
    objection = services.objection_submit(
        actor=people["operator"], proposal=proposal, text="Video diperbaiki"
    )
    with pytest.raises(ValidationError, match="already waiting"):
        services.objection_submit(actor=people["head"], proposal=proposal, text="lagi")
    assert Notice.objects.filter(user=people["secretariat"], text__contains="objects").exists()
    with pytest.raises(ValidationError):
        services.objection_decide(
            actor=people["secretariat"], objection=objection, accept=True, note=""
        )
    services.objection_decide(
        actor=people["secretariat"], objection=objection, accept=True, note="Sudah baik"
    )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PASSED and proposal.screening.final
    with pytest.raises(ValidationError, match="final"):
        services.screening_decide(
            actor=people["secretariat"], proposal=proposal, passed=False, reason="x"
        )


def test_an_objection_after_the_window_is_refused(people, submitted):
    proposal = submitted[0]
    services.screening_decide(
        actor=people["secretariat"], proposal=proposal, passed=False, reason="x"
    )
    Review.objects.filter(proposal=proposal).update(
        decided_at=timezone.now() - datetime.timedelta(days=4)
    )
    with pytest.raises(ValidationError, match="closed"):
        services.objection_submit(actor=people["operator"], proposal=proposal, text="Tolong")
    assert not Objection.objects.exists()


def test_a_rejected_objection_keeps_the_failure(people, submitted):
    proposal = submitted[0]
    services.screening_decide(
        actor=people["secretariat"], proposal=proposal, passed=False, reason="x"
    )
    objection = services.objection_submit(
        actor=people["operator"], proposal=proposal, text="Tolong"
    )
    services.objection_decide(
        actor=people["secretariat"], objection=objection, accept=False, note="Tetap"
    )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.FAILED and proposal.screening.final
