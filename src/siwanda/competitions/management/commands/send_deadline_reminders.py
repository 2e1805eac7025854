from django.core.management.base import BaseCommand

from siwanda.competitions.services import send_automatic_reminders
from siwanda.judging.services import send_juror_reminders


class Command(BaseCommand):
    help = (
        "Remind the agencies that have sent nothing, N days before each open competition's "
        "deadline, and the jurors with open score sheets, N days before each stage's scores are "
        "due (the reminder days set per competition and per stage). Run daily; a day's reminder "
        "is sent once."
    )

    def handle(self, *args, **options):
        agencies = send_automatic_reminders()
        jurors = send_juror_reminders()
        self.stdout.write(f"Reminders sent to {agencies} agencies and {jurors} jurors.")
