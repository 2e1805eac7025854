"""The demo's public catalogue: most of Luwu Utara's innovations published by its secretariat,
a few innovations of other regions (Luwu Timur, Kota Makassar, Kabupaten Banyuwangi), one
finished replication and one request waiting for Dinas Kesehatan Luwu Utara's answer."""

from datetime import date

from siwanda.accounts.models import User
from siwanda.catalogue.models import CatalogueEntry, ReplicationRequest
from siwanda.catalogue.services import (
    innovation_publish,
    replication_answer,
    replication_complete,
    replication_request,
)
from siwanda.innovations.models import Innovation
from siwanda.innovations.services import innovation_create
from siwanda.regions.models import Agency, Region
from siwanda.regions.services import agency_create

from .platform import LUWU_TIMUR_CODE, REGENCY_CODE

# Kept out of the catalogue, to show that publishing is the secretariat's choice.
UNPUBLISHED = {"Gelisha", "Smart BUMDes"}

# (region code, agency, kind, title, form, urusan, digital, started, sdgs, summary)
OTHERS = [
    (
        LUWU_TIMUR_CODE,
        "Dinas Lingkungan Hidup",
        "dinas",
        "Sedekah Sampah untuk Sekolah",
        "public_service",
        "lingkungan_hidup",
        False,
        date(2021, 2, 1),
        [11, 12],
        "Warga menyetor sampah terpilah ke bank sampah desa; hasil penjualannya membiayai "
        "perlengkapan sekolah anak kurang mampu.",
    ),
    (
        "73.71",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "dinas",
        "Dukcapil Lorong: Pelayanan Kependudukan di Lorong Kota",
        "public_service",
        "adminduk",
        True,
        date(2020, 8, 17),
        [16],
        "Petugas dukcapil melayani perekaman KTP-el, kartu keluarga dan akta di lorong-lorong "
        "permukiman padat, dengan antrean daring.",
    ),
    (
        "73.71",
        "Dinas Lingkungan Hidup",
        "dinas",
        "Aplikasi Angkut Sampah Terjadwal",
        "public_service",
        "lingkungan_hidup",
        True,
        date(2022, 1, 10),
        [11],
        "Warga memesan pengangkutan sampah rumah tangga lewat aplikasi dan membayar retribusi "
        "secara nontunai.",
    ),
    (
        "35.10",
        "Dinas Kesehatan",
        "dinas",
        "Posyandu Digital Cegah Stunting",
        "public_service",
        "kesehatan",
        True,
        date(2021, 6, 1),
        [2, 3],
        "Kader posyandu mencatat tumbuh kembang balita di ponsel; puskesmas langsung melihat "
        "balita berisiko stunting.",
    ),
]


def _agency(region, name, kind):
    return Agency.objects.filter(region=region, name=name).first() or agency_create(
        actor=None, region=region, name=name, kind=kind
    )


def _others() -> None:
    for code, agency_name, kind, title, form, urusan, digital, started, sdgs, summary in OTHERS:
        agency = _agency(Region.objects.get(code=code), agency_name, kind)
        innovation = Innovation.objects.filter(agency=agency, title=title).first()
        if innovation is None:
            innovation = innovation_create(
                actor=None,
                agency=agency,
                title=title,
                form=form,
                urusan=urusan,
                initiator="agency",
                is_digital=digital,
                stage="implementation",
                implementation_date=started,
                sdgs=sdgs,
                goals=summary,
                design=f"{title}. {summary}",
                benefits=summary,
                results=summary,
            )
        innovation_publish(actor=None, innovation=innovation)


def load_catalogue() -> None:
    if CatalogueEntry.objects.exists():
        return
    region = Region.objects.get(code=REGENCY_CODE)
    secretariat = User.objects.get(email="sekretariat@luwuutara.siwanda.test")
    # Ideas still at the initiative stage are not published: nothing to copy yet.
    for innovation in Innovation.objects.filter(region=region, source_innovation=None).exclude(
        stage="initiative"
    ):
        if innovation.title not in UNPUBLISHED:
            innovation_publish(actor=secretariat, innovation=innovation)
    _others()
    # Luwu Timur replicated Dapur Sehat Atasi Stunting (done) and asks for Kampung Donor Darah
    # (waiting for Dinas Kesehatan Luwu Utara's answer).
    lutim = User.objects.get(email="operator.dinkes@luwutimur.siwanda.test")
    owner = User.objects.get(email="operator.dinkes@luwuutara.siwanda.test")
    lutim_dinkes = Agency.objects.get(region__code=LUWU_TIMUR_CODE, name="Dinas Kesehatan")
    stunting = Innovation.objects.get(region=region, title="Dapur Sehat Atasi Stunting")
    done = replication_request(
        actor=lutim,
        source=stunting,
        agency=lutim_dinkes,
        message="Kami ingin menerapkan Dapur Sehat Atasi Stunting di desa-desa Luwu Timur. Mohon "
        "berbagi menu, SOP dan cara melatih kader.",
    )
    replication_answer(
        actor=owner,
        request=done,
        status=ReplicationRequest.Status.AGREED,
        text="Silakan. Menu dan SOP kami kirim lewat surel; ahli gizi kami siap mendampingi.",
    )
    replication_complete(actor=lutim, request=done)
    donor = Innovation.objects.get(region=region, title="Kampung Donor Darah Penyelamat Jiwa")
    replication_request(
        actor=lutim,
        source=donor,
        agency=lutim_dinkes,
        message="Stok darah di Luwu Timur sering kosong. Bolehkah kami belajar cara membentuk "
        "kampung donor darah?",
    )
