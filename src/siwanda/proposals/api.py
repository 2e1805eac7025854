"""The proposals' REST endpoints: thin views over the same selectors and services as the pages.

Nothing here reads the mentoring app: its comments never reach an API answer.
"""

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from siwanda.competitions.deadlines import accepts_from, deadline_for, extension_for
from siwanda.competitions.models import Category, Competition, FieldType, FormField, Group
from siwanda.competitions.selectors import competitions_visible_to
from siwanda.core.api import EditConflict, Locked, ObjectRule, UploadField, errors, errors_on
from siwanda.core.templatetags.siwanda import when
from siwanda.innovations.api import AgencyRefSerializer, absolute
from siwanda.innovations.models import Innovation
from siwanda.innovations.selectors import innovations_visible_to
from siwanda.screening.checks import ERROR
from siwanda.screening.messages import finding_text

from . import selectors, services
from .models import Attachment, Proposal

S = Proposal.Status

# --- Serializers ---------------------------------------------------------------------------------


class NamedRefSerializer(serializers.Serializer):
    """A group, category or form: its id and its name in the request's language."""

    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()

    def get_name(self, obj) -> str:
        return str(obj)


class CompetitionRefSerializer(NamedRefSerializer):
    year = serializers.IntegerField()


class InnovationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Innovation
        fields = ["id", "title"]


class ProposalListSerializer(serializers.ModelSerializer):
    competition = CompetitionRefSerializer()
    agency = AgencyRefSerializer()
    group = NamedRefSerializer()
    category = NamedRefSerializer(allow_null=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "title",
            "status",
            "competition",
            "agency",
            "innovation",
            "group",
            "category",
            "created_at",
            "updated_at",
            "submitted_at",
        ]


class ChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class AttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "kind", "size", "sha256", "uploaded_at", "download_url"]

    def get_download_url(self, attachment) -> str:
        return absolute(self.context["request"], "proposals:attachment_download", attachment.pk)


class QuestionSerializer(serializers.Serializer):
    """One question of the form (a selectors.Item) with its current answer and files."""

    key = serializers.CharField(source="field.key")
    type = serializers.ChoiceField(choices=FieldType.choices, source="field.type")
    label = serializers.SerializerMethodField()
    help_text = serializers.SerializerMethodField()
    required = serializers.BooleanField(source="field.required")
    word_limit = serializers.IntegerField(source="field.word_limit", allow_null=True)
    min_words = serializers.IntegerField(source="field.min_words", allow_null=True)
    choices = serializers.SerializerMethodField()
    allowed_types = serializers.ListField(
        child=serializers.CharField(), source="field.allowed_types"
    )
    max_size_mb = serializers.IntegerField(source="field.max_size_mb")
    max_files = serializers.IntegerField(source="field.max_files")
    value = serializers.JSONField(allow_null=True, help_text="The current answer (null: none).")
    version = serializers.IntegerField(help_text="Send it back as `base_version` when saving.")
    updated_by = serializers.CharField(source="answer.updated_by", allow_null=True)
    updated_at = serializers.DateTimeField(source="answer.updated_at", allow_null=True)
    attachments = AttachmentSerializer(source="files", many=True)

    def get_label(self, item) -> str:
        return item.field.text("name")

    def get_help_text(self, item) -> str:
        return item.field.text("help_text")

    @extend_schema_field(ChoiceSerializer(many=True))
    def get_choices(self, item):
        return [
            {"value": str(choice["value"]), "label": item.field.choice_label(choice["value"])}
            for choice in item.field.choices
        ]


class SectionSerializer(serializers.Serializer):
    """One section of the form (a selectors.Part)."""

    id = serializers.IntegerField(source="section.id")
    title = serializers.SerializerMethodField()
    prompt = serializers.SerializerMethodField()
    help_text = serializers.SerializerMethodField()
    weight = serializers.DecimalField(source="section.weight", max_digits=5, decimal_places=2)
    word_limit = serializers.IntegerField(source="section.word_limit", allow_null=True)
    questions = QuestionSerializer(source="items", many=True)

    def get_title(self, part) -> str:
        return part.section.text("name")

    def get_prompt(self, part) -> str:
        return part.section.text("prompt")

    def get_help_text(self, part) -> str:
        return part.section.text("help_text")


class FormVersionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    form = NamedRefSerializer()


class ProposalPermissionsSerializer(serializers.Serializer):
    change = serializers.BooleanField()
    approve = serializers.BooleanField()
    withdraw = serializers.BooleanField()


class ProposalSerializer(ProposalListSerializer):
    """The proposal with its form and answers. Expects `parts`, `deadline` and `open` in its
    context (see ProposalViewSet.detail_response)."""

    innovation = InnovationRefSerializer()
    form_version = FormVersionRefSerializer()
    deadline = serializers.SerializerMethodField()
    open = serializers.SerializerMethodField()
    sections = serializers.SerializerMethodField()
    permissions = serializers.SerializerMethodField()

    class Meta(ProposalListSerializer.Meta):
        fields = [
            *ProposalListSerializer.Meta.fields,
            "implementation_start",
            "sent_at",
            "return_comment",
            "withdrawn_at",
            "withdraw_reason",
            "deadline",
            "open",
            "form_version",
            "sections",
            "permissions",
        ]

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_deadline(self, proposal):
        """The agency's own deadline (grace period and extension included), in the organiser's
        time zone."""
        deadline = self.context["deadline"]
        if deadline is None:
            return None
        return timezone.localtime(deadline, proposal.competition.region.zone).isoformat()

    def get_open(self, proposal) -> bool:
        return self.context["open"]

    @extend_schema_field(SectionSerializer(many=True))
    def get_sections(self, proposal):
        return SectionSerializer(self.context["parts"], many=True, context=self.context).data

    @extend_schema_field(ProposalPermissionsSerializer)
    def get_permissions(self, proposal):
        user = self.context["request"].user
        return {
            verb: user.has_perm(f"proposals.{verb}_proposal", proposal)
            for verb in ("change", "approve", "withdraw")
        }


class ProposalFilterSerializer(serializers.Serializer):
    competition = serializers.IntegerField(min_value=1, required=False, default=None)
    status = serializers.ChoiceField(
        choices=S.choices, required=False, allow_blank=True, default=""
    )
    search = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Words of the title or agency."
    )


class ProposalCreateSerializer(serializers.Serializer):
    competition = serializers.PrimaryKeyRelatedField(queryset=Competition.objects.none())
    innovation = serializers.PrimaryKeyRelatedField(
        queryset=Innovation.objects.none(), help_text="An innovation of your agency."
    )
    group = serializers.PrimaryKeyRelatedField(queryset=Group.objects.none())
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.none(), required=False, allow_null=True, default=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:  # the OpenAPI generator
            return
        competitions = competitions_visible_to(request.user)
        self.fields["competition"].queryset = competitions
        self.fields["innovation"].queryset = innovations_visible_to(request.user)
        self.fields["group"].queryset = Group.objects.filter(competition__in=competitions)
        self.fields["category"].queryset = Category.objects.filter(competition__in=competitions)


class ProposalHeaderSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=255)
    implementation_start = serializers.DateField(allow_null=True)
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.none(),
        allow_null=True,
        help_text="A category of the proposal's competition.",
    )

    def __init__(self, *args, competition=None, **kwargs):
        super().__init__(*args, **kwargs)
        if competition is not None:
            self.fields["category"].queryset = competition.categories.all()


class AnswerWriteSerializer(serializers.Serializer):
    value = serializers.JSONField(
        allow_null=True,
        help_text="Text, number, ISO date, choice value, list of choice values or SDG numbers; "
        "null clears the answer.",
    )
    base_version = serializers.IntegerField(
        min_value=0, help_text="The `version` of the answer the editor started from."
    )
    force = serializers.BooleanField(
        default=False, help_text="Save over another person's newer answer."
    )


class AnswerSavedSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    value = serializers.JSONField(allow_null=True, help_text="The answer as stored (cleaned).")
    saved_at = serializers.DateTimeField(source="updated_at")


class FileUploadSerializer(serializers.Serializer):
    file = UploadField()


class ReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(
        allow_blank=True, default="", help_text="What the authors should change."
    )


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, default="", max_length=300)


class FindingSerializer(serializers.Serializer):
    severity = serializers.ChoiceField(
        choices=["error", "warning"], help_text="Errors stop the proposal from being sent."
    )
    code = serializers.CharField()
    question = serializers.CharField(help_text="The question's key, when about one.")
    section = serializers.CharField()
    text = serializers.CharField()


class CheckSerializer(serializers.Serializer):
    errors = serializers.IntegerField()
    warnings = serializers.IntegerField()
    findings = FindingSerializer(many=True)


# --- Views ---------------------------------------------------------------------------------------


@contextmanager
def refused_when_locked(proposal, *, draft_only=True):
    """A service's refusal of a proposal that can no longer change (no longer a draft when
    `draft_only`, or outside its agency's window) is 423 Locked, with the service's message; an
    edit conflict is 409 with the other person's answer."""
    try:
        yield
    except services.Conflict as conflict:
        theirs = conflict.answer
        raise EditConflict(
            _(
                "%(who)s changed this answer at %(time)s, after the version you started from; "
                "yours was not saved."
            )
            % {
                "who": theirs.updated_by or "",
                "time": when(theirs.updated_at, proposal.competition.region),
            },
            current={
                "version": theirs.version,
                "value": theirs.value,
                "updated_by": str(theirs.updated_by or ""),
                "updated_at": serializers.DateTimeField().to_representation(theirs.updated_at),
            },
        ) from None
    except ValidationError as error:
        if (draft_only and proposal.status != S.DRAFT) or not accepts_from(
            proposal.competition, proposal.agency
        ):
            raise Locked(" ".join(error.messages)) from None
        raise


FIELD_KEY = OpenApiParameter(
    "field_key", OpenApiTypes.STR, OpenApiParameter.PATH, description="The question's key."
)
DETAIL = {200: ProposalSerializer}


@extend_schema_view(
    list=extend_schema(
        summary="List the proposals you may see",
        parameters=[ProposalFilterSerializer],
        responses={200: ProposalListSerializer(many=True), **errors(400, 403, 404)},
    ),
    retrieve=extend_schema(
        summary="One proposal: header, deadline, form sections, questions, answers and files",
        responses={**DETAIL, **errors(403, 404)},
    ),
    create=extend_schema(
        summary="Start a proposal from one of your agency's innovations",
        request=ProposalCreateSerializer,
        responses={201: ProposalSerializer, **errors(400, 403)},
    ),
    partial_update=extend_schema(
        summary="Change the title, implementation date or category of a draft",
        request=ProposalHeaderSerializer,
        responses={**DETAIL, **errors(400, 403, 404, 423)},
    ),
)
class ProposalViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, ObjectRule]
    object_rules = {
        "retrieve": "proposals.view_proposal",
        "check": "proposals.view_proposal",
        "partial_update": "proposals.change_proposal",
        "answer": "proposals.change_proposal",
        "attachment": "proposals.change_proposal",
        "send": "proposals.change_proposal",
        "approve": "proposals.approve_proposal",
        "return_to_authors": "proposals.approve_proposal",
        "withdraw": "proposals.withdraw_proposal",
    }
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.proposals_visible_to(self.request.user).select_related(
            "competition",
            "competition__region",
            "agency",
            "group",
            "category",
            "innovation",
            "form_version",
            "form_version__form",
        )

    def detail_response(self, pk, code=status.HTTP_200_OK):
        proposal = self.get_queryset().get(pk=pk)
        competition, agency = proposal.competition, proposal.agency
        extension = extension_for(competition, agency)
        context = self.get_serializer_context() | {
            "parts": selectors.proposal_parts(proposal),
            "deadline": deadline_for(competition, agency, extension),
            "open": accepts_from(competition, agency, extension=extension),
        }
        return Response(ProposalSerializer(proposal, context=context).data, status=code)

    def list(self, request):
        if not request.user.has_perm("proposals.list_proposals"):
            raise PermissionDenied
        query = ProposalFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        f = query.validated_data
        competition = None
        if f["competition"]:
            competition = get_object_or_404(
                competitions_visible_to(request.user), pk=f["competition"]
            )
        proposals = selectors.proposal_list(
            user=request.user, competition=competition, status=f["status"], search=f["search"]
        )
        page = self.paginate_queryset(proposals)
        return self.get_paginated_response(ProposalListSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return self.detail_response(self.get_object().pk)

    def create(self, request):
        data = ProposalCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        proposal = services.proposal_create(actor=request.user, **data.validated_data)
        return self.detail_response(proposal.pk, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        proposal = self.get_object()
        data = ProposalHeaderSerializer(
            data=request.data, partial=True, competition=proposal.competition
        )
        data.is_valid(raise_exception=True)
        header = {
            "title": proposal.title,
            "implementation_start": proposal.implementation_start,
            "category": proposal.category,
        } | data.validated_data
        with refused_when_locked(proposal):
            services.proposal_update_header(actor=request.user, proposal=proposal, **header)
        return self.detail_response(proposal.pk)

    @extend_schema(
        summary="What stops the proposal from being sent, and the warnings (“check my proposal”)",
        responses={200: CheckSerializer, **errors(403, 404)},
    )
    @action(detail=True, methods=["get"])
    def check(self, request, pk=None):
        findings = [f.as_dict() for f in services.proposal_findings(self.get_object())]
        errors_ = sum(1 for f in findings if f["severity"] == ERROR)
        return Response(
            {
                "errors": errors_,
                "warnings": len(findings) - errors_,
                "findings": [
                    {
                        "severity": f["severity"],
                        "code": f["code"],
                        "question": f["question"],
                        "section": f["section"],
                        "text": finding_text(f),
                    }
                    for f in findings
                ],
            }
        )

    @extend_schema(
        summary="Save one answer (autosave)",
        parameters=[FIELD_KEY],
        request=AnswerWriteSerializer,
        responses={200: AnswerSavedSerializer, **errors(400, 403, 404, 409, 423)},
    )
    @action(
        detail=True,
        methods=["put"],
        url_path=r"answers/(?P<field_key>[-\w]+)",
        url_name="answer",
    )
    def answer(self, request, pk=None, field_key=None):
        proposal = self.get_object()
        field = get_object_or_404(
            FormField.objects.select_related("section"),
            section__version_id=proposal.form_version_id,
            key=field_key,
        )
        data = AnswerWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with refused_when_locked(proposal), errors_on("value"):
            answer = services.answer_save(
                actor=request.user, proposal=proposal, field=field, **data.validated_data
            )
        return Response(AnswerSavedSerializer(answer).data)

    @extend_schema(
        summary="Attach a file to a file question (its content is checked)",
        parameters=[FIELD_KEY],
        request={"multipart/form-data": FileUploadSerializer},
        responses={201: AttachmentSerializer, **errors(400, 403, 404, 423)},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"attachments/(?P<field_key>[-\w]+)",
        url_name="attachment",
        parser_classes=[MultiPartParser, FormParser],
    )
    def attachment(self, request, pk=None, field_key=None):
        proposal = self.get_object()
        field = get_object_or_404(
            FormField.objects.select_related("section"),
            section__version_id=proposal.form_version_id,
            key=field_key,
        )
        data = FileUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with refused_when_locked(proposal), errors_on("file"):
            attachment = services.attachment_add(
                actor=request.user,
                proposal=proposal,
                field=field,
                upload=data.validated_data["file"],
            )
        return Response(
            AttachmentSerializer(attachment, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Send the draft to the agency head for approval",
        request=None,
        responses={**DETAIL, **errors(400, 403, 404, 423)},
    )
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        proposal = self.get_object()
        with refused_when_locked(proposal):
            services.proposal_send(actor=request.user, proposal=proposal)
        return self.detail_response(proposal.pk)

    @extend_schema(
        summary="Approve: the proposal is submitted to the competition and frozen",
        request=None,
        responses={**DETAIL, **errors(400, 403, 404, 423)},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        proposal = self.get_object()
        with refused_when_locked(proposal, draft_only=False):
            services.proposal_approve(actor=request.user, proposal=proposal)
        return self.detail_response(proposal.pk)

    @extend_schema(
        summary="Return the proposal to its authors with a comment",
        request=ReturnSerializer,
        responses={**DETAIL, **errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_to_authors(self, request, pk=None):
        proposal = self.get_object()
        data = ReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.proposal_return(actor=request.user, proposal=proposal, **data.validated_data)
        return self.detail_response(proposal.pk)

    @extend_schema(
        summary="Withdraw the proposal (until screening starts)",
        request=WithdrawSerializer,
        responses={**DETAIL, **errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        proposal = self.get_object()
        data = WithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.proposal_withdraw(actor=request.user, proposal=proposal, **data.validated_data)
        return self.detail_response(proposal.pk)
