"""Who may see a proposal, and who may act on it.

See a draft: the agency's operators and head, the mentors assigned to the agency or the
proposal, the organising secretariat. Nobody else; jurors see proposals only through the judging
work (later), and never the mentoring.
"""

import rules

from siwanda.accounts.models import Role
from siwanda.accounts.roles import roles_of
from siwanda.accounts.rules import is_secretariat_of, is_system_admin


@rules.predicate
def organises(user, proposal):
    return is_secretariat_of(user, proposal.competition.region)


@rules.predicate
def is_operator(user, proposal):
    return proposal.agency_id in roles_of(user).agency_ids(Role.OPERATOR)


@rules.predicate
def is_head(user, proposal):
    return proposal.agency_id in roles_of(user).agency_ids(Role.AGENCY_HEAD)


@rules.predicate
def mentors(user, proposal):
    from siwanda.mentoring.selectors import mentors_proposal

    return mentors_proposal(user, proposal)


@rules.predicate
def approves_for_headless_agency(user, proposal):
    """The secretariat approves for an agency that has no head in Siwanda."""
    from siwanda.accounts.models import RoleAssignment

    return (
        organises(user, proposal)
        and not RoleAssignment.objects.filter(
            role=Role.AGENCY_HEAD, agency_id=proposal.agency_id, user__is_active=True
        ).exists()
    )


@rules.predicate
def works_on_proposals(user):
    roles = roles_of(user)
    return bool(
        roles.agency_ids(Role.OPERATOR, Role.AGENCY_HEAD)
        or roles.region_ids(Role.SECRETARIAT, Role.MENTOR)
    )


# Browsing proposals: the people who write, approve, organise or mentor them.
rules.add_perm("proposals.list_proposals", is_system_admin | works_on_proposals)
rules.add_perm(
    "proposals.view_proposal",
    is_system_admin | organises | is_operator | is_head | mentors,
)
rules.add_perm("proposals.change_proposal", is_system_admin | is_operator)
rules.add_perm(
    "proposals.approve_proposal", is_system_admin | is_head | approves_for_headless_agency
)
rules.add_perm("proposals.withdraw_proposal", is_system_admin | is_operator | is_head)
