import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from siwanda.competitions.deadlines import accepts_from, deadline_for, end_of_day
from siwanda.competitions.models import Competition, DeadlineExtension

WITA = ZoneInfo("Asia/Makassar")


def test_a_deadline_day_ends_at_midnight_in_the_organisers_zone(luwu_utara):
    moment = end_of_day(datetime.date(2026, 5, 31), luwu_utara)
    assert moment.isoformat() == "2026-05-31T23:59:59+08:00"
    assert moment.astimezone(ZoneInfo("Asia/Jakarta")).strftime("%H:%M") == "22:59"


def test_grace_and_extension(people, competition):
    agency, other = people["agency"], people["other_agency"]
    competition.grace_minutes = 30
    base = competition.deadline_at
    assert deadline_for(competition, agency) == base + datetime.timedelta(minutes=30)
    DeadlineExtension.objects.create(
        competition=competition,
        agency=agency,
        until=base + datetime.timedelta(days=2),
        reason="Libur",
    )
    from siwanda.competitions.deadlines import extension_for

    assert deadline_for(
        competition, agency, extension_for(competition, agency)
    ) == base + datetime.timedelta(days=2)
    assert deadline_for(
        competition, other, extension_for(competition, other)
    ) == base + datetime.timedelta(minutes=30)


def test_accepts_only_while_open_and_before_the_deadline(people, competition):
    agency = people["agency"]
    assert accepts_from(competition, agency)
    late = competition.deadline_at + datetime.timedelta(seconds=1)
    assert not accepts_from(competition, agency, now=late)
    assert accepts_from(competition, agency, now=competition.deadline_at)
    early = competition.opens_at - datetime.timedelta(seconds=1)
    assert not accepts_from(competition, agency, now=early)
    competition.status = Competition.Status.SCREENING
    assert not accepts_from(competition, agency, now=timezone.now())
