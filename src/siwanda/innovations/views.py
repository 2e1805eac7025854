from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from siwanda.accounts.models import Role
from siwanda.accounts.roles import roles_of
from siwanda.activity.selectors import activity_for_object
from siwanda.core.actions import form_action, report
from siwanda.core.downloads import serve_private
from siwanda.core.forms import apply_errors
from siwanda.core.pagination import paginate
from siwanda.proposals.models import Proposal

from . import selectors, services
from .choices import Form, Stage, Urusan
from .forms import AwardForm, DecreeForm, EvidenceForm, InnovationForm, InnovatorFormSet, VerifyForm
from .models import EvidenceDocument, Innovation, Sdg


def innovation_for(request, pk, perm="innovations.view_innovation") -> Innovation:
    innovation = get_object_or_404(
        selectors.innovations_visible_to(request.user).select_related("agency", "region"), pk=pk
    )
    if not request.user.has_perm(perm, innovation):
        raise PermissionDenied
    return innovation


@login_required
def innovation_list(request):
    if not request.user.has_perm("innovations.list_innovations"):
        raise PermissionDenied
    roles = roles_of(request.user)
    visible = selectors.innovations_visible_to(request.user)
    filters = {
        k: request.GET.get(k, "")
        for k in ("q", "form", "stage", "urusan", "sdg", "digital", "agency")
    }
    qs = selectors.innovation_list(
        user=request.user,
        search=filters["q"].strip(),
        form=filters["form"],
        stage=filters["stage"],
        urusan=filters["urusan"],
        sdg=filters["sdg"] or None,
        digital=filters["digital"] or None,
        agency_id=filters["agency"] or None,
    )
    return render(
        request,
        "innovations/list.html",
        {
            "page": paginate(request, qs),
            "filters": filters,
            "forms": Form.choices,
            "stages": Stage.choices,
            "urusans": Urusan.choices,
            "sdgs": Sdg.objects.all(),
            "can_add": bool(roles.agency_ids(Role.OPERATOR)),
            "total": visible.count(),
        },
    )


def _innovators(request, innovation=None):
    initial = (
        [
            {"name": i.name, "position": i.position, "is_lead": i.is_lead}
            for i in innovation.innovators.all()
        ]
        if innovation
        else []
    )
    return InnovatorFormSet(request.POST or None, initial=initial, prefix="innovators")


def _innovator_rows(formset):
    return [
        f.cleaned_data
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("name")
    ]


@login_required
def innovation_create(request):
    agencies = roles_of(request.user).agencies(Role.OPERATOR)
    if not agencies:
        raise PermissionDenied
    agency = next((a for a in agencies if str(a.pk) == request.GET.get("agency")), agencies[0])
    sources = Innovation.objects.select_related("agency").order_by("title")
    form = InnovationForm(request.POST or None, source_queryset=sources)
    innovators = _innovators(request)
    if request.method == "POST" and form.is_valid() and innovators.is_valid():
        data = dict(form.cleaned_data)
        sdgs = data.pop("sdgs")
        try:
            innovation = services.innovation_create(
                actor=request.user,
                agency=agency,
                sdgs=sdgs,
                innovators=_innovator_rows(innovators),
                **data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Innovation registered."))
            return redirect("innovations:detail", pk=innovation.pk)
    return render(
        request,
        "innovations/form.html",
        {
            "form": form,
            "innovators": innovators,
            "agency": agency,
            "agencies": agencies,
        },
    )


@login_required
def innovation_update(request, pk):
    innovation = innovation_for(request, pk, "innovations.change_innovation")
    sources = (
        Innovation.objects.exclude(pk=innovation.pk).select_related("agency").order_by("title")
    )
    initial = {f: getattr(innovation, f) for f in InnovationForm._meta.fields if f != "sdgs"}
    initial["sdgs"] = list(innovation.sdgs.all())
    form = InnovationForm(request.POST or None, initial=initial, source_queryset=sources)
    innovators = _innovators(request, innovation)
    if request.method == "POST" and form.is_valid() and innovators.is_valid():
        data = dict(form.cleaned_data)
        sdgs = data.pop("sdgs")
        try:
            services.innovation_update(actor=request.user, innovation=innovation, sdgs=sdgs, **data)
            services.innovation_set_innovators(
                actor=request.user, innovation=innovation, innovators=_innovator_rows(innovators)
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("innovations:detail", pk=innovation.pk)
    return render(
        request,
        "innovations/form.html",
        {
            "form": form,
            "innovators": innovators,
            "innovation": innovation,
            "agency": innovation.agency,
        },
    )


@login_required
def innovation_detail(request, pk):
    innovation = innovation_for(request, pk)
    user = request.user
    can_change = user.has_perm("innovations.change_innovation", innovation)
    can_verify = user.has_perm("innovations.verify_evidence", innovation)
    can_publish = user.has_perm("catalogue.publish_innovation", innovation)
    proposals = (
        Proposal.objects.filter(innovation=innovation)
        .select_related("competition", "competition__region")
        .order_by("-competition__year")
    )
    return render(
        request,
        "innovations/detail.html",
        {
            "innovation": innovation,
            "sdgs": innovation.sdgs.all(),
            "innovators": innovation.innovators.all(),
            "evidence": innovation.evidence.select_related("verified_by"),
            "awards": innovation.awards.all(),
            "proposals": [p for p in proposals if user.has_perm("proposals.view_proposal", p)],
            "replications": innovation.replications.select_related("agency", "region"),
            "can_change": can_change,
            "can_verify": can_verify,
            "can_publish": can_publish,
            "published": hasattr(innovation, "catalogue_entry"),
            "evidence_form": EvidenceForm() if can_change else None,
            "decree_form": DecreeForm(initial={"number": innovation.decree_number})
            if can_change
            else None,
            "award_form": AwardForm() if can_verify else None,
            "verify_form": VerifyForm(),
            "history": activity_for_object(user=user, target=innovation)[:30]
            if user.has_perm("activity.view_log", innovation.region)
            else None,
        },
    )


def innovation_url(innovation, anchor=""):
    return reverse("innovations:detail", args=[innovation.pk]) + anchor


@login_required
@require_POST
def evidence_add(request, pk):
    innovation = innovation_for(request, pk, "innovations.change_innovation")
    return form_action(
        request,
        EvidenceForm(request.POST, request.FILES),
        lambda data: services.evidence_add(
            actor=request.user,
            innovation=innovation,
            kind=data["kind"],
            description=data["description"],
            upload=data["file"],
        ),
        _("Document added; the secretariat will verify it."),
        innovation_url(innovation, "#evidence"),
    )


@login_required
@require_POST
def decree_upload(request, pk):
    innovation = innovation_for(request, pk, "innovations.change_innovation")
    return form_action(
        request,
        DecreeForm(request.POST, request.FILES),
        lambda data: services.innovation_set_decree(
            actor=request.user, innovation=innovation, upload=data["file"], number=data["number"]
        ),
        _("Decree uploaded."),
        innovation_url(innovation),
    )


def evidence_for(request, pk) -> EvidenceDocument:
    document = get_object_or_404(EvidenceDocument.objects.select_related("innovation"), pk=pk)
    innovation_for(request, document.innovation_id)
    return document


@login_required
@require_POST
def evidence_remove(request, pk):
    document = evidence_for(request, pk)
    report(
        request,
        lambda: services.evidence_remove(actor=request.user, document=document),
        _("Document removed."),
    )
    return redirect(innovation_url(document.innovation, "#evidence"))


@login_required
@require_POST
def evidence_verify(request, pk):
    document = evidence_for(request, pk)
    return form_action(
        request,
        VerifyForm(request.POST),
        lambda data: services.evidence_verify(actor=request.user, document=document, **data),
        _("Verification saved."),
        innovation_url(document.innovation, "#evidence"),
    )


@login_required
def evidence_download(request, pk):
    document = evidence_for(request, pk)
    return serve_private(document.file, document.original_name)


@login_required
def decree_download(request, pk):
    innovation = innovation_for(request, pk)
    if not innovation.decree_file:
        raise Http404
    return serve_private(innovation.decree_file, innovation.decree_file.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def award_add(request, pk):
    innovation = innovation_for(request, pk, "innovations.verify_evidence")
    return form_action(
        request,
        AwardForm(request.POST),
        lambda data: services.award_add(actor=request.user, innovation=innovation, **data),
        _("Award recorded."),
        innovation_url(innovation, "#awards"),
    )
