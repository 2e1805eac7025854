"""Every change to a proposal: one function per state change, each with its audit entry.

    draft ──send──▶ awaiting approval ──approve──▶ submitted ──screening──▶ passed / failed
      ▲                  │ return (with a comment)      │
      └──────────────────┘                              └─withdraw─▶ withdrawn (until screening)

The deadline, in the organiser's time zone with any grace period and the agency's extension, is
checked here for every write, so pages, the API and commands all refuse the same way.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from siwanda.accounts.models import Role, User
from siwanda.activity.services import activity_record
from siwanda.competitions.deadlines import accepts_from, deadline_for, extension_for
from siwanda.competitions.models import Competition, FieldType, FormField
from siwanda.competitions.selectors import latest_published_version
from siwanda.competitions.services import agency_people
from siwanda.core.files import check_upload, clean_name, sha256_of
from siwanda.core.notify import notify
from siwanda.core.permissions import require_perm
from siwanda.screening.checks import blocking, check
from siwanda.screening.selectors import rules_for, subject_for

from .answers import clean_value
from .models import Answer, Attachment, Proposal, Revision

# Saves of one question by one person within this time are one revision in the history.
REVISION_WINDOW = timedelta(minutes=10)
S = Proposal.Status


def _url(proposal) -> str:
    return reverse("proposals:detail", args=[proposal.pk])


def _too_late(proposal_or_competition, agency) -> ValidationError:
    competition = getattr(proposal_or_competition, "competition", proposal_or_competition)
    closes = deadline_for(competition, agency, extension_for(competition, agency))
    from siwanda.core.templatetags.siwanda import when

    if competition.status != Competition.Status.OPEN or closes is None:
        return ValidationError(_("This competition is not accepting proposals."))
    if competition.opens_at and timezone.now() < competition.opens_at:
        return ValidationError(
            _("This competition opens on %(moment)s.")
            % {"moment": when(competition.opens_at, competition.region)}
        )
    return ValidationError(
        _(
            "The deadline has passed (%(moment)s). Nothing new is accepted; ask the secretariat "
            "if your agency needs more time."
        )
        % {"moment": when(closes, competition.region)}
    )


def _require_open(proposal) -> None:
    if not accepts_from(proposal.competition, proposal.agency):
        raise _too_late(proposal, proposal.agency)


def _require_draft(proposal) -> None:
    if proposal.status != S.DRAFT:
        raise ValidationError(
            _("This proposal is %(status)s and can no longer be changed.")
            % {"status": proposal.get_status_display().lower()}
        )


def _registry_value(innovation, source: str):
    if source == "sdgs":
        return sorted(innovation.sdgs.values_list("number", flat=True))
    if source == "is_digital":
        return "ya" if innovation.is_digital else "tidak"
    if source == "budget":
        return int(innovation.budget) if innovation.budget is not None else None
    if source == "urusan":
        return innovation.get_urusan_display() if innovation.urusan else None
    return getattr(innovation, source, None) or None


def _check_quota(competition, agency, group, innovation) -> None:
    taken = Proposal.objects.filter(competition=competition, agency=agency).exclude(
        status=S.WITHDRAWN
    )
    if taken.filter(innovation=innovation).exists():
        raise ValidationError(_("This innovation already has a proposal in this competition."))
    limit = competition.max_entries_per_agency
    if limit and taken.count() >= limit:
        raise ValidationError(
            ngettext(
                "Your agency may enter at most %(count)d proposal in this competition.",
                "Your agency may enter at most %(count)d proposals in this competition.",
                limit,
            )
            % {"count": limit}
        )
    limit = group.max_entries_per_agency
    if limit and taken.filter(group=group).count() >= limit:
        raise ValidationError(
            ngettext(
                "Your agency may enter at most %(count)d proposal in the group %(group)s.",
                "Your agency may enter at most %(count)d proposals in the group %(group)s.",
                limit,
            )
            % {"count": limit, "group": group}
        )


@transaction.atomic
def proposal_create(*, actor, competition, innovation, group, category=None) -> Proposal:
    """Start a proposal from one of the agency's innovations: its answers are pre-filled from
    what the registry already knows."""
    agency = innovation.agency
    require_perm(actor, "innovations.change_innovation", innovation)
    if group.competition_id != competition.pk or (
        category and category.competition_id != competition.pk
    ):
        raise ValidationError(_("Choose a group and category of this competition."))
    if not competition.recipients.filter(agency=agency).exists():
        raise ValidationError(_("Your agency is not invited to this competition."))
    if not accepts_from(competition, agency):
        raise _too_late(competition, agency)
    _check_quota(competition, agency, group, innovation)
    version = latest_published_version(group.form)
    proposal = Proposal.objects.create(
        competition=competition,
        agency=agency,
        innovation=innovation,
        group=group,
        category=category,
        form_version=version,
        title=innovation.title,
        implementation_start=innovation.started_on,
        created_by=actor,
    )
    now = timezone.now()
    prefilled = []
    for field in FormField.objects.filter(section__version=version).exclude(registry_source=""):
        value = _registry_value(innovation, field.registry_source)
        if value not in (None, "", []):
            prefilled.append(
                Answer(proposal=proposal, field=field, value=value, version=1, updated_by=actor)
            )
    Answer.objects.bulk_create(prefilled)
    Revision.objects.bulk_create(
        Revision(proposal=proposal, field_id=a.field_id, value=a.value, author=actor, saved_at=now)
        for a in prefilled
    )
    activity_record(
        actor=actor,
        action="proposal.created",
        target=proposal,
        region=competition.region,
        data={"innovation": innovation.title, "group": str(group), "prefilled": len(prefilled)},
    )
    return proposal


@transaction.atomic
def proposal_update_header(*, actor, proposal, title: str, implementation_start, category=None):
    require_perm(actor, "proposals.change_proposal", proposal)
    _require_draft(proposal)
    _require_open(proposal)
    if category is not None and category.competition_id != proposal.competition_id:
        raise ValidationError({"category": _("Choose a category of this competition.")})
    changes = {}
    for name, value in (
        ("title", " ".join(title.split())),
        ("implementation_start", implementation_start),
        ("category", category),
    ):
        before = getattr(proposal, name)
        if before != value:
            changes[name] = {"before": str(before or ""), "after": str(value or "")}
            setattr(proposal, name, value)
    if not proposal.title:
        raise ValidationError({"title": _("The proposal needs a title.")})
    if changes:
        proposal.save()
        activity_record(
            actor=actor,
            action="proposal.updated",
            target=proposal,
            region=proposal.competition.region,
            changes=changes,
        )
    return proposal


@dataclass
class Conflict(Exception):
    """Someone else saved this question after the version the editor started from."""

    answer: Answer


@transaction.atomic
def answer_save(
    *, actor, proposal, field: FormField, value, base_version: int, force: bool = False
) -> Answer:
    """Save one answer (autosave calls this as the person types). Raises Conflict when another
    person saved the question since `base_version`, unless `force` (the person chose theirs)."""
    require_perm(actor, "proposals.change_proposal", proposal)
    if field.section.version_id != proposal.form_version_id or field.type == FieldType.FILE:
        raise ValidationError(_("This question is not part of the proposal."))
    _require_draft(proposal)
    _require_open(proposal)
    value = clean_value(field, value)
    answer, _created = Answer.objects.select_for_update().get_or_create(
        proposal=proposal, field=field
    )
    # Any save based on an older version is a conflict, the same person's in another tab too:
    # an old laptop tab must not overwrite what was just typed on the phone.
    if answer.version != base_version and not force:
        raise Conflict(answer)
    if answer.value == value and answer.version:
        return answer
    now = timezone.now()
    answer.value = value
    answer.version += 1
    answer.updated_by = actor
    answer.save()
    latest = Revision.objects.filter(proposal=proposal, field=field).order_by("-saved_at").first()
    if latest and latest.author_id == actor.pk and now - latest.saved_at < REVISION_WINDOW:
        latest.value = value
        latest.saved_at = now
        latest.save(update_fields=["value", "saved_at"])
    else:
        Revision.objects.create(
            proposal=proposal, field=field, value=value, author=actor, saved_at=now
        )
    Proposal.objects.filter(pk=proposal.pk).update(updated_at=now)
    return answer


@transaction.atomic
def attachment_add(*, actor, proposal, field: FormField, upload) -> Attachment:
    require_perm(actor, "proposals.change_proposal", proposal)
    if field.section.version_id != proposal.form_version_id or field.type != FieldType.FILE:
        raise ValidationError(_("This question does not take files."))
    _require_draft(proposal)
    _require_open(proposal)
    kind = check_upload(upload, allowed=field.allowed_types, max_mb=field.max_size_mb)
    if Attachment.objects.filter(proposal=proposal, field=field).count() >= field.max_files:
        raise ValidationError(
            _("At most %(count)d file(s) here: remove one first.") % {"count": field.max_files}
        )
    original = upload.name
    upload.name = clean_name(upload.name)
    attachment = Attachment.objects.create(
        proposal=proposal,
        field=field,
        file=upload,
        original_name=original,
        kind=kind,
        size=upload.size,
        sha256=sha256_of(upload),
        uploaded_by=actor,
    )
    activity_record(
        actor=actor,
        action="proposal.file_added",
        target=proposal,
        region=proposal.competition.region,
        data={"question": field.key, "file": original},
    )
    return attachment


@transaction.atomic
def attachment_remove(*, actor, attachment: Attachment) -> None:
    proposal = attachment.proposal
    require_perm(actor, "proposals.change_proposal", proposal)
    _require_draft(proposal)
    _require_open(proposal)
    activity_record(
        actor=actor,
        action="proposal.file_removed",
        target=proposal,
        region=proposal.competition.region,
        data={"question": attachment.field.key, "file": attachment.original_name},
    )
    attachment.file.delete(save=False)
    attachment.delete()


def proposal_findings(proposal) -> list:
    """What "check my proposal" lists: everything missing or over a limit, and the warnings
    (titles are compared with other agencies' only in screening, never shown to authors)."""
    return check(subject_for(proposal, compare_titles=False), rules_for(proposal.competition))


def _approvers(proposal) -> list[User]:
    heads = list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.AGENCY_HEAD,
            role_assignments__agency=proposal.agency,
        )
    )
    if heads:
        return heads
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.SECRETARIAT,
            role_assignments__region=proposal.competition.region,
        ).distinct()
    )


@transaction.atomic
def proposal_send(*, actor, proposal) -> Proposal:
    """Send to the agency head for approval: refused while anything required is missing."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    require_perm(actor, "proposals.change_proposal", proposal)
    _require_draft(proposal)
    _require_open(proposal)
    problems = blocking(proposal_findings(proposal))
    if problems:
        raise ValidationError(
            _(
                "The proposal is not complete: %(count)d problem(s) to fix first. See “Check my "
                "proposal”."
            )
            % {"count": len(problems)}
        )
    proposal.status = S.AWAITING_APPROVAL
    proposal.sent_at = timezone.now()
    proposal.return_comment = ""
    proposal.save(update_fields=["status", "sent_at", "return_comment", "updated_at"])
    activity_record(
        actor=actor, action="proposal.sent", target=proposal, region=proposal.competition.region
    )
    notify(
        users=_approvers(proposal),
        message=gettext_lazy(
            "“%(title)s” is waiting for your approval before it goes to %(competition)s."
        ),
        params={"title": proposal.title, "competition": proposal.competition},
        url=_url(proposal),
    )
    return proposal


@transaction.atomic
def proposal_return(*, actor, proposal, comment: str) -> Proposal:
    """The approver sends the proposal back to the authors with a comment."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    require_perm(actor, "proposals.approve_proposal", proposal)
    if proposal.status != S.AWAITING_APPROVAL:
        raise ValidationError(_("Only a proposal waiting for approval can be returned."))
    if not comment.strip():
        raise ValidationError({"comment": _("Tell the authors what to change.")})
    proposal.status = S.DRAFT
    proposal.return_comment = comment.strip()
    proposal.save(update_fields=["status", "return_comment", "updated_at"])
    activity_record(
        actor=actor,
        action="proposal.returned",
        target=proposal,
        region=proposal.competition.region,
        data={"comment": proposal.return_comment},
    )
    notify(
        users=agency_people([proposal.agency_id]).filter(role_assignments__role=Role.OPERATOR),
        message=gettext_lazy("“%(title)s” was returned for changes: %(comment)s"),
        params={"title": proposal.title, "comment": proposal.return_comment},
        url=_url(proposal),
    )
    return proposal


@transaction.atomic
def proposal_approve(*, actor, proposal) -> Proposal:
    """Approve: the proposal is submitted to the competition and frozen."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    require_perm(actor, "proposals.approve_proposal", proposal)
    if proposal.status != S.AWAITING_APPROVAL:
        raise ValidationError(_("Only a proposal waiting for approval can be approved."))
    _require_open(proposal)
    problems = blocking(proposal_findings(proposal))
    if problems:
        raise ValidationError(_("The proposal is not complete; return it to the authors."))
    proposal.status = S.SUBMITTED
    proposal.submitted_at = timezone.now()
    proposal.approved_by = actor
    proposal.save(update_fields=["status", "submitted_at", "approved_by", "updated_at"])
    activity_record(
        actor=actor,
        action="proposal.submitted",
        target=proposal,
        region=proposal.competition.region,
    )
    notify(
        users=agency_people([proposal.agency_id]).filter(role_assignments__role=Role.OPERATOR),
        message=gettext_lazy("“%(title)s” was approved and submitted to %(competition)s."),
        params={"title": proposal.title, "competition": proposal.competition},
        url=_url(proposal),
    )
    return proposal


@transaction.atomic
def proposal_withdraw(*, actor, proposal, reason: str) -> Proposal:
    """The agency takes its proposal back; possible until screening starts."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    require_perm(actor, "proposals.withdraw_proposal", proposal)
    if proposal.status not in (S.DRAFT, S.AWAITING_APPROVAL, S.SUBMITTED):
        raise ValidationError(_("This proposal can no longer be withdrawn."))
    if proposal.competition.status != Competition.Status.OPEN:
        raise ValidationError(_("Screening has started: proposals can no longer be withdrawn."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the proposal is withdrawn.")})
    before = proposal.status
    proposal.status = S.WITHDRAWN
    proposal.withdrawn_at = timezone.now()
    proposal.withdraw_reason = reason.strip()
    proposal.save(update_fields=["status", "withdrawn_at", "withdraw_reason", "updated_at"])
    activity_record(
        actor=actor,
        action="proposal.withdrawn",
        target=proposal,
        region=proposal.competition.region,
        changes={"status": {"before": before, "after": S.WITHDRAWN}},
        data={"reason": proposal.withdraw_reason},
    )
    return proposal
