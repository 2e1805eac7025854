from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from siwanda.competitions.models import Competition
from siwanda.competitions.services import eligible_agencies
from siwanda.competitions.views import competition_for
from siwanda.core.actions import report
from siwanda.proposals.models import Proposal
from siwanda.proposals.views import proposal_for

from . import services
from .checks import ERROR
from .messages import finding_text
from .models import Objection

S = Proposal.Status


@login_required
def screening_list(request, pk):
    competition = competition_for(request, pk, "competitions.manage_competition")
    status = request.GET.get("status", "")
    proposals = (
        Proposal.objects.filter(competition=competition, status__in=Proposal.IN_COMPETITION)
        .select_related("agency", "group", "screening")
        .annotate(pending_objections=Count("objections", filter=Q(objections__decision="pending")))
        .order_by("agency__name", "title")
    )
    if status in dict(Proposal.Status.choices):
        proposals = proposals.filter(status=status)
    rows = []
    for proposal in proposals:
        review = getattr(proposal, "screening", None)
        findings = review.findings if review else []
        rows.append(
            {
                "proposal": proposal,
                "review": review,
                "errors": sum(1 for f in findings if f["severity"] == ERROR),
                "warnings": sum(1 for f in findings if f["severity"] != ERROR),
                "texts": [finding_text(f) for f in findings][:4],
            }
        )
    return render(
        request,
        "screening/list.html",
        {
            "competition": competition,
            "rows": rows,
            "status": status,
            "in_screening": competition.status == Competition.Status.SCREENING,
        },
    )


@login_required
@require_POST
def refresh_all(request, pk):
    competition = competition_for(request, pk, "competitions.manage_competition")
    count = services.review_refresh_all(actor=request.user, competition=competition)
    messages.success(
        request, _("The automatic checks ran again for %(count)d proposals.") % {"count": count}
    )
    return redirect("screening:list", pk=competition.pk)


@login_required
@require_POST
def decide_bulk(request, pk):
    competition = competition_for(request, pk, "competitions.manage_competition")
    ids = [int(i) for i in request.POST.getlist("proposal") if i.isdigit()]
    passed = request.POST.get("decision") == "pass"
    if not ids:
        messages.error(request, _("Tick the proposals first."))
        return redirect("screening:list", pk=competition.pk)
    report(
        request,
        lambda: services.screening_decide_bulk(
            actor=request.user,
            competition=competition,
            proposal_ids=ids,
            passed=passed,
            reason=request.POST.get("reason", ""),
        ),
        lambda count: (
            ngettext(
                "%(count)d decision recorded and the agency told.",
                "%(count)d decisions recorded and the agencies told.",
                count,
            )
            % {"count": count}
        ),
    )
    return redirect("screening:list", pk=competition.pk)


@login_required
def review(request, pk):
    proposal = proposal_for(request, pk)
    competition = competition_for(
        request, proposal.competition_id, "competitions.manage_competition"
    )
    review = getattr(proposal, "screening", None) or services.review_refresh(proposal=proposal)
    checklist = list(competition.checklist.all())
    if request.method == "POST":
        if "refresh" in request.POST:
            services.review_refresh(proposal=proposal)
            return redirect("screening:review", pk=proposal.pk)
        items = {
            str(item.pk): {
                "ok": request.POST.get(f"item-{item.pk}") == "ok",
                "reason": request.POST.get(f"reason-{item.pk}", ""),
            }
            for item in checklist
        }
        try:
            services.screening_decide(
                actor=request.user,
                proposal=proposal,
                passed=request.POST.get("decision") == "pass",
                checklist=items,
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            review.checklist = items  # show what was typed again
        else:
            messages.success(request, _("Decision recorded; the agency has been told."))
            return redirect("screening:list", pk=competition.pk)
    return render(
        request,
        "screening/review.html",
        {
            "proposal": proposal,
            "competition": competition,
            "review": review,
            "findings": [
                {"severity": f["severity"], "text": finding_text(f)} for f in review.findings
            ],
            "checklist": [(item, review.checklist.get(str(item.pk), {})) for item in checklist],
            "objections": proposal.objections.select_related("submitted_by"),
            "in_screening": competition.status == Competition.Status.SCREENING,
            "posted_reason": request.POST.get("reason", review.reason),
        },
    )


@login_required
@require_POST
def objection_submit(request, pk):
    proposal = proposal_for(request, pk, "proposals.withdraw_proposal")
    report(
        request,
        lambda: services.objection_submit(
            actor=request.user, proposal=proposal, text=request.POST.get("text", "")
        ),
        _("Your objection was sent to the secretariat."),
    )
    return redirect("proposals:detail", pk=proposal.pk)


@login_required
@require_POST
def objection_decide(request, pk):
    objection = get_object_or_404(Objection.objects.select_related("proposal"), pk=pk)
    proposal = proposal_for(request, objection.proposal_id)
    competition_for(request, proposal.competition_id, "competitions.manage_competition")
    report(
        request,
        lambda: services.objection_decide(
            actor=request.user,
            objection=objection,
            accept=request.POST.get("decision") == "accept",
            note=request.POST.get("note", ""),
        ),
        _("The objection is decided; the decision is final."),
    )
    return redirect("screening:review", pk=proposal.pk)


FUNNEL = [
    (gettext_lazy("Drafting"), (S.DRAFT,)),
    (gettext_lazy("Awaiting approval"), (S.AWAITING_APPROVAL,)),
    (gettext_lazy("Submitted"), (S.SUBMITTED, S.PASSED, S.FAILED)),
    (gettext_lazy("Passed screening"), (S.PASSED,)),
    (gettext_lazy("Failed screening"), (S.FAILED,)),
]


def _funnel(qs, key):
    """Counts per funnel stage for each value of `key` (group, category or agency)."""
    counts = {}
    for row in qs.values(key, "status").annotate(n=Count("pk")):
        counts.setdefault(row[key], {})[row["status"]] = row["n"]
    return {
        k: [sum(v.get(s, 0) for s in statuses) for _label, statuses in FUNNEL]
        for k, v in counts.items()
    }


@login_required
def overview(request, pk):
    competition = competition_for(request, pk, "competitions.manage_competition")
    proposals = Proposal.objects.filter(competition=competition).exclude(status=S.WITHDRAWN)
    total = _funnel(proposals, "competition")
    by_group = _funnel(proposals, "group")
    by_category = _funnel(proposals, "category")
    by_agency = _funnel(proposals, "agency")
    groups = {g.pk: g for g in competition.groups.all()}
    categories = {c.pk: c for c in competition.categories.all()}
    agencies = {a.pk: a for a in eligible_agencies(competition)}
    entered = set(
        proposals.filter(status__in=Proposal.IN_COMPETITION).values_list("agency_id", flat=True)
    )
    return render(
        request,
        "screening/overview.html",
        {
            "competition": competition,
            "stages": [label for label, _s in FUNNEL],
            "total": total.get(competition.pk, [0] * len(FUNNEL)),
            "by_group": [(groups[k], v) for k, v in by_group.items() if k in groups],
            "by_category": [(categories.get(k), v) for k, v in by_category.items()]
            if categories
            else [],
            "by_agency": sorted(
                ((a, by_agency[k]) for k, a in agencies.items() if k in by_agency),
                key=lambda row: row[0].name,
            ),
            "nothing": sorted(
                (a for k, a in agencies.items() if k not in entered), key=lambda a: a.name
            ),
            "agency_count": len(agencies),
        },
    )
