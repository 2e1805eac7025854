"""When proposals are accepted: the deadline in the organiser's time zone, the grace period and
per-agency extensions. The single place that says whether it is too late."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from .models import Competition, DeadlineExtension

END_OF_DAY = time(23, 59, 59)


def end_of_day(day, region) -> datetime:
    """ "31 May" means 31 May 23.59.59 in the organiser's zone."""
    return datetime.combine(day, END_OF_DAY, tzinfo=ZoneInfo(region.timezone))


def start_of_day(day, region) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=ZoneInfo(region.timezone))


def extension_for(competition: Competition, agency) -> DeadlineExtension | None:
    return (
        DeadlineExtension.objects.filter(competition=competition, agency=agency)
        .order_by("-until")
        .first()
    )


def deadline_for(competition: Competition, agency, extension=None) -> datetime | None:
    """The moment after which nothing of this agency is accepted (the grace period included)."""
    if competition.deadline_at is None:
        return None
    closes = competition.deadline_at + timedelta(minutes=competition.grace_minutes)
    if extension is not None and extension.until > closes:
        return extension.until
    return closes


def accepts_from(competition: Competition, agency, now=None, extension=None) -> bool:
    """Proposals of `agency` can be written, sent and approved now."""
    now = now or timezone.now()
    if competition.status != Competition.Status.OPEN:
        return False
    if competition.opens_at and now < competition.opens_at:
        return False
    closes = deadline_for(
        competition,
        agency,
        extension if extension is not None else extension_for(competition, agency),
    )
    return closes is None or now <= closes
