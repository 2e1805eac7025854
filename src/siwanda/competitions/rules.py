"""Who may see and run competitions."""

import rules

from siwanda.accounts.models import Role
from siwanda.accounts.roles import roles_of
from siwanda.accounts.rules import is_secretariat_of, is_system_admin
from siwanda.regions.rules import REGION_READERS


@rules.predicate
def organises(user, competition):
    return is_secretariat_of(user, competition.region)


@rules.predicate
def reads_organiser_region(user, competition):
    return competition.region_id in roles_of(user).region_ids(*REGION_READERS)


@rules.predicate
def works_in_organiser_region(user, competition):
    """Agency people see the competitions of their region once they are open."""
    return competition.status != competition.Status.SETUP and competition.region_id in roles_of(
        user
    ).region_ids(Role.OPERATOR, Role.AGENCY_HEAD)


manages = is_system_admin | organises

rules.add_perm("competitions.manage_competition", manages)
rules.add_perm(
    "competitions.view_competition",
    manages | reads_organiser_region | works_in_organiser_region,
)
