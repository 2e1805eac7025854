"""Permission-aware reads of proposals, and the page model of one proposal."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from siwanda.accounts.models import Role
from siwanda.accounts.roles import roles_of
from siwanda.competitions.models import FormField, FormSection
from siwanda.mentoring.selectors import mentored_filter

from .models import Answer, Attachment, Proposal


def proposals_visible_to(user) -> QuerySet[Proposal]:
    roles = roles_of(user)
    if roles.is_system_admin:
        return Proposal.objects.all()
    if not user.is_authenticated:
        return Proposal.objects.none()
    visible = Q(competition__region_id__in=roles.region_ids(Role.SECRETARIAT)) | Q(
        agency_id__in=roles.agency_ids(Role.OPERATOR, Role.AGENCY_HEAD)
    )
    if roles.region_ids(Role.MENTOR):
        visible |= Q(competition__region_id__in=roles.region_ids(Role.MENTOR)) & mentored_filter(
            user
        )
    return Proposal.objects.filter(visible)


def proposal_list(
    *,
    user,
    competition=None,
    agency_id=None,
    status="",
    group_id=None,
    category_id=None,
    search="",
) -> QuerySet[Proposal]:
    qs = proposals_visible_to(user).select_related(
        "agency", "group", "category", "competition", "competition__region"
    )
    if competition is not None:
        qs = qs.filter(competition=competition)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if status:
        qs = qs.filter(status=status)
    if group_id:
        qs = qs.filter(group_id=group_id)
    if category_id:
        qs = qs.filter(category_id=category_id)
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(agency__name__icontains=search))
    return qs.annotate(
        open_comments=Count(
            "mentor_comments",
            filter=Q(mentor_comments__parent=None, mentor_comments__resolved_at=None),
            distinct=True,
        )
    ).order_by("-updated_at")


def awaiting_approval_for(user) -> QuerySet[Proposal]:
    """Proposals this person should approve now (agency head, or secretariat for headless ones)."""
    return proposal_list(user=user, status=Proposal.Status.AWAITING_APPROVAL).filter(
        Q(agency_id__in=roles_of(user).agency_ids(Role.AGENCY_HEAD))
        | Q(competition__region_id__in=roles_of(user).region_ids(Role.SECRETARIAT))
    )


@dataclass
class Item:
    """One question of the page, with its current answer and files."""

    field: FormField
    answer: Answer | None
    files: list = field(default_factory=list)

    @property
    def value(self):
        return self.answer.value if self.answer else None

    @property
    def version(self) -> int:
        return self.answer.version if self.answer else 0


@dataclass
class Part:
    section: FormSection
    items: list[Item]


def proposal_parts(proposal: Proposal) -> list[Part]:
    """The proposal's form version, section by section, with the answers: four queries."""
    sections = FormSection.objects.filter(version_id=proposal.form_version_id).prefetch_related(
        Prefetch("fields", queryset=FormField.objects.order_by("order", "id"))
    )
    answers = {a.field_id: a for a in proposal.answers.select_related("updated_by")}
    files: dict[int, list] = {}
    for attachment in Attachment.objects.filter(proposal=proposal).order_by("uploaded_at", "id"):
        files.setdefault(attachment.field_id, []).append(attachment)
    return [
        Part(
            section=section,
            items=[Item(f, answers.get(f.pk), files.get(f.pk, [])) for f in section.fields.all()],
        )
        for section in sections
    ]
