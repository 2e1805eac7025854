from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from siwanda.core.pagination import paginate
from siwanda.regions.views import region_for

from . import exporters, selectors
from .forms import ActivityFilterForm


@require_safe
@login_required
def region_log(request, code):
    region = region_for(request, code, "activity.view_log")
    form = ActivityFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.activity_list(user=request.user, region=region, **filters)
    if target := request.GET.get("target"):
        app_model, _, pk = target.rpartition(":")
        app_label, _, model = app_model.partition(".")
        entries = entries.filter(
            target_type__app_label=app_label, target_type__model=model, target_id=pk
        )
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        name = f"aktivitas-{region.code}"
        return (exporters.export_csv if export == "csv" else exporters.export_xlsx)(entries, name)
    return render(
        request,
        "activity/region_log.html",
        {
            "region": region,
            "form": form,
            "page": paginate(request, entries),
        },
    )
