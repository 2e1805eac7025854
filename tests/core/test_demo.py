from collections import Counter

import pytest

from siwanda.accounts.models import Role, RoleAssignment, User
from siwanda.accounts.roles import roles_of
from siwanda.activity.models import ActivityEntry
from siwanda.competitions.models import Competition
from siwanda.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_is_loaded, load_demo
from siwanda.proposals.models import Proposal
from siwanda.regions.models import Agency
from siwanda.screening.models import Review


@pytest.fixture
def demo(db):
    load_demo()


def counts():
    return (
        User.objects.count(),
        Agency.objects.count(),
        RoleAssignment.objects.count(),
        ActivityEntry.objects.count(),
        Proposal.objects.count(),
    )


def test_the_demo_loads_once_and_twice_changes_nothing(demo):
    assert demo_is_loaded()
    before = counts()
    load_demo()
    assert counts() == before


def test_demo_accounts_and_agencies(demo):
    for email, _name, _position, role, region_code, agency in DEMO_ACCOUNTS:
        user = User.objects.get(email=email)
        assert user.check_password(DEMO_PASSWORD), email
        assignment = roles_of(user).assignments[0]
        assert assignment.role == role
        assert (assignment.region.code if assignment.region else None) == region_code
        assert (assignment.agency.name if assignment.agency else None) == agency
    names = set(Agency.objects.filter(region__code="73.22").values_list("name", flat=True))
    assert {
        "Dinas Kesehatan",
        "Dinas Pendidikan",
        "Kecamatan Sukamaju Selatan",
        "Badan Penanggulangan Bencana Daerah",
        "Bagian Organisasi Sekretariat Daerah",
    } <= names
    assert Agency.objects.get(name="Puskesmas Bone-Bone").parent.name == "Dinas Kesehatan"
    assert RoleAssignment.objects.filter(role=Role.JUROR, region__code="73.22").count() == 6


def test_demo_competitions(demo):
    """2019: 27 proposals in screening, with the findings the demo shows; this year: open."""
    competition = Competition.objects.get(name="KIPP Kabupaten Luwu Utara 2019")
    assert competition.status == Competition.Status.SCREENING
    assert competition.deadline_at.astimezone(competition.region.zone).isoformat() == (
        "2019-08-31T23:59:59+08:00"
    )
    statuses = Counter(competition.proposals.values_list("status", flat=True))
    assert sum(statuses.values()) == 27
    assert statuses == {
        "passed": 18,
        "submitted": 5,
        "failed": 1,
        "awaiting_approval": 1,
        "draft": 1,
        "withdrawn": 1,
    }
    titles = set(competition.proposals.values_list("title", flat=True))
    assert {
        "Kesraku (Kebun Sekolah di Rumah Warga Kurang Mampu)",
        "Penjaga Jumpa Berlian",
        "Smart BUMDes",
        "Sipena",
        "GIS for E-Control",
    } <= titles
    findings = {
        review.proposal.title: {f["code"] for f in review.findings}
        for review in Review.objects.filter(decision="pending").select_related("proposal")
    }
    assert findings["Kampung Donor Darah Penyelamat Jiwa Puskesmas Masamba"] == {"similar_title"}
    assert findings["Sekolah Lapang Petani Milenial"] == {"too_young"}
    assert findings["ANC Hipnoterapi"] == {"previous_winner"}
    competition = Competition.objects.exclude(name="KIPP Kabupaten Luwu Utara 2019").get()
    assert competition.status == Competition.Status.OPEN
    assert competition.recipients.filter(agency__name="Dinas Pendidikan").exists()
    draft = competition.proposals.get(agency__name="Dinas Kesehatan")
    assert draft.status == Proposal.Status.DRAFT
    assert draft.mentor_comments.count() == 1
