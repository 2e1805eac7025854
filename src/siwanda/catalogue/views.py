from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from siwanda.accounts.models import Role
from siwanda.accounts.roles import roles_of
from siwanda.core.actions import FAILED, form_action, save_form
from siwanda.core.downloads import serve_private
from siwanda.innovations.views import innovation_for
from siwanda.regions.models import Agency, Region

from . import exporters, selectors, services
from .forms import (
    CatalogueFilterForm,
    PublishForm,
    ReplicationAnswerForm,
    ReplicationCompleteForm,
    ReplicationMessageForm,
    ReplicationRequestForm,
    UnpublishForm,
)
from .models import CatalogueEntry, ReplicationRequest


def _region_choices(parent_code: str = "") -> list[tuple[str, str]]:
    """(code, name) of the provinces, or of a province's regencies and cities: reference data
    that changes with a new law, so kept in the cache for an hour."""
    key = f"catalogue:regions:{parent_code or 'provinces'}"
    choices = cache.get(key)
    if choices is None:
        regions = (
            Region.objects.filter(parent__code=parent_code)
            if parent_code
            else Region.objects.filter(kind=Region.Kind.PROVINCE)
        )
        choices = list(regions.order_by("name").values_list("code", "name"))
        cache.set(key, choices, 3600)
    return choices


def filter_form(data) -> CatalogueFilterForm:
    province = data.get("province") or ""
    return CatalogueFilterForm(
        data,
        provinces=_region_choices(),
        regions=_region_choices(province) if province and len(province) < 20 else [],
    )


FACET_FIELDS = [
    "province",
    "region",
    "agency_kind",
    "form",
    "urusan",
    "sdg",
    "stage",
    "year",
    "digital",
    "award",
]


def facets(form: CatalogueFilterForm, result) -> list[dict]:
    """Each filter with its choices and how many results each would give; a choice that gives
    none is left out unless it is the one chosen."""
    out = []
    for name in FACET_FIELDS:
        field = form[name]
        if name == "region" and not form.cleaned_data.get("province"):
            continue
        if name == "sdg":
            counts = result.sdg_counts
        elif name in ("province", "region"):
            ids = {r.code: str(r.pk) for r in result.regions.values()}
            counts = {
                code: result.counts.get(name, {}).get(ids.get(code, ""), 0)
                for code, _label in field.field.choices
            }
        else:
            counts = result.counts.get(name, {})
        chosen = str(form.cleaned_data.get(name) or "")
        if name == "year":  # the years there are, newest first
            choices = [
                (y, y) for y in sorted({*counts, *([chosen] if chosen else [])}, reverse=True)
            ]
        else:
            choices = field.field.choices
        options = [
            {
                "value": str(value),
                "label": label,
                "count": counts.get(str(value), 0),
                "selected": str(value) == chosen,
            }
            for value, label in choices
            if value != "" and (counts.get(str(value)) or str(value) == chosen)
        ]
        out.append({"name": name, "label": field.label, "options": options, "chosen": chosen})
    return out


def catalogue(request):
    """The public catalogue: search, filters with counts, sorting; the same URL with htmx
    answers only the results."""
    form = filter_form(request.GET)
    filters, dropped = form.filters()
    result = selectors.catalogue_search(filters=filters, page_number=request.GET.get("page"))
    context = {
        "form": form,
        "result": result,
        "dropped": dropped,
        "filters": filters,
        "facets": facets(form, result),
    }
    if request.htmx:
        return render(request, "catalogue/list.html#results", context)
    return render(request, "catalogue/list.html", context)


def download(request, fmt):
    """The catalogue, as filtered, as open data (CSV, JSON or XLSX), streamed."""
    filters, _dropped = filter_form(request.GET).filters()
    return exporters.download(filters, fmt)


def detail(request, pk):
    innovation = selectors.catalogue_innovation(pk)
    if innovation is None:
        raise Http404
    entry = innovation.catalogue_entry
    agencies = _request_agencies(request.user, innovation)
    return render(
        request,
        "catalogue/detail.html",
        {
            "innovation": innovation,
            "entry": entry,
            "similar": selectors.similar_entries(entry),
            "replicas": selectors.replicas_of(innovation),
            "can_request": agencies.exists(),
            "can_publish": request.user.has_perm("catalogue.publish_innovation", innovation),
        },
    )


def evidence(request, pk):
    document = selectors.public_evidence(pk)
    if document is None:
        raise Http404
    return serve_private(document.file, document.original_name)


def region_replications(request, code):
    region = get_object_or_404(Region, code=code)
    return render(
        request,
        "catalogue/region_replications.html",
        {"region": region, **selectors.replications_of_region(region)},
    )


# --- Publishing (the secretariat) -----------------------------------------------------------


@login_required
def publish(request, pk):
    innovation = innovation_for(request, pk, "catalogue.publish_innovation")
    form = PublishForm(request.POST or None, innovation=innovation)
    saved = save_form(
        request,
        form,
        lambda data: services.innovation_publish(
            actor=request.user,
            innovation=innovation,
            public_evidence_ids=[d.pk for d in data["public_evidence"]],
        ),
        _("The innovation is in the public catalogue."),
    )
    if saved is not FAILED:
        return redirect("catalogue:detail", innovation.pk)
    return render(
        request,
        "catalogue/publish.html",
        {
            "innovation": innovation,
            "form": form,
            "unpublish_form": UnpublishForm(),
            "published": CatalogueEntry.objects.filter(innovation=innovation).exists(),
        },
    )


@login_required
@require_POST
def unpublish(request, pk):
    innovation = innovation_for(request, pk, "catalogue.publish_innovation")
    return form_action(
        request,
        UnpublishForm(request.POST),
        lambda data: services.innovation_unpublish(
            actor=request.user, innovation=innovation, reason=data["reason"]
        ),
        _("The innovation has left the public catalogue."),
        reverse("catalogue:publish", args=[innovation.pk]),
    )


# --- Replication ----------------------------------------------------------------------------


def _request_agencies(user, innovation):
    """The agencies `user` could ask for (their operator agencies other than the owner)."""
    if not user.is_authenticated or not user.has_perm("catalogue.request_replication", innovation):
        return Agency.objects.none()
    ids = roles_of(user).agency_ids(Role.OPERATOR) - {innovation.agency_id}
    return Agency.objects.filter(pk__in=ids).select_related("region").order_by("name")


@login_required
def replication_new(request, pk):
    innovation = selectors.catalogue_innovation(pk)
    if innovation is None:
        raise Http404
    agencies = _request_agencies(request.user, innovation)
    if not agencies.exists():
        raise PermissionDenied
    form = ReplicationRequestForm(request.POST or None, agencies=agencies)
    created = save_form(
        request,
        form,
        lambda data: services.replication_request(
            actor=request.user, source=innovation, agency=data["agency"], message=data["message"]
        ),
        _("Your request was sent to the owner of the innovation."),
    )
    if isinstance(created, ReplicationRequest):
        return redirect("catalogue:request", created.pk)
    return render(
        request, "catalogue/replication_new.html", {"innovation": innovation, "form": form}
    )


@login_required
def requests(request):
    qs = selectors.requests_for(request.user)
    agencies = roles_of(request.user).agency_ids(Role.OPERATOR, Role.AGENCY_HEAD)
    return render(
        request,
        "catalogue/requests.html",
        {
            "incoming": [r for r in qs if r.source.agency_id in agencies],
            "outgoing": [r for r in qs if r.agency_id in agencies],
            "others": [
                r for r in qs if r.agency_id not in agencies and r.source.agency_id not in agencies
            ],
        },
    )


def _request_for(request, pk, *perms) -> ReplicationRequest:
    """The request, if the person may see it and hold one of `perms` (when given) on it."""
    replication = get_object_or_404(selectors.requests_for(request.user), pk=pk)
    user = request.user
    if not user.has_perm("catalogue.view_replication", replication):
        raise PermissionDenied
    if perms and not any(user.has_perm(perm, replication) for perm in perms):
        raise PermissionDenied
    return replication


@login_required
def request_detail(request, pk):
    replication = _request_for(request, pk)
    user = request.user
    can_answer = user.has_perm("catalogue.answer_replication", replication)
    can_complete = user.has_perm("catalogue.complete_replication", replication)
    return render(
        request,
        "catalogue/request.html",
        {
            "replication": replication,
            "thread": replication.thread.select_related("author"),
            "answer_form": ReplicationAnswerForm(auto_id="answer_%s")
            if can_answer and replication.is_open
            else None,
            "message_form": ReplicationMessageForm(auto_id="message_%s")
            if replication.is_open and user.has_perm("catalogue.write_replication", replication)
            else None,
            "complete_form": ReplicationCompleteForm(agency=replication.agency)
            if can_complete and replication.status == ReplicationRequest.Status.AGREED
            else None,
        },
    )


@login_required
@require_POST
def request_answer(request, pk):
    replication = _request_for(request, pk, "catalogue.answer_replication")
    return form_action(
        request,
        ReplicationAnswerForm(request.POST),
        lambda data: services.replication_answer(actor=request.user, request=replication, **data),
        _("Your answer was sent."),
        reverse("catalogue:request", args=[pk]),
    )


@login_required
@require_POST
def request_message(request, pk):
    replication = _request_for(request, pk, "catalogue.write_replication")
    return form_action(
        request,
        ReplicationMessageForm(request.POST),
        lambda data: services.replication_message(
            actor=request.user, request=replication, text=data["text"]
        ),
        _("Message sent."),
        reverse("catalogue:request", args=[pk]),
    )


@login_required
@require_POST
def request_complete(request, pk):
    replication = _request_for(request, pk, "catalogue.complete_replication")
    return form_action(
        request,
        ReplicationCompleteForm(request.POST, agency=replication.agency),
        lambda data: services.replication_complete(
            actor=request.user, request=replication, replica=data["replica"]
        ),
        _("The replica is recorded and linked to its source."),
        reverse("catalogue:request", args=[pk]),
    )
