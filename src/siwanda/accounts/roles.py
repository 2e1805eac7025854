"""The roles a person holds, read once per request and cached on the user object.

Predicates (rules.py) and selectors ask this object, never the database directly, so a page
costs one query for permissions however many checks it makes.
"""

from dataclasses import dataclass, field

from .models import Role, RoleAssignment


@dataclass(frozen=True)
class RoleSet:
    assignments: tuple = field(default_factory=tuple)

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(a.role for a in self.assignments)

    @property
    def is_system_admin(self) -> bool:
        return Role.SYSTEM_ADMIN in self.roles

    def region_ids(self, *roles: str) -> frozenset[int]:
        """Regions in which the person holds any of `roles` (agency roles count their region)."""
        return frozenset(
            a.region_id for a in self.assignments if a.role in roles and a.region_id is not None
        )

    def agency_ids(self, *roles: str) -> frozenset[int]:
        return frozenset(
            a.agency_id for a in self.assignments if a.role in roles and a.agency_id is not None
        )

    def regions(self, *roles: str) -> list:
        seen, result = set(), []
        for a in self.assignments:
            if a.role in roles and a.region_id is not None and a.region_id not in seen:
                seen.add(a.region_id)
                result.append(a.region)
        return result

    def agencies(self, *roles: str) -> list:
        seen, result = set(), []
        for a in self.assignments:
            if a.role in roles and a.agency_id is not None and a.agency_id not in seen:
                seen.add(a.agency_id)
                result.append(a.agency)
        return result

    @property
    def home_region(self):
        """The region whose time zone this person sees: their first scoped role's region."""
        for a in self.assignments:
            if a.region_id is not None:
                return a.region
        return None


EMPTY = RoleSet()


def roles_of(user) -> RoleSet:
    if user is None or not user.is_authenticated or not user.is_active:
        return EMPTY
    cached = getattr(user, "_siwanda_roles", None)
    if cached is None:
        assignments = (
            RoleAssignment.objects.filter(user=user)
            .select_related("region", "agency", "agency__region")
            .order_by("created_at", "id")
        )
        cached = RoleSet(tuple(assignments))
        user._siwanda_roles = cached
    return cached


def forget_roles(user) -> None:
    """Drop the cached role set after the person's roles changed within this request."""
    if hasattr(user, "_siwanda_roles"):
        del user._siwanda_roles
