from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone, translation

from siwanda.core.templatetags.siwanda import day, when

DEADLINE = datetime(2026, 5, 31, 15, 59, tzinfo=UTC)  # 23.59 in Makassar


def test_a_moment_in_the_regions_zone_in_indonesian(luwu_utara):
    with translation.override("id"):
        assert when(DEADLINE, luwu_utara) == "31 Mei 2026, 23.59 WITA"


def test_a_moment_in_the_regions_zone_in_english(luwu_utara):
    with translation.override("en"):
        assert when(DEADLINE, luwu_utara) == "31 May 2026, 23:59 WITA"


def test_a_moment_in_the_viewers_zone():
    with translation.override("id"), timezone.override(ZoneInfo("Asia/Jayapura")):
        assert when(DEADLINE) == "1 Juni 2026, 00.59 WIT"
    with translation.override("id"), timezone.override(ZoneInfo("Asia/Jakarta")):
        assert when(DEADLINE) == "31 Mei 2026, 22.59 WIB"


def test_nothing_for_nothing():
    assert when(None) == ""
    assert day(None) == ""


def test_day():
    with translation.override("id"):
        assert day(date(2026, 8, 17)) == "17 Agustus 2026"


def test_a_deadline_is_said_with_pukul(luwu_utara):
    from siwanda.core.templatetags.siwanda import deadline

    with translation.override("en"):
        assert deadline(DEADLINE, luwu_utara) == "31 May 2026 at 23:59 WITA"


def test_a_deadline_is_said_with_pukul_in_indonesian(luwu_utara):
    from siwanda.core.templatetags.siwanda import deadline

    with translation.override("id"):
        assert deadline(DEADLINE, luwu_utara) == "31 Mei 2026 pukul 23.59 WITA"
