"""Presentation schedules and the room view; field visit plans and reports."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from siwanda.core.actions import FAILED, report, save_form
from siwanda.core.downloads import serve_private
from siwanda.proposals.models import Proposal

from .. import schedule as services
from .. import selectors
from ..forms import ScheduleForm, SlotMoveForm, VisitPlanForm, VisitReportForm
from ..models import Assignment, Slot, Stage, Visit, VisitPhoto


@login_required
def schedule(request, pk):
    stage = selectors.stage_for(request.user, pk)
    form = ScheduleForm(request.POST or None, initial={"start": "08:00", "end": "16:00"})
    if request.method == "POST":
        if "announce" in request.POST:
            report(
                request,
                lambda: services.slots_announce(actor=request.user, stage=stage),
                lambda n: (
                    ngettext(
                        "%(count)d agency was told its presentation time.",
                        "%(count)d agencies were told their presentation time.",
                        n,
                    )
                    % {"count": n}
                ),
            )
            return redirect("judging:schedule", pk=stage.pk)
        if (
            save_form(
                request,
                form,
                lambda data: services.slots_generate(actor=request.user, stage=stage, **data),
                lambda count: (
                    ngettext(
                        "%(count)d presentation scheduled. Check it, then tell the agency.",
                        "%(count)d presentations scheduled. Check them, then tell the agencies.",
                        count,
                    )
                    % {"count": count}
                ),
            )
            is not FAILED
        ):
            return redirect("judging:schedule", pk=stage.pk)
    slots = list(stage.slots.select_related("proposal__agency__region"))
    return render(
        request,
        "judging/schedule.html",
        {
            "competition": stage.competition,
            "stage": stage,
            "form": form,
            "slots": slots,
            "unannounced": sum(1 for s in slots if s.notified_at is None),
            "rooms": sorted({s.room for s in slots}),
        },
    )


@login_required
def slot_move(request, pk):
    slot = get_object_or_404(Slot.objects.select_related("proposal__agency", "stage"), pk=pk)
    stage = selectors.stage_for(request.user, slot.stage_id)
    zone = ZoneInfo(stage.competition.region.timezone)
    local = timezone.localtime(slot.starts_at, zone)
    form = SlotMoveForm(
        request.POST or None,
        initial={"day": local.date(), "time": local.strftime("%H:%M"), "room": slot.room},
    )
    if (
        save_form(
            request,
            form,
            lambda data: services.slot_move(
                actor=request.user,
                slot=slot,
                starts_at=datetime.combine(data["day"], data["time"], zone),
                room=data["room"],
                reason=data["reason"],
            ),
            _("Moved."),
        )
        is not FAILED
    ):
        return redirect("judging:schedule", pk=stage.pk)
    return render(
        request,
        "judging/slot_move.html",
        {"competition": stage.competition, "stage": stage, "slot": slot, "form": form},
    )


@login_required
def room(request, pk):
    """Presentation day: the room's slots, who presents now and next, a timer following the
    parts of a presentation, and each juror's score sheet one tap away."""
    stage = Stage.objects.select_related("competition__region").filter(pk=pk).first()
    if stage is None:
        raise PermissionDenied
    manages = request.user.has_perm("judging.manage_stage", stage)
    seated = stage.panel.filter(juror=request.user).exists()
    if not (manages or seated):
        raise PermissionDenied
    rooms = sorted(set(stage.slots.values_list("room", flat=True)))
    chosen = request.GET.get("room") or (rooms[0] if rooms else "")
    zone = ZoneInfo(stage.competition.region.timezone)
    today = timezone.localdate(timezone=zone)
    day = request.GET.get("day", today.isoformat())
    slots = list(
        stage.slots.filter(room=chosen).select_related("proposal__agency").order_by("starts_at")
    )
    days = sorted({timezone.localtime(s.starts_at, zone).date().isoformat() for s in slots})
    if day not in days and days:
        day = today.isoformat() if today.isoformat() in days else days[0]
    slots = [s for s in slots if timezone.localtime(s.starts_at, zone).date().isoformat() == day]
    now = timezone.now()
    current = next((s for s in slots if s.starts_at <= now < s.ends_at), None)
    following = next((s for s in slots if s.starts_at > now), None)
    mine = selectors.juror_assignments_in(request.user, stage)
    for s in slots:
        s.assignment_id = mine.get(s.proposal_id)
    return render(
        request,
        "judging/room.html",
        {
            "competition": stage.competition,
            "stage": stage,
            "rooms": rooms,
            "room": chosen,
            "days": days,
            "day": day,
            "slots": slots,
            "current": current,
            "next": following,
            "manages": manages,
            "parts": stage.slot_parts,
        },
    )


# --- Field visits ---------------------------------------------------------------------------------


@login_required
def visits(request, pk):
    stage = selectors.stage_for(request.user, pk)
    entries = list(
        stage.entries.select_related("proposal__agency").order_by("proposal__agency__name")
    )
    plans = {v.proposal_id: v for v in stage.visits.prefetch_related("members")}
    jurors = {}
    for a in stage.assignments.filter(calibration=False).select_related("juror"):
        jurors.setdefault(a.proposal_id, []).append(a.juror)
    form = None
    if request.method == "POST":
        proposal = get_object_or_404(
            Proposal, pk=request.POST.get("proposal") or 0, stage_entries__stage=stage
        )
        form = VisitPlanForm(
            request.POST, jurors=jurors.get(proposal.pk, []), prefix=f"p{proposal.pk}"
        )
        if (
            save_form(
                request,
                form,
                lambda data: services.visit_plan(
                    actor=request.user,
                    stage=stage,
                    proposal=proposal,
                    planned_on=data["planned_on"],
                    place=data["place"],
                    member_ids=[int(m) for m in data["members"]],
                ),
                _("Visit planned; the agency and the members have been told."),
            )
            is not FAILED
        ):
            return redirect("judging:visits", pk=stage.pk)
        form.proposal_id = proposal.pk
    rows = []
    for e in entries:
        plan = plans.get(e.proposal_id)
        posted = form is not None and form.proposal_id == e.proposal_id
        rows.append(
            {
                "proposal": e.proposal,
                "visit": plan,
                "form": form
                if posted
                else VisitPlanForm(
                    jurors=jurors.get(e.proposal_id, []),
                    initial={
                        "planned_on": plan.planned_on if plan else stage.starts_on,
                        "place": plan.place if plan else "",
                        "members": [str(m.pk) for m in plan.members.all()]
                        if plan
                        else [str(j.pk) for j in jurors.get(e.proposal_id, [])],
                    },
                    prefix=f"p{e.proposal_id}",
                ),
            }
        )
    return render(
        request,
        "judging/visits.html",
        {"competition": stage.competition, "stage": stage, "rows": rows},
    )


def _visit_for(request, pk) -> tuple[Visit, bool]:
    visit = get_object_or_404(
        Visit.objects.select_related("stage__competition__region", "proposal__agency"), pk=pk
    )
    manages = request.user.has_perm("judging.manage_stage", visit.stage)
    member = visit.members.filter(pk=request.user.pk).exists()
    if not (manages or member):
        raise PermissionDenied
    return visit, member


@login_required
def visit(request, pk):
    visit, member = _visit_for(request, pk)
    form = VisitReportForm(
        request.POST or None,
        initial={"findings": visit.findings, "beneficiaries_met": visit.beneficiaries_met},
    )
    if request.method == "POST" and member:
        if "photo" in request.FILES:
            report(
                request,
                lambda: services.visit_photo_add(
                    actor=request.user,
                    visit=visit,
                    upload=request.FILES["photo"],
                    caption=request.POST.get("caption", ""),
                ),
                _("Photo added."),
            )
            return redirect("judging:visit", pk=visit.pk)
        if (
            save_form(
                request,
                form,
                lambda data: services.visit_report(actor=request.user, visit=visit, **data),
                _("Report saved."),
            )
            is not FAILED
        ):
            return redirect("judging:visit", pk=visit.pk)
    assignment = Assignment.objects.filter(
        stage=visit.stage, juror=request.user, proposal=visit.proposal, calibration=False
    ).first()
    return render(
        request,
        "judging/visit.html",
        {
            "competition": visit.stage.competition,
            "stage": visit.stage,
            "visit": visit,
            "member": member,
            "form": form,
            "photos": visit.photos.all(),
            "assignment": assignment,
            "members": visit.members.all(),
        },
    )


@login_required
def visit_photo(request, pk):
    photo = get_object_or_404(VisitPhoto, pk=pk)
    _visit_for(request, photo.visit_id)
    return serve_private(photo.file, photo.file.name.rsplit("/", 1)[-1])
