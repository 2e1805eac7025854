"""Which proposals a mentor coaches, and the comments each reader may see."""

from django.db.models import Q

from siwanda.accounts.models import Role
from siwanda.accounts.roles import roles_of

from .models import Assignment, Comment


def mentors_proposal(user, proposal) -> bool:
    if proposal.competition.region_id not in roles_of(user).region_ids(Role.MENTOR):
        return False
    return Assignment.objects.filter(
        Q(agency_id=proposal.agency_id) | Q(proposal_id=proposal.pk), mentor=user
    ).exists()


def mentored_filter(user) -> Q:
    """A filter for Proposal querysets: the proposals `user` coaches."""
    assignments = Assignment.objects.filter(mentor=user)
    return Q(agency_id__in=assignments.exclude(agency=None).values("agency_id")) | Q(
        pk__in=assignments.exclude(proposal=None).values("proposal_id")
    )


def comments_for(*, user, proposal):
    """The mentoring thread, for the people who may read it (never a juror)."""
    if not user.has_perm("mentoring.view_comments", proposal):
        return Comment.objects.none()
    return (
        Comment.objects.filter(proposal=proposal, parent=None)
        .select_related("author", "resolved_by", "section")
        .prefetch_related("replies__author")
    )
