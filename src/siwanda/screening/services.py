"""Administrative screening: refresh the automatic findings, decide pass or fail (one by one or
in bulk) with reasons, tell the agency, and settle its objection."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from siwanda.accounts.models import Role, User
from siwanda.activity.services import activity_record
from siwanda.competitions.models import Competition
from siwanda.competitions.services import agency_people
from siwanda.core.notify import notify
from siwanda.core.permissions import require_perm
from siwanda.proposals.models import Proposal

from .checks import Other, check, similar_pairs
from .models import Objection, Review
from .selectors import rules_for, subject_for

S = Proposal.Status


def review_refresh(*, proposal, others=None) -> Review:
    """Run the automatic checks again and keep their findings on the review."""
    subject = subject_for(proposal) if others is None else _subject_with(proposal, others)
    findings = check(subject, rules_for(proposal.competition))
    review, _created = Review.objects.get_or_create(proposal=proposal)
    review.findings = [f.as_dict() for f in findings]
    review.findings_at = timezone.now()
    review.save(update_fields=["findings", "findings_at"])
    return review


def _subject_with(proposal, others):
    subject = subject_for(proposal)
    subject.others = others
    return subject


def review_refresh_all(*, actor, competition) -> int:
    """Refresh every submitted proposal of the competition. Titles are compared in one pass
    (similar_pairs) rather than each proposal against all the others."""
    require_perm(actor, "competitions.manage_competition", competition)
    proposals = list(
        Proposal.objects.filter(
            competition=competition, status__in=Proposal.IN_COMPETITION
        ).select_related("agency", "competition__region", "innovation", "form_version")
    )
    earlier = list(
        Proposal.objects.filter(
            competition__region=competition.region,
            competition__year__lt=competition.year,
            status__in=Proposal.IN_COMPETITION,
        ).select_related("agency", "competition")
    )
    titles = {("now", p.pk): p.title for p in proposals} | {
        ("then", p.pk): p.title for p in earlier
    }
    by_key = {("now", p.pk): p for p in proposals} | {("then", p.pk): p for p in earlier}
    others: dict[int, list[Other]] = {p.pk: [] for p in proposals}
    for a, b, _similarity in similar_pairs(titles, float(competition.title_similarity)):
        for mine, theirs in ((a, b), (b, a)):
            if mine[0] != "now":
                continue
            me, other = by_key[mine], by_key[theirs]
            if theirs[0] == "then" and other.innovation_id == me.innovation_id:
                continue
            others[me.pk].append(
                Other(
                    title=other.title,
                    agency=other.agency.name,
                    year=other.competition.year,
                    same_competition=theirs[0] == "now",
                )
            )
    for proposal in proposals:
        review_refresh(proposal=proposal, others=others[proposal.pk])
    return len(proposals)


def _require_screening(proposal) -> None:
    if proposal.competition.status != Competition.Status.SCREENING:
        raise ValidationError(_("The competition is not in screening."))


@transaction.atomic
def screening_decide(
    *, actor, proposal, passed: bool, checklist: dict | None = None, reason: str = ""
) -> Review:
    """Pass or fail one proposal. A failure names its reasons: the failed checklist items (each
    with a reason) and/or a general reason. The agency is told either way."""
    proposal = (
        Proposal.objects.select_for_update().select_related("competition").get(pk=proposal.pk)
    )
    require_perm(actor, "competitions.manage_competition", proposal.competition)
    _require_screening(proposal)
    if proposal.status not in Proposal.IN_COMPETITION:
        raise ValidationError(_("Only submitted proposals are screened."))
    review, _created = Review.objects.get_or_create(proposal=proposal)
    if review.final:
        raise ValidationError(_("This decision is final: it was taken after an objection."))
    checklist = {str(k): v for k, v in (checklist or {}).items()}
    failed_items = {k: v for k, v in checklist.items() if not v.get("ok")}
    if not passed and not reason.strip() and not failed_items:
        raise ValidationError(_("Give the reason for the failure."))
    missing = [k for k, v in failed_items.items() if not v.get("reason", "").strip()]
    if missing and not passed:
        raise ValidationError(_("Give a reason for each item that is not met."))
    if passed and failed_items:
        raise ValidationError(_("A proposal with unmet checklist items cannot pass."))
    before = review.decision
    review.checklist = checklist
    review.decision = Review.Decision.PASSED if passed else Review.Decision.FAILED
    review.reason = reason.strip()
    review.decided_by = actor
    review.decided_at = timezone.now()
    review.save()
    proposal.status = S.PASSED if passed else S.FAILED
    proposal.save(update_fields=["status", "updated_at"])
    activity_record(
        actor=actor,
        action="screening.decided",
        target=proposal,
        region=proposal.competition.region,
        changes={"decision": {"before": before, "after": review.decision}},
        data={"reason": review.reason, "failed_items": failed_items},
    )
    _tell_agency(proposal, review)
    return review


def _tell_agency(proposal, review):
    url = reverse("proposals:detail", args=[proposal.pk])
    if review.decision == Review.Decision.PASSED:
        message = gettext_lazy(
            "“%(title)s” passed the administrative screening of %(competition)s."
        )
    elif proposal.competition.objection_days:
        message = gettext_lazy(
            "“%(title)s” did not pass the administrative screening of "
            "%(competition)s. See the reasons; you may object within "
            "%(days)s days."
        )
    else:
        message = gettext_lazy(
            "“%(title)s” did not pass the administrative screening of "
            "%(competition)s. See the reasons in Siwanda."
        )
    notify(
        users=agency_people([proposal.agency_id]),
        message=message,
        params={
            "title": proposal.title,
            "competition": proposal.competition,
            "days": proposal.competition.objection_days,
        },
        url=url,
    )


@transaction.atomic
def screening_decide_bulk(
    *, actor, competition, proposal_ids, passed: bool, reason: str = ""
) -> int:
    decided = 0
    for proposal in Proposal.objects.filter(competition=competition, pk__in=proposal_ids):
        screening_decide(actor=actor, proposal=proposal, passed=passed, reason=reason)
        decided += 1
    return decided


def objection_deadline(review):
    days = review.proposal.competition.objection_days
    if not days or review.decided_at is None:
        return None
    return review.decided_at + timedelta(days=days)


@transaction.atomic
def objection_submit(*, actor, proposal, text: str) -> Objection:
    """The agency answers a failed screening, within the objection window."""
    proposal = (
        Proposal.objects.select_for_update().select_related("competition").get(pk=proposal.pk)
    )
    require_perm(actor, "proposals.withdraw_proposal", proposal)
    review = Review.objects.filter(proposal=proposal).first()
    if proposal.status != S.FAILED or review is None or review.final:
        raise ValidationError(_("Only a failed screening can be objected to."))
    closes = objection_deadline(review)
    if closes is None or timezone.now() > closes:
        raise ValidationError(_("The objection window is closed."))
    if proposal.objections.filter(decision=Objection.Decision.PENDING).exists():
        raise ValidationError(_("An objection is already waiting for the secretariat."))
    if not text.strip():
        raise ValidationError({"text": _("Explain why the proposal should pass.")})
    objection = Objection.objects.create(proposal=proposal, text=text.strip(), submitted_by=actor)
    activity_record(
        actor=actor,
        action="screening.objected",
        target=proposal,
        region=proposal.competition.region,
    )
    secretariat = User.objects.filter(
        is_active=True,
        role_assignments__role=Role.SECRETARIAT,
        role_assignments__region=proposal.competition.region,
    ).distinct()
    notify(
        users=secretariat,
        message=gettext_lazy("%(agency)s objects to the screening of “%(title)s”."),
        params={"agency": proposal.agency, "title": proposal.title},
        url=reverse("proposals:detail", args=[proposal.pk]),
    )
    return objection


@transaction.atomic
def objection_decide(*, actor, objection: Objection, accept: bool, note: str) -> Objection:
    """The secretariat settles the objection; the decision is final."""
    proposal = objection.proposal
    require_perm(actor, "competitions.manage_competition", proposal.competition)
    if objection.decision != Objection.Decision.PENDING:
        raise ValidationError(_("This objection has already been decided."))
    if not note.strip():
        raise ValidationError({"note": _("Explain the decision to the agency.")})
    objection.decision = Objection.Decision.ACCEPTED if accept else Objection.Decision.REJECTED
    objection.decision_note = note.strip()
    objection.decided_by = actor
    objection.decided_at = timezone.now()
    objection.save()
    review = proposal.screening
    review.final = True
    if accept:
        review.decision = Review.Decision.PASSED
        proposal.status = S.PASSED
        proposal.save(update_fields=["status", "updated_at"])
    review.save()
    activity_record(
        actor=actor,
        action="screening.objection_decided",
        target=proposal,
        region=proposal.competition.region,
        data={"accepted": accept, "note": objection.decision_note},
    )
    notify(
        users=agency_people([proposal.agency_id]),
        message=(
            gettext_lazy("Your objection was accepted: “%(title)s” passes the screening.")
            if accept
            else gettext_lazy("Your objection was rejected; the screening of “%(title)s” stands.")
        ),
        params={"title": proposal.title},
        url=reverse("proposals:detail", args=[proposal.pk]),
    )
    return objection
