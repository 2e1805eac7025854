"""Announcements: the public list, page and attachment, and the secretariat's writing pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from siwanda.core.actions import FAILED, report, save_form
from siwanda.core.downloads import serve_private
from siwanda.core.pagination import paginate
from siwanda.regions.models import Region

from . import selectors, services
from .forms import AnnouncementForm
from .models import Announcement

PER_PAGE = 20
CHANGE = "announcements.change_announcement"


def announcement_for(request, pk, perm="announcements.view_announcement") -> Announcement:
    announcement = get_object_or_404(
        selectors.announcements_visible_to(request.user).select_related("region", "competition"),
        pk=pk,
    )
    if not request.user.has_perm(perm, announcement):
        raise PermissionDenied
    return announcement


def announcement_list(request):
    filters = {k: request.GET.get(k, "") for k in ("kind", "region", "status")}
    if filters["kind"] not in Announcement.Kind.values:
        filters["kind"] = ""
    region = Region.objects.filter(code=filters["region"]).first() if filters["region"] else None
    posting = selectors.posting_region(request.user) if request.user.is_authenticated else None
    qs = selectors.announcement_list(
        user=request.user, kind=filters["kind"], region=region, status=filters["status"]
    )
    return render(
        request,
        "announcements/list.html",
        {
            "page": paginate(request, qs, PER_PAGE),
            "filters": filters,
            "kinds": Announcement.Kind.choices,
            "regions": selectors.announcement_regions(request.user),
            "posting_region": posting,
            "sees_drafts": posting is not None,
        },
    )


def announcement_detail(request, pk):
    announcement = announcement_for(request, pk)
    competition = announcement.competition
    return render(
        request,
        "announcements/detail.html",
        {
            "announcement": announcement,
            "can_change": request.user.has_perm(CHANGE, announcement),
            "competition_link": competition is not None
            and request.user.has_perm("competitions.view_competition", competition),
        },
    )


def attachment_download(request, pk):
    announcement = announcement_for(request, pk)
    if not announcement.attachment:
        raise Http404
    return serve_private(announcement.attachment, announcement.attachment_name)


def _fields(data) -> dict:
    return {name: data[name] for name in services.FIELDS}


@login_required
def announcement_create(request):
    region = selectors.posting_region(request.user, request.GET.get("region", ""))
    if region is None or not request.user.has_perm("announcements.add_announcement", region):
        raise PermissionDenied
    initial = {
        k: request.GET[k] for k in ("kind", "competition") if request.GET.get(k, "").isalnum()
    }
    form = AnnouncementForm(
        request.POST or None, request.FILES or None, region=region, initial=initial
    )
    created = save_form(
        request,
        form,
        lambda data: services.announcement_create(
            actor=request.user,
            region=region,
            attachment=data["attachment"],
            publish=data["publish"],
            **_fields(data),
        ),
        lambda a: _("Announcement published.") if a.is_published else _("Draft saved."),
    )
    if created is not FAILED:
        return redirect("announcements:detail", pk=created.pk)
    return render(
        request,
        "announcements/form.html",
        {"form": form, "region": region, "regions": selectors.posting_regions(request.user)},
    )


@login_required
def announcement_update(request, pk):
    announcement = announcement_for(request, pk, CHANGE)
    form = AnnouncementForm(
        request.POST or None,
        request.FILES or None,
        region=announcement.region,
        announcement=announcement,
        initial={name: getattr(announcement, name) for name in services.FIELDS},
    )
    saved = save_form(
        request,
        form,
        lambda data: services.announcement_update(
            actor=request.user,
            announcement=announcement,
            attachment=data["attachment"],
            remove_attachment=data.get("remove_attachment", False),
            **_fields(data),
        ),
        _("Changes saved."),
    )
    if saved is not FAILED:
        return redirect("announcements:detail", pk=announcement.pk)
    return render(
        request,
        "announcements/form.html",
        {"form": form, "region": announcement.region, "announcement": announcement},
    )


@login_required
@require_POST
def announcement_publish(request, pk):
    announcement = announcement_for(request, pk, CHANGE)
    report(
        request,
        lambda: services.announcement_publish(actor=request.user, announcement=announcement),
        _("Announcement published: everyone can read it now."),
    )
    return redirect("announcements:detail", pk=announcement.pk)


@login_required
@require_POST
def announcement_unpublish(request, pk):
    announcement = announcement_for(request, pk, CHANGE)
    report(
        request,
        lambda: services.announcement_unpublish(actor=request.user, announcement=announcement),
        _("Announcement withdrawn: it is a draft again, seen only by your secretariat."),
    )
    return redirect("announcements:detail", pk=announcement.pk)


@login_required
@require_POST
def announcement_delete(request, pk):
    announcement = announcement_for(request, pk, CHANGE)
    services.announcement_delete(actor=request.user, announcement=announcement)
    messages.success(request, _("Announcement deleted."))
    return redirect("announcements:list")
