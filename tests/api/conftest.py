"""Fixtures of the API tests: a signed-in API client, an innovation of Dinas Kesehatan (Luwu
Utara) and a small open competition with one form: a long text, the SDGs (pre-filled from the
registry), a single choice, an optional number and a required PDF."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from siwanda.competitions.models import (
    CallRecipient,
    Category,
    Competition,
    FieldType,
    FormField,
    FormSection,
    FormVersion,
    Group,
    ProposalForm,
)
from siwanda.innovations import services as innovation_services
from siwanda.proposals import services as proposal_services

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def pdf(name="laporan.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def renamed_exe(name="laporan.pdf"):
    """A program renamed to look like a PDF: refused by its content."""
    return SimpleUploadedFile(name, EXE, content_type="application/pdf")


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def as_(api, people):
    """as_("operator") → the API client signed in as that person ("anonymous": signed out)."""

    def sign_in(role):
        api.logout()
        if role != "anonymous":
            api.force_login(people[role], backend="django.contrib.auth.backends.ModelBackend")
        return api

    return sign_in


def make_innovation(agency, title="Kampung Donor Darah Penyelamat Jiwa", **fields):
    two_years_ago = timezone.localdate() - datetime.timedelta(days=730)
    return innovation_services.innovation_create(
        actor=None,
        agency=agency,
        title=title,
        form="public_service",
        initiator="agency",
        stage="implementation",
        urusan="kesehatan",
        implementation_date=fields.pop("implementation_date", two_years_ago),
        sdgs=fields.pop("sdgs", [3]),
        innovators=fields.pop("innovators", [{"name": "dr. Andi", "position": "Kepala"}]),
        **fields,
    )


@pytest.fixture
def innovation(people):
    return make_innovation(people["agency"])


def make_competition(region, agencies, name="Kompetisi Inovasi Luwu Utara", **fields):
    """An open competition of `region` inviting `agencies`, deadline in ten days."""
    now = timezone.now()
    competition = Competition.objects.create(
        region=region,
        name=name,
        year=timezone.localdate().year,
        level=Competition.Level.REGENCY,
        status=Competition.Status.OPEN,
        participant_kinds=["dinas"],
        opens_at=now - datetime.timedelta(days=5),
        deadline_at=now + datetime.timedelta(days=10),
        **fields,
    )
    form = ProposalForm.objects.create(competition=competition, name="Formulir Usulan")
    version = FormVersion.objects.create(form=form, number=1, published_at=now)
    section = FormSection.objects.create(
        version=version, name="Ringkasan", name_en="Summary", word_limit=100
    )
    rows = [
        {"key": "summary", "type": FieldType.LONG_TEXT, "name": "Ringkasan", "word_limit": 50},
        {"key": "sdgs", "type": FieldType.SDGS, "name": "Tujuan TPB", "registry_source": "sdgs"},
        {
            "key": "scope",
            "type": FieldType.SINGLE_CHOICE,
            "name": "Cakupan",
            "name_en": "Scope",
            "choices": [
                {"value": "kab", "label": "Kabupaten", "label_en": "Regency"},
                {"value": "kec", "label": "Kecamatan", "label_en": "District"},
            ],
        },
        {
            "key": "video_seconds",
            "type": FieldType.NUMBER,
            "name": "Durasi video",
            "required": False,
        },
        {
            "key": "decree",
            "type": FieldType.FILE,
            "name": "SK Inovator",
            "allowed_types": ["pdf"],
            "max_size_mb": 2,
            "max_files": 1,
        },
    ]
    for order, row in enumerate(rows):
        FormField.objects.create(section=section, order=order, **row)
    Group.objects.create(competition=competition, name="Umum", name_en="General", form=form)
    Category.objects.create(competition=competition, name="Kesehatan", name_en="Health")
    CallRecipient.objects.bulk_create(
        CallRecipient(competition=competition, agency=agency) for agency in agencies
    )
    return competition


@pytest.fixture
def competition(people, luwu_utara):
    return make_competition(luwu_utara, [people["agency"], people["other_agency"]])


def make_proposal(competition, innovation, actor):
    return proposal_services.proposal_create(
        actor=actor, competition=competition, innovation=innovation, group=competition.groups.get()
    )


@pytest.fixture
def proposal(competition, innovation, people):
    return make_proposal(competition, innovation, people["operator"])


def complete(proposal, actor):
    """Answer every required question and attach the PDF, through the services."""
    fields = {f.key: f for f in FormField.objects.filter(section__version=proposal.form_version)}
    for key, value in (("summary", "Donor darah keliling desa setiap bulan."), ("scope", "kab")):
        proposal_services.answer_save(
            actor=actor, proposal=proposal, field=fields[key], value=value, base_version=0
        )
    proposal_services.attachment_add(
        actor=actor, proposal=proposal, field=fields["decree"], upload=pdf()
    )
