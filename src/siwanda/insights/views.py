from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from siwanda.accounts.roles import roles_of
from siwanda.core.actions import report

from . import charts, selectors, services
from .exporters import csv_response
from .forms import DashboardForm
from .rules import DASHBOARD_ROLES


def _region_in(regions, value):
    if not str(value).isdigit():
        raise Http404
    return get_object_or_404(regions, pk=value)


def _scope(request, regions, region=None):
    """The region (from ?wilayah=, else the person's own) and the year (?tahun=, else the
    region's current year) a dashboard shows, with the form that chooses them. A year that is
    not offered is an error on the form; the current year is shown instead."""
    if region is None:
        wanted = request.GET.get("wilayah")
        region = _region_in(regions, wanted) if wanted else selectors.default_region(request.user)
    if region is None:
        raise PermissionDenied
    current = selectors.current_year(region)
    form = DashboardForm(
        {"wilayah": region.pk, "tahun": request.GET.get("tahun") or current}, regions=regions
    )
    year = form.cleaned_data["tahun"] if form.is_valid() else current
    return form, region, year


def _query(region, year) -> str:
    return urlencode({"wilayah": region.pk, "tahun": year})


def _panel(dataset, csv_url) -> dict:
    return {
        "dataset": dataset,
        "chart": charts.bar_chart(dataset),
        "rows": charts.table_rows(dataset),
        "csv_url": csv_url,
    }


@login_required
def dashboard(request):
    form, region, year = _scope(request, selectors.dashboard_regions(request.user))
    if not request.user.has_perm("insights.view_dashboard", region):
        raise PermissionDenied
    result = selectors.compliance(region=region, year=year)
    query = _query(region, year)
    panels = [
        _panel(dataset, f"{reverse('insights:csv', args=[dataset.key])}?{query}")
        for dataset in selectors.region_datasets(region=region, result=result)
    ]
    roles = roles_of(request.user)
    can_remind = request.user.has_perm("insights.remind", region)
    return render(
        request,
        "insights/dashboard.html",
        {
            "form": form,
            "region": region,
            "year": year,
            "several_regions": roles.is_system_admin or len(roles.region_ids(*DASHBOARD_ROLES)) > 1,
            "result": result,
            "panels": panels,
            "can_remind": can_remind and year == selectors.current_year(region),
            "last_reminder": selectors.last_reminder(region) if can_remind else None,
            "province_view": request.user.has_perm("insights.view_province", region),
        },
    )


@login_required
def dataset_csv(request, key):
    _form, region, year = _scope(request, selectors.dashboard_regions(request.user))
    if not request.user.has_perm("insights.view_dashboard", region):
        raise PermissionDenied
    dataset = selectors.region_dataset(region=region, year=year, key=key)
    if dataset is None:
        raise Http404
    return csv_response(dataset, region, year)


def _province(request, region_id):
    province = get_object_or_404(selectors.province_regions(request.user), pk=region_id)
    if not request.user.has_perm("insights.view_province", province):
        raise PermissionDenied
    return _scope(request, selectors.province_regions(request.user), province)


@login_required
def province(request, region_id):
    form, region, year = _province(request, region_id)
    dataset = selectors.province_comparison(province=region, year=year)
    csv_url = reverse("insights:province_csv", args=[region.pk, dataset.key])
    return render(
        request,
        "insights/province.html",
        {
            "form": form,
            "region": region,
            "year": year,
            "panel": _panel(dataset, f"{csv_url}?{urlencode({'tahun': year})}"),
        },
    )


@login_required
def province_csv(request, region_id, key):
    _form, region, year = _province(request, region_id)
    if key != "comparison":
        raise Http404
    return csv_response(selectors.province_comparison(province=region, year=year), region, year)


@login_required
@require_POST
def remind(request):
    region = _region_in(selectors.dashboard_regions(request.user), request.POST.get("wilayah"))
    year = request.POST.get("tahun", "")
    if not year.isdigit():
        raise Http404
    report(
        request,
        lambda: services.oaoi_remind(actor=request.user, region=region, year=int(year)),
        lambda count: (
            ngettext(
                "Reminder sent to %(count)s agency without an innovation.",
                "Reminder sent to %(count)s agencies without an innovation.",
                count,
            )
            % {"count": count}
        ),
    )
    return redirect(f"{reverse('insights:dashboard')}?{_query(region, year)}")
