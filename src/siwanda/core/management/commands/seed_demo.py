from django.core.management.base import BaseCommand

from siwanda.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_is_loaded, load_demo


class Command(BaseCommand):
    help = "Load the Luwu Utara demo (agencies, demo accounts). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Do nothing when the demo is already there (fast restart of `make run`).",
        )

    def handle(self, *args, if_missing=False, **options):
        if if_missing and demo_is_loaded():
            self.stdout.write("Demo data already loaded.")
        else:
            load_demo()
            self.stdout.write("Demo data loaded.")
        self.stdout.write(f"\nDemo accounts (password for all: {DEMO_PASSWORD}):")
        for email, name, _position, role, *_scope in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:<42} {role.label} — {name}")
        self.stdout.write(
            "  …and an operator for each agency with a demo innovation, e.g. "
            "operator.bpbd@luwuutara.siwanda.test (same password)."
        )
