"""The registry's pages: registering and editing an innovation, the list and its filters, and
the evidence, decree and awards of one innovation."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from siwanda.accounts.models import RoleAssignment
from siwanda.activity.models import ActivityEntry
from siwanda.core.demo.competitions import PDF
from siwanda.innovations import services
from siwanda.innovations.models import Award, EvidenceDocument, Innovation
from tests.builders import innovation_for, pdf_upload
from tests.factories import AgencyFactory, person_with_role
from tests.helpers import assert_constant_queries, login


def flashed(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def innovators_data(rows, initial=0) -> dict:
    data = {
        "innovators-TOTAL_FORMS": str(len(rows)),
        "innovators-INITIAL_FORMS": str(initial),
        "innovators-MIN_NUM_FORMS": "0",
        "innovators-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"innovators-{index}-{name}"] = value
    return data


def innovation_data(**changes) -> dict:
    return {
        "title": "Posyandu Digital",
        "form": "public_service",
        "urusan": "kesehatan",
        "initiator": "civil_servant",
        "stage": "implementation",
        "initiative_date": "2019-03-01",
        "trial_date": "2019-08-01",
        "implementation_date": "2020-02-01",
        "sdgs": ["3", "5"],
        "design": "Kader mencatat tumbuh kembang balita di aplikasi.",
        "goals": "Data balita tercatat lengkap.",
        "benefits": "",
        "results": "Cakupan penimbangan naik menjadi 95%.",
        "budget": "15000000",
        "budget_source": "APBD",
        "video_url": "https://youtu.be/posyandu",
        "is_digital": "on",
        "source_innovation": "",
    } | changes


def two_innovators():
    return innovators_data(
        [
            {"name": "dr. Andi Basri", "position": "Kepala Puskesmas", "is_lead": "on"},
            {"name": "Sitti Rahma", "position": "Bidan", "is_lead": ""},
        ]
    )


# --- Registering and editing ---------------------------------------------------------------------


def test_registering_saves_the_innovators_and_the_sdgs(client, people):
    login(client, people["operator"])
    response = client.post(reverse("innovations:create"), innovation_data() | two_innovators())
    innovation = Innovation.objects.get(title="Posyandu Digital")
    assert response["Location"] == reverse("innovations:detail", args=[innovation.pk])
    assert flashed(response) == ["Innovation registered."]
    assert innovation.agency == people["agency"] and innovation.created_by == people["operator"]
    assert innovation.is_digital and innovation.budget == 15000000
    assert list(innovation.sdgs.values_list("number", flat=True)) == [3, 5]
    assert [(i.name, i.position, i.is_lead) for i in innovation.innovators.all()] == [
        ("dr. Andi Basri", "Kepala Puskesmas", True),
        ("Sitti Rahma", "Bidan", False),
    ]
    page = client.get(response["Location"]).content.decode()
    assert "<li>dr. Andi Basri, Kepala Puskesmas <span" in page
    assert ">3. Good health and well-being</span>" in page
    assert ">5. Gender equality</span>" in page
    assert "Rp 15,000,000 (APBD)" in page


def test_registering_with_a_missing_stage_date_keeps_what_was_typed(client, people):
    login(client, people["operator"])
    response = client.post(
        reverse("innovations:create"),
        innovation_data(implementation_date="") | two_innovators(),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_implementation_date_error"' in page
    assert "Give the date implementation started." in page
    assert 'value="Posyandu Digital"' in page
    assert 'value="dr. Andi Basri"' in page
    assert re.search(r'value="3"[^>]*checked', page)
    assert not Innovation.objects.exists()


def test_registering_for_a_second_agency_of_the_operator(client, people):
    RoleAssignment.objects.create(
        user=people["operator"],
        role="operator",
        agency=people["other_agency"],
        region=people["other_agency"].region,
    )
    login(client, people["operator"])
    url = reverse("innovations:create") + f"?agency={people['other_agency'].pk}"
    page = client.get(url).content.decode()
    assert "Owned by Dinas Pendidikan." in page
    client.post(url, innovation_data() | innovators_data([]))
    assert Innovation.objects.get(title="Posyandu Digital").agency == people["other_agency"]


def edit_data(innovation, **changes):
    data = innovation_data(
        title=innovation.title,
        form=innovation.form,
        urusan=innovation.urusan,
        initiator=innovation.initiator,
        stage=innovation.stage,
        initiative_date="",
        trial_date="",
        implementation_date=innovation.implementation_date.isoformat(),
        sdgs=[str(n) for n in innovation.sdgs.values_list("number", flat=True)],
        design=innovation.design,
        goals=innovation.goals,
        benefits=innovation.benefits,
        results=innovation.results,
        budget="",
        budget_source="",
        video_url=innovation.video_url,
        is_digital="",
    )
    data.pop("is_digital")
    return data | changes


def test_editing_saves_and_records_the_changes(client, people, innovation):
    login(client, people["operator"])
    response = client.post(
        reverse("innovations:update", args=[innovation.pk]),
        edit_data(innovation, title="Dapur Sehat Cegah Stunting", sdgs=["3", "13"])
        | innovators_data([{"name": "Nur Aisyah", "position": "Ahli gizi", "is_lead": "on"}]),
    )
    assert response["Location"] == reverse("innovations:detail", args=[innovation.pk])
    assert flashed(response) == ["Changes saved."]
    innovation.refresh_from_db()
    assert innovation.title == "Dapur Sehat Cegah Stunting"
    assert list(innovation.sdgs.values_list("number", flat=True)) == [3, 13]
    assert [i.name for i in innovation.innovators.all()] == ["Nur Aisyah"]
    changes = [e.changes for e in ActivityEntry.objects.filter(action="innovation.updated")]
    assert {"before": "Dapur Sehat Atasi Stunting", "after": "Dapur Sehat Cegah Stunting"} in [
        c.get("title") for c in changes
    ]
    assert {"before": [2, 3], "after": [3, 13]} in [c.get("sdgs") for c in changes]
    assert {"before": [], "after": ["Nur Aisyah (Ahli gizi)"]} in [
        c.get("innovators") for c in changes
    ]
    page = client.get(response["Location"]).content.decode()
    assert '<h1 class="h3 mb-0">Dapur Sehat Cegah Stunting</h1>' in page
    assert ">13. Climate action</span>" in page


def test_the_edit_page_shows_the_current_values(client, people, innovation):
    services.innovation_set_innovators(
        actor=people["operator"],
        innovation=innovation,
        innovators=[{"name": "Nur Aisyah", "position": "Ahli gizi", "is_lead": True}],
    )
    login(client, people["operator"])
    page = client.get(reverse("innovations:update", args=[innovation.pk])).content.decode()
    assert 'value="Dapur Sehat Atasi Stunting"' in page
    assert 'value="Nur Aisyah"' in page
    assert 'name="innovators-INITIAL_FORMS" value="1"' in page
    assert re.search(r'name="sdgs" value="2"[^>]*checked', page)
    assert not re.search(r'name="sdgs" value="4"[^>]*checked', page)


def test_an_edit_with_a_future_date_changes_nothing(client, people, innovation):
    login(client, people["operator"])
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("innovations:update", args=[innovation.pk]),
        edit_data(innovation, title="Judul Baru", implementation_date=tomorrow)
        | innovators_data([]),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "This date is in the future." in page
    assert 'value="Judul Baru"' in page
    innovation.refresh_from_db()
    assert innovation.title == "Dapur Sehat Atasi Stunting"
    assert not ActivityEntry.objects.filter(action="innovation.updated").exists()


def test_a_refused_edit_still_names_the_innovation_by_its_saved_title(client, people, innovation):
    login(client, people["operator"])
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("innovations:update", args=[innovation.pk]),
        edit_data(innovation, title="Judul Baru", implementation_date=tomorrow)
        | innovators_data([]),
    )
    crumb = f'<li class="breadcrumb-item"><a href="{detail(innovation)}">'
    assert f"{crumb}Dapur Sehat Atasi Stunting</a></li>" in response.content.decode()


# --- The list ------------------------------------------------------------------------------------


def registered(operator, agency, title, **changes):
    innovation = innovation_for(operator, agency, title=title, sdgs=changes.pop("sdgs", (2, 3)))
    if changes:
        services.innovation_update(actor=operator, innovation=innovation, **changes)
    return innovation


@pytest.fixture
def registry(people, innovation):
    """Dinas Kesehatan's public-service innovation (SDG 2, 3) and Dinas Pendidikan's digital
    governance trial (SDG 4)."""
    other = registered(
        people["other_operator"],
        people["other_agency"],
        "Rapor Digital Sekolah",
        sdgs=(4,),
        form="governance",
        stage="trial",
        trial_date=datetime.date(2021, 5, 1),
        implementation_date=None,
        is_digital=True,
    )
    return innovation, other


def listed(client, **filters) -> list[str]:
    page = client.get(reverse("innovations:list"), filters).content.decode()
    return re.findall(r'<td><a href="/inovasi/\d+/">(.*?)</a>', page)


@pytest.mark.parametrize(
    ("filters", "titles"),
    [
        ({}, ["Dapur Sehat Atasi Stunting", "Rapor Digital Sekolah"]),
        ({"form": "governance"}, ["Rapor Digital Sekolah"]),
        ({"form": "public_service"}, ["Dapur Sehat Atasi Stunting"]),
        ({"stage": "trial"}, ["Rapor Digital Sekolah"]),
        ({"sdg": "3"}, ["Dapur Sehat Atasi Stunting"]),
        ({"sdg": "4"}, ["Rapor Digital Sekolah"]),
        ({"digital": "1"}, ["Rapor Digital Sekolah"]),
        ({"digital": "0"}, ["Dapur Sehat Atasi Stunting"]),
        ({"q": "rapor"}, ["Rapor Digital Sekolah"]),
        ({"q": "kesehatan"}, ["Dapur Sehat Atasi Stunting"]),
        ({"sdg": "4", "form": "public_service"}, []),
    ],
)
def test_the_list_filters(client, people, registry, filters, titles):
    login(client, people["secretariat"])
    assert listed(client, **filters) == titles


def test_a_filter_matching_nothing_says_so(client, people, registry):
    login(client, people["secretariat"])
    page = client.get(reverse("innovations:list"), {"sdg": "17"}).content.decode()
    assert "No innovation matches these filters." in page
    assert '<option value="17" selected>17. Partnerships for the goals</option>' in page


def test_an_operator_lists_only_the_agencys_innovations(client, people, registry):
    login(client, people["operator"])
    assert listed(client) == ["Dapur Sehat Atasi Stunting"]


def test_the_list_counts_evidence_and_proposals(client, people, proposal):
    services.evidence_add(
        actor=people["operator"],
        innovation=proposal.innovation,
        kind="report",
        description="Laporan",
        upload=pdf_upload(),
    )
    login(client, people["secretariat"])
    page = client.get(reverse("innovations:list")).content.decode()
    assert '<td class="text-end">1</td><td class="text-end">1</td></tr>' in page


def test_the_list_costs_the_same_queries_for_more_innovations(client, people, proposal):
    login(client, people["secretariat"])

    def add_rows():
        for _n in range(6):
            agency = AgencyFactory(region=people["agency"].region)
            n = agency.pk % 16
            operator = person_with_role("operator", agency=agency)
            innovation = registered(operator, agency, f"Inovasi {agency.pk}", sdgs=(n + 1, 17))
            services.evidence_add(
                actor=operator,
                innovation=innovation,
                kind="photo",
                description="Foto",
                upload=pdf_upload(),
            )

    assert_constant_queries(client, reverse("innovations:list"), add_rows)
    assert_constant_queries(client, reverse("innovations:list") + "?sdg=17&digital=0", add_rows)


# --- Evidence, decree, awards --------------------------------------------------------------------


def detail(innovation):
    return reverse("innovations:detail", args=[innovation.pk])


def test_a_pdf_is_added_as_evidence(client, people, innovation):
    login(client, people["operator"])
    response = client.post(
        reverse("innovations:evidence_add", args=[innovation.pk]),
        {"kind": "report", "description": "Laporan evaluasi 2024", "file": pdf_upload("Lap 1.pdf")},
    )
    assert response["Location"] == detail(innovation) + "#evidence"
    assert flashed(response) == ["Document added; the secretariat will verify it."]
    document = EvidenceDocument.objects.get(innovation=innovation)
    assert (document.original_name, document.content_type, document.size) == (
        "Lap 1.pdf",
        "pdf",
        len(PDF),
    )
    assert document.status == EvidenceDocument.Status.PENDING
    page = client.get(detail(innovation)).content.decode()
    assert "Laporan evaluasi 2024</a>" in page
    assert "Waiting for verification" in page


def test_a_renamed_program_is_refused_with_a_clear_message(client, people, innovation):
    login(client, people["operator"])
    program = SimpleUploadedFile("laporan.pdf", b"MZ\x90\x00\x03" + b"\0" * 500)
    response = client.post(
        reverse("innovations:evidence_add", args=[innovation.pk]),
        {"kind": "report", "description": "Laporan", "file": program},
    )
    assert flashed(response) == [
        "“laporan.pdf” is not an allowed kind of file (its content was checked). Allowed: PDF, "
        "JPEG, PNG, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), at most 20 MB per file."
    ]
    assert not EvidenceDocument.objects.exists()


def test_evidence_without_a_file_is_refused(client, people, innovation):
    login(client, people["operator"])
    response = client.post(
        reverse("innovations:evidence_add", args=[innovation.pk]),
        {"kind": "report", "description": "Laporan"},
    )
    assert flashed(response) == ["This field is required."]
    assert not EvidenceDocument.objects.exists()


@pytest.fixture
def document(people, innovation):
    return services.evidence_add(
        actor=people["operator"],
        innovation=innovation,
        kind="report",
        description="Laporan evaluasi",
        upload=pdf_upload("Laporan evaluasi.pdf"),
    )


def test_the_secretariat_verifies_and_then_it_cannot_be_removed(
    client, people, innovation, document
):
    login(client, people["secretariat"])
    response = client.post(
        reverse("innovations:evidence_verify", args=[document.pk]),
        {"status": "verified", "note": "Sesuai"},
    )
    assert response["Location"] == detail(innovation) + "#evidence"
    document.refresh_from_db()
    assert document.status == "verified" and document.verified_by == people["secretariat"]
    assert document.verification_note == "Sesuai"
    login(client, people["operator"])
    page = client.get(detail(innovation)).content.decode()
    assert "evidence_remove" not in page and f"/inovasi/bukti/{document.pk}/hapus/" not in page
    refused = client.post(reverse("innovations:evidence_remove", args=[document.pk]))
    assert flashed(refused) == ["A verified document cannot be removed; ask the secretariat."]
    assert EvidenceDocument.objects.filter(pk=document.pk).exists()


def test_rejecting_without_a_note_is_refused(client, people, document):
    login(client, people["secretariat"])
    response = client.post(
        reverse("innovations:evidence_verify", args=[document.pk]), {"status": "rejected"}
    )
    assert flashed(response) == ["Say why the document is rejected."]
    document.refresh_from_db()
    assert document.status == "pending"


def test_a_pending_document_is_removed_with_its_file(client, people, innovation, document):
    stored = document.file.name
    login(client, people["operator"])
    response = client.post(reverse("innovations:evidence_remove", args=[document.pk]))
    assert response["Location"] == detail(innovation) + "#evidence"
    assert not EvidenceDocument.objects.filter(pk=document.pk).exists()
    assert not document.file.storage.exists(stored)


def test_an_evidence_download_returns_the_file(client, people, document):
    login(client, people["secretariat"])
    response = client.get(reverse("innovations:evidence_download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="Laporan evaluasi.pdf"'


def test_the_decree_is_uploaded_and_downloaded(client, people, innovation):
    login(client, people["operator"])
    assert client.get(reverse("innovations:decree_download", args=[innovation.pk])).status_code == (
        404
    )
    response = client.post(
        reverse("innovations:decree_upload", args=[innovation.pk]),
        {"number": " SK 12/2019 ", "file": pdf_upload("SK Inovator.pdf")},
    )
    assert response["Location"] == detail(innovation)
    assert flashed(response) == ["Decree uploaded."]
    innovation.refresh_from_db()
    assert innovation.decree_number == "SK 12/2019"
    page = client.get(detail(innovation)).content.decode()
    download = reverse("innovations:decree_download", args=[innovation.pk])
    assert f'<a href="{download}">SK 12/2019</a>' in page
    file = client.get(download)
    assert b"".join(file.streaming_content) == PDF
    assert file["Content-Disposition"] == 'attachment; filename="SK_Inovator.pdf"'


def test_a_decree_that_is_not_a_pdf_or_image_is_refused(client, people, innovation):
    login(client, people["operator"])
    response = client.post(
        reverse("innovations:decree_upload", args=[innovation.pk]),
        {"number": "SK 1", "file": SimpleUploadedFile("sk.pdf", b"just some text")},
    )
    assert flashed(response) == [
        "“sk.pdf” is not an allowed kind of file (its content was checked). Allowed: PDF, JPEG, "
        "PNG, at most 20 MB per file."
    ]
    innovation.refresh_from_db()
    assert innovation.decree_number == "" and not innovation.decree_file


def test_the_secretariat_records_an_earlier_award(client, people, innovation):
    login(client, people["secretariat"])
    response = client.post(
        reverse("innovations:award_add", args=[innovation.pk]),
        {"year": "2022", "level": "regency", "title": "Top 7 KIPP Luwu Utara", "is_top": "on"},
    )
    assert response["Location"] == detail(innovation) + "#awards"
    assert flashed(response) == ["Award recorded."]
    award = Award.objects.get(innovation=innovation)
    assert (award.year, award.level, award.is_top) == (2022, "regency", True)
    page = client.get(detail(innovation)).content.decode()
    assert "<li>Top 7 KIPP Luwu Utara — Regency / city, 2022</li>" in page


def test_an_award_without_a_year_is_refused(client, people, innovation):
    login(client, people["secretariat"])
    response = client.post(
        reverse("innovations:award_add", args=[innovation.pk]),
        {"level": "regency", "title": "Top 7"},
    )
    assert flashed(response) == ["This field is required."]
    assert not Award.objects.exists()
