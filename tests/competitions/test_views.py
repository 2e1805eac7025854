"""The pages of a competition: creating it, each set-up step, the form editor, opening it, the
call for entries (counts, reminders, extensions, declining) and the move to screening."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from siwanda.activity.models import ActivityEntry
from siwanda.competitions import services
from siwanda.competitions.models import (
    CallRecipient,
    ChecklistItem,
    Competition,
    DeadlineExtension,
    FormField,
    FormSection,
    FormVersion,
)
from siwanda.core.models import Notice
from siwanda.proposals import services as proposals
from tests.builders import competition_from_template, fill, innovation_for, start_proposal
from tests.factories import AgencyFactory, person_with_role
from tests.helpers import assert_constant_queries, login

WITA = ZoneInfo("Asia/Makassar")


def flashed(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def wita(moment) -> str:
    """How the pages write a moment of Luwu Utara: "24 December 2026, 23:59 WITA"."""
    local = moment.astimezone(WITA)
    return f"{local.day} {local:%B} {local.year}, {local:%H:%M} WITA"


def rows_data(prefix, rows, initial) -> dict:
    """The POST data of a formset: `rows` are dicts of field values, the first `initial` of them
    stand for existing items."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = value
    return data


@pytest.fixture
def draft(people, luwu_utara):
    """A competition still being set up, from the ready KIPP template."""
    return competition_from_template(people["secretariat"], luwu_utara, open_it=False)


def setup_url(competition, step):
    return reverse("competitions:setup", args=[competition.pk, step])


# --- Creating ------------------------------------------------------------------------------------


def test_create_page_offers_the_templates_and_earlier_competitions(client, people, competition):
    login(client, people["secretariat"])
    page = client.get(reverse("competitions:create")).content.decode()
    assert "Template: Regency/city public-service innovation competition" in page
    assert f"Copy: KIPP Uji ({competition.year})" in page
    assert f'value="copy:{competition.pk}"' in page
    # A regency starts from the regency template unless the secretariat chooses otherwise.
    chosen = 'value="template:kipp-kabupaten" class="form-check-input" id="id_source_1" required'
    assert f"{chosen} checked>" in page
    assert page.count(" checked>") == 1


def test_create_from_a_template_opens_the_first_step(client, people, luwu_utara):
    login(client, people["secretariat"])
    response = client.post(
        reverse("competitions:create"),
        {
            "source": "template:kipp-kabupaten",
            "name": "KIPP Luwu Utara 2031",
            "year": "2031",
            "opens_on": "2031-02-03",
        },
    )
    competition = Competition.objects.get(name="KIPP Luwu Utara 2031")
    assert response.status_code == 302
    assert response["Location"] == setup_url(competition, "basics")
    assert flashed(response) == ["Competition created. Check each step, then open it."]
    assert competition.region == luwu_utara and competition.year == 2031
    assert competition.status == Competition.Status.SETUP
    assert [g.name for g in competition.groups.all()] == ["Umum", "Replikasi"]
    assert competition.opens_at == datetime.datetime(2031, 2, 3, tzinfo=WITA)
    # 45 days after the opening, at the very end of the day in the organiser's zone.
    assert competition.deadline_at == datetime.datetime(2031, 3, 20, 23, 59, 59, tzinfo=WITA)


def test_create_by_copying_an_earlier_competition(client, people, competition):
    login(client, people["secretariat"])
    response = client.post(
        reverse("competitions:create"),
        {
            "source": f"copy:{competition.pk}",
            "name": "KIPP Tahun Depan",
            "year": str(competition.year + 1),
            "opens_on": "2031-01-01",
        },
    )
    copy = Competition.objects.get(name="KIPP Tahun Depan")
    assert response["Location"] == setup_url(copy, "basics")
    assert copy.created_from == competition and copy.year == competition.year + 1
    assert copy.deadline_at == competition.deadline_at.replace(
        year=competition.deadline_at.year + 1
    )
    assert [g.name for g in copy.groups.all()] == ["Umum", "Replikasi"]
    assert copy.checklist.count() == 5


def test_create_with_a_name_taken_that_year_keeps_what_was_typed(client, people, competition):
    login(client, people["secretariat"])
    response = client.post(
        reverse("competitions:create"),
        {
            "source": "template:kipp-kabupaten",
            "name": "KIPP Uji",
            "year": str(competition.year),
            "opens_on": "2031-02-03",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "This region already has a competition of this name in that year." in page
    assert 'name="name" value="KIPP Uji"' in page
    assert 'value="2031-02-03"' in page
    assert Competition.objects.count() == 1


# --- Set-up steps --------------------------------------------------------------------------------


def basics_data(**changes):
    data = {
        "name": "KIPP Luwu Utara",
        "name_en": "Luwu Utara public-service innovation competition",
        "year": str(timezone.localdate().year),
        "level": "regency",
        "legal_basis": "Perbup 12/2025",
        "participant_kinds": ["dinas", "kecamatan"],
        "max_entries_per_agency": "2",
    }
    return data | changes


def test_basics_are_saved_and_next_goes_to_the_groups(client, people, draft):
    login(client, people["secretariat"])
    response = client.post(setup_url(draft, "basics"), basics_data() | {"next": "1"})
    assert response["Location"] == setup_url(draft, "groups")
    assert flashed(response) == ["Saved."]
    draft.refresh_from_db()
    assert draft.name == "KIPP Luwu Utara"
    assert draft.name_en == "Luwu Utara public-service innovation competition"
    assert draft.participant_kinds == ["dinas", "kecamatan"]
    assert draft.max_entries_per_agency == 2
    assert draft.legal_basis == "Perbup 12/2025"
    entry = ActivityEntry.objects.filter(action="competition.updated").latest("id")
    assert entry.changes["max_entries_per_agency"] == {"before": 3, "after": 2}


def test_basics_saved_without_next_stay_on_the_step(client, people, draft):
    login(client, people["secretariat"])
    response = client.post(setup_url(draft, "basics"), basics_data())
    assert response["Location"] == setup_url(draft, "basics")


def test_basics_with_a_bad_year_keep_what_was_typed(client, people, draft):
    login(client, people["secretariat"])
    response = client.post(setup_url(draft, "basics"), basics_data(year="1999"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 2000." in page
    assert 'value="KIPP Luwu Utara"' in page and 'value="1999"' in page
    draft.refresh_from_db()
    assert draft.name == "KIPP Uji"


def groups_post(competition, groups, categories):
    return rows_data("groups", groups, competition.groups.count()) | rows_data(
        "categories", categories, competition.categories.count()
    )


def group_row(group, **changes):
    return {
        "id": str(group.pk),
        "name": group.name,
        "name_en": group.name_en,
        "form": str(group.form_id),
        "max_entries_per_agency": str(group.max_entries_per_agency or ""),
    } | changes


def test_groups_and_categories_are_saved(client, people, draft):
    login(client, people["secretariat"])
    general, replication = draft.groups.all()
    response = client.post(
        setup_url(draft, "groups"),
        groups_post(
            draft,
            [
                group_row(general, max_entries_per_agency="2"),
                group_row(replication, DELETE="on"),
                {
                    "name": "Khusus",
                    "name_en": "Special",
                    "form": str(general.form_id),
                    "max_entries_per_agency": "",
                },
            ],
            [{"name": "Kesehatan", "name_en": "Health"}, {"name": "", "name_en": ""}],
        ),
    )
    assert response["Location"] == setup_url(draft, "groups")
    assert [(g.name, g.name_en, g.max_entries_per_agency) for g in draft.groups.all()] == [
        ("Umum", "General", 2),
        ("Khusus", "Special", None),
    ]
    assert [(c.name, c.name_en) for c in draft.categories.all()] == [("Kesehatan", "Health")]


def test_removing_a_group_with_proposals_is_refused_on_the_page(
    client, people, competition, proposal
):
    login(client, people["secretariat"])
    general, replication = competition.groups.all()
    response = client.post(
        setup_url(competition, "groups"),
        groups_post(competition, [group_row(general, DELETE="on"), group_row(replication)], []),
    )
    assert response.status_code == 200
    assert "“General” has proposals and cannot be removed." in response.content.decode()
    assert [g.name for g in competition.groups.all()] == ["Umum", "Replikasi"]


def timeline_data(competition, **changes):
    today = timezone.localdate()
    data = {
        "opens_on": today.isoformat(),
        "deadline_on": (today + datetime.timedelta(days=40)).isoformat(),
        "deadline_time": "23:59",
        "grace_minutes": "15",
        "screening_ends_on": (today + datetime.timedelta(days=60)).isoformat(),
        "objection_days": "5",
        "reminder_days": "7; 3, 1, 3",
    } | changes
    milestones = [
        {"id": str(m.pk), "name": m.name, "name_en": m.name_en, "date": m.date.isoformat()}
        for m in competition.milestones.all()
    ]
    return data | rows_data("milestones", milestones, len(milestones))


def test_a_deadline_at_2359_is_saved_as_the_end_of_that_day_in_wita(client, people, draft):
    login(client, people["secretariat"])
    deadline_on = timezone.localdate() + datetime.timedelta(days=40)
    response = client.post(setup_url(draft, "timeline"), timeline_data(draft))
    assert response["Location"] == setup_url(draft, "timeline")
    draft.refresh_from_db()
    assert draft.deadline_at == datetime.datetime.combine(
        deadline_on, datetime.time(23, 59, 59), tzinfo=WITA
    )
    assert draft.opens_at == datetime.datetime.combine(
        timezone.localdate(), datetime.time(0, 0), tzinfo=WITA
    )
    assert draft.grace_minutes == 15 and draft.objection_days == 5
    assert draft.reminder_days == [7, 3, 1]
    page = client.get(setup_url(draft, "timeline")).content.decode()
    assert f"Now: deadline {wita(draft.deadline_at)}." in page
    assert wita(draft.deadline_at).endswith(", 23:59 WITA")
    assert 'name="reminder_days" value="7, 3, 1"' in page


def test_a_deadline_at_another_time_is_saved_to_the_minute(client, people, draft):
    login(client, people["secretariat"])
    deadline_on = timezone.localdate() + datetime.timedelta(days=40)
    client.post(setup_url(draft, "timeline"), timeline_data(draft, deadline_time="16:30"))
    draft.refresh_from_db()
    assert draft.deadline_at == datetime.datetime.combine(
        deadline_on, datetime.time(16, 30), tzinfo=WITA
    )


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("tujuh, 3", "Write whole numbers separated by commas, e.g. 7, 3, 1."),
        ("100, 3", "Use numbers from 0 to 90."),
    ],
)
def test_bad_reminder_days_are_refused_and_kept(client, people, draft, typed, message):
    login(client, people["secretariat"])
    response = client.post(setup_url(draft, "timeline"), timeline_data(draft, reminder_days=typed))
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert f'name="reminder_days" value="{typed}"' in page
    draft.refresh_from_db()
    assert draft.reminder_days == [7, 3, 1]
    assert draft.grace_minutes == 0


def test_a_deadline_before_the_opening_is_shown_on_its_field(client, people, draft):
    login(client, people["secretariat"])
    today = timezone.localdate()
    before = draft.deadline_at
    response = client.post(
        setup_url(draft, "timeline"),
        timeline_data(draft, deadline_on=(today - datetime.timedelta(days=1)).isoformat()),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_deadline_on_error"' in page
    assert "The deadline must come after the opening." in page
    draft.refresh_from_db()
    assert draft.deadline_at == before


def test_a_refused_timeline_still_shows_the_saved_deadline(client, people, draft):
    login(client, people["secretariat"])
    saved = draft.deadline_at
    response = client.post(
        setup_url(draft, "timeline"),
        timeline_data(
            draft, deadline_on=(timezone.localdate() - datetime.timedelta(days=1)).isoformat()
        ),
    )
    assert f"Now: deadline {wita(saved)}." in response.content.decode()


def test_rules_and_checklist_are_saved(client, people, draft):
    login(client, people["secretariat"])
    first, second, *rest = draft.checklist.all()
    checklist = [
        {"id": str(first.pk), "name": "Usulan disetujui kepala", "name_en": "Approved"},
        {"id": str(second.pk), "name": second.name, "name_en": second.name_en, "DELETE": "on"},
        *({"id": str(i.pk), "name": i.name, "name_en": i.name_en} for i in rest),
        {"name": "Foto kegiatan ada", "name_en": "Photos are there"},
    ]
    response = client.post(
        setup_url(draft, "rules"),
        {
            "min_implementation_months": "24",
            "title_similarity": "0.90",
            "video_max_seconds": "",
            "min_answer_words": "8",
            "exclude_top_winners": "on",
            # require_sdg unticked
        }
        | rows_data("checklist", checklist, 5),
    )
    assert response["Location"] == setup_url(draft, "rules")
    draft.refresh_from_db()
    assert draft.min_implementation_months == 24
    assert str(draft.title_similarity) == "0.90"
    assert draft.video_max_seconds is None and draft.min_answer_words == 8
    assert draft.require_sdg is False and draft.exclude_top_winners is True
    names = [i.name for i in draft.checklist.all()]
    assert len(names) == 5
    assert names[0] == "Usulan disetujui kepala" and names[-1] == "Foto kegiatan ada"
    assert not ChecklistItem.objects.filter(pk=second.pk).exists()


# --- The form editor -----------------------------------------------------------------------------


@pytest.fixture
def version(draft):
    return FormVersion.objects.get(form__groups__competition=draft, form__groups__name="Umum")


def section_data(**changes):
    return {
        "name": "Dampak Sosial",
        "name_en": "Social impact",
        "prompt": "Jelaskan dampaknya.",
        "prompt_en": "",
        "help_text": "",
        "help_text_en": "",
        "weight": "5",
        "word_limit": "250",
    } | changes


def field_data(**changes):
    return {
        "key": "penerima_manfaat",
        "type": "single_choice",
        "name": "Penerima manfaat",
        "name_en": "Who benefits",
        "help_text": "",
        "help_text_en": "",
        "required": "on",
        "word_limit": "",
        "min_words": "",
        "choices": "warga | Warga | Residents\n\nasn|ASN\nlain",
        "registry_source": "",
        "max_size_mb": "10",
        "max_files": "1",
    } | changes


def test_a_section_is_added_at_the_end(client, people, version):
    login(client, people["secretariat"])
    count = version.sections.count()
    response = client.post(
        reverse("competitions:form_section_add", args=[version.pk]), section_data()
    )
    assert response["Location"] == reverse("competitions:form_edit", args=[version.pk])
    added = version.sections.last()
    assert version.sections.count() == count + 1
    assert (added.name, added.word_limit, int(added.weight)) == ("Dampak Sosial", 250, 5)
    page = client.get(response["Location"]).content.decode()
    assert f"{count + 1}. Social impact" in page
    assert "weight 5% · at most 250 words" in page


def test_a_question_with_choices_is_added(client, people, version):
    login(client, people["secretariat"])
    section = version.sections.get(name="Ringkasan")
    response = client.post(reverse("competitions:form_field_add", args=[section.pk]), field_data())
    assert response["Location"] == reverse("competitions:form_edit", args=[version.pk])
    question = section.fields.get(key="penerima_manfaat")
    assert question.choices == [
        {"value": "warga", "label": "Warga", "label_en": "Residents"},
        {"value": "asn", "label": "ASN", "label_en": ""},
        {"value": "lain", "label": "lain", "label_en": ""},
    ]
    assert list(section.fields.values_list("key", flat=True)) == ["ringkasan", "penerima_manfaat"]
    assert question.required and question.type == "single_choice"
    edit = client.get(reverse("competitions:form_field_edit", args=[section.pk, question.pk]))
    assert "warga | Warga | Residents\nasn | ASN\nlain | lain</textarea>" in edit.content.decode()


def test_a_duplicate_key_is_refused_on_the_key_field(client, people, version):
    login(client, people["secretariat"])
    section = version.sections.get(name="Ringkasan")
    response = client.post(
        reverse("competitions:form_field_add", args=[section.pk]),
        field_data(key="latar_belakang", name="Pertanyaan baru"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        '<div class="invalid-feedback d-block" id="id_key_error"><p class="mb-0">'
        "Another question of this form has this key.</p></div>"
    ) in page
    assert 'value="Pertanyaan baru"' in page
    assert not FormField.objects.filter(name="Pertanyaan baru").exists()


def test_a_choice_question_without_choices_is_refused(client, people, version):
    login(client, people["secretariat"])
    section = version.sections.get(name="Ringkasan")
    response = client.post(
        reverse("competitions:form_field_add", args=[section.pk]), field_data(choices="")
    )
    assert 'id="id_choices_error"' in response.content.decode()
    assert "A choice question needs at least one choice." in response.content.decode()


def test_sections_move_and_questions_are_deleted(client, people, version):
    login(client, people["secretariat"])
    first, second = list(version.sections.all())[:2]
    response = client.post(reverse("competitions:form_item", args=["section", second.pk, "up"]))
    assert response["Location"] == reverse("competitions:form_edit", args=[version.pk])
    assert list(version.sections.all())[:2] == [second, first]
    client.post(reverse("competitions:form_item", args=["section", second.pk, "down"]))
    assert list(version.sections.all())[:2] == [first, second]
    question = FormField.objects.get(section__version=version, key="kebaruan")
    response = client.post(
        reverse("competitions:form_item", args=["field", question.pk, "delete"]), follow=True
    )
    page = response.content.decode()
    assert "Deleted." in page and "Moved." in page
    assert "<code>kebaruan</code>" not in page and "<code>ringkasan</code>" in page
    assert not FormField.objects.filter(pk=question.pk).exists()
    assert ActivityEntry.objects.filter(action="form.item_removed").count() == 1


def test_a_published_version_refuses_moves_with_the_reason(client, people, competition):
    login(client, people["secretariat"])
    section = FormSection.objects.filter(version__form__competition=competition).last()
    response = client.post(reverse("competitions:form_item", args=["section", section.pk, "up"]))
    assert flashed(response) == [
        "This version is published and frozen. Make a new version to change the form."
    ]
    assert FormSection.objects.get(pk=section.pk).order == section.order


def test_publishing_a_version_freezes_it(client, people, version):
    login(client, people["secretariat"])
    url = reverse("competitions:form_publish", args=[version.pk])
    response = client.post(url)
    assert response["Location"] == reverse("competitions:form_edit", args=[version.pk])
    assert flashed(response) == ["Version 1 is published."]
    version.refresh_from_db()
    assert version.is_published and version.published_by == people["secretariat"]
    page = client.get(response["Location"]).content.decode()
    assert "Make a new version" in page and "Add a section" not in page
    # A frozen version refuses changes, and the page says why.
    refused = client.post(
        reverse("competitions:form_section_add", args=[version.pk]), section_data()
    )
    assert (
        "This version is published and frozen. Make a new version to change the form."
        in refused.content.decode()
    )


def test_publishing_a_section_without_questions_is_refused(client, people, version):
    login(client, people["secretariat"])
    FormSection.objects.create(version=version, name="Kosong", order=99)
    response = client.post(reverse("competitions:form_publish", args=[version.pk]))
    assert flashed(response) == ["Section “Kosong” has no question."]
    version.refresh_from_db()
    assert not version.is_published


def test_a_new_version_opens_its_draft(client, people, competition):
    login(client, people["secretariat"])
    published = FormVersion.objects.get(
        form__groups__competition=competition, number=1, form__groups__name="Umum"
    )
    response = client.post(reverse("competitions:form_new_version", args=[published.pk]))
    new = FormVersion.objects.get(form=published.form, number=2)
    assert response["Location"] == reverse("competitions:form_edit", args=[new.pk])
    assert flashed(response) == ["Version 2 is a draft: change it, then publish it."]
    assert not new.is_published
    assert new.sections.count() == published.sections.count()
    page = client.get(response["Location"]).content.decode()
    assert "Version 2 · draft" in page
    assert "0 proposals use this version." in page


# --- Review and opening --------------------------------------------------------------------------


def test_the_review_step_lists_what_stops_the_opening(client, people, draft):
    login(client, people["secretariat"])
    Competition.objects.filter(pk=draft.pk).update(
        participant_kinds=["bumd"], deadline_at=timezone.now() - datetime.timedelta(days=1)
    )
    page = client.get(setup_url(draft, "review")).content.decode()
    assert "Before it can open" in page
    assert "<li>The proposal deadline has already passed.</li>" in page
    assert "<li>The region has no active agency of the types that may take part.</li>" in page
    assert "Open the competition" not in page
    response = client.post(reverse("competitions:open", args=[draft.pk]))
    assert response["Location"] == setup_url(draft, "review")
    assert flashed(response) == [
        "The proposal deadline has already passed.",
        "The region has no active agency of the types that may take part.",
    ]
    draft.refresh_from_db()
    assert draft.status == Competition.Status.SETUP


def test_opening_from_the_review_step_invites_the_agencies(client, people, draft):
    login(client, people["secretariat"])
    page = client.get(setup_url(draft, "review")).content.decode()
    assert "Opening publishes the forms and invites 2 agencies" in page
    response = client.post(reverse("competitions:open", args=[draft.pk]))
    assert response["Location"] == reverse("competitions:entries", args=[draft.pk])
    assert flashed(response) == ["The competition is open: 2 agencies were invited."]
    draft.refresh_from_db()
    assert draft.status == Competition.Status.OPEN
    assert set(draft.recipients.values_list("agency__name", flat=True)) == {
        "Dinas Kesehatan",
        "Dinas Pendidikan",
    }


# --- The call for entries ------------------------------------------------------------------------


def answered_call(people, luwu_utara):
    """Five invited agencies, one at each stage of answering."""
    agencies = {
        "awaiting": AgencyFactory(region=luwu_utara, name="Badan Keuangan", kind="badan"),
        "submitted": AgencyFactory(region=luwu_utara, name="Kecamatan Masamba", kind="kecamatan"),
        "declined": AgencyFactory(region=luwu_utara, name="Puskesmas Baebunta", kind="puskesmas"),
    }
    operators = {key: person_with_role("operator", agency=a) for key, a in agencies.items()}
    competition = competition_from_template(people["secretariat"], luwu_utara)
    start_proposal(
        competition, people["operator"], innovation_for(people["operator"], people["agency"])
    )
    for key, title in (("awaiting", "Pajak Daring"), ("submitted", "Kantor Camat Keliling")):
        proposal = start_proposal(
            competition,
            operators[key],
            innovation_for(operators[key], agencies[key], title=title),
        )
        fill(proposal, operators[key])
        sent = proposals.proposal_send(actor=operators[key], proposal=proposal)
        if key == "submitted":
            proposals.proposal_approve(actor=people["secretariat"], proposal=sent)
    services.recipient_decline(
        actor=operators["declined"],
        recipient=competition.recipients.get(agency=agencies["declined"]),
        reason="Fokus akreditasi",
    )
    return competition


def table_rows(page) -> list[tuple[str, str]]:
    """(agency, answer) of each row of the call-for-entries table."""
    return [
        (re.sub(r"<[^>]+>", "", name).strip(), label)
        for name, label in re.findall(
            r"<tr>\s*<td>(.*?)</td>\s*<td><span class=\"badge [^\"]+\">(.*?)</span>", page, re.S
        )
    ]


def test_the_call_for_entries_counts_each_answer(client, people, luwu_utara):
    competition = answered_call(people, luwu_utara)
    login(client, people["secretariat"])
    page = client.get(reverse("competitions:entries", args=[competition.pk])).content.decode()
    for label in (
        "All (5)",
        "Nothing yet (1)",
        "Drafting (1)",
        "Awaiting approval (1)",
        "Submitted (1)",
        "Declined (1)",
    ):
        assert f">{label}</a>" in page, label
    assert table_rows(page) == [
        ("Badan Keuangan", "Awaiting approval"),
        ("Dinas Kesehatan", "Drafting"),
        ("Dinas Pendidikan", "Nothing yet"),
        ("Kecamatan Masamba", "Submitted"),
        ("Puskesmas Baebunta", "Declined"),
    ]
    assert "Fokus akreditasi" in page
    assert "Remind all agencies that have not submitted yet (3)" in page


def test_the_call_for_entries_filters_by_answer(client, people, luwu_utara):
    competition = answered_call(people, luwu_utara)
    login(client, people["secretariat"])
    for status, agency in (
        ("nothing", "Dinas Pendidikan"),
        ("drafting", "Dinas Kesehatan"),
        ("awaiting_approval", "Badan Keuangan"),
        ("submitted", "Kecamatan Masamba"),
        ("declined", "Puskesmas Baebunta"),
    ):
        page = client.get(
            reverse("competitions:entries", args=[competition.pk]), {"status": status}
        ).content.decode()
        assert [name for name, _label in table_rows(page)] == [agency], status
        assert f'class="btn btn-sm btn-secondary" href="?status={status}"' in page


def test_the_all_filter_counts_every_agency_while_another_filter_is_on(client, people, luwu_utara):
    competition = answered_call(people, luwu_utara)
    login(client, people["secretariat"])
    page = client.get(
        reverse("competitions:entries", args=[competition.pk]), {"status": "declined"}
    ).content.decode()
    assert ">All (5)</a>" in page


def test_the_call_for_entries_costs_the_same_queries_for_more_agencies(
    client, people, competition, luwu_utara
):
    login(client, people["secretariat"])
    start_proposal(
        competition, people["operator"], innovation_for(people["operator"], people["agency"])
    )

    def add_rows():
        for n in range(4):
            agency = AgencyFactory(region=luwu_utara, name=f"Kecamatan {n}", kind="kecamatan")
            operator = person_with_role("operator", agency=agency)
            CallRecipient.objects.create(competition=competition, agency=agency)
            start_proposal(
                competition, operator, innovation_for(operator, agency, title=f"Inovasi {n}")
            )
        DeadlineExtension.objects.create(
            competition=competition,
            agency=agency,
            until=competition.deadline_at + datetime.timedelta(days=2),
            reason="Banjir",
            granted_by=people["secretariat"],
        )

    assert_constant_queries(
        client, reverse("competitions:entries", args=[competition.pk]), add_rows
    )


def test_remind_one_agency(client, people, competition):
    login(client, people["secretariat"])
    response = client.post(
        reverse("competitions:remind", args=[competition.pk]), {"agency": people["agency"].pk}
    )
    assert response["Location"] == reverse("competitions:entries", args=[competition.pk])
    assert flashed(response) == ["Reminder sent to 1 agency."]
    reminded = competition.recipients.get(agency=people["agency"])
    assert reminded.reminders_sent == 1 and reminded.last_reminded_at is not None
    assert competition.recipients.get(agency=people["other_agency"]).reminders_sent == 0
    assert Notice.objects.filter(user=people["operator"], text__startswith="Reminder").count() == 1
    assert not Notice.objects.filter(user=people["other_operator"], text__startswith="Reminder")


def test_remind_all_skips_agencies_that_submitted_or_declined(client, people, luwu_utara):
    competition = answered_call(people, luwu_utara)
    login(client, people["secretariat"])
    response = client.post(reverse("competitions:remind", args=[competition.pk]))
    assert flashed(response) == ["Reminder sent to 3 agencies."]
    reminded = competition.recipients.filter(reminders_sent=1)
    assert set(reminded.values_list("agency__name", flat=True)) == {
        "Badan Keuangan",
        "Dinas Kesehatan",
        "Dinas Pendidikan",
    }
    page = client.get(reverse("competitions:entries", args=[competition.pk])).content.decode()
    assert page.count("(1×)") == 3


def test_an_extension_is_granted_from_the_page(client, people, competition):
    login(client, people["secretariat"])
    until_on = (competition.deadline_at + datetime.timedelta(days=3)).astimezone(WITA).date()
    response = client.post(
        reverse("competitions:extend", args=[competition.pk]),
        {
            "agency": people["agency"].pk,
            "until_on": until_on.isoformat(),
            "until_time": "16:00",
            "reason": "Server dinas rusak",
        },
    )
    assert response["Location"] == (
        reverse("competitions:entries", args=[competition.pk]) + "#extensions"
    )
    assert flashed(response) == ["Extension granted and the agency told."]
    extension = DeadlineExtension.objects.get(competition=competition)
    assert extension.agency == people["agency"]
    assert extension.until == datetime.datetime.combine(until_on, datetime.time(16, 0), tzinfo=WITA)
    page = client.get(reverse("competitions:entries", args=[competition.pk])).content.decode()
    assert (
        f"Dinas Kesehatan: until {wita(extension.until)}, granted by "
        f"{people['secretariat'].full_name} — Server dinas rusak"
    ) in page
    assert 'Dinas Kesehatan <span class="badge text-bg-info">extended</span>' in page
    assert Notice.objects.filter(user=people["operator"], text__contains="16:00 WITA").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"until_on": "2000-01-01"}, "An extension must end after the deadline."),
        ({"reason": ""}, "This field is required."),
        ({"until_time": "25:00"}, "Enter a valid time."),
    ],
)
def test_a_bad_extension_is_refused_with_its_message(client, people, competition, changes, message):
    login(client, people["secretariat"])
    until_on = (competition.deadline_at + datetime.timedelta(days=3)).astimezone(WITA).date()
    response = client.post(
        reverse("competitions:extend", args=[competition.pk]),
        {
            "agency": people["agency"].pk,
            "until_on": until_on.isoformat(),
            "until_time": "16:00",
            "reason": "Server dinas rusak",
        }
        | changes,
    )
    assert flashed(response) == [message]
    assert not DeadlineExtension.objects.exists()


def test_an_agency_declines_from_the_competition_page(client, people, competition):
    login(client, people["operator"])
    detail = reverse("competitions:detail", args=[competition.pk])
    assert "We take no part this year" in client.get(detail).content.decode()
    response = client.post(
        reverse("competitions:decline", args=[competition.pk, people["agency"].pk]),
        {"reason": "Fokus akreditasi puskesmas"},
    )
    assert response["Location"] == detail
    assert flashed(response) == ["The secretariat knows your agency takes no part this year."]
    recipient = competition.recipients.get(agency=people["agency"])
    assert recipient.declined_by == people["operator"]
    assert recipient.decline_reason == "Fokus akreditasi puskesmas"
    page = client.get(detail).content.decode()
    assert "Your agency said it takes no part this year. Fokus akreditasi puskesmas" in page
    assert "We take no part this year" not in page


def test_starting_screening_before_the_deadline_says_until_when(client, people, competition):
    login(client, people["secretariat"])
    response = client.post(reverse("competitions:start_screening", args=[competition.pk]))
    assert response["Location"] == reverse("competitions:detail", args=[competition.pk])
    assert flashed(response) == [
        f"Proposals are still accepted until {wita(competition.deadline_at)}; "
        "screening can start after that."
    ]
    competition.refresh_from_db()
    assert competition.status == Competition.Status.OPEN


def test_starting_screening_after_the_deadline_opens_the_screening_list(
    client, people, competition
):
    Competition.objects.filter(pk=competition.pk).update(
        deadline_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    login(client, people["secretariat"])
    response = client.post(reverse("competitions:start_screening", args=[competition.pk]))
    assert response["Location"] == reverse("screening:list", args=[competition.pk])
    assert flashed(response) == ["Screening has started."]
    competition.refresh_from_db()
    assert competition.status == Competition.Status.SCREENING
