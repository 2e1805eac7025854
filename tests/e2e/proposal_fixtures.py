"""A proposal being written, made through the services as the secretariat and an operator would
make it: a regency competition from the KIPP template, opened today, and one innovation of
Dinas Kesehatan entered in its general group."""

import datetime

from django.utils import timezone

from tests.factories import person_with_role


def open_competition(secretariat, region, *, name="KIPP Luwu Utara"):
    from siwanda.competitions.services import competition_create_from_template, competition_open

    today = timezone.localdate()
    competition = competition_create_from_template(
        actor=secretariat,
        region=region,
        template_key="kipp-kabupaten",
        year=today.year,
        name=name,
        opens_on=today,
    )
    competition_open(actor=secretariat, competition=competition)
    competition.refresh_from_db()
    return competition


def draft_proposal(operator, agency, competition, *, sdgs=(3, 10)):
    from siwanda.innovations.services import innovation_create
    from siwanda.proposals.services import proposal_create

    innovation = innovation_create(
        actor=operator,
        agency=agency,
        title="Posyandu Keliling Digital",
        form="public_service",
        initiator="agency",
        stage="implementation",
        implementation_date=timezone.localdate() - datetime.timedelta(days=500),
        sdgs=sdgs,
    )
    return proposal_create(
        actor=operator,
        competition=competition,
        innovation=innovation,
        group=competition.groups.get(name="Umum"),
    )


def second_operator(agency, full_name="Siti Rahmawati"):
    """Another operator of the same agency: a colleague writing the same proposal."""
    from siwanda.accounts.models import Role

    return person_with_role(Role.OPERATOR, agency=agency, full_name=full_name)


def field_of(proposal, key):
    from siwanda.competitions.models import FormField

    return FormField.objects.select_related("section").get(
        section__version=proposal.form_version, key=key
    )


def answer_value(proposal, field):
    from siwanda.proposals.models import Answer

    answer = Answer.objects.filter(proposal=proposal, field=field).first()
    return answer.value if answer else None
