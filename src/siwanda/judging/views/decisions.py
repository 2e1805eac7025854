"""Rankings (raw and normalised side by side, reliability, flags), moderation by the chair, and
advancement staged then applied in bulk."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from siwanda.core.actions import FAILED, report, save_form
from siwanda.core.pagination import paginate

from .. import selectors, services
from ..forms import ModerationForm
from ..models import Entry, Moderation, Stage
from ..ranking import TIE_BREAKERS


@login_required
def ranking(request, pk):
    stage = selectors.stage_for(request.user, pk, "judging.view_ranking")
    view = selectors.ranking_view(stage, request.user)
    manages = request.user.has_perm("judging.manage_stage", stage)
    decidable = (
        manages
        and stage.status == Stage.Status.CLOSED
        and not any(e.outcome != Entry.Outcome.PENDING for e in view.entries.values())
    )
    page = paginate(request, view.result.rows, per_page=100)
    jurors = {j.pk: j for j in view.jurors}
    for row in page.object_list:
        row.item = view.proposals[row.proposal]
        row.entry = view.entries.get(row.proposal)
        row.moderation = view.moderations.get(row.proposal)
        row.by_juror = [
            (jurors[j], value, row.normalised_jurors.get(j))
            for j, value in sorted(row.jurors.items(), key=lambda kv: str(jurors[kv[0]]))
        ]
    return render(
        request,
        "judging/ranking.html",
        {
            "competition": stage.competition,
            "stage": stage,
            "view": view,
            "page": page,
            "severity": [
                (jurors[j], v) for j, v in sorted(view.result.severity.items()) if j in jurors
            ],
            "raw_jurors": [jurors[j] for j in view.result.raw_jurors if j in jurors],
            "manages": manages,
            "can_moderate": request.user.has_perm("judging.moderate", stage),
            "decidable": decidable,
            "applied": any(e.outcome != Entry.Outcome.PENDING for e in view.entries.values()),
            "tie_breakers": [TIE_BREAKERS[t] for t in stage.tie_breakers if t in TIE_BREAKERS],
            "tie_labels": TIE_BREAKERS,
            "is_last": services.is_last(stage),
            "open_moderations": sum(
                1 for m in view.moderations.values() if m.status == Moderation.Status.OPEN
            ),
            "staged_count": sum(
                1 for e in view.entries.values() if e.staged == Entry.Outcome.ADVANCED
            ),
        },
    )


@login_required
@require_POST
def outcomes(request, pk):
    stage = selectors.stage_for(request.user, pk)
    user, action = request.user, request.POST.get("action")
    if action == "suggest":
        report(
            request,
            lambda: services.outcomes_stage(actor=user, stage=stage),
            lambda n: (
                _(
                    "Staged by the stage's rule: %(count)d go on. Nothing is announced "
                    "until you apply."
                )
                % {"count": n}
            ),
        )
    elif action == "save":
        chosen = {int(p) for p in request.POST.getlist("advance") if p.isdigit()}
        shown = {int(p) for p in request.POST.getlist("shown") if p.isdigit()}
        entries = stage.entries.filter(proposal_id__in=shown).values_list("proposal_id", flat=True)
        report(
            request,
            lambda: services.outcomes_stage(
                actor=user,
                stage=stage,
                outcomes={
                    p: Entry.Outcome.ADVANCED if p in chosen else Entry.Outcome.STOPPED
                    for p in entries
                },
            ),
            lambda n: (
                _("Staged: %(count)d go on. Nothing is announced until you apply.") % {"count": n}
            ),
        )
    elif action == "apply":
        report(
            request,
            lambda: services.outcomes_apply(actor=user, stage=stage),
            lambda r: (
                _("Applied: %(advanced)d go on, %(stopped)d do not. The agencies have been told.")
                % r
            ),
        )
    elif action == "votes":
        votes = {
            int(key.removeprefix("votes-")): int(value) if value.strip().isdigit() else None
            for key, value in request.POST.items()
            if key.startswith("votes-") and key.removeprefix("votes-").isdigit()
        }
        report(
            request,
            lambda: services.votes_record(actor=user, stage=stage, votes=votes),
            _("The panel's votes are recorded."),
        )
    return redirect("judging:ranking", pk=stage.pk)


@login_required
def moderation(request, pk):
    item = get_object_or_404(
        Moderation.objects.select_related(
            "stage__competition__region", "stage__rubric", "proposal__agency", "decided_by"
        ),
        pk=pk,
    )
    stage = selectors.stage_for(request.user, item.stage_id, "judging.moderate")
    if services.in_conflict(request.user, stage, item.proposal):
        raise Http404
    form = ModerationForm(
        request.POST or None,
        initial={
            "consensus": item.consensus,
            "justification": item.justification,
            "keep": item.status == Moderation.Status.DECIDED and item.consensus is None,
        },
    )
    if (
        save_form(
            request,
            form,
            lambda data: services.moderation_decide(
                actor=request.user,
                moderation=item,
                consensus=None if data["keep"] else data["consensus"],
                justification=data["justification"],
            ),
            _("The panel's decision is recorded."),
        )
        is not FAILED
    ):
        return redirect("judging:ranking", pk=stage.pk)
    view = selectors.ranking_view(stage, request.user)
    return render(
        request,
        "judging/moderation.html",
        {
            "competition": stage.competition,
            "stage": stage,
            "item": item,
            "form": form,
            "row": view.result.by_proposal().get(item.proposal_id),
            "jurors": {j.pk: j for j in view.jurors},
        },
    )
