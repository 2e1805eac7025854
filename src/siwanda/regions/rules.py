"""Who may see and manage regions and agencies."""

import rules

from siwanda.accounts.models import Role
from siwanda.accounts.roles import roles_of
from siwanda.accounts.rules import is_secretariat_of, is_system_admin

REGION_READERS = (Role.SECRETARIAT, Role.LEADERSHIP, Role.MENTOR, Role.JUROR)


@rules.predicate
def reads_region(user, region):
    return region is not None and region.pk in roles_of(user).region_ids(*REGION_READERS)


@rules.predicate
def manages_agency_region(user, agency):
    return is_secretariat_of(user, agency.region)


@rules.predicate
def reads_agency_region(user, agency):
    return agency.region_id in roles_of(user).region_ids(*REGION_READERS)


@rules.predicate
def belongs_to_agency(user, agency):
    return agency.pk in roles_of(user).agency_ids(Role.OPERATOR, Role.AGENCY_HEAD)


rules.add_perm("regions.view_region", is_system_admin | reads_region)
rules.add_perm("regions.manage_region", is_system_admin | is_secretariat_of)
rules.add_perm(
    "regions.view_agency",
    is_system_admin | reads_agency_region | belongs_to_agency,
)
rules.add_perm("regions.manage_agency", is_system_admin | manages_agency_region)
