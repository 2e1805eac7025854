from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from siwanda.competitions.models import FormSection
from siwanda.core.actions import report
from siwanda.proposals.views import proposal_for
from siwanda.regions.views import region_for

from . import services
from .forms import AssignForm
from .models import Assignment, Comment


def _back(request, proposal, section_id):
    """Back to the section: in the editor for its authors, on the proposal page for others."""
    writes = proposal.status == "draft" and request.user.has_perm(
        "proposals.change_proposal", proposal
    )
    name = "proposals:edit" if writes else "proposals:detail"
    return redirect(reverse(name, args=[proposal.pk]) + f"#section-{section_id}")


@login_required
@require_POST
def comment_add(request, pk, section_pk):
    proposal = proposal_for(request, pk, "mentoring.add_comment")
    section = get_object_or_404(FormSection, pk=section_pk, version=proposal.form_version)
    report(
        request,
        lambda: services.comment_add(
            actor=request.user,
            proposal=proposal,
            section=section,
            text=request.POST.get("text", ""),
        ),
        _("Comment sent to the authors."),
    )
    return _back(request, proposal, section.pk)


def comment_for(request, pk) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("proposal"), pk=pk)
    proposal_for(request, comment.proposal_id, "mentoring.reply_comment")
    return comment


@login_required
@require_POST
def comment_reply(request, pk):
    comment = comment_for(request, pk)
    report(
        request,
        lambda: services.comment_reply(
            actor=request.user, comment=comment, text=request.POST.get("text", "")
        ),
        _("Reply sent."),
    )
    return _back(request, comment.proposal, comment.section_id)


@login_required
@require_POST
def comment_resolve(request, pk):
    comment = comment_for(request, pk)
    resolved = request.POST.get("resolved", "1") == "1"
    report(
        request,
        lambda: services.comment_resolve(actor=request.user, comment=comment, resolved=resolved),
        _("Marked as resolved.") if resolved else _("Reopened."),
    )
    return _back(request, comment.proposal, comment.section_id)


@login_required
def assignments(request, code):
    region = region_for(request, code, "accounts.manage_people")
    form = AssignForm(request.POST or None, region=region)
    if request.method == "POST":
        if "remove" in request.POST:
            assignment = get_object_or_404(
                Assignment.objects.filter(
                    Q(agency__region=region) | Q(proposal__competition__region=region)
                ),
                pk=request.POST["remove"],
            )
            services.mentor_unassign(actor=request.user, assignment=assignment, region=region)
            messages.success(request, _("Assignment removed."))
            return redirect("mentoring:assignments", code=region.code)
        if form.is_valid():
            try:
                services.mentor_assign(actor=request.user, region=region, **form.cleaned_data)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Mentor assigned."))
                return redirect("mentoring:assignments", code=region.code)
    rows = (
        Assignment.objects.filter(
            Q(agency__region=region) | Q(proposal__competition__region=region)
        )
        .select_related("mentor", "agency", "proposal")
        .order_by("mentor__full_name", "agency__name")
    )
    return render(
        request, "mentoring/assignments.html", {"region": region, "form": form, "rows": rows}
    )
