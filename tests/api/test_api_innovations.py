"""The registry's API: /api/innovations/ and its evidence, with every role that may and may not."""

import pytest
from django.urls import reverse

from siwanda.activity.models import ActivityEntry
from siwanda.innovations.models import EvidenceDocument, Innovation
from siwanda.innovations.services import award_add
from tests.api.conftest import make_innovation, pdf, renamed_exe
from tests.helpers import assert_constant_queries

LIST = "/api/innovations/"
TITLE = "Kampung Donor Darah Penyelamat Jiwa"
REFUSED = ["other_operator", "neighbour_secretariat", "neighbour_operator", "juror"]
READERS = ["admin", "secretariat", "operator", "head", "mentor", "leadership"]


def detail(innovation):
    return f"/api/innovations/{innovation.pk}/"


def new_innovation(agency_pk, **fields):
    return {
        "agency": agency_pk,
        "title": "Posyandu Digital",
        "form": "public_service",
        "initiator": "civil_servant",
        "stage": "trial",
        "trial_date": "2025-03-01",
        "is_digital": True,
        "sdgs": [3, 17],
        "innovators": [{"name": "Ns. Rina", "position": "Perawat", "is_lead": True}],
        **fields,
    }


# --- List ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_list_shows_the_innovation_to_its_readers(as_, innovation, role):
    response = as_(role).get(LIST)
    assert response.status_code == 200
    assert response.json()["count"] == 1
    row = response.json()["results"][0]
    assert row == {
        "id": innovation.pk,
        "title": TITLE,
        "agency": {"id": innovation.agency_id, "name": "Dinas Kesehatan"},
        "form": "public_service",
        "stage": "implementation",
        "urusan": "kesehatan",
        "is_digital": False,
        "evidence_count": 0,
        "proposal_count": 0,
        "updated_at": row["updated_at"],
    }


@pytest.mark.parametrize("role", REFUSED)
def test_list_shows_nothing_of_another_agency_or_region(as_, innovation, role):
    response = as_(role).get(LIST)
    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert TITLE not in response.content.decode()


@pytest.mark.parametrize("role", ["anonymous", "nobody"])
def test_list_refuses_people_without_a_role(as_, innovation, role):
    response = as_(role).get(LIST)
    assert response.status_code == 403
    assert set(response.json()) == {"detail"}
    assert TITLE not in response.content.decode()


def test_list_filters(as_, people, innovation):
    other = make_innovation(people["agency"], title="Sekolah Lapang Iklim", sdgs=[13])
    other.form = "governance"
    other.save(update_fields=["form"])
    client = as_("operator")

    def titles(query):
        response = client.get(LIST, query)
        assert response.status_code == 200, response.content
        return [row["title"] for row in response.json()["results"]]

    assert titles({}) == ["Kampung Donor Darah Penyelamat Jiwa", "Sekolah Lapang Iklim"]
    assert titles({"search": "iklim"}) == ["Sekolah Lapang Iklim"]
    assert titles({"search": "kesehatan"}) == [TITLE, "Sekolah Lapang Iklim"]  # agency name
    assert titles({"form": "governance"}) == ["Sekolah Lapang Iklim"]
    assert titles({"sdg": 3}) == [TITLE]
    assert titles({"stage": "trial"}) == []
    assert titles({"urusan": "kesehatan"}) == [TITLE, "Sekolah Lapang Iklim"]
    assert titles({"agency": people["other_agency"].pk}) == []
    assert titles({"digital": "false"}) == [TITLE, "Sekolah Lapang Iklim"]
    assert titles({"digital": "true"}) == []


def test_list_refuses_wrong_filters_with_field_errors(as_, innovation):
    response = as_("operator").get(LIST, {"sdg": 18, "form": "magic"})
    assert response.status_code == 400
    body = response.json()
    assert set(body["errors"]) == {"sdg", "form"}
    assert body["detail"]


def test_list_costs_the_same_queries_with_more_rows(as_, people, innovation):
    client = as_("secretariat")

    def add_rows():
        for n in range(5):
            make_innovation(people["agency"], title=f"Inovasi {n}")
            make_innovation(people["other_agency"], title=f"Inovasi lain {n}")

    assert_constant_queries(client, LIST, add_rows)
    assert client.get(LIST).json()["count"] == 11


# --- Detail --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_detail_shows_everything_the_registry_knows(as_, people, innovation, role):
    document = EvidenceDocument.objects.create(
        innovation=innovation,
        kind="sop",
        description="SOP layanan",
        file=pdf(),
        original_name="sop.pdf",
        content_type="pdf",
        size=len(pdf().read()),
    )
    award_add(actor=None, innovation=innovation, year=2024, level="regency", title="Top 5")
    response = as_(role).get(detail(innovation))
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == TITLE
    assert body["agency"] == {"id": people["agency"].pk, "name": "Dinas Kesehatan"}
    assert body["region"] == {"code": "73.22", "name": "Kabupaten Luwu Utara"}
    assert body["sdgs"] == [3]
    assert body["innovators"] == [{"name": "dr. Andi", "position": "Kepala", "is_lead": False}]
    assert body["awards"] == [{"year": 2024, "level": "regency", "title": "Top 5", "is_top": True}]
    [evidence] = body["evidence"]
    assert evidence["id"] == document.pk
    assert (evidence["kind"], evidence["description"], evidence["status"]) == (
        "sop",
        "SOP layanan",
        "pending",
    )
    assert evidence["download_url"].endswith(
        reverse("innovations:evidence_download", args=[document.pk])
    )
    assert body["can_change"] is (role in ("admin", "operator"))


@pytest.mark.parametrize("role", REFUSED)
def test_detail_is_not_found_outside_the_persons_view(as_, innovation, role):
    response = as_(role).get(detail(innovation))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_detail_of_a_missing_innovation_looks_the_same(as_, innovation):
    assert as_("other_operator").get(detail(innovation)).json() == (
        as_("other_operator").get("/api/innovations/999999/").json()
    )


def test_detail_refuses_the_anonymous(as_, innovation):
    response = as_("anonymous").get(detail(innovation))
    assert response.status_code == 403
    assert TITLE not in response.content.decode()


# --- Create --------------------------------------------------------------------------------------


def test_operator_registers_an_innovation_of_their_agency(as_, people):
    response = as_("operator").post(LIST, new_innovation(people["agency"].pk), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    innovation = Innovation.objects.get(pk=body["id"])
    assert (innovation.title, innovation.agency, innovation.region_id) == (
        "Posyandu Digital",
        people["agency"],
        people["agency"].region_id,
    )
    assert body["sdgs"] == [3, 17]
    assert body["innovators"] == [{"name": "Ns. Rina", "position": "Perawat", "is_lead": True}]
    assert innovation.created_by == people["operator"]
    assert ActivityEntry.objects.filter(action="innovation.created", actor=people["operator"])


@pytest.mark.parametrize(
    ("role", "agency"),
    [
        ("operator", "other_agency"),
        ("other_operator", "agency"),
        ("neighbour_operator", "agency"),
        ("secretariat", "agency"),
        ("head", "agency"),
        ("juror", "agency"),
    ],
)
def test_nobody_registers_for_an_agency_they_do_not_operate(as_, people, role, agency):
    response = as_(role).post(LIST, new_innovation(people[agency].pk), format="json")
    assert response.status_code == 403
    assert not Innovation.objects.exists()


def test_create_refuses_the_anonymous(as_, people):
    response = as_("anonymous").post(LIST, new_innovation(people["agency"].pk), format="json")
    assert response.status_code == 403
    assert not Innovation.objects.exists()


def test_create_reports_missing_fields_by_field(as_, people):
    response = as_("operator").post(LIST, {"agency": people["agency"].pk}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == {
        "title": ["This field is required."],
        "form": ["This field is required."],
        "initiator": ["This field is required."],
    }
    assert body["detail"] == " ".join(["This field is required."] * 3)


def test_create_reports_the_services_rules_on_their_field(as_, people):
    data = new_innovation(people["agency"].pk, stage="implementation")
    response = as_("operator").post(LIST, data, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "implementation_date": ["Give the date implementation started."]
    }
    assert not Innovation.objects.exists()


def test_nested_errors_name_the_row(as_, people):
    data = new_innovation(people["agency"].pk, innovators=[{"name": "Ana"}, {"position": "x"}])
    response = as_("operator").post(LIST, data, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"innovators.1.name": ["This field is required."]}


def test_errors_come_in_the_requests_language(as_, people):
    response = as_("operator").post(
        LIST, {"agency": people["agency"].pk}, format="json", HTTP_ACCEPT_LANGUAGE="id"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["title"] == ["Bidang ini harus diisi."]


# --- Update --------------------------------------------------------------------------------------


def test_operator_changes_the_innovation(as_, people, innovation):
    response = as_("operator").patch(
        detail(innovation),
        {"title": "Kampung Donor Darah", "sdgs": [3, 10], "innovators": [{"name": "Budi"}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["title"], body["sdgs"]) == ("Kampung Donor Darah", [3, 10])
    assert body["innovators"] == [{"name": "Budi", "position": "", "is_lead": False}]
    innovation.refresh_from_db()
    assert innovation.title == "Kampung Donor Darah"
    assert innovation.stage == "implementation"  # untouched: not in the request
    changes = {}
    for entry in ActivityEntry.objects.filter(action="innovation.updated"):
        changes |= entry.changes
    assert changes == {
        "title": {"before": TITLE, "after": "Kampung Donor Darah"},
        "sdgs": {"before": [3], "after": [3, 10]},
        "innovators": {"before": ["dr. Andi (Kepala)"], "after": ["Budi ()"]},
    }


@pytest.mark.parametrize("role", ["head", "secretariat", "mentor", "leadership"])
def test_readers_may_not_change_it(as_, innovation, role):
    response = as_(role).patch(detail(innovation), {"title": "Diubah"}, format="json")
    assert response.status_code == 403
    innovation.refresh_from_db()
    assert innovation.title == TITLE


@pytest.mark.parametrize("role", REFUSED)
def test_others_cannot_find_it_to_change(as_, innovation, role):
    response = as_(role).patch(detail(innovation), {"title": "Diubah"}, format="json")
    assert response.status_code == 404
    innovation.refresh_from_db()
    assert innovation.title == TITLE


def test_update_is_all_or_nothing(as_, innovation):
    response = as_("operator").patch(
        detail(innovation),
        {"title": "Baru", "trial_date": "2099-01-01", "innovators": [{"name": "Budi"}]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["trial_date"] == ["This date is in the future."]
    innovation.refresh_from_db()
    assert innovation.title == TITLE
    assert [i.name for i in innovation.innovators.all()] == ["dr. Andi"]


def test_put_is_not_offered(as_, innovation):
    assert as_("operator").put(detail(innovation), {}, format="json").status_code == 405


# --- Evidence ------------------------------------------------------------------------------------


def evidence_url(innovation):
    return f"/api/innovations/{innovation.pk}/evidence/"


def test_operator_adds_evidence(as_, people, innovation):
    client = as_("operator")
    response = client.post(
        evidence_url(innovation),
        {"kind": "report", "description": "Laporan evaluasi", "file": pdf()},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    document = EvidenceDocument.objects.get(pk=body["id"])
    assert (document.kind, document.description, document.content_type) == (
        "report",
        "Laporan evaluasi",
        "pdf",
    )
    assert (body["status"], body["name"]) == ("pending", "laporan.pdf")
    download = client.get(body["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_renamed_program_is_refused_with_a_clear_message(as_, innovation):
    response = as_("operator").post(
        evidence_url(innovation),
        {"kind": "report", "description": "Laporan", "file": renamed_exe()},
        format="multipart",
    )
    assert response.status_code == 400
    [message] = response.json()["errors"]["file"]
    assert message.startswith("“laporan.pdf” is not an allowed kind of file")
    assert "PDF" in message
    assert not EvidenceDocument.objects.exists()


def test_evidence_needs_its_fields(as_, innovation):
    response = as_("operator").post(evidence_url(innovation), {}, format="multipart")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"kind", "description", "file"}


@pytest.mark.parametrize(
    ("role", "code"),
    [("head", 403), ("secretariat", 403), ("anonymous", 403)] + [(role, 404) for role in REFUSED],
)
def test_evidence_is_refused_to_others(as_, innovation, role, code):
    response = as_(role).post(
        evidence_url(innovation),
        {"kind": "report", "description": "Laporan", "file": pdf()},
        format="multipart",
    )
    assert response.status_code == code
    assert not EvidenceDocument.objects.exists()
