"""Reminding the agencies without an innovation this year (One Agency, One Innovation)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from siwanda.accounts.models import Role
from siwanda.activity.models import ActivityEntry
from siwanda.core.models import Notice
from siwanda.insights.models import ComplianceReminder
from siwanda.insights.selectors import current_year
from siwanda.insights.services import oaoi_remind
from tests.factories import AgencyFactory, person_with_role
from tests.insights.conftest import make_innovation

pytestmark = pytest.mark.django_db


@pytest.fixture
def this_year(luwu_utara):
    return current_year(luwu_utara)


@pytest.fixture
def reminding(people, luwu_utara, kecamatan, this_year):
    """Dinas Kesehatan began an innovation this year; Dinas Pendidikan (an operator) and
    Kecamatan Baebunta (a head and an operator whose account is inactive) did not; Kantor Arsip
    has nobody in Siwanda."""
    make_innovation(people["agency"], "Baru", initiative_date=datetime.date(this_year, 1, 1))
    make_innovation(people["other_agency"], "Lama", initiative_date=datetime.date(2019, 1, 1))
    return {
        "camat": person_with_role(Role.AGENCY_HEAD, agency=kecamatan),
        "gone": person_with_role(Role.OPERATOR, agency=kecamatan, is_active=False),
        "archive": AgencyFactory(region=luwu_utara, name="Kantor Arsip"),
    }


def test_remind_tells_the_operators_and_heads_of_agencies_without_an_innovation(
    people, luwu_utara, reminding, this_year, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        count = oaoi_remind(actor=people["secretariat"], region=luwu_utara, year=this_year)
    assert count == 2
    assert len(callbacks) >= 1
    notices = Notice.objects.order_by("user__email")
    assert {n.user for n in notices} == {people["other_operator"], reminding["camat"]}
    assert {n.text for n in notices} == {
        f"Reminder (One Agency, One Innovation): your agency has no innovation for {this_year} "
        "in Siwanda yet. Every agency creates at least one public-service innovation a year: "
        "register yours, or complete the dates of one begun this year."
    }
    assert {n.url for n in notices} == {"/inovasi/"}
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [people["other_operator"].email, reminding["camat"].email]
    )
    reminder = ComplianceReminder.objects.get()
    assert (reminder.region, reminder.year, reminder.agencies_reminded, reminder.sent_by) == (
        luwu_utara,
        this_year,
        2,
        people["secretariat"],
    )
    entry = ActivityEntry.objects.get(action="insights.oaoi_reminded")
    assert entry.actor == people["secretariat"]
    assert entry.region == luwu_utara
    assert entry.data == {
        "year": this_year,
        "agencies": ["Dinas Pendidikan", "Kecamatan Baebunta"],
        "without_people": ["Kantor Arsip"],
    }


def test_notices_wait_for_the_commit(
    people, luwu_utara, reminding, this_year, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        oaoi_remind(actor=people["secretariat"], region=luwu_utara, year=this_year)
        assert Notice.objects.count() == 0
    assert len(callbacks) == 1
    callbacks[0]()
    assert Notice.objects.count() == 2


def test_a_second_reminder_within_a_day_is_refused_and_says_when(
    people, luwu_utara, reminding, this_year, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        oaoi_remind(actor=people["secretariat"], region=luwu_utara, year=this_year)
    sent = timezone.localtime(ComplianceReminder.objects.get().sent_at, luwu_utara.zone)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as refused,
    ):
        oaoi_remind(actor=people["admin"], region=luwu_utara, year=this_year)
    later = sent + datetime.timedelta(days=1)
    assert refused.value.messages == [
        f"A reminder already went out on {sent:%-d %B %Y, %H:%M} WITA; the next one can be sent "
        f"from {later:%-d %B %Y, %H:%M} WITA."
    ]
    assert ComplianceReminder.objects.count() == 1
    assert Notice.objects.count() == 2
    # A day later, it can go out again.
    ComplianceReminder.objects.update(sent_at=timezone.now() - datetime.timedelta(hours=25))
    assert oaoi_remind(actor=people["admin"], region=luwu_utara, year=this_year) == 2
    assert ComplianceReminder.objects.count() == 2


def test_another_region_can_be_reminded_the_same_day(
    people, luwu_utara, other_regency, reminding, this_year, django_capture_on_commit_callbacks
):
    oaoi_remind(actor=people["secretariat"], region=luwu_utara, year=this_year)
    with django_capture_on_commit_callbacks(execute=True):
        count = oaoi_remind(
            actor=people["neighbour_secretariat"], region=other_regency, year=this_year
        )
    assert count == 1
    assert Notice.objects.filter(user=people["neighbour_operator"]).count() == 1


def test_only_the_current_year(people, luwu_utara, reminding, this_year):
    with pytest.raises(ValidationError) as refused:
        oaoi_remind(actor=people["secretariat"], region=luwu_utara, year=this_year - 1)
    assert refused.value.messages == [f"Reminders are for the current year ({this_year}) only."]
    assert not ComplianceReminder.objects.exists()


def test_nobody_to_remind(people, luwu_utara, this_year):
    for agency in (people["agency"], people["other_agency"]):
        make_innovation(agency, "Baru", initiative_date=datetime.date(this_year, 1, 1))
    with pytest.raises(ValidationError) as refused:
        oaoi_remind(actor=people["secretariat"], region=luwu_utara, year=this_year)
    assert refused.value.messages == [
        f"Every agency has an innovation in {this_year}: there is nobody to remind."
    ]
    assert not ComplianceReminder.objects.exists()


def test_agencies_without_anyone_to_tell(people, luwu_utara, this_year):
    make_innovation(people["agency"], "Baru", initiative_date=datetime.date(this_year, 1, 1))
    make_innovation(people["other_agency"], "Baru", initiative_date=datetime.date(this_year, 1, 1))
    AgencyFactory(region=luwu_utara, name="Kantor Arsip")
    with pytest.raises(ValidationError) as refused:
        oaoi_remind(actor=people["secretariat"], region=luwu_utara, year=this_year)
    assert refused.value.messages == [
        "None of the 1 agencies without an innovation has an operator or a head in Siwanda: "
        "invite them first."
    ]


@pytest.mark.parametrize(
    "role", ["leadership", "operator", "head", "mentor", "juror", "neighbour_secretariat"]
)
def test_only_the_secretariat_reminds(people, luwu_utara, reminding, this_year, role):
    with pytest.raises(PermissionDenied):
        oaoi_remind(actor=people[role], region=luwu_utara, year=this_year)
    assert not ComplianceReminder.objects.exists()
    assert not Notice.objects.exists()
