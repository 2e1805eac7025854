"""Conflicts of interest: each reason a juror may not judge a proposal, and the ties that are
not a conflict."""

import pytest
from django.utils import timezone

from siwanda.accounts.models import Role, RoleAssignment
from siwanda.competitions.models import FormField
from siwanda.innovations.models import Innovator
from siwanda.judging.conflicts import (
    AGENCY,
    AUTHOR,
    DECLARED,
    INNOVATOR,
    MENTOR,
    REASONS,
    conflicts,
    name_key,
)
from siwanda.judging.models import Recusal
from siwanda.mentoring.models import Assignment as MentorAssignment
from siwanda.proposals.models import Answer, Attachment, Proposal, Revision
from tests.factories import AgencyFactory, person_with_role

from .conftest import passed_proposals


@pytest.fixture
def juror_of(luwu_utara):
    def make(name):
        return person_with_role(Role.JUROR, region=luwu_utara, full_name=name)

    return make


@pytest.fixture
def tree(people, competition, screened, luwu_utara):
    """Dinas Kesehatan ⊃ Puskesmas Masamba ⊃ Posyandu Melati, each with a proposal."""
    health = people["agency"]
    puskesmas = AgencyFactory(
        region=luwu_utara, name="Puskesmas Masamba", kind="puskesmas", parent=health
    )
    posyandu = AgencyFactory(region=luwu_utara, name="Posyandu Melati", parent=puskesmas)
    made = passed_proposals(competition, [puskesmas, posyandu])
    return {
        "health": health,
        "puskesmas": puskesmas,
        "posyandu": posyandu,
        "health_proposal": screened[0],
        "puskesmas_proposal": made[0],
        "posyandu_proposal": made[1],
        "education_proposal": screened[1],
    }


def found(jurors, proposals, panel_agencies=None):
    return conflicts(
        juror_ids=[j.pk for j in jurors], proposals=proposals, panel_agencies=panel_agencies
    )


def role_in(user, agency, role=Role.OPERATOR):
    RoleAssignment.objects.create(user=user, role=role, region=agency.region, agency=agency)


def test_a_juror_working_in_the_proposing_agency(tree, juror_of):
    operator = juror_of("Rahmawati")
    head = juror_of("Syamsul Bahri")
    role_in(operator, tree["health"])
    role_in(head, tree["health"], Role.AGENCY_HEAD)
    result = found([operator, head], [tree["health_proposal"], tree["education_proposal"]])
    assert result == {
        (operator.pk, tree["health_proposal"].pk): AGENCY,
        (head.pk, tree["health_proposal"].pk): AGENCY,
    }


def test_an_agency_above_the_proposing_one_is_in_conflict_at_every_level(tree, juror_of):
    in_health = juror_of("Andi Baso")
    in_puskesmas = juror_of("Nurhayati")
    role_in(in_health, tree["health"], Role.AGENCY_HEAD)
    role_in(in_puskesmas, tree["puskesmas"])
    proposals = [tree["health_proposal"], tree["puskesmas_proposal"], tree["posyandu_proposal"]]
    result = found([in_health, in_puskesmas], proposals)
    # The head of the Dinas is above the Puskesmas and the Posyandu under it.
    assert {p for (j, p) in result if j == in_health.pk} == {p.pk for p in proposals}
    # The Puskesmas is above the Posyandu only, never above its own Dinas.
    assert {p for (j, p) in result if j == in_puskesmas.pk} == {
        tree["puskesmas_proposal"].pk,
        tree["posyandu_proposal"].pk,
    }
    assert set(result.values()) == {AGENCY}


def test_the_agency_recorded_on_the_panel_counts_like_a_role(tree, juror_of):
    camat = juror_of("Camat Sukamaju Selatan")
    proposals = [tree["health_proposal"], tree["puskesmas_proposal"], tree["education_proposal"]]
    assert found([camat], proposals) == {}
    result = found([camat], proposals, panel_agencies={camat.pk: tree["puskesmas"].pk})
    assert result == {(camat.pk, tree["puskesmas_proposal"].pk): AGENCY}


@pytest.mark.parametrize("tie", ["created_by", "approved_by"])
def test_the_author_or_approver_of_the_proposal(tree, juror_of, tie):
    person = juror_of("Muhammad Ilham")
    proposal = tree["education_proposal"]
    Proposal.objects.filter(pk=proposal.pk).update(**{tie: person})
    proposal.refresh_from_db()
    assert found([person], [proposal, tree["health_proposal"]]) == {
        (person.pk, proposal.pk): AUTHOR
    }


def some_field(proposal):
    return FormField.objects.filter(section__version=proposal.form_version).order_by("pk").first()


@pytest.mark.parametrize("kind", ["answer", "attachment", "revision"])
def test_whoever_answered_attached_or_revised_is_named_on_it(tree, juror_of, kind):
    person = juror_of("Sri Wahyuni")
    proposal = tree["education_proposal"]
    field = some_field(proposal)
    if kind == "answer":
        Answer.objects.create(proposal=proposal, field=field, value="teks", updated_by=person)
    elif kind == "attachment":
        Attachment.objects.create(
            proposal=proposal,
            field=field,
            file="proposals/sk.pdf",
            original_name="sk.pdf",
            kind="pdf",
            size=10,
            sha256="0" * 64,
            uploaded_by=person,
        )
    else:
        Revision.objects.create(
            proposal=proposal, field=field, value="lama", author=person, saved_at=timezone.now()
        )
    assert found([person], [proposal, tree["health_proposal"]]) == {
        (person.pk, proposal.pk): AUTHOR
    }


def test_a_mentor_of_the_agency_or_of_the_proposal(tree, juror_of):
    of_agency = juror_of("Ahmad Fauzi")
    of_proposal = juror_of("Hasnawati")
    MentorAssignment.objects.create(mentor=of_agency, agency=tree["health"])
    MentorAssignment.objects.create(mentor=of_proposal, proposal=tree["education_proposal"])
    proposals = [tree["health_proposal"], tree["puskesmas_proposal"], tree["education_proposal"]]
    assert found([of_agency, of_proposal], proposals) == {
        # Coaching a Dinas covers its proposals, not those of the agencies under it.
        (of_agency.pk, tree["health_proposal"].pk): MENTOR,
        (of_proposal.pk, tree["education_proposal"].pk): MENTOR,
    }


@pytest.mark.parametrize(
    ("written", "account"),
    [
        ("Dr. Ir. H. Andi Wijaya, M.Si.", "Andi Wijaya"),
        ("andi wijaya, S.Kom., M.M.", "Dr. ANDI WIJAYA"),
        ("Hj. Andi  Wijaya", "Andi Wijaya, S.E."),
    ],
)
def test_an_innovator_is_recognised_without_titles(tree, juror_of, written, account):
    juror = juror_of(account)
    proposal = tree["health_proposal"]
    Innovator.objects.create(innovation=proposal.innovation, name=written)
    assert found([juror], [proposal, tree["education_proposal"]]) == {
        (juror.pk, proposal.pk): INNOVATOR
    }


def test_a_similar_name_is_not_the_innovator(tree, juror_of):
    proposal = tree["health_proposal"]
    Innovator.objects.create(innovation=proposal.innovation, name="Dr. Andi Wijaya, M.Si.")
    others = [juror_of("Andi Wijayanto"), juror_of("Andi"), juror_of("Wijaya Andi")]
    assert found(others, [proposal]) == {}


def test_name_key():
    assert name_key("Dr. Ir. H. Andi Wijaya, M.Si.") == "andi wijaya"
    assert name_key("Prof. Dr. Hj. Nurul Fitri, S.Kep., Ns.") == "nurul fitri"
    assert name_key("Drs. Muh. Arsyad") == "muh arsyad"
    assert name_key("") == ""


def test_a_declared_recusal(tree, juror_of):
    juror = juror_of("Irwan Sahid")
    proposal = tree["education_proposal"]
    Recusal.objects.create(juror=juror, proposal=proposal, reason="Adik kandung inovator")
    assert found([juror], [proposal, tree["health_proposal"]]) == {
        (juror.pk, proposal.pk): DECLARED
    }


def test_a_declaration_is_the_reason_shown_when_there_are_several(tree, juror_of):
    juror = juror_of("Irwan Sahid")
    proposal = tree["health_proposal"]
    role_in(juror, tree["health"])
    Recusal.objects.create(juror=juror, proposal=proposal, reason="Atasan langsung")
    assert found([juror], [proposal]) == {(juror.pk, proposal.pk): DECLARED}
    assert str(REASONS[DECLARED]) == "declared a conflict of interest"


def test_no_tie_is_no_conflict(people, tree, juror_of):
    juror = juror_of("Hendra Gunawan")
    # Working below the proposing agency, in another region's agency, mentoring elsewhere,
    # recusing from another proposal: none of it touches the Dinas Kesehatan's proposal.
    role_in(juror, tree["posyandu"])
    role_in(juror, people["neighbour_agency"])
    MentorAssignment.objects.create(mentor=juror, agency=people["other_agency"])
    Recusal.objects.create(juror=juror, proposal=tree["education_proposal"], reason="Kerabat")
    proposal = tree["health_proposal"]
    Innovator.objects.create(innovation=proposal.innovation, name="Hendra Gunawan Putra")
    result = found([juror], [proposal, tree["education_proposal"]])
    assert (juror.pk, proposal.pk) not in result
    assert result == {(juror.pk, tree["education_proposal"].pk): DECLARED}


def test_only_the_jurors_asked_about_are_named(people, tree):
    # The operator who wrote the proposal is not among the jurors asked about.
    proposal = tree["health_proposal"]
    Proposal.objects.filter(pk=proposal.pk).update(created_by=people["operator"])
    proposal.refresh_from_db()
    assert found([people["juror"]], [proposal]) == {}
    assert conflicts(juror_ids=[], proposals=[proposal]) == {}
    assert conflicts(juror_ids=[people["juror"].pk], proposals=[]) == {}
