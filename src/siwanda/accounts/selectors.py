"""Permission-aware reads of people. A secretariat sees the people holding a role in its
region(s) and nobody else; a system administrator sees everyone."""

from axes.models import AccessAttempt
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from .models import Invitation, Role, RoleAssignment, User
from .roles import roles_of


def people_visible_to(user) -> QuerySet[User]:
    roles = roles_of(user)
    if roles.is_system_admin:
        return User.objects.all()
    regions = roles.region_ids(Role.SECRETARIAT)
    if not regions:
        return User.objects.filter(pk=user.pk) if user.is_authenticated else User.objects.none()
    in_region = RoleAssignment.objects.filter(user=OuterRef("pk"), region_id__in=regions)
    return User.objects.filter(Q(Exists(in_region)) | Q(pk=user.pk))


def with_status(qs: QuerySet[User]) -> QuerySet[User]:
    """Annotate what the people list shows: a pending invitation and a lockout."""
    pending = Invitation.objects.filter(
        user=OuterRef("pk"), accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
    )
    locked = AccessAttempt.objects.filter(username=OuterRef("email"))
    return qs.annotate(has_pending_invitation=Exists(pending), has_failed_logins=Exists(locked))


def person_list(
    *, user, region, search: str = "", role: str = "", agency_id: int | None = None
) -> QuerySet[User]:
    """People with a role in `region`, with only their roles in that region prefetched."""
    assignments = RoleAssignment.objects.filter(region=region)
    if role:
        assignments = assignments.filter(role=role)
    if agency_id:
        assignments = assignments.filter(agency_id=agency_id)
    qs = (
        people_visible_to(user)
        .filter(Exists(assignments.filter(user=OuterRef("pk"))))
        .prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.filter(region=region).select_related("agency"),
                to_attr="region_roles",
            )
        )
    )
    if search:
        qs = qs.filter(
            Q(full_name__icontains=search)
            | Q(email__icontains=search)
            | Q(position__icontains=search)
            | Q(nip__startswith=search)
        )
    return with_status(qs).order_by("full_name", "email")


def person_roles_visible_to(*, user, person) -> QuerySet[RoleAssignment]:
    """A person's roles, limited to the regions the viewer administers."""
    qs = person.role_assignments.select_related("region", "agency")
    roles = roles_of(user)
    if roles.is_system_admin or user.pk == person.pk:
        return qs
    return qs.filter(region_id__in=roles.region_ids(Role.SECRETARIAT))
