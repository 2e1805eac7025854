"""Builders for the competition, registry and proposal tests: an open competition of Luwu Utara
from the ready template, an innovation, and proposals filled in so that they can be sent."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from siwanda.competitions import services as competitions
from siwanda.competitions.deadlines import end_of_day
from siwanda.competitions.models import FieldType, FormField
from siwanda.core.demo.competitions import PDF
from siwanda.innovations.services import innovation_create
from siwanda.proposals import services as proposals


def make_people(region, neighbour) -> dict:
    """One person per role in `region` (Luwu Utara in the tests), a secretariat and an operator
    of `neighbour`, a person without any role, and the agencies they work for."""
    from siwanda.accounts.models import Role
    from tests.factories import AgencyFactory, person_with_role

    dinkes = AgencyFactory(region=region, name="Dinas Kesehatan")
    disdik = AgencyFactory(region=region, name="Dinas Pendidikan")
    neighbour_agency = AgencyFactory(region=neighbour, name="Dinas Kesehatan")
    return {
        "agency": dinkes,
        "other_agency": disdik,
        "neighbour_agency": neighbour_agency,
        "admin": person_with_role(Role.SYSTEM_ADMIN),
        "secretariat": person_with_role(Role.SECRETARIAT, region=region),
        "operator": person_with_role(Role.OPERATOR, agency=dinkes),
        "other_operator": person_with_role(Role.OPERATOR, agency=disdik),
        "head": person_with_role(Role.AGENCY_HEAD, agency=dinkes),
        "mentor": person_with_role(Role.MENTOR, region=region),
        "juror": person_with_role(Role.JUROR, region=region),
        "leadership": person_with_role(Role.LEADERSHIP, region=region),
        "neighbour_secretariat": person_with_role(Role.SECRETARIAT, region=neighbour),
        "neighbour_operator": person_with_role(Role.OPERATOR, agency=neighbour_agency),
        "nobody": person_with_role(None),
    }


def pdf_upload(name="dokumen.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def competition_from_template(
    secretariat,
    region,
    *,
    name="KIPP Uji",
    year=None,
    open_it=True,
    days_left=30,
    template="kipp-kabupaten",
):
    today = timezone.localdate()
    competition = competitions.competition_create_from_template(
        actor=secretariat,
        region=region,
        template_key=template,
        year=year or today.year,
        name=name,
        opens_on=today - datetime.timedelta(days=5),
    )
    competitions.competition_update(
        actor=secretariat,
        competition=competition,
        deadline_at=end_of_day(today + datetime.timedelta(days=days_left), region),
    )
    if open_it:
        competitions.competition_open(actor=secretariat, competition=competition)
        competition.refresh_from_db()
    return competition


def innovation_for(
    operator, agency, *, title="Dapur Sehat Atasi Stunting", started=None, sdgs=(2, 3)
):
    return innovation_create(
        actor=operator,
        agency=agency,
        title=title,
        form="public_service",
        urusan="kesehatan",
        initiator="civil_servant",
        is_digital=False,
        stage="implementation",
        implementation_date=started or datetime.date(2020, 1, 6),
        sdgs=list(sdgs),
        goals="Balita mendapat makanan bergizi setiap hari di dapur desa.",
        results="Balita berisiko stunting turun dari 120 menjadi 45 anak dalam setahun.",
        video_url="https://youtu.be/demo",
    )


def value_for(field, innovation):
    return {
        FieldType.LONG_TEXT: lambda: " ".join(["kata"] * max(12, field.min_words or 0)),
        FieldType.SHORT_TEXT: lambda: "Operator, 0812 0000 0000",
        FieldType.NUMBER: lambda: 150 if field.is_video_duration else 1000,
        FieldType.URL: lambda: "https://youtu.be/demo",
        FieldType.DATE: lambda: "2020-01-06",
        FieldType.SINGLE_CHOICE: lambda: field.choices[0]["value"],
        FieldType.MULTIPLE_CHOICE: lambda: [field.choices[0]["value"]],
        FieldType.SDGS: lambda: [3],
    }[field.type]()


def fill(proposal, author):
    """Answer every question and attach every required file: the proposal can be sent."""
    answers = {a.field_id: a for a in proposal.answers.all()}
    for field in FormField.objects.filter(section__version=proposal.form_version):
        if field.type == FieldType.FILE:
            if field.required:
                proposals.attachment_add(
                    actor=author, proposal=proposal, field=field, upload=pdf_upload()
                )
            continue
        current = answers.get(field.pk)
        proposals.answer_save(
            actor=author,
            proposal=proposal,
            field=field,
            value=value_for(field, proposal.innovation),
            base_version=current.version if current else 0,
        )
    return proposal


def start_proposal(competition, operator, innovation, group_name="Umum"):
    return proposals.proposal_create(
        actor=operator,
        competition=competition,
        innovation=innovation,
        group=competition.groups.get(name=group_name),
    )


def field(proposal, key):
    return FormField.objects.get(section__version=proposal.form_version, key=key)
