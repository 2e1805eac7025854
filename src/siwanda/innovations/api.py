"""The registry's REST endpoints: thin views over the same selectors and services as the pages."""

from django.db import transaction
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from siwanda.core.api import ObjectRule, UploadField, errors, errors_on
from siwanda.regions.models import Agency, Region

from . import selectors, services
from .choices import EvidenceKind, Form, Stage, Urusan
from .models import Award, EvidenceDocument, Innovation, Innovator


def absolute(request, name, pk) -> str:
    return request.build_absolute_uri(reverse(name, args=[pk]))


class AgencyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name"]


class RegionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name"]


class InnovatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Innovator
        fields = ["name", "position", "is_lead"]


class EvidenceSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceDocument
        fields = [
            "id",
            "kind",
            "description",
            "status",
            "verification_note",
            "name",
            "size",
            "uploaded_at",
            "download_url",
        ]

    def get_download_url(self, document) -> str:
        return absolute(self.context["request"], "innovations:evidence_download", document.pk)


class AwardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Award
        fields = ["year", "level", "title", "is_top"]


class InnovationListSerializer(serializers.ModelSerializer):
    agency = AgencyRefSerializer()
    evidence_count = serializers.IntegerField()
    proposal_count = serializers.IntegerField()

    class Meta:
        model = Innovation
        fields = [
            "id",
            "title",
            "agency",
            "form",
            "stage",
            "urusan",
            "is_digital",
            "evidence_count",
            "proposal_count",
            "updated_at",
        ]


class InnovationSerializer(serializers.ModelSerializer):
    agency = AgencyRefSerializer()
    region = RegionRefSerializer()
    sdgs = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="SDG goal numbers (1–17)."
    )
    innovators = InnovatorSerializer(many=True)
    evidence = EvidenceSerializer(many=True)
    awards = AwardSerializer(many=True)
    decree_url = serializers.SerializerMethodField()
    can_change = serializers.SerializerMethodField()

    class Meta:
        model = Innovation
        fields = [
            "id",
            "agency",
            "region",
            *services.FIELDS,
            "sdgs",
            "innovators",
            "evidence",
            "awards",
            "decree_url",
            "can_change",
            "created_at",
            "updated_at",
        ]

    def get_decree_url(self, innovation) -> str | None:
        if not innovation.decree_file:
            return None
        return absolute(self.context["request"], "innovations:decree_download", innovation.pk)

    def get_can_change(self, innovation) -> bool:
        return self.context["request"].user.has_perm("innovations.change_innovation", innovation)


class InnovationWriteSerializer(serializers.ModelSerializer):
    """Checks the input's types; the service checks the rules and saves (never `.save()`)."""

    sdgs = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=17),
        required=False,
        help_text="SDG goal numbers (1–17); the list replaces the current one.",
    )
    innovators = InnovatorSerializer(
        many=True, required=False, help_text="The list replaces the current one."
    )

    class Meta:
        model = Innovation
        fields = [*services.FIELDS, "sdgs", "innovators"]


class InnovationCreateSerializer(InnovationWriteSerializer):
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(), help_text="One of the agencies you are an operator of."
    )

    class Meta(InnovationWriteSerializer.Meta):
        fields = ["agency", *InnovationWriteSerializer.Meta.fields]


class InnovationFilterSerializer(serializers.Serializer):
    search = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Words of the title or agency."
    )
    form = serializers.ChoiceField(
        choices=Form.choices, required=False, allow_blank=True, default=""
    )
    stage = serializers.ChoiceField(
        choices=Stage.choices, required=False, allow_blank=True, default=""
    )
    urusan = serializers.ChoiceField(
        choices=Urusan.choices, required=False, allow_blank=True, default=""
    )
    sdg = serializers.IntegerField(min_value=1, max_value=17, required=False, default=None)
    agency = serializers.IntegerField(min_value=1, required=False, default=None)
    digital = serializers.BooleanField(required=False, allow_null=True, default=None)


class EvidenceUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EvidenceKind.choices)
    description = serializers.CharField(max_length=300)
    file = UploadField()


@extend_schema_view(
    list=extend_schema(
        summary="List the innovations you may see",
        parameters=[InnovationFilterSerializer],
        responses={200: InnovationListSerializer(many=True), **errors(400, 403)},
    ),
    retrieve=extend_schema(
        summary="One innovation, with its innovators, SDGs, evidence and awards",
        responses={200: InnovationSerializer, **errors(403, 404)},
    ),
    create=extend_schema(
        summary="Register an innovation of one of your agencies",
        request=InnovationCreateSerializer,
        responses={201: InnovationSerializer, **errors(400, 403)},
    ),
    partial_update=extend_schema(
        summary="Change an innovation (its agency's operators)",
        request=InnovationWriteSerializer,
        responses={200: InnovationSerializer, **errors(400, 403, 404)},
    ),
)
class InnovationViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, ObjectRule]
    object_rules = {
        "retrieve": "innovations.view_innovation",
        "partial_update": "innovations.change_innovation",
        "evidence": "innovations.change_innovation",
    }
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.innovations_visible_to(self.request.user).select_related(
            "agency", "region"
        )

    def detail_response(self, pk, code=status.HTTP_200_OK):
        innovation = (
            self.get_queryset()
            .prefetch_related("sdgs", "innovators", "evidence", "awards")
            .get(pk=pk)
        )
        return Response(
            InnovationSerializer(innovation, context=self.get_serializer_context()).data,
            status=code,
        )

    def list(self, request):
        if not request.user.has_perm("innovations.list_innovations"):
            raise PermissionDenied
        query = InnovationFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        f = query.validated_data
        innovations = selectors.innovation_list(
            user=request.user,
            search=f["search"],
            form=f["form"],
            stage=f["stage"],
            urusan=f["urusan"],
            sdg=f["sdg"],
            agency_id=f["agency"],
            digital=None if f["digital"] is None else "1" if f["digital"] else "0",
        )
        page = self.paginate_queryset(innovations)
        return self.get_paginated_response(InnovationListSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return self.detail_response(self.get_object().pk)

    def create(self, request):
        data = InnovationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        innovation = services.innovation_create(actor=request.user, **data.validated_data)
        return self.detail_response(innovation.pk, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        innovation = self.get_object()
        data = InnovationWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        innovators = fields.pop("innovators", None)
        with transaction.atomic():
            services.innovation_update(
                actor=request.user, innovation=innovation, sdgs=fields.pop("sdgs", None), **fields
            )
            if innovators is not None:
                services.innovation_set_innovators(
                    actor=request.user, innovation=innovation, innovators=innovators
                )
        return self.detail_response(innovation.pk)

    @extend_schema(
        summary="Add an evidence document (data dukung), checked by its content",
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={
            201: OpenApiResponse(EvidenceSerializer, description="Waiting for verification."),
            **errors(400, 403, 404),
        },
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def evidence(self, request, pk=None):
        innovation = self.get_object()
        data = EvidenceUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with errors_on("file"):
            document = services.evidence_add(
                actor=request.user,
                innovation=innovation,
                kind=data.validated_data["kind"],
                description=data.validated_data["description"],
                upload=data.validated_data["file"],
            )
        return Response(
            EvidenceSerializer(document, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )
