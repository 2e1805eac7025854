"""Small hand-built data for the dashboards: innovations with the dates that decide their year,
proposals in every state, awards at every level, in Luwu Utara and next door."""

import datetime

import pytest
from django.utils import timezone

from siwanda.competitions.models import Competition
from siwanda.innovations.models import Award, Innovation
from siwanda.proposals.models import Proposal
from siwanda.regions.models import Agency
from tests.builders import competition_from_template
from tests.factories import AgencyFactory

YEAR = 2026
S = Proposal.Status


def make_innovation(agency, title="Inovasi", *, created=None, sdgs=(), **fields) -> Innovation:
    """An innovation made directly (registering through the service is tested elsewhere), with
    `created` as its registration moment."""
    values = {"form": "public_service", "urusan": "kesehatan", "initiator": "civil_servant"}
    innovation = Innovation.objects.create(
        agency=agency, region=agency.region, title=title, **(values | fields)
    )
    if created is not None:
        Innovation.objects.filter(pk=innovation.pk).update(created_at=created)
    innovation.sdgs.set(sdgs)
    return innovation


def make_proposal(competition, innovation, status) -> Proposal:
    group = competition.groups.order_by("order").first()
    return Proposal.objects.create(
        competition=competition,
        agency=innovation.agency,
        innovation=innovation,
        group=group,
        form_version=group.form.versions.order_by("-number").first(),
        title=innovation.title,
        status=status,
        submitted_at=timezone.now() if status in Proposal.IN_COMPETITION else None,
    )


def kipp(secretariat, region, year, name="KIPP") -> Competition:
    return competition_from_template(secretariat, region, name=f"{name} {year}", year=year)


@pytest.fixture
def kecamatan(luwu_utara):
    return AgencyFactory(region=luwu_utara, name="Kecamatan Baebunta", kind=Agency.Kind.KECAMATAN)


@pytest.fixture
def oaoi_world(people, luwu_utara, other_regency, kecamatan):
    """Luwu Utara in 2026 (WITA, UTC+8):

    - Dinas Kesehatan: one innovation begun 2025 (initiative), one begun 2026 (trial date, no
      initiative date), one registered in 2026 but begun 2019 (implementation date): 1 and 1;
      two proposals to 2026 competitions (submitted and passed), one draft and one withdrawn
      (not entries), one submitted to a 2025 competition (not counted for 2026).
    - Dinas Pendidikan: one innovation without any date, registered 31 Dec 2025 17:00 UTC,
      i.e. 1 Jan 2026 01:00 WITA: 0 and 1.
    - Kecamatan Baebunta: one innovation begun 2024: 0 and 0, not compliant.
    - Not counted: an inactive agency, a member of the public (each with a 2026 innovation),
      and the neighbour's Dinas Kesehatan.
    """
    dinkes, disdik = people["agency"], people["other_agency"]
    make_innovation(dinkes, "Posyandu Digital", initiative_date=datetime.date(2025, 3, 1))
    begun = make_innovation(
        dinkes, "Dapur Sehat", trial_date=datetime.date(2026, 2, 1), sdgs=[2, 3], urusan="pangan"
    )
    make_innovation(
        dinkes,
        "Ambulans Desa",
        stage="implementation",
        implementation_date=datetime.date(2019, 5, 1),
        created=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
        sdgs=[3],
    )
    late = make_innovation(
        disdik,
        "Sekolah Ramah Anak",
        form="governance",
        urusan="pendidikan",
        created=datetime.datetime(2025, 12, 31, 17, 0, tzinfo=datetime.UTC),
        sdgs=[4],
    )
    make_innovation(
        kecamatan,
        "Kantor Camat Keliling",
        form="other",
        urusan="",
        stage="trial",
        trial_date=datetime.date(2024, 6, 1),
    )
    inactive = AgencyFactory(region=luwu_utara, name="Dinas Lama", is_active=False)
    public = AgencyFactory(region=luwu_utara, name="Kelompok Warga", kind=Agency.Kind.PUBLIC)
    for agency in (inactive, public):
        make_innovation(agency, f"Inovasi {agency.name}", initiative_date=datetime.date(2026, 1, 5))
    make_innovation(
        people["neighbour_agency"], "Tetangga", initiative_date=datetime.date(2026, 1, 5)
    )

    secretariat = people["secretariat"]
    this_year = kipp(secretariat, luwu_utara, YEAR)
    last_year = kipp(secretariat, luwu_utara, YEAR - 1)
    for status in (S.SUBMITTED, S.PASSED, S.DRAFT, S.WITHDRAWN):
        make_proposal(this_year, begun, status)
    make_proposal(last_year, late, S.SUBMITTED)
    return {"this_year": this_year, "last_year": last_year, "kecamatan": kecamatan}


@pytest.fixture
def funnel_world(people, luwu_utara, other_regency):
    """Competitions of Luwu Utara: 2025 with seven proposals (draft, awaiting approval,
    submitted, passed twice, failed, withdrawn) and published awards (two winners, one special
    category); 2026 with none. A competition next door with proposals and awards.
    Awards of Luwu Utara's innovations: 2018 regency (by hand), 2025 regency ×3 (the results),
    2025 province, 2026 national; the neighbour's 2025 regency award is not counted."""
    secretariat = people["secretariat"]
    dinkes = people["agency"]
    earlier = kipp(secretariat, luwu_utara, 2025)
    kipp(secretariat, luwu_utara, 2026)
    innovation = make_innovation(dinkes, "Dapur Sehat", initiative_date=datetime.date(2025, 1, 10))
    for status in (S.DRAFT, S.AWAITING_APPROVAL, S.SUBMITTED, S.PASSED, S.PASSED, S.FAILED):
        make_proposal(earlier, innovation, status)
    make_proposal(earlier, innovation, S.WITHDRAWN)
    Award.objects.create(innovation=innovation, year=2018, level="regency", title="Top 7 2018")
    for title, is_top in (("Top 2", True), ("Top 2", True), ("Kategori Partisipatif", False)):
        Award.objects.create(
            innovation=innovation,
            year=2025,
            level="regency",
            title=title,
            is_top=is_top,
            competition=earlier,
        )
    Award.objects.create(innovation=innovation, year=2025, level="province", title="Top 30")
    Award.objects.create(innovation=innovation, year=2026, level="national", title="Top 45")

    neighbour = kipp(people["neighbour_secretariat"], other_regency, 2025, name="KIPP Timur")
    theirs = make_innovation(people["neighbour_agency"], "Tetangga")
    make_proposal(neighbour, theirs, S.PASSED)
    Award.objects.create(
        innovation=theirs, year=2025, level="regency", title="Top 1", competition=neighbour
    )
    return {"earlier": earlier}
