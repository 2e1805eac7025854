from django.core.management.base import BaseCommand

from siwanda.competitions.services import send_automatic_reminders


class Command(BaseCommand):
    help = (
        "Remind the agencies that have sent nothing, N days before each open competition's "
        "deadline (its automatic reminder days). Run daily; a day's reminder is sent once."
    )

    def handle(self, *args, **options):
        sent = send_automatic_reminders()
        self.stdout.write(f"Reminders sent to {sent} agencies.")
