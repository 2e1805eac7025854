"""Permission-aware reads of the registry."""

from django.db.models import Count, Q, QuerySet

from siwanda.accounts.models import Role
from siwanda.accounts.roles import roles_of

from .models import Innovation
from .rules import READERS


def innovations_visible_to(user) -> QuerySet[Innovation]:
    roles = roles_of(user)
    if roles.is_system_admin:
        return Innovation.objects.all()
    return Innovation.objects.filter(
        Q(region_id__in=roles.region_ids(*READERS))
        | Q(agency_id__in=roles.agency_ids(Role.OPERATOR, Role.AGENCY_HEAD))
    )


def innovation_list(
    *,
    user,
    region=None,
    agency_id=None,
    search="",
    form="",
    stage="",
    urusan="",
    sdg=None,
    digital=None,
) -> QuerySet[Innovation]:
    qs = innovations_visible_to(user).select_related("agency")
    if region is not None:
        qs = qs.filter(region=region)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(agency__name__icontains=search))
    if form:
        qs = qs.filter(form=form)
    if stage:
        qs = qs.filter(stage=stage)
    if urusan:
        qs = qs.filter(urusan=urusan)
    if sdg:
        qs = qs.filter(sdgs__number=sdg)
    if digital in ("1", "0"):
        qs = qs.filter(is_digital=digital == "1")
    return qs.annotate(
        evidence_count=Count("evidence", distinct=True),
        proposal_count=Count("proposals", distinct=True),
    ).order_by("title")
