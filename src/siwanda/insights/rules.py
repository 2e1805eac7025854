"""Who may read the dashboards: the secretariat and the leadership of a region (a province's,
for the comparison of its regencies and cities) and system administrators. Reminding agencies
is the secretariat's."""

import rules

from siwanda.accounts.models import Role
from siwanda.accounts.roles import roles_of
from siwanda.accounts.rules import is_secretariat_of, is_system_admin
from siwanda.regions.models import Region

DASHBOARD_ROLES = (Role.SECRETARIAT, Role.LEADERSHIP)


@rules.predicate
def leads_or_runs(user, region):
    return region is not None and region.pk in roles_of(user).region_ids(*DASHBOARD_ROLES)


@rules.predicate
def is_province(user, region):
    return region is not None and region.kind == Region.Kind.PROVINCE


rules.add_perm("insights.view_dashboard", is_system_admin | leads_or_runs)
rules.add_perm("insights.view_province", is_province & (is_system_admin | leads_or_runs))
rules.add_perm("insights.remind", is_system_admin | is_secretariat_of)
