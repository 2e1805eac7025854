"""Presentation days and field visits: slots generated without clashes, agencies told the time
in their own zone, rescheduling with notice; visit plans and the reports of the panel members
who went."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from siwanda.activity.services import activity_record
from siwanda.competitions.services import agency_people
from siwanda.core.files import check_upload
from siwanda.core.notify import Day, Moment, notify
from siwanda.core.permissions import require_perm

from .models import Assignment, Slot, Stage, Visit, VisitPhoto

MANAGE = "competitions.manage_competition"


@dataclass(frozen=True)
class Booking:
    """What a clash check needs to know of a slot."""

    key: object
    starts: datetime
    ends: datetime
    room: str
    agency: int
    jurors: frozenset


def clashes(bookings: list[Booking]) -> list[tuple[object, object, str]]:
    """Pairs of overlapping bookings that share a room, an agency or a juror, with what they
    share ("room", "agency", "juror")."""
    found = []
    ordered = sorted(bookings, key=lambda b: b.starts)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b.starts >= a.ends:
                break
            if a.room == b.room:
                found.append((a.key, b.key, "room"))
            elif a.agency == b.agency:
                found.append((a.key, b.key, "agency"))
            elif a.jurors & b.jurors:
                found.append((a.key, b.key, "juror"))
    return found


def _jurors_by_proposal(stage) -> dict[int, frozenset]:
    pairs = Assignment.objects.filter(stage=stage, calibration=False).values_list(
        "proposal_id", "juror_id"
    )
    result: dict[int, set] = {}
    for proposal, juror in pairs:
        result.setdefault(proposal, set()).add(juror)
    return {p: frozenset(j) for p, j in result.items()}


def _require_stage(actor, stage, kind, refusal):
    require_perm(actor, MANAGE, stage.competition)
    if stage.kind != kind:
        raise ValidationError(refusal)
    if stage.status == Stage.Status.CLOSED:
        raise ValidationError(_("The stage is closed."))


def _require_presentations(actor, stage):
    _require_stage(
        actor, stage, Stage.Kind.PRESENTATION, _("Only a presentation stage has a schedule.")
    )


@transaction.atomic
def slots_generate(
    *,
    actor,
    stage: Stage,
    days: list[date],
    start: time,
    end: time,
    rooms: list[str],
    break_minutes: int = 0,
) -> int:
    """Lay out every entry of the stage over the days and rooms (rooms run in parallel) from
    `start` to `end` in the organiser's zone, one slot of the stage's length each: never two
    presentations of one agency, nor two with a juror in common, at the same time. Replaces a
    schedule that was not announced yet."""
    _require_presentations(actor, stage)
    rooms = [r.strip() for r in rooms if r.strip()]
    if not days or not rooms:
        raise ValidationError(_("Give at least one day and one room or online link."))
    if end <= start:
        raise ValidationError(_("The day must end after it starts."))
    if stage.slots.exclude(notified_at=None).exists():
        raise ValidationError(
            _("The schedule has been announced: move single presentations instead.")
        )
    zone = ZoneInfo(stage.competition.region.timezone)
    length = timedelta(minutes=stage.slot_minutes)
    step = length + timedelta(minutes=break_minutes)
    entries = list(
        stage.entries.select_related("proposal__agency").order_by(
            "proposal__agency__name", "proposal__title"
        )
    )
    jurors = _jurors_by_proposal(stage)
    waiting = [e.proposal for e in entries]
    planned = []
    for day in sorted(days):
        moment = datetime.combine(day, start, zone)
        closing = datetime.combine(day, end, zone)
        while waiting and moment + length <= closing:
            busy_agencies, busy_jurors = set(), set()
            for room in rooms:
                pick = next(
                    (
                        p
                        for p in waiting
                        if p.agency_id not in busy_agencies
                        and not (jurors.get(p.pk, frozenset()) & busy_jurors)
                    ),
                    None,
                )
                if pick is None:
                    break
                waiting.remove(pick)
                busy_agencies.add(pick.agency_id)
                busy_jurors |= jurors.get(pick.pk, frozenset())
                planned.append(
                    Slot(
                        stage=stage,
                        proposal=pick,
                        starts_at=moment,
                        ends_at=moment + length,
                        room=room,
                    )
                )
            moment += step
    if waiting:
        raise ValidationError(
            ngettext(
                "%(count)d presentation does not fit: add a day, a room or longer days.",
                "%(count)d presentations do not fit: add a day, a room or longer days.",
                len(waiting),
            )
            % {"count": len(waiting)}
        )
    stage.slots.all().delete()
    Slot.objects.bulk_create(planned)
    activity_record(
        actor=actor,
        action="judging.schedule_generated",
        target=stage,
        region=stage.competition.region,
        data={"slots": len(planned), "rooms": rooms, "days": [d.isoformat() for d in days]},
    )
    return len(planned)


def _tell_slot(slot: Slot, message, reason: str = ""):
    agency = slot.proposal.agency
    notify(
        users=agency_people([agency.pk]),
        message=message,
        params={
            "title": slot.proposal.title,
            "stage": slot.stage,
            "moment": Moment(slot.starts_at, agency.region),
            "room": slot.room,
            "reason": reason,
        },
        url=reverse("proposals:detail", args=[slot.proposal_id]),
    )


@transaction.atomic
def slots_announce(*, actor, stage: Stage) -> int:
    """Tell every agency not yet told its presentation's date, time (in the agency's own zone)
    and room or link."""
    _require_presentations(actor, stage)
    slots = list(
        stage.slots.filter(notified_at=None).select_related(
            "proposal__agency__region", "stage__competition"
        )
    )
    now = timezone.now()
    for slot in slots:
        _tell_slot(
            slot,
            gettext_lazy(
                "“%(title)s” presents in %(stage)s on %(moment)s, %(room)s. The presentation "
                "takes its full slot: be there early."
            ),
        )
        slot.notified_at = now
    Slot.objects.bulk_update(slots, ["notified_at"])
    activity_record(
        actor=actor,
        action="judging.schedule_announced",
        target=stage,
        region=stage.competition.region,
        data={"slots": len(slots)},
    )
    return len(slots)


@transaction.atomic
def slot_move(*, actor, slot: Slot, starts_at: datetime, room: str, reason: str = "") -> Slot:
    """Move one presentation; refused when it would clash. An agency already told hears of
    the new time with the reason."""
    slot = (
        Slot.objects.select_for_update(of=("self",))
        .select_related("stage__competition__region", "proposal__agency__region")
        .get(pk=slot.pk)
    )
    stage = slot.stage
    _require_presentations(actor, stage)
    if not room.strip():
        raise ValidationError({"room": _("Give the room or online link.")})
    if slot.notified_at and not reason.strip():
        raise ValidationError({"reason": _("The agency was told the old time: say why it moves.")})
    before = {"starts_at": slot.starts_at.isoformat(), "room": slot.room}
    slot.starts_at = starts_at
    slot.ends_at = starts_at + timedelta(minutes=stage.slot_minutes)
    slot.room = room.strip()
    jurors = _jurors_by_proposal(stage)
    others = stage.slots.exclude(pk=slot.pk).select_related("proposal")
    bookings = [
        Booking(
            s.pk,
            s.starts_at,
            s.ends_at,
            s.room,
            s.proposal.agency_id,
            jurors.get(s.proposal_id, frozenset()),
        )
        for s in [*others, slot]
    ]
    mine = [c for c in clashes(bookings) if slot.pk in c[:2]]
    if mine:
        what = {
            "room": _("the room is taken"),
            "agency": _("the agency presents then"),
            "juror": _("a juror is in another room"),
        }[mine[0][2]]
        raise ValidationError(_("This time clashes: %(what)s.") % {"what": what})
    slot.save(update_fields=["starts_at", "ends_at", "room"])
    activity_record(
        actor=actor,
        action="judging.slot_moved",
        target=slot.proposal,
        region=stage.competition.region,
        changes={
            "slot": {
                "before": before,
                "after": {"starts_at": slot.starts_at.isoformat(), "room": slot.room},
            }
        },
        data={"reason": reason.strip()},
    )
    if slot.notified_at:
        _tell_slot(
            slot,
            gettext_lazy(
                "The presentation of “%(title)s” in %(stage)s moves to %(moment)s, %(room)s. "
                "Reason: %(reason)s"
            ),
            reason.strip(),
        )
        slot.notified_at = timezone.now()
        slot.save(update_fields=["notified_at"])
    return slot


# --- Field verification ---------------------------------------------------------------------------


def _require_field(actor, stage):
    _require_stage(actor, stage, Stage.Kind.FIELD, _("Only a field verification stage has visits."))


@transaction.atomic
def visit_plan(*, actor, stage: Stage, proposal, planned_on: date, place: str, member_ids):
    """Plan (or change) the visit to one proposal, by panel members assigned to it; the agency
    and the members are told."""
    _require_field(actor, stage)
    assigned = set(
        stage.assignments.filter(proposal=proposal, calibration=False).values_list(
            "juror_id", flat=True
        )
    )
    members = [m for m in member_ids if m in assigned]
    if not members:
        raise ValidationError(
            {"members": _("Choose at least one panel member assigned to this proposal.")}
        )
    visit, _created = Visit.objects.update_or_create(
        stage=stage,
        proposal=proposal,
        defaults={"planned_on": planned_on, "place": place.strip()},
    )
    visit.members.set(members)
    activity_record(
        actor=actor,
        action="judging.visit_planned",
        target=proposal,
        region=stage.competition.region,
        data={"stage": stage.pk, "date": planned_on.isoformat(), "place": place},
    )
    params = {"title": proposal.title, "stage": stage, "date": Day(planned_on), "place": place}
    notify(
        users=agency_people([proposal.agency_id]),
        message=gettext_lazy("The panel visits “%(title)s” for %(stage)s on %(date)s (%(place)s)."),
        params=params,
        url=reverse("proposals:detail", args=[proposal.pk]),
    )
    notify(
        users=visit.members.all(),
        message=gettext_lazy("You visit “%(title)s” for %(stage)s on %(date)s (%(place)s)."),
        params=params,
        url=reverse("judging:visit", args=[visit.pk]),
    )
    return visit


def _require_member(actor, visit):
    if not visit.members.filter(pk=actor.pk).exists():
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    if visit.stage.status != Stage.Status.SCORING:
        raise ValidationError(_("Scoring of this stage is not open."))


@transaction.atomic
def visit_report(*, actor, visit: Visit, findings: str, beneficiaries_met: str) -> Visit:
    """A member writes what the panel found on site."""
    _require_member(actor, visit)
    if not findings.strip():
        raise ValidationError({"findings": _("Write what the panel found.")})
    visit.findings = findings.strip()
    visit.beneficiaries_met = beneficiaries_met.strip()
    visit.reported_at = timezone.now()
    visit.save(update_fields=["findings", "beneficiaries_met", "reported_at"])
    activity_record(
        actor=actor,
        action="judging.visit_reported",
        target=visit.proposal,
        region=visit.stage.competition.region,
        data={"stage": visit.stage_id},
    )
    return visit


PHOTO_KINDS = ["jpg", "png"]
PHOTO_MB = 10


@transaction.atomic
def visit_photo_add(*, actor, visit: Visit, upload, caption: str = "") -> VisitPhoto:
    _require_member(actor, visit)
    check_upload(upload, allowed=PHOTO_KINDS, max_mb=PHOTO_MB)
    upload.name = get_valid_filename(upload.name)
    photo = VisitPhoto.objects.create(
        visit=visit, file=upload, caption=caption.strip()[:200], uploaded_by=actor
    )
    activity_record(
        actor=actor,
        action="judging.visit_photo_added",
        target=visit.proposal,
        region=visit.stage.competition.region,
        data={"photo": photo.file.name},
    )
    return photo
