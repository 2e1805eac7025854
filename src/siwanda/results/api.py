"""Published results, open to everyone like the public results page: a competition's current
publication and the verification of a certificate by its code.

Everything shown comes from the frozen publication, and only what the public page shows: the
winners and special categories, and how the results were reached. Never the other proposals'
scores, the jurors' scores or names, nor the moderation notes.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from siwanda.competitions.models import Competition
from siwanda.core.api import errors
from siwanda.judging.models import Stage
from siwanda.judging.ranking import TIE_BREAKERS

from . import services
from .models import Certificate


def _text(item: dict, field: str) -> str:
    """A bilingual text of the snapshot in the request's language."""
    return (get_language() == "en" and item.get(f"{field}_en")) or item[field]


def _moment(value, region) -> str | None:
    return None if value is None else timezone.localtime(value, region.zone).isoformat()


# --- Serializers ----------------------------------------------------------------------------------


class PublicCompetitionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    year = serializers.IntegerField()
    level = serializers.ChoiceField(choices=Competition.Level.choices)
    region = serializers.CharField()


class PublicationSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="1, then one more for each correction.")
    published_at = serializers.DateTimeField()
    reason = serializers.CharField(help_text="Why this correction was published.")
    digest = serializers.CharField(
        help_text="SHA-256 of the frozen snapshot: every rank can be recomputed from it."
    )


class WinnerSerializer(serializers.Serializer):
    place = serializers.IntegerField()
    title = serializers.CharField()
    agency = serializers.CharField()
    category = serializers.CharField()
    score = serializers.FloatField(allow_null=True, help_text="The combined final score.")


class SpecialAwardSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    agency = serializers.CharField()
    reason = serializers.CharField(help_text="The panel's reason.")


class PublicCriterionSerializer(serializers.Serializer):
    name = serializers.CharField()
    weight = serializers.FloatField()


class PublicStageSerializer(serializers.Serializer):
    name = serializers.CharField()
    weight = serializers.FloatField(help_text="Weight in the final result (%).")
    aggregation = serializers.ChoiceField(choices=Stage.Aggregation.choices)
    ranked_by = serializers.ChoiceField(choices=["raw", "normalised"])
    criteria = PublicCriterionSerializer(many=True)
    tie_breakers = serializers.ListField(
        child=serializers.CharField(), help_text="In the order they apply."
    )
    alpha = serializers.FloatField(
        allow_null=True, help_text="The jurors' agreement (Krippendorff's α)."
    )


class PublicResultSerializer(serializers.Serializer):
    competition = PublicCompetitionSerializer()
    publication = PublicationSerializer()
    winners = WinnerSerializer(many=True)
    special_awards = SpecialAwardSerializer(many=True)
    method = PublicStageSerializer(many=True, help_text="How the results were reached.")
    earlier = PublicationSerializer(many=True, help_text="Publications this one corrects.")
    page_url = serializers.URLField()


class CertificateCheckSerializer(serializers.Serializer):
    code = serializers.CharField()
    valid = serializers.BooleanField(help_text="false: revoked by a correction of the results.")
    revoked_at = serializers.DateTimeField(allow_null=True)
    revoked_reason = serializers.CharField()
    award = serializers.CharField()
    kind = serializers.CharField(help_text="rank or special.")
    rank = serializers.IntegerField(allow_null=True)
    innovation = serializers.CharField()
    agency = serializers.CharField()
    competition = PublicCompetitionSerializer()
    issued_at = serializers.DateTimeField()
    results_url = serializers.URLField()


# --- Views ----------------------------------------------------------------------------------------


def _competition(competition) -> dict:
    return {
        "id": competition.pk,
        "name": str(competition),
        "year": competition.year,
        "level": competition.level,
        "region": competition.region.name,
    }


def _publication(publication, region) -> dict:
    return {
        "number": publication.number,
        "published_at": _moment(publication.published_at, region),
        "reason": publication.reason,
        "digest": publication.digest,
    }


def _method(stage: dict) -> dict:
    reliability = stage["reliability"] or {}
    return {
        "name": _text(stage, "name"),
        "weight": stage["weight"],
        "aggregation": stage["aggregation"],
        "ranked_by": "normalised" if stage["normalised"] else "raw",
        "criteria": [{"name": _text(c, "name"), "weight": c["weight"]} for c in stage["criteria"]],
        "tie_breakers": [str(TIE_BREAKERS[t]) for t in stage["tie_breakers"] if t in TIE_BREAKERS],
        "alpha": reliability.get("alpha"),
    }


class PublishedResultViewSet(viewsets.GenericViewSet):
    permission_classes = [AllowAny]
    lookup_value_regex = r"\d+"

    @extend_schema(
        summary="A competition's published results: winners, special categories and method",
        parameters=[
            OpenApiParameter(
                "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The competition's id."
            )
        ],
        responses={200: PublicResultSerializer, **errors(404)},
        auth=[],
    )
    def retrieve(self, request, pk=None):
        competition = get_object_or_404(Competition.objects.select_related("region"), pk=pk)
        publication = services.current_publication(competition)
        if publication is None:
            raise Http404
        region = competition.region
        table = services.winners_table(publication)
        earlier = competition.publications.exclude(pk=publication.pk).order_by("-number")
        return Response(
            {
                "competition": _competition(competition),
                "publication": _publication(publication, region),
                "winners": [
                    {k: w[k] for k in ("place", "title", "agency", "category", "score")}
                    for w in table
                    if w["place"]
                ],
                "special_awards": [
                    {
                        "name": _text(w, "special"),
                        "title": w["title"],
                        "agency": w["agency"],
                        "reason": w["reason"],
                    }
                    for w in table
                    if w["special"]
                ],
                "method": [_method(s) for s in publication.data["stages"]],
                "earlier": [_publication(p, region) for p in earlier],
                "page_url": request.build_absolute_uri(
                    reverse("results:public", args=[competition.pk])
                ),
            }
        )


class CertificateViewSet(viewsets.GenericViewSet):
    permission_classes = [AllowAny]
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z0-9]+"

    @extend_schema(
        summary="Verify a certificate by the code printed on it (and in its QR code)",
        parameters=[
            OpenApiParameter(
                "code",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="The certificate's code, in any case.",
            )
        ],
        responses={200: CertificateCheckSerializer, **errors(404)},
        auth=[],
    )
    def retrieve(self, request, code=None):
        certificate = get_object_or_404(
            Certificate.objects.select_related("publication__competition__region"),
            code=code.upper(),
        )
        competition = certificate.publication.competition
        region = competition.region
        return Response(
            {
                "code": certificate.code,
                "valid": certificate.revoked_at is None,
                "revoked_at": _moment(certificate.revoked_at, region),
                "revoked_reason": certificate.revoked_reason,
                "award": certificate.text("name"),
                "kind": certificate.kind,
                "rank": certificate.rank,
                "innovation": certificate.innovation_title,
                "agency": certificate.agency_name,
                "competition": _competition(competition),
                "issued_at": _moment(certificate.issued_at, region),
                "results_url": request.build_absolute_uri(
                    reverse("results:public", args=[competition.pk])
                ),
            }
        )
