import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from siwanda.activity.models import ActivityEntry
from siwanda.innovations import services
from siwanda.innovations.models import EvidenceDocument
from tests.builders import innovation_for, pdf_upload


def test_an_innovation_belongs_to_its_agency_and_region(people, innovation):
    assert innovation.region == people["agency"].region
    assert sorted(innovation.sdgs.values_list("number", flat=True)) == [2, 3]
    assert ActivityEntry.objects.filter(
        action="innovation.created", target_id=str(innovation.pk)
    ).exists()


def test_only_the_agencys_operators_register_and_edit(people, innovation):
    for role in ("head", "secretariat", "other_operator", "mentor"):
        with pytest.raises(PermissionDenied):
            innovation_for(people[role], people["agency"], title=f"By {role}")
        with pytest.raises(PermissionDenied):
            services.innovation_update(actor=people[role], innovation=innovation, title="x")


def test_stage_dates_follow_each_other(people):
    with pytest.raises(ValidationError) as error:
        services.innovation_create(
            actor=people["operator"],
            agency=people["agency"],
            title="T",
            form="public_service",
            initiator="agency",
            stage="implementation",
            trial_date=datetime.date(2020, 5, 1),
            implementation_date=datetime.date(2020, 1, 1),
        )
    assert "implementation_date" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.innovation_create(
            actor=people["operator"],
            agency=people["agency"],
            title="T",
            form="public_service",
            initiator="agency",
            stage="trial",
        )
    assert "trial_date" in error.value.error_dict


def test_changes_including_sdgs_are_recorded(people, innovation):
    services.innovation_update(
        actor=people["operator"], innovation=innovation, sdgs=[3, 5], budget=15_000_000
    )
    entry = ActivityEntry.objects.filter(action="innovation.updated").latest("id")
    assert entry.changes["sdgs"] == {"before": [2, 3], "after": [3, 5]}
    assert entry.changes["budget"] == {"before": None, "after": 15000000}


def test_evidence_is_checked_verified_and_then_kept(people, innovation):
    with pytest.raises(ValidationError):
        services.evidence_add(
            actor=people["operator"],
            innovation=innovation,
            kind="report",
            description="Laporan",
            upload=SimpleUploadedFile("x.pdf", b"not a pdf"),
        )
    document = services.evidence_add(
        actor=people["operator"],
        innovation=innovation,
        kind="report",
        description="Laporan evaluasi 2019",
        upload=pdf_upload(),
    )
    assert document.status == EvidenceDocument.Status.PENDING
    with pytest.raises(PermissionDenied):
        services.evidence_verify(actor=people["operator"], document=document, status="verified")
    with pytest.raises(ValidationError):
        services.evidence_verify(actor=people["secretariat"], document=document, status="rejected")
    services.evidence_verify(actor=people["secretariat"], document=document, status="verified")
    with pytest.raises(ValidationError, match="verified document"):
        services.evidence_remove(actor=people["operator"], document=document)


def test_earlier_awards_are_recorded_by_the_secretariat(people, innovation):
    with pytest.raises(PermissionDenied):
        services.award_add(
            actor=people["operator"],
            innovation=innovation,
            year=2018,
            level="regency",
            title="Top 7",
        )
    award = services.award_add(
        actor=people["secretariat"],
        innovation=innovation,
        year=2018,
        level="regency",
        title="Top 7 KIPP 2018",
    )
    assert str(award) == "Top 7 KIPP 2018 (2018)"


def test_the_innovators_decree(people, innovation):
    services.innovation_set_decree(
        actor=people["operator"],
        innovation=innovation,
        upload=pdf_upload("SK 12.pdf"),
        number="SK 12/2019",
    )
    innovation.refresh_from_db()
    assert innovation.decree_number == "SK 12/2019" and innovation.decree_file.name.endswith(".pdf")
