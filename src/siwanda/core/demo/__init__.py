"""The demo: Kabupaten Luwu Utara (Sulawesi Selatan, WITA), its people by role title, and its
innovation competitions. Loaded by `make run` and `manage.py seed_demo`; idempotent."""

from django.db import transaction

from .platform import DEMO_ACCOUNTS, DEMO_PASSWORD, load_platform


def demo_is_loaded() -> bool:
    from siwanda.competitions.models import Competition

    from .competitions import NAME_2019

    return Competition.objects.filter(name=NAME_2019).exists()


@transaction.atomic
def load_demo() -> None:
    from .announcements import load_announcements
    from .catalogue import load_catalogue
    from .competitions import load_competitions
    from .registry import load_recent

    load_platform()
    load_competitions()
    load_recent()
    load_catalogue()
    load_announcements()


__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "demo_is_loaded", "load_demo"]
