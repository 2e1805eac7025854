"""Conflicts of interest, computed for a whole stage in a fixed number of queries.

A juror may not judge a proposal when:
- they work in the proposal's agency or in an agency above it (an operator or head role there,
  or the agency the secretariat recorded for them on the panel);
- they are named on it: they wrote, approved or attached to it, mentored it, or are one of the
  innovation's innovators (matched by name, titles and punctuation ignored);
- they declared a conflict (a recusal, with a reason).

Everything that shows or uses jurors of a proposal goes through `conflicts()`, so a conflicted
juror is never assigned, never listed and never shown its scores.
"""

import re
from collections import defaultdict

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from siwanda.accounts.models import AGENCY_ROLES, RoleAssignment, User
from siwanda.innovations.models import Innovator
from siwanda.mentoring.models import Assignment as MentorAssignment
from siwanda.proposals.models import Answer, Attachment, Revision
from siwanda.regions.models import Agency

from .models import Recusal

AGENCY, AUTHOR, MENTOR, INNOVATOR, DECLARED = "agency", "author", "mentor", "innovator", "declared"
REASONS = {
    AGENCY: _("works in the proposing agency or an agency above it"),
    AUTHOR: _("wrote, approved or attached to the proposal"),
    MENTOR: _("mentored the proposal"),
    INNOVATOR: _("is named among the innovators"),
    DECLARED: _("declared a conflict of interest"),
}

# Academic and honorific titles left out when names are compared ("Dr. Ir. H. Andi, M.Si").
TITLES = {
    "dr",
    "drs",
    "dra",
    "ir",
    "h",
    "hj",
    "prof",
    "st",
    "se",
    "sh",
    "skm",
    "spd",
    "sip",
    "sos",
    "ssos",
    "skom",
    "msi",
    "mm",
    "mt",
    "mpd",
    "mh",
    "mkes",
    "map",
    "msc",
    "phd",
    "ak",
    "amd",
    "apt",
    "kom",
    "pd",
    "si",
    "ssi",
    "sp",
    "ns",
    "skep",
    "mkm",
    "ma",
    "mba",
}


def name_key(name: str) -> str:
    """A person's name without titles, punctuation or case: 'Dr. Ir. Andi Wijaya, M.Si.' and
    'andi wijaya' match."""
    name = name.split(",")[0]  # titles after the comma: ", S.Kom., M.Si."
    words = re.findall(r"[^\W\d_]+", name.lower().replace(".", " "))
    return " ".join(w for w in words if w not in TITLES)


def _ancestors(agency_ids) -> dict[int, set[int]]:
    """Each agency with every agency above it (itself included)."""
    parents: dict[int, int | None] = {}
    frontier = set(agency_ids)
    while frontier:  # one query per level of the agency tree
        rows = list(Agency.objects.filter(pk__in=frontier).values_list("pk", "parent_id"))
        parents.update(rows)
        frontier = {parent for _pk, parent in rows if parent and parent not in parents}
    result = {}
    for pk in agency_ids:
        chain, current = set(), pk
        while current is not None and current not in chain:
            chain.add(current)
            current = parents.get(current)
        result[pk] = chain
    return result


def conflicts(*, juror_ids, proposals, panel_agencies=None) -> dict[tuple[int, int], str]:
    """(juror id, proposal id) → the reason of the conflict, for every conflicted pair among
    `juror_ids` × `proposals` (Proposal rows). `panel_agencies` maps a juror to the agency the
    secretariat recorded for them."""
    juror_ids = set(juror_ids)
    proposals = list(proposals)
    if not juror_ids or not proposals:
        return {}
    found: dict[tuple[int, int], str] = {}
    proposal_ids = [p.pk for p in proposals]

    def add(juror, proposal, reason):
        if juror in juror_ids:
            found.setdefault((juror, proposal), reason)

    for juror, proposal in Recusal.objects.filter(
        juror_id__in=juror_ids, proposal_id__in=proposal_ids
    ).values_list("juror_id", "proposal_id"):
        add(juror, proposal, DECLARED)

    works_in = defaultdict(set)
    for juror, agency in RoleAssignment.objects.filter(
        user_id__in=juror_ids, role__in=AGENCY_ROLES, agency__isnull=False
    ).values_list("user_id", "agency_id"):
        works_in[juror].add(agency)
    for juror, agency in (panel_agencies or {}).items():
        if agency:
            works_in[juror].add(agency)
    above = _ancestors({p.agency_id for p in proposals})
    for proposal in proposals:
        for juror, agencies in works_in.items():
            if agencies & above[proposal.agency_id]:
                add(juror, proposal.pk, AGENCY)

    for proposal in proposals:
        for person in (proposal.created_by_id, proposal.approved_by_id):
            add(person, proposal.pk, AUTHOR)
    for model, person in (
        (Answer, "updated_by_id"),
        (Attachment, "uploaded_by_id"),
        (Revision, "author_id"),
    ):
        for proposal, juror in (
            model.objects.filter(proposal_id__in=proposal_ids, **{f"{person}__in": juror_ids})
            .values_list("proposal_id", person)
            .distinct()
        ):
            add(juror, proposal, AUTHOR)

    by_agency = defaultdict(list)
    for proposal in proposals:
        by_agency[proposal.agency_id].append(proposal.pk)
    for juror, agency, proposal in MentorAssignment.objects.filter(
        Q(agency_id__in=by_agency) | Q(proposal_id__in=proposal_ids), mentor_id__in=juror_ids
    ).values_list("mentor_id", "agency_id", "proposal_id"):
        for pk in [proposal] if proposal else by_agency.get(agency, []):
            add(juror, pk, MENTOR)

    names = {
        juror: name_key(name)
        for juror, name in User.objects.filter(pk__in=juror_ids).values_list("pk", "full_name")
    }
    by_name = defaultdict(set)
    for juror, key in names.items():
        if key:
            by_name[key].add(juror)
    by_innovation = defaultdict(list)
    for proposal in proposals:
        by_innovation[proposal.innovation_id].append(proposal.pk)
    for innovation, name in Innovator.objects.filter(innovation_id__in=by_innovation).values_list(
        "innovation_id", "name"
    ):
        for juror in by_name.get(name_key(name), ()):
            for pk in by_innovation[innovation]:
                add(juror, pk, INNOVATOR)
    return found
