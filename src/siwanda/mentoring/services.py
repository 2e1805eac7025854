"""Mentoring: assigning mentors, and the comment threads on a proposal's sections."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from siwanda.accounts.models import Role
from siwanda.accounts.roles import roles_of
from siwanda.activity.services import activity_record
from siwanda.competitions.services import agency_people
from siwanda.core.notify import notify
from siwanda.core.permissions import require_perm

from .models import Assignment, Comment


@transaction.atomic
def mentor_assign(*, actor, mentor, region, agency=None, proposal=None) -> Assignment:
    """The secretariat gives a mentor an agency (all its proposals) or a single proposal."""
    require_perm(actor, "accounts.manage_people", region)
    if region.pk not in roles_of(mentor).region_ids(Role.MENTOR):
        raise ValidationError({"mentor": _("This person is not a mentor of the region.")})
    scope_region = agency.region_id if agency else proposal.competition.region_id
    if scope_region != region.pk:
        raise ValidationError(_("Choose an agency or proposal of the region."))
    existing = Assignment.objects.filter(mentor=mentor, agency=agency, proposal=proposal).first()
    if existing:
        return existing
    assignment = Assignment.objects.create(
        mentor=mentor, agency=agency, proposal=proposal, created_by=actor
    )
    activity_record(
        actor=actor,
        action="mentor.assigned",
        target=mentor,
        region=region,
        data={"scope": str(agency or proposal)},
    )
    return assignment


@transaction.atomic
def mentor_unassign(*, actor, assignment: Assignment, region) -> None:
    require_perm(actor, "accounts.manage_people", region)
    activity_record(
        actor=actor,
        action="mentor.unassigned",
        target=assignment.mentor,
        region=region,
        data={"scope": str(assignment.agency or assignment.proposal)},
    )
    assignment.delete()


def _url(comment) -> str:
    return (
        reverse("proposals:detail", args=[comment.proposal_id]) + f"#section-{comment.section_id}"
    )


@transaction.atomic
def comment_add(*, actor, proposal, section, text: str) -> Comment:
    require_perm(actor, "mentoring.add_comment", proposal)
    if section.version_id != proposal.form_version_id:
        raise ValidationError(_("This section is not part of the proposal."))
    if not text.strip():
        raise ValidationError({"text": _("Write the comment.")})
    comment = Comment.objects.create(
        proposal=proposal, section=section, author=actor, text=text.strip()
    )
    activity_record(
        actor=actor,
        action="mentoring.commented",
        target=proposal,
        region=proposal.competition.region,
        data={"section": section.name},
    )
    notify(
        users=agency_people([proposal.agency_id]).filter(role_assignments__role=Role.OPERATOR),
        message=gettext_lazy("A mentor commented on “%(section)s” of “%(title)s”."),
        params={"section": section, "title": proposal.title},
        url=_url(comment),
    )
    return comment


@transaction.atomic
def comment_reply(*, actor, comment: Comment, text: str) -> Comment:
    proposal = comment.proposal
    require_perm(actor, "mentoring.reply_comment", proposal)
    if not text.strip():
        raise ValidationError({"text": _("Write the reply.")})
    thread = comment.parent or comment
    reply = Comment.objects.create(
        proposal=proposal, section=thread.section, parent=thread, author=actor, text=text.strip()
    )
    activity_record(
        actor=actor,
        action="mentoring.replied",
        target=proposal,
        region=proposal.competition.region,
        data={"section": thread.section.name},
    )
    others = {thread.author, *(r.author for r in thread.replies.all())} - {actor}
    notify(
        users=list(others),
        message=gettext_lazy("New reply about “%(section)s” of “%(title)s”."),
        params={"section": thread.section, "title": proposal.title},
        url=_url(thread),
    )
    return reply


@transaction.atomic
def comment_resolve(*, actor, comment: Comment, resolved: bool = True) -> Comment:
    require_perm(actor, "mentoring.reply_comment", comment.proposal)
    thread = comment.parent or comment
    thread.resolved_at = timezone.now() if resolved else None
    thread.resolved_by = actor if resolved else None
    thread.save(update_fields=["resolved_at", "resolved_by"])
    activity_record(
        actor=actor,
        action="mentoring.resolved" if resolved else "mentoring.reopened",
        target=thread.proposal,
        region=thread.proposal.competition.region,
        data={"section": thread.section.name},
    )
    return thread
