"""Who may publish innovations and take part in replication requests."""

import rules

from siwanda.accounts.models import Role
from siwanda.accounts.roles import roles_of
from siwanda.accounts.rules import is_secretariat_of, is_system_admin


@rules.predicate
def publishes(user, innovation):
    return is_secretariat_of(user, innovation.region)


@rules.predicate
def operates_another_agency(user, innovation):
    """An operator of an agency other than the owner, in any region."""
    return bool(roles_of(user).agency_ids(Role.OPERATOR) - {innovation.agency_id})


@rules.predicate
def answers_for_source(user, request):
    return request.source.agency_id in roles_of(user).agency_ids(Role.OPERATOR, Role.AGENCY_HEAD)


@rules.predicate
def asks_for_agency(user, request):
    return request.agency_id in roles_of(user).agency_ids(Role.OPERATOR, Role.AGENCY_HEAD)


@rules.predicate
def operates_requesting_agency(user, request):
    return request.agency_id in roles_of(user).agency_ids(Role.OPERATOR)


@rules.predicate
def oversees_either_region(user, request):
    regions = roles_of(user).region_ids(Role.SECRETARIAT, Role.LEADERSHIP)
    return request.source.region_id in regions or request.agency.region_id in regions


rules.add_perm("catalogue.publish_innovation", is_system_admin | publishes)
rules.add_perm("catalogue.request_replication", operates_another_agency)
rules.add_perm("catalogue.answer_replication", answers_for_source)
rules.add_perm("catalogue.complete_replication", operates_requesting_agency)
# Both sides write in the conversation, heads included.
rules.add_perm("catalogue.write_replication", answers_for_source | asks_for_agency)
rules.add_perm(
    "catalogue.view_replication",
    is_system_admin | answers_for_source | asks_for_agency | oversees_either_region,
)
