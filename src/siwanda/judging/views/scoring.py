"""The juror's pages: my assignments, the score sheet beside the proposal (autosaved), submit,
recuse, and the proposal's files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from siwanda.core.actions import FAILED, report
from siwanda.core.downloads import serve_private
from siwanda.proposals.models import Attachment
from siwanda.proposals.selectors import proposal_parts

from .. import selectors, services
from ..models import Criterion, Sheet, Stage


@login_required
def my_assignments(request):
    if not request.user.has_perm("judging.judge"):
        raise PermissionDenied
    return render(
        request, "judging/my_assignments.html", {"work": selectors.juror_work(request.user)}
    )


def _typed(request, criteria):
    """What the juror typed, by criterion id, as the services take it."""
    return {
        str(c.pk): {
            "value": request.POST.get(f"score-{c.pk}", "").strip(),
            "not_applicable": request.POST.get(f"na-{c.pk}") == "on",
            "comment": request.POST.get(f"comment-{c.pk}", ""),
        }
        for c in criteria
    }


@login_required
def sheet(request, pk):
    assignment = selectors.assignment_for_juror(request.user, pk)
    stage = assignment.stage
    criteria = selectors.criteria_of(stage)
    typed, errors = None, {}
    if request.method == "POST":
        typed = _typed(request, criteria)
        try:
            services.sheet_save(
                actor=request.user,
                assignment=assignment,
                values=typed,
                comment=request.POST.get("comment", ""),
            )
            if "submit" in request.POST:
                services.sheet_submit(actor=request.user, assignment=assignment)
                messages.success(request, _("Score sheet submitted and locked. Thank you."))
                return redirect("judging:my_assignments")
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            # A refusal of the whole sheet (locked, scoring closed) is said as it is.
            for message in errors.pop("", []):
                messages.error(request, message)
            if errors:
                messages.error(request, _("Some scores need attention: see the marked criteria."))
        else:
            messages.success(request, _("Scores saved."))
            return redirect("judging:sheet", pk=assignment.pk)
    current = Sheet.objects.filter(assignment=assignment).first()
    scores = selectors.sheet_scores(assignment) if current else {}
    rows = []
    for c in criteria:
        score = scores.get(c.pk)
        mine = (typed or {}).get(str(c.pk))
        rows.append(
            {
                "criterion": c,
                "value": mine["value"]
                if mine
                else (
                    "" if score is None or score.value is None else f"{score.value.normalize():f}"
                ),
                "na": mine["not_applicable"] if mine else bool(score and score.not_applicable),
                "comment": mine["comment"] if mine else (score.comment if score else ""),
                "errors": errors.get(str(c.pk), []),
            }
        )
    return render(
        request,
        "judging/sheet.html",
        {
            "assignment": assignment,
            "stage": stage,
            "competition": stage.competition,
            "proposal": assignment.proposal,
            "rubric": stage.rubric,
            "rows": rows,
            "sheet": current,
            "comment": request.POST.get("comment", "")
            if typed
            else (current.comment if current else ""),
            "locked": current is not None and current.status == Sheet.Status.SUBMITTED,
            "open": stage.status == Stage.Status.SCORING,
            "parts": proposal_parts(assignment.proposal),
            "peers": selectors.peer_totals(assignment),
            "slot": stage.slots.filter(proposal=assignment.proposal).first(),
        },
    )


@login_required
@require_POST
def score_autosave(request, pk):
    """One criterion saved as the juror types; JSON for the page's script."""
    assignment = selectors.assignment_for_juror(request.user, pk)
    if request.POST.get("field") == "comment":
        try:
            services.sheet_save(
                actor=request.user,
                assignment=assignment,
                values={},
                comment=request.POST.get("comment", ""),
            )
        except ValidationError as error:
            return JsonResponse({"ok": False, "error": " ".join(error.messages)}, status=400)
        return JsonResponse({"ok": True})
    criterion = get_object_or_404(
        Criterion, pk=request.POST.get("criterion") or 0, rubric_id=assignment.stage.rubric_id
    )
    try:
        services.score_save(
            actor=request.user,
            assignment=assignment,
            criterion=criterion,
            value=request.POST.get("value", ""),
            not_applicable=request.POST.get("not_applicable") == "true",
            comment=request.POST.get("comment"),
        )
    except ValidationError as error:
        return JsonResponse({"ok": False, "error": " ".join(error.messages)}, status=400)
    return JsonResponse({"ok": True})


@login_required
@require_POST
def recuse(request, pk):
    assignment = selectors.assignment_for_juror(request.user, pk)
    done = report(
        request,
        lambda: services.recusal_declare(
            actor=request.user, assignment=assignment, reason=request.POST.get("reason", "")
        ),
        _("Your conflict of interest is recorded; the proposal is no longer yours to judge."),
    )
    if done is not FAILED:
        return redirect("judging:my_assignments")
    return redirect("judging:sheet", pk=assignment.pk)


@login_required
def sheet_attachment(request, pk, attachment_pk):
    assignment = selectors.assignment_for_juror(request.user, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, proposal=assignment.proposal)
    return serve_private(attachment.file, attachment.original_name)
