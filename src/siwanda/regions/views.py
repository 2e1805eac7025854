from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from siwanda.activity.selectors import activity_for_object
from siwanda.core.forms import apply_errors
from siwanda.core.import_views import import_page
from siwanda.core.pagination import paginate

from . import selectors, services
from .forms import AgencyForm, AgencyImporter, RegionSettingsForm
from .models import Agency, Region


def region_for(request, code: str, perm: str = "regions.view_region") -> Region:
    """The region of the URL: 404 when the person may not see it (its existence is not
    revealed), 403 when they may see it but not do this."""
    region = get_object_or_404(selectors.regions_visible_to(request.user), code=code)
    if not request.user.has_perm(perm, region):
        raise PermissionDenied
    return region


def agency_for(request, pk: int, perm: str = "regions.view_agency") -> Agency:
    agency = get_object_or_404(
        selectors.agencies_visible_to(request.user).select_related("region", "parent"), pk=pk
    )
    if not request.user.has_perm(perm, agency):
        raise PermissionDenied
    return agency


@login_required
def region_list(request):
    """All regions for a system administrator; straight to the region for everyone with one."""
    visible = list(selectors.regions_visible_to(request.user).values_list("code", flat=True)[:2])
    if not visible:
        raise PermissionDenied
    if len(visible) == 1:
        return redirect("regions:detail", code=visible[0])
    search = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    qs = selectors.region_list(user=request.user, search=search, kind=kind)
    return render(
        request,
        "regions/region_list.html",
        {
            "page": paginate(request, qs),
            "search": search,
            "kind": kind,
            "kinds": Region.Kind.choices,
        },
    )


@login_required
def region_detail(request, code):
    region = region_for(request, code)
    can_manage = request.user.has_perm("regions.manage_region", region)
    form = RegionSettingsForm(request.POST or None, instance=region) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            services.region_update_settings(
                actor=request.user,
                region=region,
                require_admin_2fa=form.cleaned_data["require_admin_2fa"],
            )
            messages.success(request, _("Settings saved."))
            return redirect("regions:detail", code=region.code)
    counts = region.agencies.aggregate(
        active=Count("pk", filter=Q(is_active=True)),
        inactive=Count("pk", filter=Q(is_active=False)),
    )
    people = region.role_assignments.values("user").distinct().count()
    return render(
        request,
        "regions/region_detail.html",
        {
            "region": region,
            "form": form,
            "can_manage": can_manage,
            "counts": counts,
            "people_count": people,
        },
    )


@login_required
def agency_list(request, code):
    region = region_for(request, code)
    search = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "active")
    qs = selectors.agency_list(
        user=request.user, region=region, search=search, kind=kind, status=status
    )
    if request.GET.get("without") == "operator":
        qs = qs.filter(operator_count=0)
    return render(
        request,
        "regions/agency_list.html",
        {
            "region": region,
            "page": paginate(request, qs),
            "search": search,
            "kind": kind,
            "status": status,
            "kinds": Agency.Kind.choices,
            "can_manage": request.user.has_perm("regions.manage_region", region),
        },
    )


@login_required
def agency_create(request, code):
    region = region_for(request, code, "regions.manage_region")
    form = AgencyForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.agency_create(actor=request.user, region=region, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Agency “%(name)s” added.") % {"name": agency.name})
            if "add_another" in request.POST:
                return redirect("regions:agency_create", code=region.code)
            return redirect("regions:agency_detail", pk=agency.pk)
    return render(request, "regions/agency_form.html", {"region": region, "form": form})


@login_required
def agency_import(request, code):
    region = region_for(request, code, "regions.manage_region")
    return import_page(
        request,
        kind="agencies",
        importer=AgencyImporter(region),
        save=lambda rows: len(services.agency_import(actor=request.user, region=region, rows=rows)),
        context={
            "region": region,
            "title": _("Import agencies"),
            "back_url": reverse("regions:agency_list", args=[region.code]),
            "help": _(
                "One agency per row. The first row names the columns; only Name is required. "
                "Type is one of: dinas, badan, bagian, kecamatan, kelurahan, desa, puskesmas, "
                "sekolah, UPT, BUMD, masyarakat, lainnya. Parent agency is the name of an agency "
                "that already exists or appears on an earlier row."
            ),
        },
        done_url=reverse("regions:agency_list", args=[region.code]),
    )


@login_required
def agency_detail(request, pk):
    agency = agency_for(request, pk)
    can_manage = request.user.has_perm("regions.manage_agency", agency)
    people = None
    if request.user.has_perm("accounts.manage_people", agency.region):
        people = agency.role_assignments.select_related("user").order_by("role", "user__full_name")
    return render(
        request,
        "regions/agency_detail.html",
        {
            "agency": agency,
            "region": agency.region,
            "can_manage": can_manage,
            "people": people,
            "children": agency.children.order_by("name"),
            "history": activity_for_object(user=request.user, target=agency)[:50]
            if request.user.has_perm("activity.view_log", agency.region)
            else None,
        },
    )


@login_required
def agency_update(request, pk):
    agency = agency_for(request, pk, "regions.manage_agency")
    form = AgencyForm(request.POST or None, instance=agency, region=agency.region)
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_update(actor=request.user, agency=agency, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("regions:agency_detail", pk=agency.pk)
    return render(
        request,
        "regions/agency_form.html",
        {
            "region": agency.region,
            "form": form,
            "agency": agency,
        },
    )


@login_required
@require_POST
def agency_set_active(request, pk):
    agency = agency_for(request, pk, "regions.manage_agency")
    active = request.POST.get("active") == "1"
    services.agency_set_active(actor=request.user, agency=agency, active=active)
    messages.success(request, _("Agency reactivated.") if active else _("Agency deactivated."))
    return redirect("regions:agency_detail", pk=agency.pk)
