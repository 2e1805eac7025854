"""Results: the secretariat's results page (final ranking, special categories, publication,
corrections and their proofs, certificates), the public results and certificate verification,
the documents, and the region's document templates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from siwanda.competitions.models import Competition
from siwanda.competitions.views import competition_for
from siwanda.core.actions import FAILED, report, save_form
from siwanda.judging import services as judging
from siwanda.judging.forms import SpecialAwardForm
from siwanda.judging.models import SpecialAward
from siwanda.judging.ranking import TIE_BREAKERS, final, load
from siwanda.proposals.models import Proposal
from siwanda.regions.views import region_for

from . import documents, services
from .forms import DocumentTemplateForm, PublishForm
from .models import Certificate, DocumentTemplate

MANAGE = "competitions.manage_competition"


def _preview(competition):
    """The combined ranking as it stands (before or between publications)."""
    stages = [
        s for s in competition.stages.select_related("rubric").order_by("order") if s.rubric_id
    ]
    if not stages:
        return [], stages
    rows = final([load(s) for s in stages], {s.pk: float(s.weight) for s in stages})
    proposals = Proposal.objects.select_related("agency").in_bulk([r.proposal for r in rows])
    for row in rows:
        row.item = proposals[row.proposal]
    return rows, stages


def _special_form(competition, data=None):
    return SpecialAwardForm(
        data,
        proposals=Proposal.objects.filter(competition=competition, status=Proposal.Status.PASSED)
        .select_related("agency")
        .order_by("title"),
    )


@login_required
def manage(request, pk):
    competition = competition_for(request, pk, MANAGE)
    special_form = _special_form(competition, request.POST or None)
    added = save_form(
        request,
        special_form,
        lambda data: judging.special_award_add(actor=request.user, competition=competition, **data),
        _("Special category recorded."),
    )
    if added is not FAILED:
        return redirect("results:manage", pk=competition.pk)
    rows, stages = _preview(competition)
    publications = list(competition.publications.select_related("published_by"))
    checked = None
    number = request.GET.get("check", "")
    if number.isdigit():
        publication = next((p for p in publications if p.number == int(number)), None)
        if publication is not None:
            checked = (
                publication,
                services.publication_recompute(publication),
                services.publication_replay(publication),
            )
    last = competition.stages.order_by("-order").first()
    winners = set()
    if last is not None:
        winners = set(last.entries.filter(outcome="advanced").values_list("proposal_id", flat=True))
    return render(
        request,
        "results/manage.html",
        {
            "competition": competition,
            "rows": rows,
            "stages": stages,
            "winners": winners,
            "specials": SpecialAward.objects.filter(competition=competition).select_related(
                "proposal__agency", "chosen_by"
            ),
            "special_form": special_form,
            "publish_form": PublishForm(),
            "problems": services.publish_problems(competition),
            "publications": publications,
            "checked": checked,
            "certificates": Certificate.objects.filter(
                publication__competition=competition
            ).select_related("publication", "proposal"),
            "tie_labels": TIE_BREAKERS,
        },
    )


@login_required
@require_POST
def special_remove(request, pk):
    award = get_object_or_404(
        SpecialAward.objects.select_related("competition__region", "proposal"), pk=pk
    )
    competition_for(request, award.competition_id, MANAGE)
    report(
        request,
        lambda: judging.special_award_remove(actor=request.user, award=award),
        _("Special category removed."),
    )
    return redirect("results:manage", pk=award.competition_id)


@login_required
@require_POST
def publish(request, pk):
    competition = competition_for(request, pk, MANAGE)
    form = PublishForm(request.POST)
    form.is_valid()
    report(
        request,
        lambda: services.results_publish(
            actor=request.user, competition=competition, reason=form.cleaned_data.get("reason", "")
        ),
        lambda p: (
            _(
                "Results published (snapshot %(number)d). Certificates are ready; the "
                "agencies have been told."
            )
            % {"number": p.number}
        ),
    )
    return redirect("results:manage", pk=competition.pk)


# --- Public ---------------------------------------------------------------------------------------


def public(request, pk):
    competition = get_object_or_404(Competition.objects.select_related("region"), pk=pk)
    publication = services.current_publication(competition)
    if publication is None:
        raise Http404
    return render(
        request,
        "results/public.html",
        {
            "competition": competition,
            "publication": publication,
            "winners": services.winners_table(publication),
            "stages": publication.data["stages"],
            "corrections": competition.publications.exclude(pk=publication.pk),
            "tie_labels": TIE_BREAKERS,
        },
    )


def verify(request, code):
    certificate = get_object_or_404(
        Certificate.objects.select_related("publication__competition__region"),
        code=code.upper(),
    )
    return render(
        request,
        "results/verify.html",
        {
            "certificate": certificate,
            "competition": certificate.publication.competition,
        },
    )


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _certificate_for(request, code) -> Certificate:
    certificate = get_object_or_404(
        Certificate.objects.select_related("publication__competition__region", "proposal"),
        code=code.upper(),
    )
    if not request.user.has_perm("results.download_certificate", certificate):
        raise PermissionDenied
    if certificate.revoked_at is not None:
        raise Http404
    return certificate


@login_required
def certificate(request, code):
    cert = _certificate_for(request, code)
    return _pdf(documents.certificate_pdf(cert), f"sertifikat-{cert.code}.pdf")


@login_required
def letter(request, code):
    cert = _certificate_for(request, code)
    return _pdf(documents.letter_pdf(cert), f"surat-{cert.code}.pdf")


@login_required
def annex(request, pk):
    competition = competition_for(request, pk, MANAGE)
    publication = services.current_publication(competition)
    if publication is None:
        raise Http404
    return _pdf(
        documents.annex_pdf(publication), f"lampiran-sk-{competition.year}-{publication.number}.pdf"
    )


# --- Document templates ---------------------------------------------------------------------------


@login_required
def document_template(request, code, kind):
    region = region_for(request, code, "results.manage_documents")
    if kind not in DocumentTemplate.Kind.values:
        raise Http404
    current = DocumentTemplate.objects.filter(region=region, kind=kind).first()
    form = DocumentTemplateForm(
        request.POST or None,
        initial={"body": current.body if current else documents.default_source(kind)},
    )
    if request.method == "POST":
        if "reset" in request.POST:
            documents.document_template_reset(actor=request.user, region=region, kind=kind)
            messages.success(request, _("Siwanda's own template is used again."))
            return redirect("results:document_template", code=region.code, kind=kind)
        saved = save_form(
            request,
            form,
            lambda data: documents.document_template_save(
                actor=request.user, region=region, kind=kind, body=data["body"]
            ),
            _("Template saved."),
        )
        if saved is not FAILED:
            return redirect("results:document_template", code=region.code, kind=kind)
    return render(
        request,
        "results/document_template.html",
        {
            "region": region,
            "kind": kind,
            "kind_label": DocumentTemplate.Kind(kind).label,
            "form": form,
            "custom": current,
            "kinds": DocumentTemplate.Kind.choices,
        },
    )
