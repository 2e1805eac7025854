import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from siwanda.activity.models import ActivityEntry
from siwanda.competitions import services
from siwanda.competitions.deadlines import end_of_day
from siwanda.competitions.models import CallRecipient, Competition, FormField, FormSection
from siwanda.core.models import Notice
from siwanda.proposals.models import Proposal
from tests.builders import competition_from_template, fill, start_proposal
from tests.factories import AgencyFactory


def test_the_kipp_template_has_the_2023_sections_weights_and_limits(people, luwu_utara):
    competition = competition_from_template(people["secretariat"], luwu_utara, open_it=False)
    assert [g.name for g in competition.groups.all()] == ["Umum", "Replikasi"]
    general = competition.groups.get(name="Umum").form.versions.get()
    sections = list(general.sections.all())
    assert [(s.name, int(s.weight), s.word_limit) for s in sections[1:]] == [
        ("Ringkasan", 0, 200),
        ("Latar Belakang dan Tujuan", 10, 300),
        ("Kebaruan / Nilai Tambah", 15, 200),
        ("Implementasi", 5, 200),
        ("Signifikansi", 30, 600),
        ("Adaptabilitas", 20, 300),
        ("Sumber Daya", 5, 200),
        ("Strategi Keberlanjutan", 15, 500),
    ]
    assert sum(s.weight for s in sections) == 100
    assert competition.checklist.count() == 5
    assert competition.deadline_at.astimezone(luwu_utara.zone).time() == datetime.time(23, 59, 59)
    replication = competition.groups.get(name="Replikasi").form.versions.get()
    assert replication.sections.filter(name="Replikasi").exists()


def test_the_regional_innovation_profile_template(people, luwu_utara):
    competition = competition_from_template(
        people["secretariat"], luwu_utara, open_it=False, template="inovasi-daerah"
    )
    design = FormField.objects.get(
        section__version__form__competition=competition, key="rancang_bangun"
    )
    assert design.min_words == 300
    assert competition.categories.count() == 3


def test_only_the_organising_secretariat_creates(people, luwu_utara):
    for role in ("operator", "neighbour_secretariat", "leadership"):
        with pytest.raises(PermissionDenied):
            services.competition_create_from_template(
                actor=people[role],
                region=luwu_utara,
                template_key="kipp-kabupaten",
                year=2030,
                name="X",
                opens_on=datetime.date(2030, 1, 1),
            )


def test_the_same_name_twice_in_a_year_is_refused(people, competition):
    with pytest.raises(ValidationError):
        competition_from_template(people["secretariat"], competition.region, name=competition.name)


def test_copy_from_last_year_moves_the_dates_and_keeps_the_forms_apart(
    people, competition, proposal
):
    copy = services.competition_copy(
        actor=people["secretariat"],
        source=competition,
        year=competition.year + 1,
        name="KIPP Tahun Depan",
    )
    assert copy.deadline_at == competition.deadline_at.replace(
        year=competition.deadline_at.year + 1
    )
    assert copy.status == Competition.Status.SETUP and copy.created_from == competition
    assert [g.name for g in copy.groups.all()] == ["Umum", "Replikasi"]
    new_version = copy.groups.get(name="Umum").form.versions.get()
    assert new_version.published_at is None
    assert new_version.sections.count() == proposal.form_version.sections.count()
    # Editing the copy never touches last year's pinned version.
    section = new_version.sections.first()
    services.form_section_save(
        actor=people["secretariat"], version=new_version, section=section, name="Berubah"
    )
    assert proposal.form_version.sections.first().name != "Berubah"


def test_settings_changes_are_recorded(people, competition):
    services.competition_update(
        actor=people["secretariat"],
        competition=competition,
        min_implementation_months=24,
        title_similarity=Decimal("0.9"),
    )
    entry = ActivityEntry.objects.filter(action="competition.updated").latest("id")
    assert entry.changes["min_implementation_months"] == {"before": 12, "after": 24}


def test_a_deadline_before_the_opening_is_refused(people, competition):
    with pytest.raises(ValidationError) as error:
        services.competition_update(
            actor=people["secretariat"],
            competition=competition,
            deadline_at=competition.opens_at - datetime.timedelta(days=1),
        )
    assert "deadline_on" in error.value.error_dict


def test_moving_the_deadline_of_an_open_competition_tells_the_agencies(
    people, competition, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.competition_update(
            actor=people["secretariat"],
            competition=competition,
            deadline_at=competition.deadline_at + datetime.timedelta(days=7),
        )
    notice = Notice.objects.get(user=people["operator"], text__contains="deadline")
    assert "WITA" in notice.text
    assert any(people["operator"].email in m.to for m in mail.outbox)


def test_lists_are_replaced_row_by_row(people, competition):
    services.competition_set_list(
        actor=people["secretariat"],
        competition=competition,
        kind="categories",
        rows=[{"name": "Kesehatan"}, {"name": "Pendidikan"}],
    )
    health = competition.categories.get(name="Kesehatan")
    services.competition_set_list(
        actor=people["secretariat"],
        competition=competition,
        kind="categories",
        rows=[{"id": health.pk, "name": "Layanan Kesehatan"}],
    )
    assert list(competition.categories.values_list("pk", "name")) == [
        (health.pk, "Layanan Kesehatan")
    ]


def test_a_group_with_proposals_cannot_be_removed(people, competition, proposal):
    umum = competition.groups.get(name="Umum")
    with pytest.raises(ValidationError):
        services.competition_set_list(
            actor=people["secretariat"],
            competition=competition,
            kind="groups",
            rows=[
                {"id": g.pk, "name": g.name, "form": g.form}
                for g in competition.groups.exclude(pk=umum.pk)
            ],
        )
    assert competition.groups.filter(pk=umum.pk).exists()


def test_a_published_form_is_frozen_and_changes_make_a_new_version(people, competition, proposal):
    version = proposal.form_version
    assert version.is_published
    section = version.sections.first()
    with pytest.raises(ValidationError):
        services.form_section_save(
            actor=people["secretariat"], version=version, section=section, name="X"
        )
    new = services.form_version_new(actor=people["secretariat"], form=version.form)
    assert new.number == 2 and not new.is_published
    services.form_field_save(
        actor=people["secretariat"],
        section=new.sections.first(),
        key="baru",
        type="short_text",
        name="Pertanyaan baru",
        required=False,
    )
    services.form_version_publish(actor=people["secretariat"], version=new)
    proposal.refresh_from_db()
    assert proposal.form_version == version  # pinned
    other = start_proposal(
        competition,
        people["operator"],
        __import__("tests.builders", fromlist=["innovation_for"]).innovation_for(
            people["operator"], people["agency"], title="Inovasi Kedua"
        ),
    )
    assert other.form_version == new


def test_question_keys_are_unique_within_a_version(people, luwu_utara):
    competition = competition_from_template(people["secretariat"], luwu_utara, open_it=False)
    version = competition.groups.first().form.versions.get()
    with pytest.raises(ValidationError) as error:
        services.form_field_save(
            actor=people["secretariat"],
            section=version.sections.last(),
            key="ringkasan",
            type="long_text",
            name="Lagi",
        )
    assert "key" in error.value.error_dict
    with pytest.raises(ValidationError):
        services.form_field_save(
            actor=people["secretariat"],
            section=version.sections.last(),
            key="pilihan",
            type="single_choice",
            name="Pilih",
            choices=[],
        )


def test_moving_and_deleting_draft_items(people, luwu_utara):
    competition = competition_from_template(people["secretariat"], luwu_utara, open_it=False)
    version = competition.groups.first().form.versions.get()
    first, second = list(version.sections.all())[:2]
    services.form_item_move(actor=people["secretariat"], item=second, up=True)
    assert list(version.sections.all())[:2] == [second, first]
    services.form_item_delete(actor=people["secretariat"], item=first)
    assert not FormSection.objects.filter(pk=first.pk).exists()


def test_opening_invites_the_eligible_agencies(
    people, luwu_utara, django_capture_on_commit_callbacks
):
    AgencyFactory(region=luwu_utara, name="Rumah Sakit X", kind="lainnya")  # not a participant kind
    AgencyFactory(region=luwu_utara, name="Kecamatan Baru", kind="kecamatan", is_active=False)
    competition = competition_from_template(people["secretariat"], luwu_utara, open_it=False)
    with django_capture_on_commit_callbacks(execute=True):
        invited = services.competition_open(actor=people["secretariat"], competition=competition)
    assert invited == 2  # Dinas Kesehatan and Dinas Pendidikan of the fixture
    assert set(
        CallRecipient.objects.filter(competition=competition).values_list("agency__name", flat=True)
    ) == {"Dinas Kesehatan", "Dinas Pendidikan"}
    assert Notice.objects.filter(user=people["operator"], text__contains="is open").exists()
    assert Notice.objects.filter(user=people["head"]).exists()
    assert competition.forms.first().versions.get().is_published
    with pytest.raises(ValidationError):
        services.competition_open(actor=people["secretariat"], competition=competition)


def test_opening_is_refused_with_the_problems_listed(people, luwu_utara):
    competition = competition_from_template(people["secretariat"], luwu_utara, open_it=False)
    Competition.objects.filter(pk=competition.pk).update(
        deadline_at=timezone.now() - datetime.timedelta(days=1)
    )
    competition.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.competition_open(actor=people["secretariat"], competition=competition)
    assert "The proposal deadline has already passed." in error.value.messages


def test_screening_cannot_start_before_the_deadline(people, competition):
    with pytest.raises(ValidationError):
        services.competition_start_screening(actor=people["secretariat"], competition=competition)
    Competition.objects.filter(pk=competition.pk).update(
        deadline_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    services.competition_start_screening(actor=people["secretariat"], competition=competition)
    competition.refresh_from_db()
    assert competition.status == Competition.Status.SCREENING


def test_reminders_go_to_agencies_with_nothing_submitted(
    people, competition, proposal, django_capture_on_commit_callbacks
):
    fill(proposal, people["operator"])
    from siwanda.proposals import services as proposal_services

    proposal = proposal_services.proposal_send(actor=people["operator"], proposal=proposal)
    proposal_services.proposal_approve(actor=people["head"], proposal=proposal)
    with django_capture_on_commit_callbacks(execute=True):
        reminded = services.competition_remind(actor=people["secretariat"], competition=competition)
    assert reminded == 1
    assert Notice.objects.filter(
        user=people["other_operator"], text__startswith="Reminder"
    ).exists()
    assert not Notice.objects.filter(user=people["operator"], text__startswith="Reminder").exists()
    recipient = competition.recipients.get(agency=people["other_agency"])
    assert recipient.reminders_sent == 1 and recipient.last_reminded_at is not None


def test_automatic_reminders_follow_the_days_and_go_once(people, competition):
    competition.reminder_days = [7, 3]
    competition.save(update_fields=["reminder_days"])
    region = competition.region
    deadline = end_of_day(timezone.localdate() + datetime.timedelta(days=30), region)
    seven_before = deadline - datetime.timedelta(days=7)
    assert services.send_automatic_reminders(now=seven_before) == 2
    assert services.send_automatic_reminders(now=seven_before + datetime.timedelta(hours=1)) == 0
    assert services.send_automatic_reminders(now=deadline - datetime.timedelta(days=5)) == 0
    assert services.send_automatic_reminders(now=deadline - datetime.timedelta(days=3)) == 2
    assert competition.recipients.get(agency=people["agency"]).automatic_reminders == [7, 3]


def test_an_agency_declines_and_only_its_people_can(people, competition):
    recipient = competition.recipients.get(agency=people["agency"])
    with pytest.raises(ValidationError):
        services.recipient_decline(actor=people["secretariat"], recipient=recipient, reason="x")
    with pytest.raises(PermissionDenied):
        services.recipient_decline(actor=people["other_operator"], recipient=recipient, reason="x")
    services.recipient_decline(actor=people["head"], recipient=recipient, reason="Fokus penerapan")
    recipient.refresh_from_db()
    assert recipient.decline_reason == "Fokus penerapan"


def test_an_extension_needs_a_reason_and_a_later_moment(people, competition):
    with pytest.raises(ValidationError):
        services.extension_grant(
            actor=people["secretariat"],
            competition=competition,
            agency=people["agency"],
            until=competition.deadline_at,
            reason="Libur",
        )
    with pytest.raises(ValidationError):
        services.extension_grant(
            actor=people["secretariat"],
            competition=competition,
            agency=people["agency"],
            until=competition.deadline_at + datetime.timedelta(days=1),
            reason=" ",
        )
    with pytest.raises(ValidationError):
        services.extension_grant(
            actor=people["secretariat"],
            competition=competition,
            agency=people["neighbour_agency"],
            until=competition.deadline_at + datetime.timedelta(days=1),
            reason="x",
        )
    extension = services.extension_grant(
        actor=people["secretariat"],
        competition=competition,
        agency=people["agency"],
        until=competition.deadline_at + datetime.timedelta(days=3),
        reason="Gangguan jaringan",
    )
    assert (
        ActivityEntry.objects.get(action="competition.extension_granted").data["reason"]
        == "Gangguan jaringan"
    )
    assert extension.agency == people["agency"]


def test_only_submitted_proposals_count_as_sent(people, competition, proposal):
    assert services._has_nothing_submitted(competition.recipients.get(agency=people["agency"]))
    assert proposal.status == Proposal.Status.DRAFT
