"""The demo competitions of Luwu Utara.

- "KIPP Kabupaten Luwu Utara 2019": 27 proposals, named after the innovations of the public
  reports. Screening found a near-duplicate title, an innovation implemented for less than a
  year and an earlier regency winner; those failed, with an objection accepted on the way. The
  20 that passed were judged in presentations and the Top 7 and three "kategori partisipatif"
  winners published with certificates (see `judging.py`).
- "KIPP Kabupaten Luwu Utara <this year>": open, with a deadline a few weeks away, where the demo
  operators write and submit.
- "Lomba Inovasi Daerah Luwu Utara <this year>": screened, its proposal evaluation open for the
  demo jurors.

Everything goes through the service functions, as people would: a past competition is replayed
with its deadline in the future, then moved back to its dates.
"""

from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.text import slugify

from siwanda.accounts.models import Role, User
from siwanda.accounts.services import role_grant
from siwanda.competitions import services as competitions
from siwanda.competitions.deadlines import end_of_day, start_of_day
from siwanda.competitions.models import Competition, FieldType, FormField
from siwanda.innovations.models import Award, Innovation
from siwanda.innovations.services import innovation_create
from siwanda.mentoring import services as mentoring
from siwanda.proposals import services as proposals
from siwanda.proposals.models import Answer, Proposal, Revision
from siwanda.regions.models import Agency, Region
from siwanda.screening import services as screening
from siwanda.screening.models import Objection, Review

from .judging import judge_2019, open_desk_evaluation
from .platform import DEMO_PASSWORD, REGENCY_CODE

NAME_2019 = "KIPP Kabupaten Luwu Utara 2019"
LID_NAME = "Lomba Inovasi Daerah Luwu Utara {year}"

# (title, agency, form, urusan, digital, implementation started, SDGs, what it does)
INNOVATIONS = [
    (
        "Kesraku (Kebun Sekolah di Rumah Warga Kurang Mampu)",
        "Dinas Pendidikan",
        "public_service",
        "pendidikan",
        False,
        date(2018, 6, 4),
        [2, 4],
        "Siswa sekolah dasar belajar menanam di pekarangan warga kurang mampu di sekitar sekolah, "
        "dan hasil kebunnya untuk warga itu.",
    ),
    (
        "Penjaga Jumpa Berlian",
        "Kecamatan Sukamaju Selatan",
        "public_service",
        "pmd",
        False,
        date(2018, 3, 12),
        [3, 10],
        "Kecamatan menjemput warga lanjut usia dan penyandang disabilitas untuk layanan "
        "administrasi dan kesehatan di desa.",
    ),
    (
        "Kampung Donor Darah Penyelamat Jiwa",
        "Dinas Kesehatan",
        "public_service",
        "kesehatan",
        False,
        date(2017, 11, 6),
        [3],
        "Desa membentuk kelompok pendonor darah sukarela yang terdata, sehingga rumah sakit "
        "mendapat darah tanpa menunggu.",
    ),
    (
        "Guruku Hebat dengan Smart MGMP",
        "Dinas Pendidikan",
        "public_service",
        "pendidikan",
        True,
        date(2018, 1, 15),
        [4],
        "Musyawarah guru mata pelajaran secara daring: guru belajar dari guru kapan saja dan di "
        "mana saja.",
    ),
    (
        "Melawan Lupa (Menabung Uang Kembalian Warga, Lancarkan Urusan Posyandu Anak)",
        "Kecamatan Sukamaju Selatan",
        "other",
        "pmd",
        False,
        date(2018, 6, 1),
        [3, 17],
        "Kotak donasi uang kembalian di warung desa membiayai kegiatan posyandu anak.",
    ),
    (
        "Pasar Tani Jumpa Lagi",
        "Dinas Ketahanan Pangan",
        "public_service",
        "pangan",
        False,
        date(2018, 4, 6),
        [1, 2, 12],
        "Setiap Jumat petani menjual hasil panen langsung kepada ASN di halaman kantor pemerintah.",
    ),
    (
        "Gelisha",
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "governance",
        "kepegawaian",
        False,
        date(2018, 2, 1),
        [3, 16],
        "Gerakan ASN untuk hidup sehat dan disiplin, dipantau bersama setiap pekan.",
    ),
    (
        "Smart BUMDes",
        "Dinas Pemberdayaan Masyarakat dan Desa",
        "public_service",
        "pmd",
        True,
        date(2018, 3, 1),
        [8, 17],
        "Aplikasi pembukuan dan pelaporan keuangan Badan Usaha Milik Desa.",
    ),
    (
        "Sipena",
        "Badan Penanggulangan Bencana Daerah",
        "public_service",
        "trantibum",
        True,
        date(2017, 10, 2),
        [11, 13],
        "Sistem informasi peringatan dini banjir dan longsor untuk warga di daerah rawan.",
    ),
    (
        "GIS for E-Control",
        "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
        "governance",
        "perencanaan",
        True,
        date(2018, 5, 2),
        [9, 16],
        "Peta digital untuk memantau lokasi dan kemajuan proyek pembangunan.",
    ),
    (
        "ANC Hipnoterapi",
        "Puskesmas Bone-Bone",
        "public_service",
        "kesehatan",
        False,
        date(2016, 8, 1),
        [3, 5],
        "Pemeriksaan kehamilan dengan hipnoterapi untuk mengurangi kecemasan ibu hamil.",
    ),
    (
        "Kebun Si Pintar",
        "SMP Negeri 1 Masamba",
        "public_service",
        "pendidikan",
        False,
        date(2018, 7, 16),
        [2, 4, 15],
        "Kebun sekolah sebagai ruang belajar sains.",
    ),
    (
        "Rompi KPK (Rombongan Pelayanan Kependudukan Keliling)",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "public_service",
        "adminduk",
        False,
        date(2018, 8, 1),
        [16],
        "Petugas kependudukan datang ke desa terpencil membawa perangkat perekaman KTP-el.",
    ),
    (
        "Peta Baper (Peta Bank Sampah dan Persampahan)",
        "Dinas Lingkungan Hidup",
        "public_service",
        "lingkungan_hidup",
        True,
        date(2018, 2, 5),
        [11, 12],
        "Peta bank sampah dan jadwal angkut sampah yang dapat dilihat warga.",
    ),
    (
        "Kampung Donor Darah Penyelamat Jiwa Puskesmas Masamba",
        "Puskesmas Masamba",
        "public_service",
        "kesehatan",
        False,
        date(2018, 5, 7),
        [3],
        "Puskesmas mengajak warga desa binaan menjadi pendonor darah sukarela.",
    ),
    (
        "Sekolah Lapang Petani Milenial",
        "Dinas Pertanian",
        "public_service",
        "pertanian",
        False,
        date(2019, 3, 4),
        [2, 8],
        "Petani muda belajar bertani modern langsung di sawah.",
    ),
    (
        "Izin Usaha Mikro Satu Hari",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "public_service",
        "penanaman_modal",
        True,
        date(2017, 12, 4),
        [8],
        "Izin usaha mikro selesai dalam satu hari kerja.",
    ),
    (
        "Bank Sampah Sekolah Adiwiyata",
        "Dinas Lingkungan Hidup",
        "public_service",
        "lingkungan_hidup",
        False,
        date(2018, 1, 10),
        [12],
        "Bank sampah dikelola siswa.",
    ),
    (
        "Posyandu Remaja Sehat",
        "Puskesmas Bone-Bone",
        "public_service",
        "kesehatan",
        False,
        date(2018, 3, 1),
        [3, 5],
        "Posyandu khusus remaja untuk gizi dan kesehatan reproduksi.",
    ),
    (
        "Desa Tangguh Bencana Luwu Utara",
        "Badan Penanggulangan Bencana Daerah",
        "public_service",
        "trantibum",
        False,
        date(2017, 9, 4),
        [11, 13],
        "Relawan desa dilatih menghadapi banjir dan longsor.",
    ),
    (
        "Dapur Sehat Atasi Stunting",
        "Dinas Kesehatan",
        "public_service",
        "kesehatan",
        False,
        date(2018, 8, 1),
        [2, 3],
        "Dapur desa menyiapkan makanan bergizi untuk balita.",
    ),
    (
        "Akta Lahir dari Puskesmas",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "public_service",
        "adminduk",
        False,
        date(2018, 2, 1),
        [16],
        "Bayi yang lahir di puskesmas langsung mendapat akta kelahiran.",
    ),
    (
        "Petani Cerdas Cuaca",
        "Dinas Pertanian",
        "public_service",
        "pertanian",
        True,
        date(2018, 6, 4),
        [2, 13],
        "Informasi iklim dan cuaca dikirim ke petani lewat SMS.",
    ),
    (
        "Lumbung Pangan Desa Mandiri",
        "Dinas Ketahanan Pangan",
        "public_service",
        "pangan",
        False,
        date(2018, 1, 8),
        [2],
        "Lumbung gabah desa untuk musim paceklik.",
    ),
    (
        "Desa Wisata Berbasis BUMDes",
        "Dinas Pemberdayaan Masyarakat dan Desa",
        "public_service",
        "pmd",
        False,
        date(2018, 4, 2),
        [8],
        "BUMDes mengelola desa wisata dan homestay warga.",
    ),
    (
        "Air Bersih untuk Sekolah",
        "Perusahaan Umum Daerah Air Minum Luwu Utara",
        "public_service",
        "pupr",
        False,
        date(2018, 2, 15),
        [6],
        "Sambungan air bersih ke sekolah.",
    ),
    (
        "Lapor Camat",
        "Kecamatan Masamba",
        "public_service",
        "pemerintahan_umum",
        True,
        date(2018, 5, 2),
        [16],
        "Pengaduan warga ke kecamatan lewat pesan singkat, dijawab 1x24 jam.",
    ),
]
TOP_7 = INNOVATIONS[:7]
PARTICIPATORY = INNOVATIONS[7:10]
# 2019 states beyond "passed": by title. The first three are what the automatic findings caught.
FAILED = {
    "ANC Hipnoterapi": "Inovasi ini telah meraih Top 7 KIPP Kabupaten Luwu Utara 2018.",
    "Kampung Donor Darah Penyelamat Jiwa Puskesmas Masamba": "Inovasi yang sama dengan usulan "
    "Dinas Kesehatan (Kampung Donor Darah Penyelamat Jiwa); diikutkan satu kali saja.",
    "Sekolah Lapang Petani Milenial": "Inovasi baru diterapkan sejak Maret 2019, kurang dari "
    "satu tahun sebelum batas akhir usulan.",
    "Izin Usaha Mikro Satu Hari": "SK penetapan inovator ditandatangani oleh pejabat yang "
    "tidak berwenang.",
}
OBJECTED = {"Akta Lahir dari Puskesmas": "SK penetapan inovator tidak terbaca."}
STUCK_WITH_HEAD = "Desa Wisata Berbasis BUMDes"
NEVER_SENT = "Air Bersih untuk Sekolah"
WITHDRAWN = "Lapor Camat"

# Operators of the agencies with 2019 entries (besides the demo's Dinkes and Disdik operators).
OPERATOR_EMAIL = "operator.{short}@luwuutara.siwanda.test"

# A minimal, valid one-page PDF for the uploaded decrees and statements.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n166\n%%EOF\n"
)


def _operator(agency: Agency, password_hash: str) -> User:
    """The agency's operator, created for the demo when it has none."""
    existing = User.objects.filter(
        role_assignments__role=Role.OPERATOR, role_assignments__agency=agency
    ).first()
    if existing:
        return existing
    user = User.objects.create(
        email=OPERATOR_EMAIL.format(short=slugify(agency.short_name or agency.name)),
        password=password_hash,
        full_name=f"Operator {agency.short_name or agency.name}",
        position="Operator inovasi",
    )
    role_grant(actor=None, user=user, role=Role.OPERATOR, agency=agency)
    return user


def _secretariat() -> User:
    return User.objects.get(email="sekretariat@luwuutara.siwanda.test")


def _text(field: FormField, title: str, summary: str, agency: str) -> str:
    """A plausible answer in Indonesian, within the question's limits."""
    sentences = [
        f"{title} adalah inovasi {agency}. {summary}",
        "Masalah yang diatasi dialami warga setiap hari dan tercatat dalam data perangkat daerah.",
        "Tujuannya terukur: waktu layanan lebih singkat, biaya warga lebih kecil, dan jangkauan "
        "layanan lebih luas.",
        "Pelaksanaannya melibatkan perangkat desa, tokoh masyarakat, dan mitra swasta, dengan "
        "evaluasi setiap tiga bulan.",
        "Hasilnya dilaporkan dalam laporan evaluasi internal dan telah dikunjungi daerah lain.",
        "Keberlanjutannya dijamin surat keputusan kepala perangkat daerah dan anggaran rutin.",
    ]
    words = field.min_words or 0
    text = " ".join(sentences)
    while len(text.split()) < words:
        text += " " + " ".join(sentences[1:])
    limit = field.word_limit
    return " ".join(text.split()[:limit]) if limit else text


def _write(proposal: Proposal, author: User, innovation_row) -> None:
    title, agency, _form, _urusan, digital, _start, _sdgs, summary = innovation_row
    answers = {a.field_id: a for a in proposal.answers.all()}
    for field in FormField.objects.filter(section__version=proposal.form_version).order_by(
        "section__order", "order"
    ):
        if field.type == FieldType.FILE:
            if field.required:
                proposals.attachment_add(
                    actor=author,
                    proposal=proposal,
                    field=field,
                    upload=SimpleUploadedFile(f"{field.key}.pdf", PDF, "application/pdf"),
                )
            continue
        value = {
            FieldType.LONG_TEXT: lambda f: _text(f, title, summary, agency),
            FieldType.SHORT_TEXT: lambda f: f"Operator {agency}, 0812 4000 {proposal.pk:04d}",
            FieldType.NUMBER: lambda f: 150 if f.is_video_duration else 25_000_000,
            FieldType.URL: lambda f: "https://www.youtube.com/watch?v=siwanda-demo",
            FieldType.DATE: lambda f: (
                proposal.implementation_start or date(2018, 1, 1)
            ).isoformat(),
            FieldType.SINGLE_CHOICE: lambda f: (
                ("ya" if digital else "tidak")
                if f.key in ("is_application", "is_digital")
                else f.choices[0]["value"]
            ),
            FieldType.MULTIPLE_CHOICE: lambda f: [f.choices[0]["value"]],
            FieldType.SDGS: lambda f: innovation_row[6],
        }[field.type](field)
        current = answers.get(field.pk)
        if current is None or current.value in (None, "", []) or field.type == FieldType.LONG_TEXT:
            proposals.answer_save(
                actor=author,
                proposal=proposal,
                field=field,
                value=value,
                base_version=current.version if current else 0,
            )


def _innovations(region: Region, password_hash: str) -> dict[str, Innovation]:
    result = {}
    agencies = {a.name: a for a in Agency.objects.filter(region=region)}
    for row in INNOVATIONS:
        title, agency_name, form, urusan, digital, started, sdgs, summary = row
        agency = agencies[agency_name]
        operator = _operator(agency, password_hash)
        innovation = Innovation.objects.filter(agency=agency, title=title).first()
        if innovation is None:
            innovation = innovation_create(
                actor=operator,
                agency=agency,
                title=title,
                form=form,
                urusan=urusan,
                initiator="civil_servant",
                is_digital=digital,
                stage="implementation",
                trial_date=started - timedelta(days=90),
                implementation_date=started,
                sdgs=sdgs,
                goals=summary,
                results=summary,
                benefits=summary,
                design=f"{title}. {summary}",
                innovators=[
                    {
                        "name": f"Tim Inovasi {agency.short_name or agency.name}",
                        "position": "Tim inovator",
                        "is_lead": True,
                    }
                ],
            )
        result[title] = innovation
    anc = result["ANC Hipnoterapi"]
    if not anc.awards.exists():
        Award.objects.create(
            innovation=anc,
            year=2018,
            level=Award.Level.REGENCY,
            title="Top 7 KIPP Kabupaten Luwu Utara 2018",
        )
    return result


def _approver(proposal: Proposal) -> User:
    head = User.objects.filter(
        role_assignments__role=Role.AGENCY_HEAD, role_assignments__agency=proposal.agency
    ).first()
    return head or _secretariat()


def _kipp_2019(region: Region, innovations: dict, password_hash: str) -> None:
    secretariat = _secretariat()
    competition = competitions.competition_create_from_template(
        actor=secretariat,
        region=region,
        template_key="kipp-kabupaten",
        year=2019,
        name=NAME_2019,
        opens_on=timezone.localdate(),
    )
    competitions.competition_open(actor=secretariat, competition=competition)
    competition.refresh_from_db()
    general = competition.groups.get(name="Umum")
    made = {}
    for row in INNOVATIONS:
        title = row[0]
        innovation = innovations[title]
        operator = _operator(innovation.agency, password_hash)
        proposal = proposals.proposal_create(
            actor=operator, competition=competition, innovation=innovation, group=general
        )
        _write(proposal, operator, row)
        if title != NEVER_SENT:
            proposal = proposals.proposal_send(actor=operator, proposal=proposal)
            if title != STUCK_WITH_HEAD:
                proposal = proposals.proposal_approve(actor=_approver(proposal), proposal=proposal)
        if title == WITHDRAWN:
            proposal = proposals.proposal_withdraw(
                actor=operator,
                proposal=proposal,
                reason="Inovasi sedang dikembangkan; diikutkan tahun depan.",
            )
        made[title] = proposal

    # Back to 2019: the call ran from 1 July to 31 August 2019, screening until 14 September.
    # (A direct update: competition_update would tell every agency the deadline "changed".)
    Competition.objects.filter(pk=competition.pk).update(
        opens_at=start_of_day(date(2019, 7, 1), region),
        deadline_at=end_of_day(date(2019, 8, 31), region),
        screening_ends_at=end_of_day(date(2019, 9, 14), region),
    )
    for milestone, day in zip(
        competition.milestones.order_by("date"),
        (date(2019, 10, 8), date(2019, 10, 21)),
        strict=False,
    ):
        milestone.date = day
        milestone.save(update_fields=["date"])
    competitions.competition_start_screening(actor=secretariat, competition=competition)
    competition.refresh_from_db()
    screening.review_refresh_all(actor=secretariat, competition=competition)
    for title, proposal in made.items():
        if proposal.status != Proposal.Status.SUBMITTED:
            continue
        if title in FAILED or title in OBJECTED:
            screening.screening_decide(
                actor=secretariat,
                proposal=proposal,
                passed=False,
                reason=FAILED.get(title) or OBJECTED[title],
            )
            if title in OBJECTED:
                objection = screening.objection_submit(
                    actor=_operator(proposal.agency, password_hash),
                    proposal=proposal,
                    text="SK yang terbaca telah kami unggah ulang ke profil inovasi; mohon "
                    "diperiksa kembali.",
                )
                screening.objection_decide(
                    actor=secretariat,
                    objection=objection,
                    accept=True,
                    note="SK pada profil inovasi sah dan terbaca. Usulan lolos.",
                )
        else:
            screening.screening_decide(actor=secretariat, proposal=proposal, passed=True)
    _date_2019(competition)
    passed = set(
        competition.proposals.filter(status=Proposal.Status.PASSED).values_list("title", flat=True)
    )
    judge_2019(
        competition,
        secretariat,
        order=[row[0] for row in INNOVATIONS if row[0] in passed],
        participatory=[row[0] for row in PARTICIPATORY],
    )


def _date_2019(competition: Competition) -> None:
    """Give the replayed 2019 records the moments they had in 2019."""
    zone = competition.region.zone
    written = datetime(2019, 8, 20, 10, 0, tzinfo=zone)
    submitted = datetime(2019, 8, 29, 14, 30, tzinfo=zone)
    decided = datetime(2019, 9, 10, 9, 0, tzinfo=zone)
    items = Proposal.objects.filter(competition=competition)
    items.update(created_at=datetime(2019, 7, 15, 9, 0, tzinfo=zone), updated_at=submitted)
    items.exclude(sent_at=None).update(sent_at=submitted - timedelta(hours=4))
    items.exclude(submitted_at=None).update(submitted_at=submitted)
    items.exclude(withdrawn_at=None).update(withdrawn_at=submitted)
    Answer.objects.filter(proposal__competition=competition).update(updated_at=written)
    Revision.objects.filter(proposal__competition=competition).update(
        started_at=written, saved_at=written
    )
    Review.objects.filter(proposal__competition=competition).exclude(decided_at=None).update(
        decided_at=decided, findings_at=decided
    )
    Review.objects.filter(proposal__competition=competition, decided_at=None).update(
        findings_at=decided
    )
    Objection.objects.filter(proposal__competition=competition).update(
        submitted_at=decided + timedelta(days=1), decided_at=decided + timedelta(days=2)
    )


def _current_year(region: Region, innovations: dict, password_hash: str) -> None:
    """This year's competition, open for a few more weeks, where the demo operators write."""
    secretariat = _secretariat()
    today = timezone.localdate()
    competition = competitions.competition_create_from_template(
        actor=secretariat,
        region=region,
        template_key="kipp-kabupaten",
        year=today.year,
        name=f"KIPP Kabupaten Luwu Utara {today.year}",
        opens_on=today - timedelta(days=10),
    )
    competitions.competition_update(
        actor=secretariat,
        competition=competition,
        deadline_at=end_of_day(today + timedelta(days=25), region),
    )
    competitions.competition_open(actor=secretariat, competition=competition)
    competition.refresh_from_db()
    general = competition.groups.get(name="Umum")
    dinkes_operator = User.objects.get(email="operator.dinkes@luwuutara.siwanda.test")
    draft = proposals.proposal_create(
        actor=dinkes_operator,
        competition=competition,
        innovation=innovations["Dapur Sehat Atasi Stunting"],
        group=general,
    )
    first = FormField.objects.filter(section__version=draft.form_version, key="ringkasan").get()
    proposals.answer_save(
        actor=dinkes_operator,
        proposal=draft,
        field=first,
        base_version=0,
        value="Dapur Sehat Atasi Stunting adalah dapur desa yang menyiapkan makanan bergizi "
        "untuk balita berisiko stunting, dikelola kader posyandu.",
    )
    mentor = User.objects.get(email="mentor@luwuutara.siwanda.test")
    for agency_name in ("Dinas Kesehatan", "Dinas Pendidikan"):
        mentoring.mentor_assign(
            actor=secretariat,
            mentor=mentor,
            region=region,
            agency=Agency.objects.get(region=region, name=agency_name),
        )
    mentoring.comment_add(
        actor=mentor,
        proposal=draft,
        section=first.section,
        text="Ringkasan sudah jelas. Tambahkan angka: berapa balita yang dilayani dan berapa "
        "yang keluar dari risiko stunting setelah enam bulan?",
    )
    # Other agencies, at different points.
    for title, state in (("Smart BUMDes", "submitted"), ("Sipena", "awaiting")):
        innovation = innovations[title]
        operator = _operator(innovation.agency, password_hash)
        proposal = proposals.proposal_create(
            actor=operator, competition=competition, innovation=innovation, group=general
        )
        row = next(r for r in INNOVATIONS if r[0] == title)
        _write(proposal, operator, row)
        proposal = proposals.proposal_send(actor=operator, proposal=proposal)
        if state == "submitted":
            proposals.proposal_approve(actor=_approver(proposal), proposal=proposal)
    sukamaju = competition.recipients.get(agency__name="Kecamatan Sukamaju Selatan")
    competitions.recipient_decline(
        actor=_operator(sukamaju.agency, password_hash),
        recipient=sukamaju,
        reason="Tahun ini kami fokus menerapkan inovasi yang sudah ada.",
    )


LID_ENTRIES = [
    "Kebun Si Pintar",
    "Rompi KPK (Rombongan Pelayanan Kependudukan Keliling)",
    "Peta Baper (Peta Bank Sampah dan Persampahan)",
    "Bank Sampah Sekolah Adiwiyata",
    "Posyandu Remaja Sehat",
    "Desa Tangguh Bencana Luwu Utara",
    "Lumbung Pangan Desa Mandiri",
    "Petani Cerdas Cuaca",
]


def _lomba_current_year(region: Region, innovations: dict, password_hash: str) -> None:
    """This year's Lomba Inovasi Daerah: the call closed a month ago, every proposal passed
    screening, and the proposal evaluation is open for the demo jurors."""
    secretariat = _secretariat()
    today = timezone.localdate()
    competition = competitions.competition_create_from_template(
        actor=secretariat,
        region=region,
        template_key="kipp-kabupaten",
        year=today.year,
        name=LID_NAME.format(year=today.year),
        opens_on=today,
    )
    competitions.competition_open(actor=secretariat, competition=competition)
    competition.refresh_from_db()
    general = competition.groups.get(name="Umum")
    rows = {row[0]: row for row in INNOVATIONS}
    for title in LID_ENTRIES:
        innovation = innovations[title]
        operator = _operator(innovation.agency, password_hash)
        proposal = proposals.proposal_create(
            actor=operator, competition=competition, innovation=innovation, group=general
        )
        _write(proposal, operator, rows[title])
        proposal = proposals.proposal_send(actor=operator, proposal=proposal)
        proposals.proposal_approve(actor=_approver(proposal), proposal=proposal)
    Competition.objects.filter(pk=competition.pk).update(
        opens_at=start_of_day(today - timedelta(days=75), region),
        deadline_at=end_of_day(today - timedelta(days=40), region),
        screening_ends_at=end_of_day(today - timedelta(days=20), region),
    )
    competitions.competition_start_screening(actor=secretariat, competition=competition)
    competition.refresh_from_db()
    for proposal in competition.proposals.all():
        screening.screening_decide(actor=secretariat, proposal=proposal, passed=True)
    open_desk_evaluation(competition, secretariat)


def load_competitions() -> None:
    region = Region.objects.get(code=REGENCY_CODE)
    if Competition.objects.filter(region=region, name=NAME_2019).exists():
        return
    password_hash = make_password(DEMO_PASSWORD)
    innovations = _innovations(region, password_hash)
    _kipp_2019(region, innovations, password_hash)
    _current_year(region, innovations, password_hash)
    _lomba_current_year(region, innovations, password_hash)
