"""Permission-aware reads of announcements. Published ones are public; drafts are seen only by
the posting region's secretariat and the system administrator."""

from django.db.models import F, Q, QuerySet

from siwanda.accounts.models import Role
from siwanda.accounts.roles import roles_of
from siwanda.regions.models import Region

from .models import Announcement

HOME_COUNT = 5
# Pinned first, then drafts (NULL: the same on every database), then the newest.
LIST_ORDER = ("-is_pinned", F("published_at").desc(nulls_first=True), "-created_at", "-id")


def announcements_visible_to(user) -> QuerySet[Announcement]:
    roles = roles_of(user)
    if roles.is_system_admin:
        return Announcement.objects.all()
    return Announcement.objects.filter(
        Q(published_at__isnull=False) | Q(region_id__in=roles.region_ids(Role.SECRETARIAT))
    )


def announcement_list(*, user, kind="", region=None, status="") -> QuerySet[Announcement]:
    """The list page: pinned first, then the newest; drafts (for those who see them) on top of
    the published ones they will join."""
    qs = announcements_visible_to(user).select_related("region", "competition")
    if kind:
        qs = qs.filter(kind=kind)
    if region is not None:
        qs = qs.filter(region=region)
    if status == "draft":
        qs = qs.filter(published_at=None)
    elif status == "published":
        qs = qs.exclude(published_at=None)
    return qs.order_by(*LIST_ORDER)


def announcement_regions(user) -> QuerySet[Region]:
    """The regions that have an announcement this person sees (the list's region filter)."""
    return Region.objects.filter(
        pk__in=announcements_visible_to(user).values("region_id")
    ).order_by("name")


def regions_with_ancestors(region_ids) -> QuerySet[Region]:
    """The regions and every region above them (regency → province → nation), as one subquery."""
    return Region.objects.filter(
        Q(pk__in=region_ids)
        | Q(children__pk__in=region_ids)
        | Q(children__children__pk__in=region_ids)
    ).values("pk")


def announcements_latest_for(user, *, limit: int = HOME_COUNT) -> list[Announcement]:
    """The home page's latest published announcements. A person with a role in a region reads
    that region's and those of the regions above it (the province's and the nation's concern
    every regency below them); visitors, system administrators and people without a role read
    every region's. Pinned ones first, then the newest."""
    roles = roles_of(user)
    qs = Announcement.objects.exclude(published_at=None)
    region_ids = roles.region_ids(*Role.values)
    if region_ids and not roles.is_system_admin:
        qs = qs.filter(region_id__in=regions_with_ancestors(region_ids))
    return list(
        qs.select_related("region", "competition").order_by("-is_pinned", "-published_at", "-id")[
            :limit
        ]
    )


def competition_announcements(competition) -> QuerySet[Announcement]:
    """The published guides, schedules and news linked to a competition, newest first."""
    return (
        Announcement.objects.filter(competition=competition)
        .exclude(published_at=None)
        .order_by("-is_pinned", "-published_at", "-id")
    )


def posting_regions(user) -> list[Region]:
    """The regions whose secretariat this person is: where they post."""
    return roles_of(user).regions(Role.SECRETARIAT)


def posting_region(user, code: str = "") -> Region | None:
    """The region a new announcement is posted for: the one named by `code` among the person's
    own (their first by default); a system administrator may name any region and posts for the
    nation by default. None: this person posts for no region."""
    if roles_of(user).is_system_admin:
        regions = Region.objects.filter(code=code) if code else Region.objects.filter(parent=None)
        return regions.first()
    regions = posting_regions(user)
    return next((r for r in regions if r.code == code), regions[0] if regions else None)
