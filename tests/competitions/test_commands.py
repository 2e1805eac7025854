import io

from django.core.management import call_command
from django.utils import timezone

from siwanda.competitions.deadlines import end_of_day
from siwanda.core.models import Notice


def test_the_daily_command_reminds_on_the_chosen_days(people, competition):
    """The competition fixture closes 30 days from today: choosing 30 makes today a reminder day."""
    days_left = (
        competition.deadline_at.astimezone(competition.region.zone).date()
        - timezone.now().astimezone(competition.region.zone).date()
    ).days
    competition.reminder_days = [days_left]
    competition.save(update_fields=["reminder_days"])
    out = io.StringIO()
    call_command("send_deadline_reminders", stdout=out)
    assert out.getvalue().strip() == "Reminders sent to 2 agencies and 0 jurors."
    assert Notice.objects.filter(user=people["other_operator"], text__contains="days left").exists()
    out = io.StringIO()
    call_command("send_deadline_reminders", stdout=out)
    assert out.getvalue().strip() == "Reminders sent to 0 agencies and 0 jurors."
    assert competition.deadline_at == end_of_day(
        competition.deadline_at.astimezone(competition.region.zone).date(), competition.region
    )
