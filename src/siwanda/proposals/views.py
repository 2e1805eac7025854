import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from siwanda.accounts.models import Role
from siwanda.accounts.roles import roles_of
from siwanda.competitions.deadlines import accepts_from, deadline_for, extension_for
from siwanda.competitions.models import FieldType, FormField, FormSection
from siwanda.competitions.selectors import competitions_visible_to
from siwanda.core.actions import FAILED, report
from siwanda.core.downloads import serve_private
from siwanda.core.forms import apply_errors
from siwanda.core.pagination import paginate
from siwanda.core.templatetags.siwanda import when
from siwanda.core.text import count_words
from siwanda.mentoring.selectors import comments_for
from siwanda.screening.checks import blocking
from siwanda.screening.messages import finding_text

from . import history, selectors, services
from .forms import CommentForm, HeaderForm, ReasonForm, ReturnForm, StartForm
from .models import Attachment, Proposal, Revision

PRESENCE_SECONDS = 120


def proposal_for(request, pk, perm="proposals.view_proposal") -> Proposal:
    proposal = get_object_or_404(
        selectors.proposals_visible_to(request.user).select_related(
            "competition",
            "competition__region",
            "agency",
            "group",
            "category",
            "innovation",
            "form_version",
        ),
        pk=pk,
    )
    if not request.user.has_perm(perm, proposal):
        raise PermissionDenied
    return proposal


@login_required
def proposal_list(request):
    if not request.user.has_perm("proposals.list_proposals"):
        raise PermissionDenied
    competition = None
    if request.GET.get("competition"):
        competition = get_object_or_404(
            competitions_visible_to(request.user), pk=request.GET["competition"]
        )
    status = request.GET.get("status", "")
    search = request.GET.get("q", "").strip()
    qs = selectors.proposal_list(
        user=request.user, competition=competition, status=status, search=search
    )
    return render(
        request,
        "proposals/list.html",
        {
            "page": paginate(request, qs),
            "competition": competition,
            "status": status,
            "search": search,
            "statuses": Proposal.Status.choices,
            "awaiting": selectors.awaiting_approval_for(request.user)[:20],
        },
    )


@login_required
def proposal_create(request, competition_pk):
    competition = get_object_or_404(
        competitions_visible_to(request.user).select_related("region"), pk=competition_pk
    )
    agencies = [
        a
        for a in roles_of(request.user).agencies(Role.OPERATOR)
        if a.region_id == competition.region_id
    ]
    if not agencies:
        raise PermissionDenied
    agency = next((a for a in agencies if str(a.pk) == request.GET.get("agency")), agencies[0])
    form = StartForm(request.POST or None, competition=competition, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(
                actor=request.user, competition=competition, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Proposal started. Answers known from the registry are already filled in."),
            )
            return redirect("proposals:edit", pk=proposal.pk)
    return render(
        request,
        "proposals/create.html",
        {
            "form": form,
            "competition": competition,
            "agency": agency,
            "has_innovations": form.fields["innovation"].queryset.exists(),
            "open": accepts_from(competition, agency),
            "deadline": deadline_for(competition, agency, extension_for(competition, agency)),
        },
    )


def _context(request, proposal):
    user = request.user
    extension = extension_for(proposal.competition, proposal.agency)
    deadline = deadline_for(proposal.competition, proposal.agency, extension)
    comments = list(comments_for(user=user, proposal=proposal))
    threads = {}
    for comment in comments:
        threads.setdefault(comment.section_id, []).append(comment)
    return {
        "proposal": proposal,
        "competition": proposal.competition,
        "parts": selectors.proposal_parts(proposal),
        "deadline": deadline,
        "extension": extension,
        "open": accepts_from(proposal.competition, proposal.agency, extension=extension),
        "can_change": user.has_perm("proposals.change_proposal", proposal),
        "can_approve": user.has_perm("proposals.approve_proposal", proposal),
        "can_withdraw": user.has_perm("proposals.withdraw_proposal", proposal),
        "can_comment": user.has_perm("mentoring.add_comment", proposal),
        "can_reply": user.has_perm("mentoring.reply_comment", proposal),
        "threads": threads,
        "open_threads": sum(1 for c in comments if not c.resolved_at),
        "comment_form": CommentForm(),
    }


@login_required
def proposal_detail(request, pk):
    proposal = proposal_for(request, pk)
    context = _context(request, proposal)
    review = getattr(proposal, "screening", None)
    context.update(
        {
            "review": review,
            "objections": proposal.objections.select_related("submitted_by", "decided_by"),
            "return_form": ReturnForm(),
            "reason_form": ReasonForm(),
        }
    )
    if review is not None:
        from siwanda.screening.services import objection_deadline

        context["failed_items"] = [
            (item, review.checklist.get(str(item.pk), {}).get("reason", ""))
            for item in proposal.competition.checklist.all()
            if not review.checklist.get(str(item.pk), {}).get("ok", True)
        ]
        context["objection_until"] = objection_deadline(review)
        context["can_object"] = (
            context["can_withdraw"]
            and proposal.status == Proposal.Status.FAILED
            and not review.final
            and context["objection_until"]
            and timezone.now() <= context["objection_until"]
            and not proposal.objections.filter(decision="pending").exists()
        )
    return render(request, "proposals/detail.html", context)


@login_required
def proposal_edit(request, pk):
    proposal = proposal_for(request, pk, "proposals.change_proposal")
    if proposal.status != Proposal.Status.DRAFT:
        return redirect("proposals:detail", pk=proposal.pk)
    context = _context(request, proposal)
    context["header_form"] = HeaderForm(
        competition=proposal.competition,
        initial={
            "title": proposal.title,
            "implementation_start": proposal.implementation_start,
            "category": proposal.category_id,
        },
    )
    return render(request, "proposals/edit.html", context)


@login_required
@require_POST
def proposal_header(request, pk):
    proposal = proposal_for(request, pk, "proposals.change_proposal")
    form = HeaderForm(request.POST, competition=proposal.competition)
    if form.is_valid():
        try:
            services.proposal_update_header(
                actor=request.user,
                proposal=proposal,
                title=form.cleaned_data["title"],
                implementation_start=form.cleaned_data["implementation_start"],
                category=form.cleaned_data.get("category"),
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Saved."))
    else:
        for errors in form.errors.values():
            messages.error(request, errors[0])
    return redirect("proposals:edit", pk=proposal.pk)


def _raw_value(request, field):
    if field.type in (FieldType.MULTIPLE_CHOICE, FieldType.SDGS):
        return (
            request.POST.getlist(f"f{field.pk}")
            if f"f{field.pk}" in request.POST
            else request.POST.getlist("value")
        )
    return request.POST.get(f"f{field.pk}", request.POST.get("value"))


def _presence(proposal, section_id, user) -> list[str]:
    """Who else touched this section in the last two minutes (kept in the cache, shared by every
    app server when Redis is configured)."""
    key = f"presence:{proposal.pk}:{section_id}"
    now = time.time()
    seen = {k: v for k, v in (cache.get(key) or {}).items() if now - v[1] < PRESENCE_SECONDS}
    seen[user.pk] = (user.full_name or user.email, now)
    cache.set(key, seen, PRESENCE_SECONDS)
    return sorted(name for pk, (name, _t) in seen.items() if pk != user.pk)


@login_required
@require_POST
def answer_save(request, pk, field_pk):
    """The autosave endpoint: JSON in, JSON out (see proposal-editor.js)."""
    proposal = proposal_for(request, pk, "proposals.change_proposal")
    field = get_object_or_404(
        FormField.objects.select_related("section"),
        pk=field_pk,
        section__version=proposal.form_version,
    )
    base_version = _int(request.POST.get("base_version")) or 0
    region = proposal.competition.region
    try:
        answer = services.answer_save(
            actor=request.user,
            proposal=proposal,
            field=field,
            value=_raw_value(request, field),
            base_version=base_version,
            force=request.POST.get("force") == "1",
        )
    except services.Conflict as conflict:
        theirs = conflict.answer
        return JsonResponse(
            {
                "ok": False,
                "conflict": True,
                "version": theirs.version,
                "value": theirs.value,
                "by": str(theirs.updated_by) if theirs.updated_by else "",
                "at": when(theirs.updated_at, region),
            },
            status=409,
        )
    except ValidationError as error:
        locked = proposal.status != Proposal.Status.DRAFT or not accepts_from(
            proposal.competition, proposal.agency
        )
        return JsonResponse(
            {"ok": False, "locked": locked, "error": " ".join(error.messages)},
            status=423 if locked else 400,
        )
    return JsonResponse(
        {
            "ok": True,
            "version": answer.version,
            "saved_at": answer.updated_at.isoformat(),
            "saved_label": when(answer.updated_at, region),
            "words": count_words(answer.value) if isinstance(answer.value, str) else None,
            "editors": _presence(proposal, field.section_id, request.user),
        }
    )


@login_required
@require_POST
def section_save(request, pk, section_pk):
    """The same saving without JavaScript: the whole section's form, answer by answer."""
    proposal = proposal_for(request, pk, "proposals.change_proposal")
    section = get_object_or_404(FormSection, pk=section_pk, version=proposal.form_version)
    problems = []
    for field in section.fields.exclude(type=FieldType.FILE):
        if f"f{field.pk}" not in request.POST and field.type not in (
            FieldType.MULTIPLE_CHOICE,
            FieldType.SDGS,
        ):
            continue
        try:
            services.answer_save(
                actor=request.user,
                proposal=proposal,
                field=field,
                value=_raw_value(request, field),
                base_version=_int(request.POST.get(f"v{field.pk}")) or 0,
                force=request.POST.get("force") == "1",
            )
        except services.Conflict as conflict:
            problems.append(
                _(
                    "“%(question)s” was changed by %(who)s meanwhile: your text was not "
                    "saved over theirs. Copy it before reloading."
                )
                % {"question": field.text("name"), "who": conflict.answer.updated_by}
            )
        except ValidationError as error:
            problems.append(f"{field.text('name')}: {' '.join(error.messages)}")
    for problem in problems:
        messages.error(request, problem)
    if not problems:
        messages.success(request, _("Section saved."))
    return redirect(reverse("proposals:edit", args=[proposal.pk]) + f"#section-{section.pk}")


@login_required
@require_POST
def presence(request, pk, section_pk):
    proposal = proposal_for(request, pk, "proposals.change_proposal")
    return JsonResponse({"editors": _presence(proposal, section_pk, request.user)})


@login_required
@require_POST
def attachment_add(request, pk, field_pk):
    proposal = proposal_for(request, pk, "proposals.change_proposal")
    field = get_object_or_404(FormField, pk=field_pk, section__version=proposal.form_version)
    upload = request.FILES.get("file")
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    try:
        if upload is None:
            raise ValidationError(_("Choose a file first."))
        attachment = services.attachment_add(
            actor=request.user, proposal=proposal, field=field, upload=upload
        )
    except ValidationError as error:
        if wants_json:
            return JsonResponse({"ok": False, "error": " ".join(error.messages)}, status=400)
        messages.error(request, " ".join(error.messages))
    else:
        if wants_json:
            return JsonResponse(
                {
                    "ok": True,
                    "name": attachment.original_name,
                    "html": render_to_string(
                        "proposals/_attachment.html",
                        {"attachment": attachment, "proposal": proposal, "can_change": True},
                        request=request,
                    ),
                }
            )
        messages.success(request, _("File attached."))
    return redirect(reverse("proposals:edit", args=[proposal.pk]) + f"#field-{field.pk}")


def attachment_for(request, pk, perm="proposals.view_proposal") -> Attachment:
    attachment = get_object_or_404(Attachment.objects.select_related("field"), pk=pk)
    proposal_for(request, attachment.proposal_id, perm)
    return attachment


@login_required
@require_POST
def attachment_remove(request, pk):
    attachment = attachment_for(request, pk, "proposals.change_proposal")
    proposal_pk, field_pk = attachment.proposal_id, attachment.field_id
    try:
        services.attachment_remove(actor=request.user, attachment=attachment)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(reverse("proposals:edit", args=[proposal_pk]) + f"#field-{field_pk}")


@login_required
def attachment_download(request, pk):
    attachment = attachment_for(request, pk)
    return serve_private(attachment.file, attachment.original_name)


@login_required
def proposal_check(request, pk):
    proposal = proposal_for(request, pk)
    findings = services.proposal_findings(proposal)
    by_section: dict[str, list] = {}
    general = []
    for finding in findings:
        item = {
            "severity": finding.severity,
            "text": finding_text(finding.as_dict()),
            "question": finding.question,
        }
        (by_section.setdefault(finding.section, []) if finding.section else general).append(item)
    return render(
        request,
        "proposals/check.html",
        {
            "proposal": proposal,
            "by_section": by_section,
            "general": general,
            "errors": len(blocking(findings)),
            "warnings": len(findings) - len(blocking(findings)),
            "can_change": request.user.has_perm("proposals.change_proposal", proposal),
            "field_ids": {
                f.key: f.pk
                for f in FormField.objects.filter(section__version=proposal.form_version)
            },
        },
    )


@login_required
def proposal_pdf(request, pk):
    """The proposal as the jury will see it: no mentoring, no history."""
    proposal = proposal_for(request, pk)
    from weasyprint import HTML

    html = render_to_string(
        "proposals/pdf.html",
        {
            "proposal": proposal,
            "parts": selectors.proposal_parts(proposal),
            "generated": timezone.now(),
        },
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="usulan-{proposal.pk}.pdf"'
    return response


@login_required
def proposal_history(request, pk):
    proposal = proposal_for(request, pk)
    revisions = list(
        Revision.objects.filter(proposal=proposal)
        .select_related("author", "field")
        .order_by("-saved_at", "-id")[:500]
    )
    chosen = {r.pk: r for r in revisions}
    newer = chosen.get(_int(request.GET.get("b"))) or (revisions[0] if revisions else None)
    older = chosen.get(_int(request.GET.get("a"))) or (revisions[1] if len(revisions) > 1 else None)
    if newer and older and older.saved_at > newer.saved_at:
        older, newer = newer, older
    fields = FormField.objects.filter(section__version=proposal.form_version).order_by(
        "section__order", "order"
    )
    return render(
        request,
        "proposals/history.html",
        {
            "proposal": proposal,
            "revisions": revisions,
            "older": older,
            "newer": newer,
            "changes": history.compare(proposal, older, newer, fields) if older and newer else [],
        },
    )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _act(request, proposal, action, success):
    report(request, action, success)
    return redirect("proposals:detail", pk=proposal.pk)


@login_required
@require_POST
def proposal_send(request, pk):
    proposal = proposal_for(request, pk, "proposals.change_proposal")
    if (
        report(
            request,
            lambda: services.proposal_send(actor=request.user, proposal=proposal),
            _("Sent to the agency head for approval."),
        )
        is not FAILED
    ):
        return redirect("proposals:detail", pk=proposal.pk)
    return redirect("proposals:check", pk=proposal.pk)


@login_required
@require_POST
def proposal_approve(request, pk):
    proposal = proposal_for(request, pk, "proposals.approve_proposal")
    return _act(
        request,
        proposal,
        lambda: services.proposal_approve(actor=request.user, proposal=proposal),
        _("Approved: the proposal is submitted to the competition."),
    )


@login_required
@require_POST
def proposal_return(request, pk):
    proposal = proposal_for(request, pk, "proposals.approve_proposal")
    comment = request.POST.get("comment", "")
    return _act(
        request,
        proposal,
        lambda: services.proposal_return(actor=request.user, proposal=proposal, comment=comment),
        _("Returned to the authors with your comment."),
    )


@login_required
@require_POST
def proposal_withdraw(request, pk):
    proposal = proposal_for(request, pk, "proposals.withdraw_proposal")
    reason = request.POST.get("reason", "")
    return _act(
        request,
        proposal,
        lambda: services.proposal_withdraw(actor=request.user, proposal=proposal, reason=reason),
        _("The proposal is withdrawn."),
    )
