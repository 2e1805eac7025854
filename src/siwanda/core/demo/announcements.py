"""The demo announcements of Luwu Utara (and one of Sulawesi Selatan, which Luwu Utara's people
read too): this year's KIPP launch, its timeline with the competition's real dates, a guide on
writing a good proposal and the competition rules, both with a PDF made by WeasyPrint.

Texts are data, in Bahasa Indonesia. Everything goes through the service functions; the
publication moments are then moved back to when they would have been posted. Idempotent: an
announcement already there (by region and title) is left alone.
"""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import formats, timezone, translation
from django.utils.html import escape

from siwanda.accounts.models import User
from siwanda.announcements import services
from siwanda.announcements.models import Announcement
from siwanda.competitions.models import Competition
from siwanda.regions.models import Region

from .platform import PROVINCE_CODE, REGENCY_CODE

KIPP_NAME = "KIPP Kabupaten Luwu Utara {year}"
NEWS_TITLE = "KIPP Kabupaten Luwu Utara {year} resmi dibuka"
SCHEDULE_TITLE = "Jadwal KIPP Kabupaten Luwu Utara {year}"
PROPOSAL_GUIDE_TITLE = "Cara menulis proposal inovasi yang baik"
RULES_TITLE = "Ketentuan KIPP Kabupaten Luwu Utara {year}"
PROVINCE_TITLE = "Sosialisasi KIPP Provinsi Sulawesi Selatan {year}"

PROPOSAL_GUIDE_BODY = """\
Proposal yang baik menceritakan satu masalah nyata, apa yang diubah, dan bukti bahwa perubahan \
itu berhasil. Juri membaca puluhan proposal: buat mereka mudah menemukan angka dan buktinya.

Mulailah dari masalah: siapa yang dirugikan, seberapa besar, dan sejak kapan. Sertakan data \
sebelum inovasi dijalankan.

Jelaskan kebaruannya dengan jujur: apa yang berbeda dari cara lama, dan dari inovasi serupa di \
daerah lain.

Signifikansi berbobot paling besar: tunjukkan hasil sebelum dan sesudah, cara mengukurnya, dan \
laporan evaluasi bila ada.

Unduh panduan lengkap (PDF) di bawah ini. Tim Pelaksana Warkop Indah siap mendampingi: hubungi \
Bagian Organisasi Sekretariat Daerah."""

PROPOSAL_GUIDE_HTML = """\
<html lang="id"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 2cm; }
body { font-family: sans-serif; font-size: 11pt; line-height: 1.45; }
h1 { font-size: 18pt; margin-bottom: 0.2cm; } h2 { font-size: 13pt; margin-top: 0.6cm; }
.sub { color: #555; }
</style></head><body>
<h1>Cara Menulis Proposal Inovasi yang Baik</h1>
<p class="sub">Panduan Tim Pelaksana Warkop Indah — Bagian Organisasi Sekretariat Daerah
Kabupaten Luwu Utara</p>
<h2>1. Ringkasan</h2>
<p>Tulis paling banyak 200 kata: masalahnya, inovasinya, dan hasil terpenting dengan angka.
Tulis bagian ini paling akhir.</p>
<h2>2. Latar belakang dan tujuan</h2>
<p>Siapa yang dirugikan oleh masalah ini, seberapa besar, sejak kapan? Sertakan data sebelum
inovasi. Tujuan harus terukur: "waktu layanan turun dari 14 hari menjadi 1 hari".</p>
<h2>3. Kebaruan</h2>
<p>Apa yang berbeda dari cara lama dan dari inovasi serupa di daerah lain? Jujurlah bila inovasi
ini replikasi: sebutkan sumbernya dan apa yang Anda sesuaikan.</p>
<h2>4. Implementasi</h2>
<p>Langkah-langkah yang sudah dijalankan, sejak kapan, oleh siapa, dengan dasar hukum apa
(SK kepala perangkat daerah, Peraturan Bupati).</p>
<h2>5. Signifikansi (bobot terbesar)</h2>
<p>Hasil sebelum dan sesudah, cara mengukurnya, dan bukti: laporan, survei kepuasan, data
layanan. Lampirkan laporan evaluasi bila ada.</p>
<h2>6. Adaptabilitas dan keberlanjutan</h2>
<p>Siapa yang sudah meniru inovasi ini? Apa yang menjamin inovasi tetap berjalan bila pejabatnya
berganti: regulasi, anggaran rutin, SOP, dukungan masyarakat.</p>
<h2>Periksa sebelum mengirim</h2>
<ul>
<li>Setiap jawaban dalam batas kata; tidak ada bagian yang kosong atau asal isi.</li>
<li>SK penetapan inovator terbaca dan sesuai nama di proposal.</li>
<li>Video paling lama 3 menit; tautannya dapat dibuka tanpa masuk akun.</li>
<li>Inovasi terhubung dengan paling sedikit satu tujuan TPB/SDGs.</li>
</ul>
</body></html>
"""


def _secretariat(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _id_date(value) -> str:
    with translation.override("id"):
        return formats.date_format(value, "DATE_FORMAT")


def _local_date(moment, region):
    return timezone.localtime(moment, region.zone).date()


def _pdf(html: str) -> bytes:
    from siwanda.results.documents import to_pdf

    return to_pdf(html)


def _schedule_rows(competition: Competition) -> list[tuple[str, str]]:
    region = competition.region
    rows = [
        ("Pembukaan pendaftaran", _id_date(_local_date(competition.opens_at, region))),
        (
            "Batas akhir pengiriman usulan",
            f"{_id_date(_local_date(competition.deadline_at, region))}, pukul 23.59 "
            f"{region.zone_suffix}",
        ),
    ]
    if competition.screening_ends_at:
        rows.append(
            (
                "Akhir seleksi administrasi",
                _id_date(_local_date(competition.screening_ends_at, region)),
            )
        )
    rows += [(m.name, _id_date(m.date)) for m in competition.milestones.all()]
    return rows


def _schedule_body(competition: Competition) -> str:
    lines = "\n".join(f"- {name}: {day}" for name, day in _schedule_rows(competition))
    return (
        f"Berikut jadwal {competition.name}. Semua waktu dalam "
        f"{competition.region.zone_suffix}.\n\n{lines}\n\n"
        "Perpanjangan batas akhir hanya diberikan oleh sekretariat kepada perangkat daerah "
        "tertentu dengan alasan yang dicatat. Jangan menunggu hari terakhir: usulan tersimpan "
        "otomatis saat Anda mengetik."
    )


def _rules_items(competition: Competition) -> list[str]:
    groups = ", ".join(g.name for g in competition.groups.all())
    items = [
        f"Peserta: perangkat daerah Kabupaten Luwu Utara; kelompok: {groups}.",
        f"Inovasi sudah diterapkan paling sedikit {competition.min_implementation_months} bulan "
        "sebelum batas akhir pengiriman.",
    ]
    if competition.max_entries_per_agency:
        items.append(
            f"Setiap perangkat daerah mengirim paling banyak "
            f"{competition.max_entries_per_agency} usulan."
        )
    if competition.require_sdg:
        items.append("Usulan terhubung dengan paling sedikit satu tujuan TPB/SDGs.")
    if competition.video_max_seconds:
        items.append(
            f"Video paling lama {competition.video_max_seconds // 60} menit "
            f"({competition.video_max_seconds} detik)."
        )
    if competition.exclude_top_winners:
        items.append("Inovasi yang sudah menjadi pemenang utama di tingkat ini tidak dapat ikut.")
    items.append(
        "Usulan disetujui kepala perangkat daerah sebelum batas akhir; usulan yang belum "
        "disetujui tidak ikut seleksi."
    )
    return items


def _rules_html(competition: Competition) -> str:
    items = "".join(f"<li>{escape(item)}</li>" for item in _rules_items(competition))
    rows = "".join(
        f"<tr><td>{escape(name)}</td><td>{escape(day)}</td></tr>"
        for name, day in _schedule_rows(competition)
    )
    basis = escape(competition.legal_basis or "Peraturan Bupati Luwu Utara Nomor 61 Tahun 2018")
    return f"""\
<html lang="id"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 2cm; }}
body {{ font-family: sans-serif; font-size: 11pt; line-height: 1.45; }}
h1 {{ font-size: 17pt; }} h2 {{ font-size: 13pt; margin-top: 0.6cm; }}
table {{ border-collapse: collapse; width: 100%; }}
td {{ border: 1px solid #999; padding: 4px 6px; }}
</style></head><body>
<h1>Ketentuan {escape(competition.name)}</h1>
<p>Dasar hukum: {basis}</p>
<h2>Persyaratan</h2><ol>{items}</ol>
<h2>Jadwal</h2><table>{rows}</table>
<h2>Penilaian</h2>
<p>Seleksi administrasi, penilaian proposal oleh dewan juri, presentasi, lalu penetapan Top 7
dan kategori partisipatif. Pemenang diusulkan ke KIPP Provinsi Sulawesi Selatan.</p>
</body></html>
"""


def _post(*, actor, region, title, when, attachment=None, **fields) -> Announcement:
    """Post and publish at `when`; `attachment` is a function making the upload (a PDF is only
    rendered when the announcement is new)."""
    existing = Announcement.objects.filter(region=region, title=title).first()
    if existing is not None:
        return existing
    announcement = services.announcement_create(
        actor=actor,
        region=region,
        title=title,
        attachment=attachment() if attachment else None,
        publish=True,
        **fields,
    )
    Announcement.objects.filter(pk=announcement.pk).update(published_at=when)
    return announcement


def load_announcements() -> None:
    regency = Region.objects.get(code=REGENCY_CODE)
    province = Region.objects.get(code=PROVINCE_CODE)
    secretariat = _secretariat("sekretariat@luwuutara.siwanda.test")
    now = timezone.now()
    year = timezone.localdate().year
    competition = (
        Competition.objects.filter(region=regency, name=KIPP_NAME.format(year=year))
        .select_related("region")
        .first()
    )
    opened = competition.opens_at if competition and competition.opens_at else now
    _post(
        actor=secretariat,
        region=regency,
        title=PROPOSAL_GUIDE_TITLE,
        kind=Announcement.Kind.GUIDE,
        body=PROPOSAL_GUIDE_BODY,
        attachment=lambda: SimpleUploadedFile(
            "panduan-menulis-proposal-inovasi.pdf", _pdf(PROPOSAL_GUIDE_HTML), "application/pdf"
        ),
        is_pinned=True,
        when=opened - timedelta(days=20),
    )
    _post(
        actor=_secretariat("sekretariat@sulsel.siwanda.test"),
        region=province,
        title=PROVINCE_TITLE.format(year=year),
        kind=Announcement.Kind.NEWS,
        body=(
            "Biro Organisasi Setda Provinsi Sulawesi Selatan mengundang kabupaten dan kota "
            f"mengirim pemenang KIPP daerahnya ke KIPP Provinsi {year}. Sosialisasi daring "
            "untuk Bagian Organisasi kabupaten/kota diadakan setelah seleksi tingkat daerah "
            "selesai; tautannya dikirim melalui Siwanda."
        ),
        when=opened - timedelta(days=3),
    )
    if competition is None:
        return
    _post(
        actor=secretariat,
        region=regency,
        title=NEWS_TITLE.format(year=year),
        kind=Announcement.Kind.NEWS,
        competition=competition,
        body=(
            f"Bupati Luwu Utara membuka {competition.name} melalui Warkop Indah. Semua perangkat "
            "daerah, kecamatan, puskesmas, sekolah dan BUMD diundang mendaftarkan inovasi "
            "pelayanan publiknya.\n\n"
            "Usulan ditulis langsung di Siwanda: jawaban tersimpan otomatis, dan Tim Pelaksana "
            "Warkop Indah memberi komentar per bagian sebelum usulan dikirim.\n\n"
            "Pemenang Top 7 dan kategori partisipatif diusulkan ke KIPP Provinsi Sulawesi "
            "Selatan."
        ),
        when=opened,
    )
    _post(
        actor=secretariat,
        region=regency,
        title=SCHEDULE_TITLE.format(year=year),
        kind=Announcement.Kind.SCHEDULE,
        competition=competition,
        body=_schedule_body(competition),
        when=opened + timedelta(hours=1),
    )
    _post(
        actor=secretariat,
        region=regency,
        title=RULES_TITLE.format(year=year),
        kind=Announcement.Kind.GUIDE,
        competition=competition,
        body=(
            f"Ketentuan lengkap {competition.name}: siapa yang boleh ikut, syarat inovasi, "
            "lampiran wajib, jadwal dan tahap penilaian. Baca sebelum menulis usulan; unduh "
            "PDF-nya di bawah ini.\n\n"
            + "\n".join(f"- {item}" for item in _rules_items(competition))
        ),
        attachment=lambda: SimpleUploadedFile(
            f"ketentuan-kipp-luwu-utara-{year}.pdf",
            _pdf(_rules_html(competition)),
            "application/pdf",
        ),
        when=opened + timedelta(hours=2),
    )
