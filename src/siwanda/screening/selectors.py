"""The data the automatic checks need, read from the database in a few queries."""

from django.db.models import Prefetch

from siwanda.competitions.models import FormField
from siwanda.innovations.models import Award

from .checks import Other, Question, Rules, Subject


def rules_for(competition) -> Rules:
    return Rules(
        min_implementation_months=competition.min_implementation_months,
        require_sdg=competition.require_sdg,
        video_max_seconds=competition.video_max_seconds,
        min_answer_words=competition.min_answer_words,
        title_similarity=float(competition.title_similarity),
        exclude_top_winners=competition.exclude_top_winners,
    )


def questions_of(version) -> list[Question]:
    sections = version.sections.prefetch_related(
        Prefetch("fields", queryset=FormField.objects.order_by("order", "id"))
    )
    return [
        Question(
            key=field.key,
            section=section.text("name"),
            label=field.text("name"),
            type=field.type,
            required=field.required,
            word_limit=field.word_limit,
            min_words=field.min_words,
            is_video_duration=field.is_video_duration,
        )
        for section in sections
        for field in section.fields.all()
    ]


def others_for(proposal) -> list[Other]:
    """Proposals whose titles might clash: the rest of this competition, and the region's earlier
    competitions (other innovations only: an innovation may enter again in a later year)."""
    from siwanda.proposals.models import Proposal

    competition = proposal.competition
    same = (
        Proposal.objects.filter(competition=competition, status__in=Proposal.IN_COMPETITION)
        .exclude(pk=proposal.pk)
        .select_related("agency")
    )
    earlier = (
        Proposal.objects.filter(
            competition__region=competition.region,
            competition__year__lt=competition.year,
            status__in=Proposal.IN_COMPETITION,
        )
        .exclude(innovation=proposal.innovation)
        .select_related("agency", "competition")
    )
    return [
        Other(title=p.title, agency=p.agency.name, year=competition.year, same_competition=True)
        for p in same
    ] + [
        Other(title=p.title, agency=p.agency.name, year=p.competition.year, same_competition=False)
        for p in earlier
    ]


def subject_for(proposal, *, compare_titles: bool = True) -> Subject:
    """The proposal as the checks see it. Titles are compared with other agencies' proposals
    only for the secretariat's screening: an author's check must not reveal them."""
    from siwanda.competitions.deadlines import deadline_for

    competition = proposal.competition
    deadline = deadline_for(competition, proposal.agency)
    keys = {answer.field_id: answer for answer in proposal.answers.all()}
    fields = FormField.objects.filter(section__version=proposal.form_version)
    answers = {field.key: keys[field.pk].value for field in fields if field.pk in keys}
    files = {}
    for attachment in proposal.attachments.select_related("field"):
        files[attachment.field.key] = files.get(attachment.field.key, 0) + 1
    awards = Award.objects.filter(
        innovation=proposal.innovation, level=competition.level, is_top=True
    ).exclude(competition=competition)
    return Subject(
        title=proposal.title,
        implementation_start=proposal.implementation_start,
        deadline=deadline.astimezone(competition.region.zone).date() if deadline else None,
        questions=questions_of(proposal.form_version),
        answers=answers,
        files=files,
        top_awards=[str(award) for award in awards],
        others=others_for(proposal) if compare_titles else [],
    )
