"""Who may do what with people and roles. Shared predicates used by the other apps live here too."""

import rules

from .models import AGENCY_ROLES, Role
from .roles import roles_of


@rules.predicate
def is_system_admin(user):
    return roles_of(user).is_system_admin


@rules.predicate
def is_secretariat_of(user, region):
    return region is not None and region.pk in roles_of(user).region_ids(Role.SECRETARIAT)


@rules.predicate
def is_secretariat_of_person(user, person):
    """The person holds a role in a region where `user` is the secretariat."""
    mine = roles_of(user).region_ids(Role.SECRETARIAT)
    return bool(mine) and person.role_assignments.filter(region_id__in=mine).exists()


@rules.predicate
def is_self(user, person):
    return person is not None and user.pk == person.pk


def grantable_roles(user, region) -> list[str]:
    """The roles `user` may give to people of `region` (None: the national scope)."""
    if roles_of(user).is_system_admin:
        return list(Role.values)
    if region is not None and is_secretariat_of(user, region):
        return [r for r in Role.values if r != Role.SYSTEM_ADMIN]
    return []


manages_people = is_system_admin | is_secretariat_of

rules.add_perm("accounts.manage_people", manages_people)
rules.add_perm("accounts.view_person", is_system_admin | is_secretariat_of_person | is_self)
rules.add_perm("accounts.manage_person", is_system_admin | is_secretariat_of_person)

__all__ = ["AGENCY_ROLES", "grantable_roles", "is_secretariat_of", "is_system_admin"]
