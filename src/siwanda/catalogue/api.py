"""The public catalogue's REST endpoints (no sign-in: the catalogue, its counts and replications)
and the replication requests of signed-in agencies, over the same selectors and services as the
pages."""

from functools import partial

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from siwanda.core.api import ObjectRule, errors
from siwanda.innovations.api import AgencyRefSerializer, RegionRefSerializer, absolute
from siwanda.innovations.choices import Form, Stage, Urusan
from siwanda.innovations.models import Award, EvidenceDocument, Innovation
from siwanda.regions.models import Agency, Region

from . import search, selectors, services
from .models import AwardLevel, CatalogueEntry, ReplicationMessage, ReplicationRequest


class CatalogueFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200, help_text="Search words."
    )
    province = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.filter(kind=Region.Kind.PROVINCE),
        required=False,
        help_text="Province code, e.g. 73.",
    )
    region = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.all(),
        required=False,
        help_text="Regency or city code, e.g. 73.22.",
    )
    agency_kind = serializers.ChoiceField(choices=Agency.Kind.choices, required=False)
    form = serializers.ChoiceField(choices=Form.choices, required=False)
    urusan = serializers.ChoiceField(choices=Urusan.choices, required=False)
    sdg = serializers.IntegerField(min_value=1, max_value=17, required=False)
    stage = serializers.ChoiceField(choices=Stage.choices, required=False)
    year = serializers.IntegerField(min_value=1945, max_value=2100, required=False)
    digital = serializers.ChoiceField(
        choices=[("1", "digital"), ("0", "not digital")], required=False
    )
    award = serializers.ChoiceField(choices=AwardLevel.choices, required=False)
    sort = serializers.ChoiceField(choices=list(selectors.SORTS), required=False)

    def filters(self) -> dict:
        values = dict(self.validated_data)
        for key in ("province", "region"):
            if key in values:
                values[key] = values[key].pk
        return values


class CatalogueEntrySerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="innovation_id")
    agency = AgencyRefSerializer()
    region = RegionRefSerializer()
    url = serializers.SerializerMethodField()

    class Meta:
        model = CatalogueEntry
        fields = [
            "id",
            "title",
            "summary",
            "agency",
            "agency_kind",
            "region",
            "form",
            "urusan",
            "stage",
            "year",
            "is_digital",
            "best_award",
            "replication_count",
            "published_at",
            "url",
        ]

    def get_url(self, entry) -> str:
        return absolute(self.context["request"], "catalogue:detail", entry.innovation_id)


class PublicEvidenceSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceDocument
        fields = ["id", "kind", "description", "download_url"]

    def get_download_url(self, document) -> str:
        return absolute(self.context["request"], "catalogue:evidence", document.pk)


class PublicAwardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Award
        fields = ["year", "level", "title", "is_top", "competition"]


class ReplicaSerializer(serializers.ModelSerializer):
    agency = AgencyRefSerializer()
    region = RegionRefSerializer()
    published = serializers.SerializerMethodField()

    class Meta:
        model = Innovation
        fields = ["id", "agency", "region", "published"]

    def get_published(self, innovation) -> bool:
        return hasattr(innovation, "catalogue_entry")


class CatalogueDetailSerializer(serializers.ModelSerializer):
    agency = AgencyRefSerializer()
    region = RegionRefSerializer()
    sdgs = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    evidence = PublicEvidenceSerializer(source="public_evidence", many=True)
    awards = PublicAwardSerializer(many=True)
    replication_count = serializers.IntegerField(source="catalogue_entry.replication_count")
    published_at = serializers.DateTimeField(source="catalogue_entry.published_at")
    contact_email = serializers.CharField(
        source="agency.email", help_text="The agency's email; empty when it has none."
    )
    contact_phone = serializers.CharField(source="agency.phone")

    class Meta:
        model = Innovation
        fields = [
            "id",
            "title",
            "agency",
            "region",
            "form",
            "urusan",
            "initiator",
            "is_digital",
            "stage",
            "trial_date",
            "implementation_date",
            "sdgs",
            "goals",
            "design",
            "benefits",
            "results",
            "video_url",
            "source_innovation",
            "evidence",
            "awards",
            "replication_count",
            "published_at",
            "contact_email",
            "contact_phone",
        ]


class FacetsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    counts = serializers.DictField(child=serializers.DictField(child=serializers.IntegerField()))
    corrections = serializers.DictField(child=serializers.CharField())


class ReplicationsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    replicas = ReplicaSerializer(many=True)


def _filters(request) -> dict:
    data = CatalogueFilterSerializer(data=request.query_params)
    data.is_valid(raise_exception=True)
    return data.filters()


def _published(pk) -> Innovation:
    innovation = selectors.catalogue_innovation(pk)
    if innovation is None:
        raise Http404
    return innovation


@extend_schema_view(
    list=extend_schema(
        summary="Search and filter the public innovation catalogue",
        parameters=[CatalogueFilterSerializer],
        responses={200: CatalogueEntrySerializer(many=True), **errors(400)},
    ),
    retrieve=extend_schema(
        summary="One published innovation: what the public page shows",
        responses={200: CatalogueDetailSerializer, **errors(404)},
    ),
    facets=extend_schema(
        summary="How many published innovations each filter value gives",
        parameters=[CatalogueFilterSerializer],
        responses={200: FacetsSerializer, **errors(400)},
    ),
    replications=extend_schema(
        summary="Where a published innovation has been replicated",
        responses={200: ReplicationsSerializer, **errors(404)},
    ),
)
class CatalogueViewSet(viewsets.GenericViewSet):
    permission_classes = [AllowAny]
    lookup_value_regex = r"\d+"
    queryset = CatalogueEntry.objects.none()

    def list(self, request):
        filters = _filters(request)
        query = search.parse(filters.get("q", ""))
        with search.planned_for_search(query):
            total = selectors.catalogue_counts(filters, query)["total"][""]
            listing, _sort, _broad = selectors.catalogue_listing(filters, query, total)
            self.paginator.django_paginator_class = partial(selectors.CountedPaginator, count=total)
            page = self.paginate_queryset(listing)
            data = CatalogueEntrySerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)

    def retrieve(self, request, pk=None):
        innovation = _published(pk)
        return Response(CatalogueDetailSerializer(innovation, context={"request": request}).data)

    @action(detail=False)
    def facets(self, request):
        result = selectors.catalogue_search(filters=_filters(request))
        counts = dict(result.counts)
        for key in ("province", "region"):
            if key in counts:
                counts[key] = {result.regions[int(pk)].code: n for pk, n in counts[key].items()}
        counts["sdg"] = result.sdg_counts
        return Response(
            {"total": result.total, "counts": counts, "corrections": result.query.corrections}
        )

    @action(detail=True)
    def replications(self, request, pk=None):
        innovation = _published(pk)
        replicas = list(selectors.replicas_of(innovation))
        data = ReplicaSerializer(replicas, many=True).data
        return Response({"count": len(replicas), "replicas": data})


# --- Replication requests (signed in) -------------------------------------------------------


class MessageSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.full_name")

    class Meta:
        model = ReplicationMessage
        fields = ["author", "status", "text", "created_at"]


class ReplicationRequestSerializer(serializers.ModelSerializer):
    source = serializers.IntegerField(source="source_id")
    source_title = serializers.CharField(source="source.title")
    agency = AgencyRefSerializer()
    replica = serializers.IntegerField(source="replica_id", allow_null=True)
    thread = MessageSerializer(many=True)

    class Meta:
        model = ReplicationRequest
        fields = [
            "id",
            "source",
            "source_title",
            "agency",
            "status",
            "message",
            "replica",
            "created_at",
            "updated_at",
            "thread",
        ]


class RequestCreateSerializer(serializers.Serializer):
    source = serializers.IntegerField(min_value=1)
    agency = serializers.IntegerField(min_value=1)
    message = serializers.CharField(max_length=5000)


class AnswerSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[
            ReplicationRequest.Status.DISCUSSING,
            ReplicationRequest.Status.AGREED,
            ReplicationRequest.Status.DECLINED,
        ]
    )
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class TextSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000)


class CompleteSerializer(serializers.Serializer):
    replica = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        default=None,
        help_text="An innovation of the requesting agency; leave out to start a new one.",
    )


@extend_schema_view(
    list=extend_schema(
        summary="Replication requests you take part in",
        responses={200: ReplicationRequestSerializer(many=True), **errors(403)},
    ),
    retrieve=extend_schema(
        summary="One replication request with its conversation",
        responses={200: ReplicationRequestSerializer, **errors(403, 404)},
    ),
    create=extend_schema(
        summary="Ask to replicate a published innovation for one of your agencies",
        request=RequestCreateSerializer,
        responses={201: ReplicationRequestSerializer, **errors(400, 403, 404)},
    ),
    answer=extend_schema(
        summary="The owner's answer: discuss, agree or decline",
        request=AnswerSerializer,
        responses={200: ReplicationRequestSerializer, **errors(400, 403, 404)},
    ),
    message=extend_schema(
        summary="Write in the request's conversation",
        request=TextSerializer,
        responses={200: ReplicationRequestSerializer, **errors(400, 403, 404)},
    ),
    complete=extend_schema(
        summary="Report the replica (the requesting agency, once agreed)",
        request=CompleteSerializer,
        responses={200: ReplicationRequestSerializer, **errors(400, 403, 404)},
    ),
)
class ReplicationRequestViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, ObjectRule]
    object_rules = {
        "retrieve": "catalogue.view_replication",
        "answer": "catalogue.answer_replication",
        "message": "catalogue.write_replication",
        "complete": "catalogue.complete_replication",
    }
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.requests_for(self.request.user).prefetch_related("thread__author")

    def _answer(self, request_obj, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=request_obj.pk)
        return Response(ReplicationRequestSerializer(fresh).data, status=code)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset().order_by("-updated_at", "-id"))
        return self.get_paginated_response(ReplicationRequestSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(ReplicationRequestSerializer(self.get_object()).data)

    def create(self, request):
        data = RequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        source = _published(data.validated_data["source"])
        agency = Agency.objects.filter(pk=data.validated_data["agency"]).first()
        created = services.replication_request(
            actor=request.user,
            source=source,
            agency=agency,
            message=data.validated_data["message"],
        )
        return self._answer(created, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        data = AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        obj = services.replication_answer(
            actor=request.user, request=self.get_object(), **data.validated_data
        )
        return self._answer(obj)

    @action(detail=True, methods=["post"])
    def message(self, request, pk=None):
        data = TextSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        obj = services.replication_message(
            actor=request.user, request=self.get_object(), text=data.validated_data["text"]
        )
        return self._answer(obj)

    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        data = CompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        obj = self.get_object()
        replica = None
        if data.validated_data["replica"] is not None:
            # The service refuses another agency's innovation with the same message.
            replica = Innovation.objects.filter(pk=data.validated_data["replica"]).first()
            if replica is None:
                raise serializers.ValidationError({"replica": [services.REPLICA_NOT_OURS]})
        return self._answer(
            services.replication_complete(actor=request.user, request=obj, replica=replica)
        )
