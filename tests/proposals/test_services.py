import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from siwanda.activity.models import ActivityEntry
from siwanda.competitions.models import Competition, DeadlineExtension
from siwanda.core.models import Notice
from siwanda.proposals import services
from siwanda.proposals.models import Answer, Attachment, Proposal, Revision
from tests.builders import field, fill, innovation_for, pdf_upload, start_proposal
from tests.factories import person_with_role


def test_a_proposal_starts_from_the_registry(proposal, innovation):
    assert proposal.title == innovation.title
    assert proposal.implementation_start == datetime.date(2020, 1, 6)
    assert proposal.form_version.is_published
    prefilled = {a.field.key: a.value for a in proposal.answers.select_related("field")}
    assert prefilled["sdgs"] == [2, 3]
    assert prefilled["video_url"] == "https://youtu.be/demo"
    assert prefilled["latar_belakang"].startswith("Balita mendapat")
    assert prefilled["is_application"] == "tidak"
    assert Revision.objects.filter(proposal=proposal).count() == len(prefilled)


def test_only_the_agencys_operator_starts_one(people, competition, innovation):
    for role in ("head", "other_operator", "secretariat", "mentor"):
        with pytest.raises(PermissionDenied):
            start_proposal(competition, people[role], innovation)


def test_one_proposal_per_innovation_and_the_quotas(people, competition, proposal):
    with pytest.raises(ValidationError, match="already has a proposal"):
        start_proposal(competition, people["operator"], proposal.innovation)
    start_proposal(
        competition,
        people["operator"],
        innovation_for(people["operator"], people["agency"], title="B"),
    )
    start_proposal(
        competition,
        people["operator"],
        innovation_for(people["operator"], people["agency"], title="C"),
    )
    with pytest.raises(ValidationError, match="at most 3 proposals"):
        start_proposal(
            competition,
            people["operator"],
            innovation_for(people["operator"], people["agency"], title="D"),
        )


def test_the_replication_group_has_its_own_quota(people, competition):
    start_proposal(
        competition,
        people["operator"],
        innovation_for(people["operator"], people["agency"], title="R1"),
        "Replikasi",
    )
    with pytest.raises(ValidationError, match="at most 1 proposal in the group Replication"):
        start_proposal(
            competition,
            people["operator"],
            innovation_for(people["operator"], people["agency"], title="R2"),
            "Replikasi",
        )


def test_an_agency_not_invited_cannot_enter(people, competition):
    innovation = innovation_for(people["neighbour_operator"], people["neighbour_agency"])
    with pytest.raises(ValidationError, match="not invited"):
        start_proposal(competition, people["neighbour_operator"], innovation)


def test_answers_rise_in_version_and_conflict_with_another_person(people, proposal):
    other = person_with_role("operator", agency=people["agency"])
    question = field(proposal, "ringkasan")
    first = services.answer_save(
        actor=people["operator"],
        proposal=proposal,
        field=question,
        value="Versi satu",
        base_version=0,
    )
    assert first.version == 1
    with pytest.raises(services.Conflict) as conflict:
        services.answer_save(
            actor=other, proposal=proposal, field=question, value="Versi dua", base_version=0
        )
    assert conflict.value.answer.value == "Versi satu"
    forced = services.answer_save(
        actor=other,
        proposal=proposal,
        field=question,
        value="Versi dua",
        base_version=0,
        force=True,
    )
    assert forced.version == 2 and forced.updated_by == other
    # The same person saving from an older tab is a conflict too: an old laptop tab must not
    # overwrite what they just typed on the phone.
    with pytest.raises(services.Conflict):
        services.answer_save(
            actor=other, proposal=proposal, field=question, value="Lama", base_version=1
        )
    assert Answer.objects.get(pk=forced.pk).value == "Versi dua"


def test_autosaves_by_one_person_within_minutes_make_one_revision(people, proposal):
    question = field(proposal, "ringkasan")
    version = 0
    for text in ("Satu", "Satu dua", "Satu dua tiga"):
        answer = services.answer_save(
            actor=people["operator"],
            proposal=proposal,
            field=question,
            value=text,
            base_version=version,
        )
        version = answer.version
    revisions = Revision.objects.filter(proposal=proposal, field=question)
    assert [r.value for r in revisions] == ["Satu dua tiga"]
    Revision.objects.filter(pk=revisions[0].pk).update(
        saved_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    services.answer_save(
        actor=people["operator"],
        proposal=proposal,
        field=question,
        value="Baru",
        base_version=answer.version,
    )
    assert Revision.objects.filter(proposal=proposal, field=question).count() == 2


def test_a_bad_value_is_refused_and_nothing_changes(people, proposal):
    question = field(proposal, "video_seconds")
    with pytest.raises(ValidationError):
        services.answer_save(
            actor=people["operator"],
            proposal=proposal,
            field=question,
            value="tiga menit",
            base_version=0,
        )
    assert not Answer.objects.filter(proposal=proposal, field=question).exists()


def test_files_are_checked_by_content_and_counted(people, proposal):
    decree = field(proposal, "innovator_decree")
    fake = pdf_upload("laporan.pdf")
    fake.file.write(b"")
    from django.core.files.uploadedfile import SimpleUploadedFile

    exe = SimpleUploadedFile("laporan.pdf", b"MZ\x90\x00" + b"\0" * 200)
    with pytest.raises(ValidationError, match="not an allowed kind"):
        services.attachment_add(
            actor=people["operator"], proposal=proposal, field=decree, upload=exe
        )
    attachment = services.attachment_add(
        actor=people["operator"],
        proposal=proposal,
        field=decree,
        upload=pdf_upload("SK Inovator.pdf"),
    )
    assert attachment.kind == "pdf" and len(attachment.sha256) == 64
    assert attachment.original_name == "SK Inovator.pdf"
    with pytest.raises(ValidationError, match="At most 1"):
        services.attachment_add(
            actor=people["operator"], proposal=proposal, field=decree, upload=pdf_upload()
        )
    services.attachment_remove(actor=people["operator"], attachment=attachment)
    assert not Attachment.objects.filter(pk=attachment.pk).exists()


def test_a_file_over_the_size_limit_is_refused(people, proposal):
    decree = field(proposal, "innovator_decree")
    decree.max_size_mb = 1
    big = pdf_upload()
    big.size = 2 * 1024 * 1024
    with pytest.raises(ValidationError, match="too large"):
        services.attachment_add(
            actor=people["operator"], proposal=proposal, field=decree, upload=big
        )


def test_sending_is_refused_until_complete(people, proposal):
    with pytest.raises(ValidationError, match="not complete"):
        services.proposal_send(actor=people["operator"], proposal=proposal)
    fill(proposal, people["operator"])
    sent = services.proposal_send(actor=people["operator"], proposal=proposal)
    assert sent.status == Proposal.Status.AWAITING_APPROVAL
    assert Notice.objects.filter(
        user=people["head"], text__contains="waiting for your approval"
    ).exists()


def test_a_long_answer_over_its_limit_blocks_sending(people, proposal):
    fill(proposal, people["operator"])
    question = field(proposal, "ringkasan")
    answer = Answer.objects.get(proposal=proposal, field=question)
    services.answer_save(
        actor=people["operator"],
        proposal=proposal,
        field=question,
        value=" ".join(["kata"] * 201),
        base_version=answer.version,
    )
    with pytest.raises(ValidationError):
        services.proposal_send(actor=people["operator"], proposal=proposal)


def test_the_head_approves_or_returns(people, proposal):
    fill(proposal, people["operator"])
    sent = services.proposal_send(actor=people["operator"], proposal=proposal)
    with pytest.raises(PermissionDenied):
        services.proposal_approve(actor=people["operator"], proposal=sent)
    with pytest.raises(ValidationError):
        services.proposal_return(actor=people["head"], proposal=sent, comment="  ")
    returned = services.proposal_return(actor=people["head"], proposal=sent, comment="Tambah data.")
    assert returned.status == Proposal.Status.DRAFT and returned.return_comment == "Tambah data."
    assert Notice.objects.filter(user=people["operator"], text__contains="returned").exists()
    again = services.proposal_send(actor=people["operator"], proposal=returned)
    approved = services.proposal_approve(actor=people["head"], proposal=again)
    assert approved.status == Proposal.Status.SUBMITTED and approved.approved_by == people["head"]
    with pytest.raises(ValidationError, match="no longer be changed"):
        services.answer_save(
            actor=people["operator"],
            proposal=approved,
            field=field(approved, "ringkasan"),
            value="x",
            base_version=99,
        )


def test_the_secretariat_approves_for_an_agency_without_a_head(people, competition):
    innovation = innovation_for(people["other_operator"], people["other_agency"])
    proposal = start_proposal(competition, people["other_operator"], innovation)
    fill(proposal, people["other_operator"])
    sent = services.proposal_send(actor=people["other_operator"], proposal=proposal)
    assert Notice.objects.filter(user=people["secretariat"], text__contains="approval").exists()
    services.proposal_approve(actor=people["secretariat"], proposal=sent)
    # With a head, the secretariat cannot.
    dinkes = start_proposal(
        competition, people["operator"], innovation_for(people["operator"], people["agency"])
    )
    fill(dinkes, people["operator"])
    dinkes = services.proposal_send(actor=people["operator"], proposal=dinkes)
    with pytest.raises(PermissionDenied):
        services.proposal_approve(actor=people["secretariat"], proposal=dinkes)


def close(competition, minutes_ago=1):
    Competition.objects.filter(pk=competition.pk).update(
        deadline_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )
    competition.refresh_from_db()


def test_after_the_deadline_nothing_is_accepted(people, proposal):
    fill(proposal, people["operator"])
    close(proposal.competition)
    proposal.refresh_from_db()
    with pytest.raises(ValidationError, match="deadline has passed") as error:
        services.proposal_send(actor=people["operator"], proposal=proposal)
    assert "WITA" in error.value.messages[0]
    with pytest.raises(ValidationError, match="deadline has passed"):
        services.answer_save(
            actor=people["operator"],
            proposal=proposal,
            field=field(proposal, "ringkasan"),
            value="x",
            base_version=9,
        )


def test_the_grace_period_still_accepts_quietly(people, proposal):
    fill(proposal, people["operator"])
    close(proposal.competition, minutes_ago=5)
    Competition.objects.filter(pk=proposal.competition_id).update(grace_minutes=10)
    proposal.refresh_from_db()
    assert (
        services.proposal_send(actor=people["operator"], proposal=proposal).status
        == "awaiting_approval"
    )


def test_an_extension_lets_only_that_agency_submit(people, competition, proposal):
    other = start_proposal(
        competition,
        people["other_operator"],
        innovation_for(people["other_operator"], people["other_agency"]),
    )
    fill(proposal, people["operator"])
    fill(other, people["other_operator"])
    close(competition)
    DeadlineExtension.objects.create(
        competition=competition,
        agency=people["agency"],
        until=timezone.now() + datetime.timedelta(days=1),
        reason="Libur",
    )
    proposal.refresh_from_db()
    other.refresh_from_db()
    sent = services.proposal_send(actor=people["operator"], proposal=proposal)
    services.proposal_approve(actor=people["head"], proposal=sent)
    with pytest.raises(ValidationError, match="deadline has passed"):
        services.proposal_send(actor=people["other_operator"], proposal=other)


def test_withdrawing_until_screening(people, proposal):
    with pytest.raises(ValidationError):
        services.proposal_withdraw(actor=people["operator"], proposal=proposal, reason="")
    withdrawn = services.proposal_withdraw(
        actor=people["head"], proposal=proposal, reason="Belum siap"
    )
    assert withdrawn.status == Proposal.Status.WITHDRAWN
    assert ActivityEntry.objects.get(action="proposal.withdrawn").data["reason"] == "Belum siap"
    with pytest.raises(ValidationError):
        services.proposal_withdraw(actor=people["head"], proposal=withdrawn, reason="lagi")


def test_withdrawing_after_screening_started_is_refused(people, proposal):
    Competition.objects.filter(pk=proposal.competition_id).update(
        status=Competition.Status.SCREENING
    )
    proposal.refresh_from_db()
    with pytest.raises(ValidationError, match="Screening has started"):
        services.proposal_withdraw(actor=people["operator"], proposal=proposal, reason="x")


def test_the_header_changes_are_recorded(people, proposal):
    services.proposal_update_header(
        actor=people["operator"],
        proposal=proposal,
        title="  Judul   Baru ",
        implementation_start=datetime.date(2019, 1, 1),
    )
    proposal.refresh_from_db()
    assert proposal.title == "Judul Baru"
    assert (
        ActivityEntry.objects.get(action="proposal.updated").changes["title"]["after"]
        == "Judul Baru"
    )
    with pytest.raises(ValidationError):
        services.proposal_update_header(
            actor=people["operator"], proposal=proposal, title=" ", implementation_start=None
        )


def test_a_community_group_takes_part_when_the_competition_admits_the_public(people, luwu_utara):
    from siwanda.competitions import services as competition_services
    from siwanda.regions.models import Agency
    from tests.builders import competition_from_template
    from tests.factories import AgencyFactory

    group = AgencyFactory(
        region=luwu_utara, name="Komunitas Peduli Stunting", kind=Agency.Kind.PUBLIC
    )
    citizen = person_with_role("operator", agency=group)
    competition = competition_from_template(people["secretariat"], luwu_utara, open_it=False)
    competition_services.competition_update(
        actor=people["secretariat"],
        competition=competition,
        participant_kinds=[*competition.participant_kinds, Agency.Kind.PUBLIC],
    )
    competition_services.competition_open(actor=people["secretariat"], competition=competition)
    competition.refresh_from_db()
    proposal = start_proposal(competition, citizen, innovation_for(citizen, group))
    fill(proposal, citizen)
    sent = services.proposal_send(actor=citizen, proposal=proposal)
    # No head: the secretariat approves.
    assert (
        services.proposal_approve(actor=people["secretariat"], proposal=sent).status == "submitted"
    )
