"""Recent innovations of Luwu Utara's agencies, so that One Agency, One Innovation has something
to show: most agencies began one this year or last, a few (Bagian Organisasi, a kecamatan, the
BUMD...) have none and are highlighted on the dashboard."""

from datetime import date

from django.utils import timezone

from siwanda.innovations.models import Innovation
from siwanda.innovations.services import innovation_create
from siwanda.regions.models import Agency, Region

from .platform import REGENCY_CODE

# (agency, title, form, urusan, digital, years ago (0 = this year), month)
RECENT = [
    ("Dinas Pendidikan", "Rapor Digital Orang Tua", "public_service", "pendidikan", True, 0, 2),
    ("Dinas Kesehatan", "Ambulans Desa Siaga", "public_service", "kesehatan", False, 0, 3),
    (
        "Dinas Komunikasi dan Informatika",
        "Satu Data Luwu Utara",
        "governance",
        "kominfo",
        True,
        0,
        1,
    ),
    ("Dinas Ketahanan Pangan", "Lumbung Pangan Keluarga", "public_service", "pangan", False, 0, 4),
    (
        "Dinas Pemberdayaan Masyarakat dan Desa",
        "Desa Cerdas Anggaran",
        "governance",
        "pmd",
        True,
        0,
        5,
    ),
    (
        "Dinas Lingkungan Hidup",
        "Pengelolaan Sampah Pasar Terpadu",
        "public_service",
        "lingkungan_hidup",
        False,
        0,
        2,
    ),
    (
        "Badan Penanggulangan Bencana Daerah",
        "Peringatan Dini Banjir Masamba",
        "public_service",
        "trantibum",
        True,
        0,
        6,
    ),
    (
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "Izin Antar ke Rumah",
        "public_service",
        "penanaman_modal",
        False,
        0,
        3,
    ),
    ("Dinas Pertanian", "Klinik Tanaman Keliling", "public_service", "pertanian", False, 0, 7),
    (
        "Dinas Kependudukan dan Pencatatan Sipil",
        "Pelayanan Kependudukan Malam Hari",
        "public_service",
        "adminduk",
        False,
        0,
        5,
    ),
    ("Dinas Sosial", "Data Terpadu Warga Rentan", "governance", "sosial", True, 0, 8),
    (
        "Kecamatan Masamba",
        "Kantor Camat Tanpa Antre",
        "public_service",
        "pemerintahan_umum",
        True,
        0,
        4,
    ),
    ("Puskesmas Bone-Bone", "Kelas Ibu Hamil Daring", "public_service", "kesehatan", True, 0, 9),
    (
        "SMP Negeri 1 Masamba",
        "Perpustakaan Keliling Sekolah",
        "public_service",
        "pendidikan",
        False,
        0,
        2,
    ),
    (
        "Dinas Perikanan",
        "Pasar Ikan Daring Nelayan",
        "public_service",
        "kelautan_perikanan",
        True,
        1,
        6,
    ),
    (
        "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
        "Musrenbang Daring",
        "governance",
        "perencanaan",
        True,
        1,
        3,
    ),
    (
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "Kenaikan Pangkat Tanpa Berkas",
        "governance",
        "kepegawaian",
        True,
        1,
        8,
    ),
    ("Puskesmas Masamba", "Pos Lansia Sehat", "public_service", "kesehatan", False, 1, 10),
]


def load_recent() -> None:
    region = Region.objects.get(code=REGENCY_CODE)
    agencies = {a.name: a for a in Agency.objects.filter(region=region)}
    this_year = timezone.localdate().year
    for agency_name, title, form, urusan, digital, years_ago, month in RECENT:
        agency = agencies[agency_name]
        if Innovation.objects.filter(agency=agency, title=title).exists():
            continue
        innovation_create(
            actor=None,
            agency=agency,
            title=title,
            form=form,
            urusan=urusan,
            initiator="agency",
            is_digital=digital,
            stage="initiative",
            initiative_date=date(this_year - years_ago, month, 1),
            goals=f"{title}: inovasi {agency_name} yang sedang dirintis.",
        )
