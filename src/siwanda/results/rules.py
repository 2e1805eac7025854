"""Who may do what with published results. The results page and the verification of a
certificate are public; certificates and letters go to the organiser and the winning agency."""

import rules

from siwanda.accounts.models import AGENCY_ROLES
from siwanda.accounts.roles import roles_of
from siwanda.accounts.rules import is_secretariat_of, is_system_admin


@rules.predicate
def organises(user, certificate):
    return user.has_perm("competitions.manage_competition", certificate.publication.competition)


@rules.predicate
def works_in_winning_agency(user, certificate):
    return certificate.proposal.agency_id in roles_of(user).agency_ids(*AGENCY_ROLES)


rules.add_perm("results.download_certificate", organises | works_in_winning_agency)
rules.add_perm("results.manage_documents", is_system_admin | is_secretariat_of)
