"""Permission-aware reads of competitions and the call for entries."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from siwanda.accounts.models import Role
from siwanda.accounts.roles import roles_of
from siwanda.regions.rules import REGION_READERS

from .models import CallRecipient, Competition, DeadlineExtension, FormVersion


def competitions_visible_to(user) -> QuerySet[Competition]:
    roles = roles_of(user)
    if roles.is_system_admin:
        return Competition.objects.all()
    managed = roles.region_ids(Role.SECRETARIAT)
    readers = roles.region_ids(*REGION_READERS)
    agency_regions = roles.region_ids(Role.OPERATOR, Role.AGENCY_HEAD)
    return Competition.objects.filter(
        Q(region_id__in=managed | readers)
        | (Q(region_id__in=agency_regions) & ~Q(status=Competition.Status.SETUP))
    )


def competition_list(*, user, region=None) -> QuerySet[Competition]:
    qs = competitions_visible_to(user).select_related("region")
    if region is not None:
        qs = qs.filter(region=region)
    return qs.annotate(
        proposal_count=Count("proposals", distinct=True),
        submitted_count=Count(
            "proposals",
            filter=Q(proposals__status__in=("submitted", "passed", "failed")),
            distinct=True,
        ),
    ).order_by("-year", "name")


def open_competitions_for_agency(agency) -> QuerySet[Competition]:
    return Competition.objects.filter(
        status=Competition.Status.OPEN, recipients__agency=agency
    ).select_related("region")


def latest_published_version(form) -> FormVersion | None:
    return form.versions.exclude(published_at=None).order_by("-number").first()


def recipient_list(*, competition) -> QuerySet[CallRecipient]:
    """Every invited agency with the counts the call-for-entries page shows."""
    proposals = "agency__proposals"
    mine = Q(**{f"{proposals}__competition": competition})
    return (
        CallRecipient.objects.filter(competition=competition)
        .select_related("agency")
        .annotate(
            drafting=Count(proposals, filter=mine & Q(**{f"{proposals}__status": "draft"})),
            awaiting=Count(
                proposals, filter=mine & Q(**{f"{proposals}__status": "awaiting_approval"})
            ),
            submitted=Count(
                proposals,
                filter=mine & Q(**{f"{proposals}__status__in": ("submitted", "passed", "failed")}),
            ),
            has_extension=Exists(
                DeadlineExtension.objects.filter(competition=competition, agency=OuterRef("agency"))
            ),
        )
        .order_by("agency__name")
    )


def recipient_status(recipient) -> str:
    """invited → drafting → awaiting approval → submitted, or declined; from the annotations."""
    if recipient.submitted:
        return "submitted"
    if recipient.awaiting:
        return "awaiting_approval"
    if recipient.drafting:
        return "drafting"
    if recipient.declined_at:
        return "declined"
    return "nothing"
