"""Who may see and change innovations: the owning agency's operators write them, its head reads
them, the region's secretariat reads them all and verifies their evidence."""

import rules

from siwanda.accounts.models import Role
from siwanda.accounts.roles import roles_of
from siwanda.accounts.rules import is_secretariat_of, is_system_admin

READERS = (Role.SECRETARIAT, Role.LEADERSHIP, Role.MENTOR)


@rules.predicate
def reads_region(user, innovation):
    return innovation.region_id in roles_of(user).region_ids(*READERS)


@rules.predicate
def is_operator_of_owner(user, innovation):
    return innovation.agency_id in roles_of(user).agency_ids(Role.OPERATOR)


@rules.predicate
def is_head_of_owner(user, innovation):
    return innovation.agency_id in roles_of(user).agency_ids(Role.AGENCY_HEAD)


@rules.predicate
def is_operator_of(user, agency):
    return agency is not None and agency.pk in roles_of(user).agency_ids(Role.OPERATOR)


@rules.predicate
def verifies(user, innovation):
    return is_secretariat_of(user, innovation.region)


@rules.predicate
def holds_any_role(user):
    return bool(roles_of(user).assignments)


# Browsing the registry: anyone holding a role (what they see is up to the selector).
rules.add_perm("innovations.list_innovations", is_system_admin | holds_any_role)
rules.add_perm(
    "innovations.view_innovation",
    is_system_admin | reads_region | is_operator_of_owner | is_head_of_owner,
)
rules.add_perm("innovations.change_innovation", is_system_admin | is_operator_of_owner)
rules.add_perm("innovations.add_innovation", is_system_admin | is_operator_of)
rules.add_perm("innovations.verify_evidence", is_system_admin | verifies)
