"""The demo announcements: Luwu Utara's launch news, this year's timeline with the competition's
real dates, the proposal-writing guide and the competition rules with real PDFs."""

import pytest
from django.utils import formats, timezone, translation

from siwanda.accounts.models import User
from siwanda.announcements.models import Announcement
from siwanda.core.demo.announcements import load_announcements
from siwanda.core.demo.platform import load_platform
from tests.builders import competition_from_template


@pytest.fixture
def kipp(db, luwu_utara):
    load_platform()
    secretariat = User.objects.get(email="sekretariat@luwuutara.siwanda.test")
    year = timezone.localdate().year
    return competition_from_template(
        secretariat, luwu_utara, name=f"KIPP Kabupaten Luwu Utara {year}", year=year
    )


def test_the_demo_posts_luwu_utaras_announcements_once(kipp, luwu_utara):
    load_announcements()
    load_announcements()
    year = timezone.localdate().year
    rows = {
        (a.region.code, a.kind, a.title, a.competition_id, a.attachment_name)
        for a in Announcement.objects.select_related("region")
    }
    assert rows == {
        (
            "73.22",
            "guide",
            "Cara menulis proposal inovasi yang baik",
            None,
            "panduan-menulis-proposal-inovasi.pdf",
        ),
        ("73.22", "news", f"KIPP Kabupaten Luwu Utara {year} resmi dibuka", kipp.pk, ""),
        ("73.22", "schedule", f"Jadwal KIPP Kabupaten Luwu Utara {year}", kipp.pk, ""),
        (
            "73.22",
            "guide",
            f"Ketentuan KIPP Kabupaten Luwu Utara {year}",
            kipp.pk,
            f"ketentuan-kipp-luwu-utara-{year}.pdf",
        ),
        ("73", "news", f"Sosialisasi KIPP Provinsi Sulawesi Selatan {year}", None, ""),
    }
    assert all(a.is_published for a in Announcement.objects.all())
    author = Announcement.objects.get(kind="schedule").author
    assert author.email == "sekretariat@luwuutara.siwanda.test"


def test_the_schedule_gives_the_competitions_real_dates(kipp, luwu_utara):
    load_announcements()
    body = Announcement.objects.get(kind="schedule").body
    with translation.override("id"):
        deadline = formats.date_format(
            timezone.localtime(kipp.deadline_at, luwu_utara.zone).date(), "DATE_FORMAT"
        )
        first_milestone = kipp.milestones.first()
        milestone_day = formats.date_format(first_milestone.date, "DATE_FORMAT")
    assert f"- Batas akhir pengiriman usulan: {deadline}, pukul 23.59 WITA" in body
    assert f"- {first_milestone.name}: {milestone_day}" in body


def test_the_guides_carry_real_pdfs(kipp):
    load_announcements()
    for announcement in Announcement.objects.exclude(attachment=""):
        with announcement.attachment.open("rb") as stored:
            content = stored.read()
        assert content.startswith(b"%PDF-"), announcement.title
        assert announcement.attachment_size == len(content) > 1000


def test_without_this_years_competition_only_the_general_ones_are_posted(db, luwu_utara):
    load_platform()
    load_announcements()
    assert set(Announcement.objects.values_list("title", flat=True)) == {
        "Cara menulis proposal inovasi yang baik",
        f"Sosialisasi KIPP Provinsi Sulawesi Selatan {timezone.localdate().year}",
    }
