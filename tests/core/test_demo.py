from collections import Counter

import pytest
from django.utils import timezone

from siwanda.accounts.models import Role, RoleAssignment, User
from siwanda.accounts.roles import roles_of
from siwanda.activity.models import ActivityEntry
from siwanda.competitions.models import Competition
from siwanda.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_is_loaded, load_demo
from siwanda.core.demo.competitions import INNOVATIONS, PARTICIPATORY
from siwanda.judging.models import Moderation, Sheet, Stage
from siwanda.judging.selectors import juror_work
from siwanda.proposals.models import Proposal
from siwanda.regions.models import Agency
from siwanda.results.services import publication_recompute
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
    """2019: 27 proposals screened, with the findings the demo shows, judged and published;
    this year: KIPP open for writing, the Lomba Inovasi Daerah in proposal evaluation."""
    competition = Competition.objects.get(name="KIPP Kabupaten Luwu Utara 2019")
    assert competition.status == Competition.Status.FINISHED
    assert competition.deadline_at.astimezone(competition.region.zone).isoformat() == (
        "2019-08-31T23:59:59+08:00"
    )
    statuses = Counter(competition.proposals.values_list("status", flat=True))
    assert sum(statuses.values()) == 27
    assert statuses == {
        "passed": 20,
        "failed": 4,
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
        review.proposal.title: ({f["code"] for f in review.findings}, review.decision)
        for review in Review.objects.filter(proposal__competition=competition).select_related(
            "proposal"
        )
    }
    assert findings["Kampung Donor Darah Penyelamat Jiwa Puskesmas Masamba"] == (
        {"similar_title"},
        "failed",
    )
    assert findings["Sekolah Lapang Petani Milenial"] == ({"too_young"}, "failed")
    assert findings["ANC Hipnoterapi"] == ({"previous_winner"}, "failed")

    current = Competition.objects.get(name=f"KIPP Kabupaten Luwu Utara {timezone.now().year}")
    assert current.status == Competition.Status.OPEN
    assert current.recipients.filter(agency__name="Dinas Pendidikan").exists()
    draft = current.proposals.get(agency__name="Dinas Kesehatan")
    assert draft.status == Proposal.Status.DRAFT
    assert draft.mentor_comments.count() == 1


def test_demo_2019_is_judged_and_published(demo):
    competition = Competition.objects.get(name="KIPP Kabupaten Luwu Utara 2019")
    (stage,) = competition.stages.all()
    assert stage.kind == Stage.Kind.PRESENTATION and stage.status == Stage.Status.CLOSED
    panel = {m.juror.full_name: m for m in stage.panel.select_related("juror", "agency")}
    assert set(panel) == {
        "Kepala Badan Penelitian dan Pengembangan",
        "Kepala Dinas Komunikasi dan Informatika",
        "Sekretaris Bappelitbangda",
        "Kepala Bagian Organisasi",
        "Camat Sukamaju Selatan",
        "Kepala Bidang Inovasi",
    }
    assert panel["Kepala Badan Penelitian dan Pengembangan"].is_chair
    # Conflicts: the camat never scores the kecamatan's proposals.
    camat = panel["Camat Sukamaju Selatan"].juror
    assert not stage.assignments.filter(
        juror=camat, proposal__agency__name="Kecamatan Sukamaju Selatan"
    ).exists()
    assert stage.assignments.filter(juror=camat).count() == 18
    assert not Sheet.objects.filter(assignment__stage=stage).exclude(status="submitted").exists()
    assert stage.slots.count() == 20
    (moderation,) = stage.moderations.all()
    assert moderation.status == Moderation.Status.DECIDED and moderation.justification

    publication = competition.publications.get()
    ranked = list(
        publication.certificates.filter(kind="rank")
        .order_by("rank")
        .values_list("innovation_title", flat=True)
    )
    assert ranked == [row[0] for row in INNOVATIONS[:7]]
    special = set(
        publication.certificates.filter(kind="special").values_list("innovation_title", flat=True)
    )
    assert special == {row[0] for row in PARTICIPATORY}
    assert publication_recompute(publication).same


def test_demo_current_year_judging_is_open(demo, client):
    competition = Competition.objects.get(
        name=f"Lomba Inovasi Daerah Luwu Utara {timezone.now().year}"
    )
    assert competition.status == Competition.Status.JUDGING
    desk = competition.stages.order_by("order").first()
    assert desk.status == Stage.Status.SCORING
    assert desk.entries.count() == 8
    assert desk.assignments.count() == 24
    chair = User.objects.get(email="juri1@luwuutara.siwanda.test")
    sheets = Counter(
        Sheet.objects.filter(assignment__stage=desk).values_list("assignment__juror", "status")
    )
    assert sheets[(chair.pk, "submitted")] == 4
    assert desk.ends_on > timezone.localdate()
    # The work still being scored comes before the finished 2019 presentations.
    juri2 = User.objects.get(email="juri2@luwuutara.siwanda.test")
    assert [w.stage.status for w in juror_work(juri2)] == [
        Stage.Status.SCORING,
        Stage.Status.CLOSED,
    ]
    # The home page tells a juror what is left to score; a juror who is done sees no task.
    client.force_login(User.objects.get(email="juri2@luwuutara.siwanda.test"))
    page = client.get("/").content.decode()
    assert f"Proposal evaluation, {competition.name}: 0 of 4 done." in page
    client.force_login(chair)
    page = client.get("/").content.decode()
    assert "You have no proposals to score at the moment." in page
