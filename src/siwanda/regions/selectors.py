"""Permission-aware reads of regions and agencies: a queryset never holds what the person may
not see, so lists, details, exports and the API all inherit the same tenancy."""

from django.db.models import Count, Q, QuerySet

from siwanda.accounts.models import Role
from siwanda.accounts.roles import roles_of

from .models import Agency, Region
from .rules import REGION_READERS


def regions_managed_by(user) -> QuerySet[Region]:
    """Regions whose agencies, people and settings `user` administers."""
    roles = roles_of(user)
    if roles.is_system_admin:
        return Region.objects.all()
    return Region.objects.filter(pk__in=roles.region_ids(Role.SECRETARIAT))


def regions_visible_to(user) -> QuerySet[Region]:
    roles = roles_of(user)
    if roles.is_system_admin:
        return Region.objects.all()
    return Region.objects.filter(pk__in=roles.region_ids(*REGION_READERS))


def region_list(*, user, search: str = "", kind: str = "") -> QuerySet:
    qs = (
        regions_visible_to(user)
        .select_related("parent")
        .annotate(
            agency_count=Count("agencies", filter=Q(agencies__is_active=True), distinct=True),
        )
    )
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__startswith=search))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("code")


def agencies_visible_to(user) -> QuerySet[Agency]:
    roles = roles_of(user)
    if roles.is_system_admin:
        return Agency.objects.all()
    return Agency.objects.filter(
        Q(region_id__in=roles.region_ids(*REGION_READERS))
        | Q(pk__in=roles.agency_ids(Role.OPERATOR, Role.AGENCY_HEAD))
    )


def agencies_managed_by(user) -> QuerySet[Agency]:
    return Agency.objects.filter(region__in=regions_managed_by(user))


def agency_list(
    *, user, region, search: str = "", kind: str = "", status: str = "active"
) -> QuerySet[Agency]:
    """The agencies of `region` that `user` may see, with what the list page shows."""
    qs = (
        agencies_visible_to(user)
        .filter(region=region)
        .select_related("parent")
        .annotate(
            people_count=Count("role_assignments__user", distinct=True),
            operator_count=Count(
                "role_assignments__user",
                filter=Q(role_assignments__role=Role.OPERATOR),
                distinct=True,
            ),
        )
    )
    if search:
        qs = qs.filter(
            Q(name__icontains=search) | Q(short_name__icontains=search) | Q(code__iexact=search)
        )
    if kind:
        qs = qs.filter(kind=kind)
    if status == "active":
        qs = qs.filter(is_active=True)
    elif status == "inactive":
        qs = qs.filter(is_active=False)
    return qs.order_by("name")
