"""The demo: Kabupaten Luwu Utara (Sulawesi Selatan, WITA) and its people, by role title.

Built through the service functions (as the system), so the demo has an audit trail like real
data. Every step looks up before it creates: running it twice changes nothing.
"""

from django.contrib.auth.hashers import make_password

from siwanda.accounts.models import Role, RoleAssignment, User
from siwanda.accounts.services import role_grant
from siwanda.regions.models import Agency, Region
from siwanda.regions.services import agency_create

DEMO_PASSWORD = "siwanda-demo"  # noqa: S105 - the published password of the demo accounts
REGENCY_CODE = "73.22"  # Kabupaten Luwu Utara
PROVINCE_CODE = "73"  # Sulawesi Selatan

K = Agency.Kind
# (name, short name, kind, parent name): agencies named in public reports, and a few units.
LUWU_UTARA_AGENCIES = [
    ("Bagian Organisasi Sekretariat Daerah", "Bagian Organisasi", K.BAGIAN, None),
    ("Dinas Pendidikan", "Disdik", K.DINAS, None),
    ("Dinas Kesehatan", "Dinkes", K.DINAS, None),
    ("Dinas Komunikasi dan Informatika", "Kominfo", K.DINAS, None),
    ("Dinas Ketahanan Pangan", "DKP", K.DINAS, None),
    ("Dinas Pemberdayaan Masyarakat dan Desa", "DPMD", K.DINAS, None),
    ("Dinas Lingkungan Hidup", "DLH", K.DINAS, None),
    ("Badan Penanggulangan Bencana Daerah", "BPBD", K.BADAN, None),
    (
        "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
        "Bappelitbangda",
        K.BADAN,
        None,
    ),
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP", K.DINAS, None),
    ("Dinas Pertanian", "Distan", K.DINAS, None),
    ("Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", K.DINAS, None),
    ("Dinas Sosial", "Dinsos", K.DINAS, None),
    ("Dinas Perikanan", "Diskan", K.DINAS, None),
    ("Kecamatan Sukamaju Selatan", "", K.KECAMATAN, None),
    ("Kecamatan Masamba", "", K.KECAMATAN, None),
    ("Kecamatan Bone-Bone", "", K.KECAMATAN, None),
    ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM", K.BADAN, None),
    ("Puskesmas Bone-Bone", "", K.PUSKESMAS, "Dinas Kesehatan"),
    ("Puskesmas Masamba", "", K.PUSKESMAS, "Dinas Kesehatan"),
    ("SMP Negeri 1 Masamba", "", K.SCHOOL, "Dinas Pendidikan"),
    ("Perusahaan Umum Daerah Air Minum Luwu Utara", "PDAM", K.BUMD, None),
]
LUWU_TIMUR_CODE = "73.24"  # Kabupaten Luwu Timur: the neighbour that replicates
LUWU_TIMUR_AGENCIES = [
    ("Bagian Organisasi Sekretariat Daerah", "Bagian Organisasi", K.BAGIAN, None),
    ("Dinas Kesehatan", "Dinkes", K.DINAS, None),
    ("Dinas Lingkungan Hidup", "DLH", K.DINAS, None),
    ("Puskesmas Malili", "", K.PUSKESMAS, "Dinas Kesehatan"),
]
SULSEL_AGENCIES = [
    (
        "Biro Organisasi Sekretariat Daerah Provinsi Sulawesi Selatan",
        "Biro Organisasi",
        K.BAGIAN,
        None,
    ),
    (
        "Badan Penelitian dan Pengembangan Daerah Provinsi Sulawesi Selatan",
        "Balitbangda",
        K.BADAN,
        None,
    ),
]

R = Role
# (email, full name = role title, position, role, region code, agency name)
DEMO_ACCOUNTS = [
    (
        "admin@siwanda.test",
        "Administrator Sistem Siwanda",
        "Administrator sistem",
        R.SYSTEM_ADMIN,
        None,
        None,
    ),
    (
        "sekretariat@luwuutara.siwanda.test",
        "Sekretariat Bagian Organisasi Luwu Utara",
        "Admin Lokal, Bagian Organisasi",
        R.SECRETARIAT,
        REGENCY_CODE,
        None,
    ),
    (
        "operator.dinkes@luwuutara.siwanda.test",
        "Operator Dinas Kesehatan",
        "Operator inovasi",
        R.OPERATOR,
        REGENCY_CODE,
        "Dinas Kesehatan",
    ),
    (
        "operator.disdik@luwuutara.siwanda.test",
        "Operator Dinas Pendidikan",
        "Operator inovasi",
        R.OPERATOR,
        REGENCY_CODE,
        "Dinas Pendidikan",
    ),
    (
        "kepala.dinkes@luwuutara.siwanda.test",
        "Kepala Dinas Kesehatan",
        "Kepala Dinas",
        R.AGENCY_HEAD,
        REGENCY_CODE,
        "Dinas Kesehatan",
    ),
    (
        "mentor@luwuutara.siwanda.test",
        "Tim Pelaksana Warkop Indah",
        "Mentor inovasi",
        R.MENTOR,
        REGENCY_CODE,
        None,
    ),
    (
        "juri1@luwuutara.siwanda.test",
        "Kepala Badan Penelitian dan Pengembangan",
        "Juri",
        R.JUROR,
        REGENCY_CODE,
        None,
    ),
    (
        "juri2@luwuutara.siwanda.test",
        "Kepala Dinas Komunikasi dan Informatika",
        "Juri",
        R.JUROR,
        REGENCY_CODE,
        None,
    ),
    (
        "juri3@luwuutara.siwanda.test",
        "Sekretaris Bappelitbangda",
        "Juri",
        R.JUROR,
        REGENCY_CODE,
        None,
    ),
    (
        "juri4@luwuutara.siwanda.test",
        "Kepala Bagian Organisasi",
        "Juri",
        R.JUROR,
        REGENCY_CODE,
        None,
    ),
    ("juri5@luwuutara.siwanda.test", "Camat Sukamaju Selatan", "Juri", R.JUROR, REGENCY_CODE, None),
    ("juri6@luwuutara.siwanda.test", "Kepala Bidang Inovasi", "Juri", R.JUROR, REGENCY_CODE, None),
    (
        "pimpinan@luwuutara.siwanda.test",
        "Pimpinan Daerah Luwu Utara",
        "Bupati / Sekretaris Daerah",
        R.LEADERSHIP,
        REGENCY_CODE,
        None,
    ),
    (
        "operator.dinkes@luwutimur.siwanda.test",
        "Operator Dinas Kesehatan Luwu Timur",
        "Operator, Dinas Kesehatan",
        R.OPERATOR,
        LUWU_TIMUR_CODE,
        "Dinas Kesehatan",
    ),
    (
        "sekretariat@luwutimur.siwanda.test",
        "Sekretariat Bagian Organisasi Luwu Timur",
        "Admin Lokal, Bagian Organisasi",
        R.SECRETARIAT,
        LUWU_TIMUR_CODE,
        None,
    ),
    (
        "sekretariat@sulsel.siwanda.test",
        "Biro Organisasi Sulawesi Selatan",
        "Admin Lokal, Biro Organisasi",
        R.SECRETARIAT,
        PROVINCE_CODE,
        None,
    ),
]


def _agencies(region: Region, rows) -> None:
    existing = {a.name: a for a in Agency.objects.filter(region=region)}
    for name, short_name, kind, parent in rows:
        if name not in existing:
            existing[name] = agency_create(
                actor=None,
                region=region,
                name=name,
                short_name=short_name,
                kind=kind,
                parent=existing.get(parent),
            )


def _account(email, full_name, position, role, region_code, agency_name, *, password_hash):
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create(
            email=email, password=password_hash, full_name=full_name, position=position
        )
    region = Region.objects.get(code=region_code) if region_code else None
    agency = Agency.objects.get(region=region, name=agency_name) if agency_name else None
    held = RoleAssignment.objects.filter(user=user, role=role, region=region, agency=agency)
    if not held.exists():
        role_grant(actor=None, user=user, role=role, region=region, agency=agency)
    return user


def load_platform() -> None:
    _agencies(Region.objects.get(code=REGENCY_CODE), LUWU_UTARA_AGENCIES)
    _agencies(Region.objects.get(code=PROVINCE_CODE), SULSEL_AGENCIES)
    _agencies(Region.objects.get(code=LUWU_TIMUR_CODE), LUWU_TIMUR_AGENCIES)
    # One hash for the shared demo password: hashing it per account costs half a second each.
    password_hash = make_password(DEMO_PASSWORD)
    for account in DEMO_ACCOUNTS:
        _account(*account, password_hash=password_hash)
