"""Builders of the catalogue tests (unit, integration and browser): innovations registered
through the registry's service and published by their region's secretariat through
`innovation_publish`, in three regions of two provinces (Luwu Utara and Luwu Timur in Sulawesi
Selatan, Kabupaten Gorontalo in Gorontalo)."""

import datetime

from siwanda.accounts.models import Role
from siwanda.catalogue import services
from siwanda.innovations import services as registry
from siwanda.regions.models import Agency
from tests.builders import pdf_upload
from tests.factories import AgencyFactory, person_with_role


def register(agency, title, *, stage="implementation", started=2021, **fields):
    """An innovation of `agency` registered by the system (actor None), started in `started`."""
    dates = {}
    if stage == "implementation":
        dates["implementation_date"] = datetime.date(started, 3, 1)
    elif stage == "trial":
        dates["trial_date"] = datetime.date(started, 3, 1)
    elif started:
        dates["initiative_date"] = datetime.date(started, 3, 1)
    values = {
        "form": "public_service",
        "urusan": "",
        "initiator": "agency",
        "is_digital": False,
        "goals": "",
    } | fields
    return registry.innovation_create(
        actor=None, agency=agency, title=title, stage=stage, **dates, **values
    )


def secretariat_of(region):
    """The secretariat of `region` (one person per region, made on first use)."""
    from siwanda.accounts.models import RoleAssignment

    found = RoleAssignment.objects.filter(role=Role.SECRETARIAT, region=region).first()
    if found is not None:
        return found.user
    return person_with_role(
        Role.SECRETARIAT, region=region, email=f"setda-{region.code}@example.test"
    )


def publish(innovation, *, by=None, evidence=()):
    return services.innovation_publish(
        actor=by or secretariat_of(innovation.region),
        innovation=innovation,
        public_evidence_ids=[d.pk for d in evidence],
    )


def verified_document(innovation, description, *, status="verified", note=""):
    """An evidence document uploaded by the system and checked by the region's secretariat."""
    document = registry.evidence_add(
        actor=None,
        innovation=innovation,
        kind="regulation",
        description=description,
        upload=pdf_upload(f"{description[:20]}.pdf".replace(" ", "-")),
    )
    if status != "pending":
        document = registry.evidence_verify(
            actor=secretariat_of(innovation.region), document=document, status=status, note=note
        )
    return document


def make_agencies(people, luwu_utara, gorontalo):
    """The agencies of the tests: those of `people` and four more."""
    return {
        "dinkes": people["agency"],
        "disdik": people["other_agency"],
        "disdukcapil": AgencyFactory(
            region=luwu_utara, name="Dinas Kependudukan dan Pencatatan Sipil"
        ),
        "masamba": AgencyFactory(
            region=luwu_utara, name="Kecamatan Masamba", kind=Agency.Kind.KECAMATAN
        ),
        "luwu_timur": people["neighbour_agency"],
        "dlh_gorontalo": AgencyFactory(region=gorontalo, name="Dinas Lingkungan Hidup"),
    }


def make_library(agencies):
    """Six published innovations and two that are not, with every facet varied:

    key          region      kind       form     urusan            stage  year  digital  sdgs
    adminduk     Luwu Utara  dinas      service  adminduk          impl   2021  no       16
    daring       Luwu Timur  dinas      service  adminduk          trial  2022  yes      10 16
    bank_sampah  Luwu Utara  kecamatan  other    lingkungan_hidup  impl   2020  no       11 12
    kompos       Gorontalo   dinas      service  lingkungan_hidup  init   2023  no       12 13
    stunting     Luwu Utara  dinas      service  kesehatan         impl   2020  no       2 3
    sekolah      Luwu Utara  dinas      governance  pendidikan     impl   2021  yes      4
    (sekolah won a province award; draft_* are registered and never published)
    """
    a = agencies
    made = {
        "adminduk": register(
            a["disdukcapil"],
            "Pelayanan Administrasi Kependudukan Keliling",
            urusan="adminduk",
            sdgs=[16],
            goals="Warga desa terpencil mendapat KTP dan akta kelahiran tanpa ke kota.",
        ),
        "daring": register(
            a["luwu_timur"],
            "Si-Dukun: Layanan Kependudukan Daring",
            urusan="adminduk",
            stage="trial",
            started=2022,
            is_digital=True,
            sdgs=[10, 16],
            goals="Akta dan kartu keluarga diurus dari rumah lewat aplikasi.",
        ),
        "bank_sampah": register(
            a["masamba"],
            "Pengelolaan Sampah Berbasis Bank Sampah",
            form="other",
            urusan="lingkungan_hidup",
            started=2020,
            sdgs=[11, 12],
            goals="Sampah rumah tangga dipilah dan ditabung warga.",
        ),
        "kompos": register(
            a["dlh_gorontalo"],
            "Dikelola Warga: Sampah Jadi Kompos",
            urusan="lingkungan_hidup",
            stage="initiative",
            started=2023,
            sdgs=[12, 13],
            goals="Pupuk dari dapur warga untuk kebun desa.",
        ),
        "stunting": register(
            a["dinkes"],
            "Dapur Sehat Atasi Stunting",
            urusan="kesehatan",
            started=2020,
            sdgs=[2, 3],
            goals="Balita mendapat makanan bergizi setiap hari di dapur desa.",
        ),
        "sekolah": register(
            a["disdik"],
            "Sekolah Ramah Anak",
            form="governance",
            urusan="pendidikan",
            is_digital=True,
            sdgs=[4],
            goals="Murid belajar tanpa perundungan.",
        ),
    }
    registry.award_add(
        actor=secretariat_of(made["sekolah"].region),
        innovation=made["sekolah"],
        year=2023,
        level="province",
        title="Top 30 KIPP Sulawesi Selatan",
    )
    for innovation in made.values():
        publish(innovation)
    made["draft_sampah"] = register(
        a["masamba"],
        "Pengelolaan Sampah Pasar Rahasia",
        urusan="lingkungan_hidup",
        goals="Belum siap: kelola sampah pasar.",
    )
    made["draft_dukcapil"] = register(
        a["disdukcapil"],
        "Pelayanan Kependudukan Belum Terbit",
        urusan="adminduk",
        goals="Pelayanan kependudukan di kantor desa.",
    )
    return made


PUBLISHED = ("adminduk", "daring", "bank_sampah", "kompos", "stunting", "sekolah")
