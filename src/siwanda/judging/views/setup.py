"""The secretariat's pages for setting judging up: stages (from a template), rubrics, panels,
assignments and calibration."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from siwanda.competitions.views import competition_for
from siwanda.core.actions import FAILED, report, save_form
from siwanda.core.pagination import paginate
from siwanda.proposals.models import Proposal
from siwanda.regions.models import Agency

from .. import selectors, services
from ..forms import CriterionForm, PanelAddForm, RubricForm, StageForm
from ..models import Assignment, Criterion, PanelMember, Stage

MANAGE = "competitions.manage_competition"


@login_required
def stages(request, pk):
    competition = competition_for(request, pk, MANAGE)
    if request.method == "POST":
        report(
            request,
            lambda: services.stages_from_template(
                actor=request.user, competition=competition, key=request.POST.get("template", "")
            ),
            _("The stages, rubrics and rules of the template are in place; adjust them below."),
        )
        return redirect("judging:stages", pk=competition.pk)
    return render(
        request,
        "judging/stages.html",
        {
            "competition": competition,
            "stages": selectors.stages_of(competition),
            "templates": services.stage_templates(),
        },
    )


@login_required
def stage_add(request, pk):
    competition = competition_for(request, pk, MANAGE)
    form = StageForm(request.POST or None)
    stage = save_form(
        request,
        form,
        lambda data: services.stage_save(actor=request.user, competition=competition, **data),
        _("Stage added. Now give it a rubric and a panel."),
    )
    if stage is not FAILED:
        return redirect("judging:stage", pk=stage.pk)
    return render(request, "judging/stage_form.html", {"competition": competition, "form": form})


@login_required
def stage_detail(request, pk):
    stage = selectors.stage_for(request.user, pk)
    competition = stage.competition
    form = StageForm(request.POST or None, instance=stage)
    if (
        save_form(
            request,
            form,
            lambda data: services.stage_save(
                actor=request.user, competition=competition, stage=stage, **data
            ),
            _("Saved."),
        )
        is not FAILED
    ):
        return redirect("judging:stage", pk=stage.pk)
    services.entries_sync(stage=stage)
    return render(
        request,
        "judging/stage.html",
        {
            "competition": competition,
            "stage": stage,
            "form": form,
            "problems": services.stage_problems(stage) if stage.status == "setup" else [],
            "counts": selectors.stages_of(competition).get(pk=stage.pk),
        },
    )


STAGE_ACTIONS = {
    "open": (services.stage_open, _("Scoring is open; the jurors have been told.")),
    "close": (services.stage_close, _("Scoring is closed.")),
    "delete": (services.stage_delete, _("Stage deleted.")),
}


@login_required
@require_POST
def stage_action(request, pk, action):
    stage = selectors.stage_for(request.user, pk)
    competition = stage.competition
    if action in ("up", "down"):
        report(
            request,
            lambda: services.stage_move(actor=request.user, stage=stage, up=action == "up"),
            _("Order saved."),
        )
        return redirect("judging:stages", pk=competition.pk)
    if action == "reopen":
        report(
            request,
            lambda: services.stage_reopen(
                actor=request.user, stage=stage, reason=request.POST.get("reason", "")
            ),
            _("Scoring is open again."),
        )
        return redirect("judging:stage", pk=stage.pk)
    if action not in STAGE_ACTIONS:
        raise Http404
    call, success = STAGE_ACTIONS[action]
    report(request, lambda: call(actor=request.user, stage=stage), success)
    if action == "delete":
        return redirect("judging:stages", pk=competition.pk)
    return redirect("judging:stage", pk=stage.pk)


# --- Rubric ---------------------------------------------------------------------------------------


@login_required
def rubric(request, pk):
    stage = selectors.stage_for(request.user, pk)
    current = stage.rubric
    form = RubricForm(request.POST or None, instance=current)
    if request.method == "POST":
        if "new_version" in request.POST:
            report(
                request,
                lambda: services.rubric_new_version(actor=request.user, stage=stage),
                _("A new version of the rubric was made; you can edit it now."),
            )
            return redirect("judging:rubric", pk=stage.pk)
        if (
            save_form(
                request,
                form,
                lambda data: services.rubric_save(actor=request.user, stage=stage, **data),
                _("Saved."),
            )
            is not FAILED
        ):
            return redirect("judging:rubric", pk=stage.pk)
    criteria = list(current.criteria.all()) if current else []
    return render(
        request,
        "judging/rubric.html",
        {
            "competition": stage.competition,
            "stage": stage,
            "rubric": current,
            "form": form,
            "criteria": criteria,
            "total_weight": sum(c.weight for c in criteria),
            "editable": stage.status == Stage.Status.SETUP
            and (current is None or current.frozen_at is None),
        },
    )


@login_required
def criterion_edit(request, pk, criterion_pk=None):
    stage = selectors.stage_for(request.user, pk)
    if stage.rubric is None:
        messages.error(request, _("Save the rubric's settings first."))
        return redirect("judging:rubric", pk=stage.pk)
    criterion = (
        get_object_or_404(Criterion, pk=criterion_pk, rubric=stage.rubric) if criterion_pk else None
    )
    form = CriterionForm(request.POST or None, instance=criterion)
    if (
        save_form(
            request,
            form,
            lambda data: services.criterion_save(
                actor=request.user,
                rubric=stage.rubric,
                criterion=criterion,
                levels=form.levels(),
                **{name: data[name] for name in CriterionForm.Meta.fields},
            ),
            _("Saved."),
        )
        is not FAILED
    ):
        return redirect("judging:rubric", pk=stage.pk)
    return render(
        request,
        "judging/criterion_form.html",
        {"competition": stage.competition, "stage": stage, "form": form, "criterion": criterion},
    )


@login_required
@require_POST
def criterion_delete(request, pk, criterion_pk):
    stage = selectors.stage_for(request.user, pk)
    criterion = get_object_or_404(Criterion, pk=criterion_pk, rubric=stage.rubric)
    report(
        request,
        lambda: services.criterion_delete(actor=request.user, criterion=criterion),
        _("Criterion removed."),
    )
    return redirect("judging:rubric", pk=stage.pk)


# --- Panel ----------------------------------------------------------------------------------------


def _panel_form(stage, data=None):
    competition = stage.competition
    seated = stage.panel.values_list("juror_id", flat=True)
    return PanelAddForm(
        data,
        jurors=services.jurors_of_region(competition).exclude(pk__in=seated),
        agencies=Agency.objects.filter(region=competition.region, is_active=True),
        categories=list(competition.categories.all()),
    )


@login_required
def panel(request, pk):
    stage = selectors.stage_for(request.user, pk)
    form = _panel_form(stage, request.POST or None)
    if request.method == "POST":
        if "copy_from" in request.POST:
            source = get_object_or_404(
                Stage, pk=request.POST["copy_from"], competition=stage.competition
            )
            report(
                request,
                lambda: services.panel_copy(actor=request.user, stage=stage, source=source),
                lambda n: (
                    ngettext("%(count)d member seated.", "%(count)d members seated.", n)
                    % {"count": n}
                ),
            )
            return redirect("judging:panel", pk=stage.pk)
        if (
            save_form(
                request,
                form,
                lambda data: services.panel_add(
                    actor=request.user,
                    stage=stage,
                    juror=data["juror"],
                    is_chair=data["is_chair"],
                    expertise=data.get("expertise", []),
                    max_load=data["max_load"],
                    agency=data["agency"],
                ),
                lambda member: _("%(name)s is on the panel.") % {"name": member.juror},
            )
            is not FAILED
        ):
            return redirect("judging:panel", pk=stage.pk)
    return render(
        request,
        "judging/panel.html",
        {
            "competition": stage.competition,
            "stage": stage,
            "members": selectors.panel_rows(stage),
            "form": form,
            "other_stages": stage.competition.stages.exclude(pk=stage.pk),
        },
    )


@login_required
@require_POST
def panel_member(request, pk, member_pk):
    stage = selectors.stage_for(request.user, pk)
    member = get_object_or_404(
        PanelMember.objects.select_related("juror", "stage__competition"), pk=member_pk, stage=stage
    )
    action = request.POST.get("action")
    if action == "remove":
        report(
            request,
            lambda: services.panel_remove(actor=request.user, member=member),
            _("%(name)s left the panel.") % {"name": member.juror},
        )
    elif action == "chair":
        report(
            request,
            lambda: services.panel_update(actor=request.user, member=member, is_chair=True),
            _("%(name)s chairs the panel.") % {"name": member.juror},
        )
    return redirect("judging:panel", pk=stage.pk)


# --- Assignment -----------------------------------------------------------------------------------


@login_required
def assignments(request, pk):
    stage = selectors.stage_for(request.user, pk)
    if request.method == "POST":
        return _assign(request, stage)
    services.entries_sync(stage=stage)
    page = paginate(request, selectors.board_entries(stage), per_page=100)
    members = selectors.panel_rows(stage)
    board = selectors.assignment_board(stage, page.object_list)
    for row in board:
        taken = {a.juror_id for a in row.assignments} | {j.pk for j, _r in row.conflicted}
        row.addable = [m.juror for m in members if m.juror_id not in taken]
    return render(
        request,
        "judging/assignments.html",
        {
            "competition": stage.competition,
            "stage": stage,
            "board": board,
            "page": page,
            "members": members,
            "groups": stage.competition.groups.all(),
            "categories": stage.competition.categories.all(),
            **selectors.coverage(stage),
        },
    )


def _assign(request, stage):
    action = request.POST.get("action")
    user = request.user
    if action == "automatic":
        plan = report(
            request,
            lambda: services.assign_automatic(actor=user, stage=stage),
            lambda p: (
                ngettext(
                    "%(count)d assignment made, none in conflict.",
                    "%(count)d assignments made, none in conflict.",
                    len(p.pairs),
                )
                % {"count": len(p.pairs)}
            ),
        )
        if plan is not FAILED and plan.short:
            messages.warning(
                request,
                ngettext(
                    "%(count)d proposal still lacks jurors: the panel is too small, too loaded "
                    "or in conflict with it.",
                    "%(count)d proposals still lack jurors: the panel is too small, too loaded "
                    "or in conflict with them.",
                    len(plan.short),
                )
                % {"count": len(plan.short)},
            )
    elif action == "bulk":
        ids = [int(i) for i in request.POST.getlist("juror") if i.isdigit()]
        report(
            request,
            lambda: services.assign_bulk(
                actor=user,
                stage=stage,
                juror_ids=ids,
                group_id=_int(request.POST.get("group")),
                category_id=_int(request.POST.get("category")),
            ),
            lambda r: (
                ngettext(
                    "%(created)d assignment made; %(conflicts)d left out for conflicts of "
                    "interest.",
                    "%(created)d assignments made; %(conflicts)d left out for conflicts of "
                    "interest.",
                    r["created"],
                )
                % r
            ),
        )
    elif action == "add":
        juror = get_object_or_404(
            PanelMember, stage=stage, juror_id=_int(request.POST.get("juror"))
        ).juror
        proposal = get_object_or_404(
            Proposal, pk=_int(request.POST.get("proposal")), stage_entries__stage=stage
        )
        report(
            request,
            lambda: services.assignment_add(
                actor=user, stage=stage, juror=juror, proposal=proposal
            ),
            _("Assigned."),
        )
    elif action == "remove":
        assignment = get_object_or_404(
            Assignment, pk=_int(request.POST.get("assignment")), stage=stage
        )
        report(
            request,
            lambda: services.assignment_remove(actor=user, assignment=assignment),
            _("Assignment removed."),
        )
    elif action == "reopen":
        assignment = get_object_or_404(
            Assignment.objects.select_related("sheet"),
            pk=_int(request.POST.get("assignment")),
            stage=stage,
        )
        report(
            request,
            lambda: services.sheet_reopen(
                actor=user, sheet=assignment.sheet, reason=request.POST.get("reason", "")
            ),
            _("The score sheet is open again; the juror has been told."),
        )
    return redirect("judging:assignments", pk=stage.pk)


def _int(value):
    return int(value) if value and str(value).isdigit() else None


@login_required
def calibration(request, pk):
    stage = selectors.stage_for(request.user, pk)
    if request.method == "POST":
        proposal = get_object_or_404(
            Proposal,
            pk=_int(request.POST.get("proposal")),
            competition__region=stage.competition.region,
            status__in=Proposal.IN_COMPETITION,
        )
        report(
            request,
            lambda: services.calibration_start(actor=request.user, stage=stage, proposal=proposal),
            lambda n: _("The sample proposal went to %(count)d panel members.") % {"count": n},
        )
        return redirect("judging:calibration", pk=stage.pk)
    return render(
        request,
        "judging/calibration.html",
        {
            "competition": stage.competition,
            "stage": stage,
            "view": selectors.calibration_view(stage),
            "candidates": Proposal.objects.filter(
                competition__region=stage.competition.region,
                status__in=(Proposal.Status.PASSED,),
            )
            .select_related("competition", "agency")
            .order_by("-competition__year", "title")[:200],
        },
    )
