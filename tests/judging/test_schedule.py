"""Presentation days and field visits: slots laid out over days and rooms without clashes,
agencies told their time in their own zone, moves refused on a clash or told with the reason;
visit plans, reports and photos by the panel members assigned."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from siwanda.accounts.models import Role
from siwanda.activity.models import ActivityEntry
from siwanda.core.models import Notice
from siwanda.judging import schedule, services
from siwanda.judging.models import Slot, Stage
from siwanda.regions.models import Region
from tests.builders import pdf_upload
from tests.factories import AgencyFactory, person_with_role

from .conftest import passed_proposals

DAY_1, DAY_2 = datetime.date(2030, 1, 2), datetime.date(2030, 1, 3)
ROOMS = ["Aula Bappelitbangda", "https://zoom.example/kipp"]


def logged(action):
    return list(ActivityEntry.objects.filter(action=action).order_by("id"))


@pytest.fixture
def far(competition):
    """Two proposals of an agency in Aceh (WIB) and one of an agency in Maluku (WIT), each
    agency with its operator."""
    aceh = AgencyFactory(region=Region.objects.get(code="11.01"), name="Dinas Kominfo Aceh")
    maluku = AgencyFactory(region=Region.objects.get(code="81.01"), name="Dinas Sosial Maluku")
    return {
        "wib": person_with_role(Role.OPERATOR, agency=aceh),
        "wit": person_with_role(Role.OPERATOR, agency=maluku),
        "wib_proposals": passed_proposals(competition, [aceh], per_agency=2),
        "wit_proposals": passed_proposals(competition, [maluku]),
    }


@pytest.fixture
def presentations(people, competition, stages, jurors, screened, far):
    """The presentation stage as the first one (the desk evaluation is dropped), nine
    proposals, five jurors, two per proposal."""
    sec = people["secretariat"]
    services.stage_delete(actor=sec, stage=stages[0])
    stage = services.stage_save(
        actor=sec, competition=competition, stage=stages[1], jurors_per_proposal=2
    )
    for juror in jurors:
        services.panel_add(actor=sec, stage=stage, juror=juror)
    plan = services.assign_automatic(actor=sec, stage=stage)
    assert plan.short == {} and stage.entries.count() == 9
    return Stage.objects.get(pk=stage.pk)


def bookings(stage):
    jurors = {}
    for proposal, juror in stage.assignments.values_list("proposal", "juror"):
        jurors.setdefault(proposal, set()).add(juror)
    return [
        schedule.Booking(
            s.pk,
            s.starts_at,
            s.ends_at,
            s.room,
            s.proposal.agency_id,
            frozenset(jurors[s.proposal_id]),
        )
        for s in stage.slots.select_related("proposal")
    ]


def test_slots_over_days_and_rooms_without_clashes(people, presentations):
    sec = people["secretariat"]
    # 08:00–09:30 WITA: three slots of 7 + 3 + 20 minutes in each of two rooms a day.
    count = schedule.slots_generate(
        actor=sec,
        stage=presentations,
        days=[DAY_2, DAY_1],
        start=datetime.time(8, 0),
        end=datetime.time(9, 30),
        rooms=[*ROOMS, "  "],
    )
    assert count == 9
    slots = list(presentations.slots.all())
    assert {s.proposal_id for s in slots} == set(
        presentations.entries.values_list("proposal", flat=True)
    )
    wita = ZoneInfo("Asia/Makassar")
    starts = {datetime.time(8, 0), datetime.time(8, 30), datetime.time(9, 0)}
    for slot in slots:
        local = slot.starts_at.astimezone(wita)
        assert slot.ends_at - slot.starts_at == datetime.timedelta(minutes=30)
        assert local.date() in (DAY_1, DAY_2) and local.time() in starts
        assert slot.room in ROOMS
    # Day 1 is filled first: six presentations, then three on day 2.
    per_day = [s.starts_at.astimezone(wita).date() for s in slots]
    assert (per_day.count(DAY_1), per_day.count(DAY_2)) == (6, 3)
    assert schedule.clashes(bookings(presentations)) == []
    [entry] = logged("judging.schedule_generated")
    assert entry.data == {"slots": 9, "rooms": ROOMS, "days": ["2030-01-03", "2030-01-02"]}


def test_a_break_between_slots_and_a_day_too_short(people, presentations):
    sec = people["secretariat"]
    with pytest.raises(ValidationError, match="3 presentations do not fit"):
        schedule.slots_generate(
            actor=sec,
            stage=presentations,
            days=[DAY_1],
            start=datetime.time(8, 0),
            end=datetime.time(9, 30),
            rooms=ROOMS,
        )
    assert not presentations.slots.exists()
    schedule.slots_generate(
        actor=sec,
        stage=presentations,
        days=[DAY_1],
        start=datetime.time(8, 0),
        end=datetime.time(13, 0),
        rooms=ROOMS,
        break_minutes=10,
    )
    wita = ZoneInfo("Asia/Makassar")
    times = sorted(
        {s.starts_at.astimezone(wita).strftime("%H:%M") for s in presentations.slots.all()}
    )
    assert times[:3] == ["08:00", "08:40", "09:20"]
    assert schedule.clashes(bookings(presentations)) == []
    for kwargs, message in [
        ({"days": [], "rooms": ROOMS}, "at least one day"),
        ({"days": [DAY_1], "rooms": [" "]}, "at least one day"),
        ({"days": [DAY_1], "rooms": ROOMS, "end": datetime.time(7, 0)}, "end after it starts"),
    ]:
        with pytest.raises(ValidationError, match=message):
            schedule.slots_generate(
                actor=sec,
                stage=presentations,
                **{"start": datetime.time(8, 0), "end": datetime.time(12, 0), **kwargs},
            )


def test_only_a_presentation_stage_has_a_schedule_and_only_for_its_manager(
    people, stages, presentations
):
    with pytest.raises(PermissionDenied):
        schedule.slots_generate(
            actor=people["juror"],
            stage=presentations,
            days=[DAY_1],
            start=datetime.time(8, 0),
            end=datetime.time(12, 0),
            rooms=ROOMS,
        )
    field = services.stage_save(
        actor=people["secretariat"],
        competition=presentations.competition,
        kind=Stage.Kind.FIELD,
        name="Verlap",
        top_n=3,
    )
    with pytest.raises(ValidationError, match="Only a presentation stage"):
        schedule.slots_generate(
            actor=people["secretariat"],
            stage=field,
            days=[DAY_1],
            start=datetime.time(8, 0),
            end=datetime.time(12, 0),
            rooms=ROOMS,
        )


def test_clashes_are_found_by_room_agency_and_juror():
    t = datetime.datetime(2030, 1, 2, 0, 0, tzinfo=datetime.UTC)
    half = datetime.timedelta(minutes=30)
    a = schedule.Booking("a", t, t + half, "Aula", 1, frozenset({10}))
    same_room = schedule.Booking("b", t + half / 2, t + half * 2, "Aula", 2, frozenset({11}))
    same_agency = schedule.Booking("c", t, t + half, "Zoom", 1, frozenset({12}))
    same_juror = schedule.Booking("d", t, t + half, "Ruang 2", 3, frozenset({10, 13}))
    later = schedule.Booking("e", t + half, t + half * 2, "Ruang 3", 1, frozenset({10}))
    assert schedule.clashes([a, same_room]) == [("a", "b", "room")]
    assert schedule.clashes([a, same_agency]) == [("a", "c", "agency")]
    assert schedule.clashes([a, same_juror]) == [("a", "d", "juror")]
    assert schedule.clashes([a, later]) == []


# --- Announcing and moving ------------------------------------------------------------------------


def generate(people, stage, end=datetime.time(12, 0)):
    schedule.slots_generate(
        actor=people["secretariat"],
        stage=stage,
        days=[DAY_1],
        start=datetime.time(8, 0),
        end=end,
        rooms=ROOMS,
    )


def said(moment, zone, suffix):
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local.day} {local:%B %Y}, {local:%H:%M} {suffix}"


def test_agencies_are_told_their_time_in_their_own_zone(people, presentations, far, screened):
    generate(people, presentations)
    assert schedule.slots_announce(actor=people["secretariat"], stage=presentations) == 9
    slots = {s.proposal_id: s for s in presentations.slots.all()}
    assert all(s.notified_at is not None for s in slots.values())
    cases = [
        (people["operator"], screened[0], "Asia/Makassar", "WITA"),
        (far["wib"], far["wib_proposals"][0], "Asia/Jakarta", "WIB"),
        (far["wib"], far["wib_proposals"][1], "Asia/Jakarta", "WIB"),
        (far["wit"], far["wit_proposals"][0], "Asia/Jayapura", "WIT"),
    ]
    for person, proposal, zone, suffix in cases:
        slot = slots[proposal.pk]
        [notice] = Notice.objects.filter(user=person, text__contains=proposal.title)
        assert said(slot.starts_at, zone, suffix) in notice.text, notice.text
        assert slot.room in notice.text
    # Eight o'clock in Masamba is seven in Aceh and nine in Maluku.
    wib_slot = slots[far["wib_proposals"][0].pk]
    wib_text = Notice.objects.get(user=far["wib"], text__contains=far["wib_proposals"][0].title)
    wita_hour = wib_slot.starts_at.astimezone(ZoneInfo("Asia/Makassar")).hour
    assert f"{wita_hour - 1:02d}:" in wib_text.text and "WITA" not in wib_text.text
    assert logged("judging.schedule_announced")[0].data == {"slots": 9}
    # Told once: announcing again tells nobody new, and the schedule is no longer regenerated.
    before = Notice.objects.count()
    assert schedule.slots_announce(actor=people["secretariat"], stage=presentations) == 0
    assert Notice.objects.count() == before
    with pytest.raises(ValidationError, match="has been announced"):
        generate(people, presentations)


def pick(slots, condition):
    return next((a, b) for a in slots for b in slots if a.pk != b.pk and condition(a, b))


def juror_sets(stage):
    jurors = {}
    for proposal, juror in stage.assignments.values_list("proposal", "juror"):
        jurors.setdefault(proposal, set()).add(juror)
    return jurors


def test_a_move_that_clashes_is_refused(people, presentations, far):
    sec = people["secretariat"]
    generate(people, presentations, end=datetime.time(16, 0))
    slots = list(presentations.slots.select_related("proposal"))
    jurors = juror_sets(presentations)
    a, b = pick(slots, lambda a, b: a.starts_at != b.starts_at)
    with pytest.raises(ValidationError, match="the room is taken"):
        schedule.slot_move(actor=sec, slot=a, starts_at=b.starts_at, room=b.room)
    wib = [s for s in slots if s.proposal.agency_id == far["wib_proposals"][0].agency_id]
    with pytest.raises(ValidationError, match="the agency presents then"):
        schedule.slot_move(actor=sec, slot=wib[0], starts_at=wib[1].starts_at, room="Ruang Rapat")
    a, b = pick(
        slots,
        lambda a, b: (
            jurors[a.proposal_id] & jurors[b.proposal_id]
            and a.proposal.agency_id != b.proposal.agency_id
        ),
    )
    with pytest.raises(ValidationError, match="a juror is in another room"):
        schedule.slot_move(actor=sec, slot=a, starts_at=b.starts_at, room="Ruang Rapat")
    with pytest.raises(ValidationError):
        schedule.slot_move(actor=sec, slot=a, starts_at=b.starts_at, room=" ")
    assert Slot.objects.get(pk=a.pk).starts_at == a.starts_at
    assert not logged("judging.slot_moved")


def test_a_move_after_the_announcement_needs_a_reason_and_is_told(people, presentations, far):
    sec = people["secretariat"]
    generate(people, presentations)
    schedule.slots_announce(actor=sec, stage=presentations)
    proposal = far["wit_proposals"][0]
    slot = presentations.slots.get(proposal=proposal)
    evening = datetime.datetime(2030, 1, 2, 19, 0, tzinfo=ZoneInfo("Asia/Makassar"))
    with pytest.raises(ValidationError) as refused:
        schedule.slot_move(actor=sec, slot=slot, starts_at=evening, room="Ruang Rapat")
    assert "reason" in refused.value.message_dict
    moved = schedule.slot_move(
        actor=sec, slot=slot, starts_at=evening, room=" Ruang Rapat ", reason="Listrik padam"
    )
    moved = Slot.objects.get(pk=moved.pk)
    assert (moved.starts_at, moved.room) == (evening, "Ruang Rapat")
    assert moved.ends_at == evening + datetime.timedelta(minutes=30)
    [notice] = Notice.objects.filter(user=far["wit"], text__contains="moves to")
    assert "2 January 2030, 20:00 WIT" in notice.text
    assert notice.text.endswith("Reason: Listrik padam")
    [entry] = logged("judging.slot_moved")
    assert entry.changes["slot"]["before"] == {
        "starts_at": slot.starts_at.isoformat(),
        "room": slot.room,
    }
    assert entry.changes["slot"]["after"]["room"] == "Ruang Rapat"
    assert entry.data == {"reason": "Listrik padam"}


def test_a_move_before_the_announcement_tells_nobody(people, presentations, far):
    generate(people, presentations)
    slot = presentations.slots.get(proposal=far["wit_proposals"][0])
    evening = datetime.datetime(2030, 1, 2, 19, 0, tzinfo=ZoneInfo("Asia/Makassar"))
    schedule.slot_move(actor=people["secretariat"], slot=slot, starts_at=evening, room="Aula 2")
    assert not Notice.objects.filter(user=far["wit"]).exists()
    assert Slot.objects.get(pk=slot.pk).notified_at is None


# --- Field verification ---------------------------------------------------------------------------


@pytest.fixture
def field(people, presentations):
    """The same stage made a field verification."""
    return services.stage_save(
        actor=people["secretariat"],
        competition=presentations.competition,
        stage=presentations,
        kind=Stage.Kind.FIELD,
    )


def png(name="foto.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_a_visit_is_planned_with_the_members_assigned(people, field, jurors, screened):
    sec = people["secretariat"]
    proposal = screened[0]
    assigned = list(field.assignments.filter(proposal=proposal).values_list("juror", flat=True))
    outsider = next(j for j in jurors if j.pk not in assigned)
    with pytest.raises(ValidationError) as refused:
        schedule.visit_plan(
            actor=sec,
            stage=field,
            proposal=proposal,
            planned_on=DAY_1,
            place="Puskesmas",
            member_ids=[outsider.pk],
        )
    assert "members" in refused.value.message_dict
    visit = schedule.visit_plan(
        actor=sec,
        stage=field,
        proposal=proposal,
        planned_on=DAY_1,
        place=" Desa Sukamaju ",
        member_ids=[*assigned, outsider.pk],
    )
    assert set(visit.members.values_list("pk", flat=True)) == set(assigned)
    assert (visit.place, visit.planned_on) == ("Desa Sukamaju", DAY_1)
    for person in [people["operator"], *(j for j in jurors if j.pk in assigned)]:
        assert Notice.objects.filter(user=person, text__contains="2 January 2030").exists()
    assert not Notice.objects.filter(user=outsider).exists()
    # Planning again changes the same visit.
    again = schedule.visit_plan(
        actor=sec,
        stage=field,
        proposal=proposal,
        planned_on=DAY_2,
        place="Desa Sukamaju",
        member_ids=assigned[:1],
    )
    assert again.pk == visit.pk and list(again.members.values_list("pk", flat=True)) == assigned[:1]
    assert [e.data["date"] for e in logged("judging.visit_planned")] == ["2030-01-02", "2030-01-03"]
    with pytest.raises(PermissionDenied):
        schedule.visit_plan(
            actor=jurors[0],
            stage=field,
            proposal=proposal,
            planned_on=DAY_1,
            place="x",
            member_ids=assigned,
        )


def test_only_a_field_stage_has_visits(people, presentations, screened):
    with pytest.raises(ValidationError, match="Only a field verification stage"):
        schedule.visit_plan(
            actor=people["secretariat"],
            stage=presentations,
            proposal=screened[0],
            planned_on=DAY_1,
            place="x",
            member_ids=[],
        )


def test_the_members_report_the_visit_with_photos(people, field, jurors, screened):
    sec = people["secretariat"]
    proposal = screened[1]
    assigned = list(field.assignments.filter(proposal=proposal).values_list("juror", flat=True))
    member = next(j for j in jurors if j.pk == assigned[0])
    outsider = next(j for j in jurors if j.pk not in assigned)
    visit = schedule.visit_plan(
        actor=sec,
        stage=field,
        proposal=proposal,
        planned_on=DAY_1,
        place="Sekolah",
        member_ids=[member.pk],
    )
    with pytest.raises(ValidationError, match="not open"):
        schedule.visit_report(actor=member, visit=visit, findings="Baik", beneficiaries_met="")
    services.stage_open(actor=sec, stage=field)
    visit.refresh_from_db()
    with pytest.raises(PermissionDenied):
        schedule.visit_report(actor=outsider, visit=visit, findings="Baik", beneficiaries_met="")
    with pytest.raises(ValidationError):
        schedule.visit_report(actor=member, visit=visit, findings=" ", beneficiaries_met="")
    visit = schedule.visit_report(
        actor=member,
        visit=visit,
        findings=" Layanan berjalan setiap hari. ",
        beneficiaries_met="Orang tua murid",
    )
    visit.refresh_from_db()
    assert visit.findings == "Layanan berjalan setiap hari." and visit.reported_at is not None
    assert logged("judging.visit_reported")[0].data == {"stage": field.pk}
    photo = schedule.visit_photo_add(actor=member, visit=visit, upload=png("foto lokasi.png"))
    assert photo.file.name.startswith(f"visits/{visit.pk}/foto_lokasi")
    assert photo.uploaded_by == member
    with photo.file.open("rb") as stored:
        assert stored.read(8) == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ValidationError, match="not an allowed kind"):
        schedule.visit_photo_add(actor=member, visit=visit, upload=pdf_upload())
    with pytest.raises(PermissionDenied):
        schedule.visit_photo_add(actor=outsider, visit=visit, upload=png())
    assert visit.photos.count() == 1
    assert logged("judging.visit_photo_added")[0].data == {"photo": photo.file.name}
