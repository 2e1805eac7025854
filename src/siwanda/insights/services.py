"""The one write of the dashboards: reminding the agencies without an innovation this year."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from siwanda.accounts.models import AGENCY_ROLES, RoleAssignment
from siwanda.activity.services import activity_record
from siwanda.competitions.services import agency_people
from siwanda.core.notify import notify
from siwanda.core.permissions import require_perm
from siwanda.core.templatetags.siwanda import when
from siwanda.regions.models import Region

from .models import ComplianceReminder
from .selectors import compliance, current_year

# One reminder per region within this long.
REMINDER_INTERVAL = datetime.timedelta(days=1)

REMINDER = gettext_lazy(
    "Reminder (One Agency, One Innovation): your agency has no innovation for %(year)s in "
    "Siwanda yet. Every agency creates at least one public-service innovation a year: register "
    "yours, or complete the dates of one begun this year."
)


@transaction.atomic
def oaoi_remind(*, actor, region: Region, year: int) -> int:
    """Tell the operators and heads of every agency of `region` without an innovation in `year`
    (a notice and an email, after commit). Only for the current year, and at most once a day per
    region. Returns the number of agencies reminded: those with someone to tell."""
    require_perm(actor, "insights.remind", region)
    # One at a time per region, so that two clicks cannot both pass the once-a-day check.
    region = Region.objects.select_for_update().get(pk=region.pk)
    if year != current_year(region):
        raise ValidationError(
            _("Reminders are for the current year (%(year)s) only.")
            % {"year": current_year(region)}
        )
    now = timezone.now()
    last = (
        ComplianceReminder.objects.filter(region=region, sent_at__gt=now - REMINDER_INTERVAL)
        .order_by("-sent_at")
        .first()
    )
    if last is not None:
        raise ValidationError(
            _("A reminder already went out on %(moment)s; the next one can be sent from %(next)s.")
            % {
                "moment": when(last.sent_at, region),
                "next": when(last.sent_at + REMINDER_INTERVAL, region),
            }
        )
    missing = compliance(region=region, year=year).missing
    if not missing:
        raise ValidationError(
            _("Every agency has an innovation in %(year)s: there is nobody to remind.")
            % {"year": year}
        )
    reachable = set(
        RoleAssignment.objects.filter(
            agency_id__in=[a.pk for a in missing], role__in=AGENCY_ROLES, user__is_active=True
        ).values_list("agency_id", flat=True)
    )
    reminded = [a for a in missing if a.pk in reachable]
    if not reminded:
        raise ValidationError(
            _(
                "None of the %(count)s agencies without an innovation has an operator or a head "
                "in Siwanda: invite them first."
            )
            % {"count": len(missing)}
        )
    ComplianceReminder.objects.create(
        region=region,
        year=year,
        agencies_reminded=len(reminded),
        sent_by=actor if actor is not None and actor.is_authenticated else None,
        sent_at=now,
    )
    activity_record(
        actor=actor,
        action="insights.oaoi_reminded",
        target=region,
        region=region,
        data={
            "year": year,
            "agencies": [a.name for a in reminded],
            "without_people": [a.name for a in missing if a.pk not in reachable],
        },
    )
    agency_ids = [a.pk for a in reminded]
    transaction.on_commit(
        lambda: notify(
            users=agency_people(agency_ids),
            message=REMINDER,
            params={"year": year},
            url=reverse("innovations:list"),
        )
    )
    return len(reminded)
