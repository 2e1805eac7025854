"""Judging's REST endpoints: the juror's assignments and score sheets, and the secretariat's
rankings and decisions. Thin views over the same selectors and services as the pages, so the
conflict-of-interest filters and the rules of rules.py hold here too: a juror only ever reaches
their own assignments free of conflict, and a ranking shows a panel member nothing of the
proposals they are in conflict with."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from siwanda.competitions.deadlines import end_of_day
from siwanda.core.api import ErrorSerializer, ObjectRule, errors, errors_on
from siwanda.innovations.api import AgencyRefSerializer
from siwanda.proposals.api import CompetitionRefSerializer, NamedRefSerializer

from . import selectors, services
from .models import Criterion, Entry, Sheet, Stage
from .ranking import TIE_BREAKERS


class SheetLocked(exceptions.APIException):
    """The score sheet can no longer change: it is submitted, or the stage is not being scored."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "locked"


LOCKED = {
    409: OpenApiResponse(
        ErrorSerializer,
        description="The score sheet is submitted (locked until the secretariat reopens it), "
        "or scoring of the stage is not open.",
    )
}


def number(**kwargs):
    """A score or a weight, as a JSON number."""
    return serializers.DecimalField(
        max_digits=6, decimal_places=2, coerce_to_string=False, **kwargs
    )


# --- Serializers: the juror's side ----------------------------------------------------------------


class ProposalRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    agency = AgencyRefSerializer()
    group = NamedRefSerializer()
    category = NamedRefSerializer(allow_null=True)


class StageRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()
    kind = serializers.CharField(help_text="desk, presentation, field or deliberation.")
    status = serializers.CharField(help_text="setup, scoring or closed.")
    competition = CompetitionRefSerializer()
    starts_on = serializers.DateField(allow_null=True)
    due_on = serializers.DateField(source="ends_on", allow_null=True)
    due_at = serializers.SerializerMethodField()

    def get_name(self, stage) -> str:
        return stage.text("name")

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_due_at(self, stage):
        """Scores are due at the end of `due_on` in the organiser's time zone."""
        if stage.ends_on is None:
            return None
        return end_of_day(stage.ends_on, stage.competition.region).isoformat()


class JurorStageSerializer(StageRefSerializer):
    """The stage with the juror's progress in it ("3 of 7 done"); expects `progress` (stage id →
    selectors.StageWork) in its context."""

    done = serializers.SerializerMethodField()
    total = serializers.SerializerMethodField()

    def get_done(self, stage) -> int:
        return self.context["progress"][stage.pk].done

    def get_total(self, stage) -> int:
        return self.context["progress"][stage.pk].total


class AssignmentListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    calibration = serializers.BooleanField(
        help_text="A sample proposal scored by the whole panel first; it never counts."
    )
    stage = serializers.SerializerMethodField()
    proposal = ProposalRefSerializer()
    sheet_status = serializers.SerializerMethodField()

    @extend_schema_field(JurorStageSerializer)
    def get_stage(self, assignment):
        return JurorStageSerializer(assignment.stage, context=self.context).data

    @extend_schema_field(
        serializers.ChoiceField(
            choices=Sheet.Status.values, allow_blank=True, help_text='"": not started.'
        )
    )
    def get_sheet_status(self, assignment):
        sheet = getattr(assignment, "sheet", None)
        return sheet.status if sheet else ""


class LevelSerializer(serializers.Serializer):
    min = serializers.FloatField()
    max = serializers.FloatField()
    label = serializers.SerializerMethodField()

    def get_label(self, level) -> str:
        return (get_language() == "en" and level.get("label_en")) or level["label"]


class ScoreSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(source="criterion_id")
    value = number(allow_null=True)
    not_applicable = serializers.BooleanField()
    comment = serializers.CharField()
    updated_at = serializers.DateTimeField()


class CriterionSerializer(serializers.Serializer):
    """A criterion of the rubric with the juror's score for it; expects `scores` (criterion id →
    Score) in its context."""

    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    weight = number()
    levels = LevelSerializer(many=True, help_text="The anchors of the scale, highest first.")
    score = serializers.SerializerMethodField()

    def get_name(self, criterion) -> str:
        return criterion.text("name")

    def get_description(self, criterion) -> str:
        return criterion.text("description")

    @extend_schema_field(ScoreSerializer(allow_null=True))
    def get_score(self, criterion):
        score = self.context["scores"].get(criterion.pk)
        return None if score is None else ScoreSerializer(score).data


class RubricSerializer(serializers.Serializer):
    name = serializers.SerializerMethodField()
    version = serializers.IntegerField()
    scale_min = number()
    scale_max = number()
    step = number()
    allow_na = serializers.BooleanField(help_text="Criteria may be marked not applicable.")
    comment_at_or_below = number(
        allow_null=True, help_text="Scores at or below this need a comment."
    )
    comment_at_or_above = number(
        allow_null=True, help_text="Scores at or above this need a comment."
    )

    def get_name(self, rubric) -> str:
        return rubric.text("name")


class SheetSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="draft or submitted (locked).")
    comment = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    reopened_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()


class PeerSerializer(serializers.Serializer):
    juror = serializers.CharField()
    total = serializers.FloatField(allow_null=True, help_text="The juror's total, 0–100.")


class AssignmentSerializer(AssignmentListSerializer):
    """One assignment with the rubric, the juror's sheet and scores. Expects `sheet`, `scores`,
    `criteria`, `problems` and `peers` in its context (see AssignmentViewSet.detail_response)."""

    innovation = serializers.CharField(source="proposal.innovation.title")
    stage = StageRefSerializer()
    rubric = RubricSerializer(source="stage.rubric", allow_null=True)
    criteria = serializers.SerializerMethodField()
    sheet = serializers.SerializerMethodField()
    open = serializers.SerializerMethodField()
    problems = serializers.SerializerMethodField()
    peers = serializers.SerializerMethodField()

    @extend_schema_field(CriterionSerializer(many=True))
    def get_criteria(self, assignment):
        return CriterionSerializer(self.context["criteria"], many=True, context=self.context).data

    @extend_schema_field(SheetSerializer(allow_null=True))
    def get_sheet(self, assignment):
        sheet = self.context["sheet"]
        return None if sheet is None else SheetSerializer(sheet).data

    def get_open(self, assignment) -> bool:
        """Scores can be saved now."""
        sheet = self.context["sheet"]
        return assignment.stage.status == Stage.Status.SCORING and (
            sheet is None or sheet.status == Sheet.Status.DRAFT
        )

    @extend_schema_field(
        serializers.DictField(
            child=serializers.CharField(),
            help_text="What stops the sheet from being submitted, by criterion id.",
        )
    )
    def get_problems(self, assignment):
        return self.context["problems"]

    @extend_schema_field(
        PeerSerializer(
            many=True,
            allow_null=True,
            help_text="The other jurors' submitted totals; null unless the stage is closed or "
            "lets jurors see each other's scores.",
        )
    )
    def get_peers(self, assignment):
        peers = self.context["peers"]
        if peers is None:
            return None
        return [{"juror": str(juror), "total": total} for juror, total in peers]


class AssignmentFilterSerializer(serializers.Serializer):
    stage = serializers.IntegerField(min_value=1, required=False, default=None)


@extend_schema_field(OpenApiTypes.NUMBER)
class ScoreValueField(serializers.JSONField):
    """Passed to the service as typed: it says in the juror's terms what is wrong with it."""


class ScoreWriteSerializer(serializers.Serializer):
    value = ScoreValueField(
        allow_null=True,
        required=False,
        default=None,
        help_text="On the rubric's scale and step; null (or omitted) clears the score.",
    )
    not_applicable = serializers.BooleanField(
        required=False, default=False, help_text="Only when the rubric allows it."
    )
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="Omitted: the current comment stays.",
    )


# --- Serializers: the secretariat's side ----------------------------------------------------------


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")


class JurorScoreSerializer(serializers.Serializer):
    juror = PersonRefSerializer()
    raw = serializers.FloatField(help_text="The juror's weighted total, 0–100.")
    normalised = serializers.FloatField(allow_null=True)


class ModerationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField(help_text="open or decided.")


STAGED = [Entry.Outcome.ADVANCED, Entry.Outcome.STOPPED]


class RankingRowSerializer(serializers.Serializer):
    """A ranking.Row; expects `ranking` (the selectors.RankingView) in its context."""

    rank = serializers.IntegerField(allow_null=True)
    proposal = serializers.SerializerMethodField()
    score = serializers.FloatField(
        allow_null=True, help_text="What ranks: the consensus, else raw or normalised."
    )
    raw = serializers.FloatField(allow_null=True)
    normalised = serializers.FloatField(allow_null=True)
    consensus = serializers.FloatField(allow_null=True)
    rank_raw = serializers.IntegerField(allow_null=True)
    rank_normalised = serializers.IntegerField(allow_null=True)
    spread = serializers.FloatField(help_text="Highest minus lowest juror's total.")
    flagged = serializers.BooleanField(help_text="The spread is beyond the stage's threshold.")
    missing = serializers.IntegerField(help_text="Criteria left unscored or not applicable.")
    tie_broken_by = serializers.CharField()
    jurors = serializers.SerializerMethodField()
    outcome = serializers.SerializerMethodField()
    staged = serializers.SerializerMethodField()
    moderation = serializers.SerializerMethodField()

    @extend_schema_field(ProposalRefSerializer)
    def get_proposal(self, row):
        return ProposalRefSerializer(self.context["ranking"].proposals[row.proposal]).data

    @extend_schema_field(JurorScoreSerializer(many=True))
    def get_jurors(self, row):
        people = self.context["people"]
        return [
            {
                "juror": PersonRefSerializer(people[juror]).data,
                "raw": total,
                "normalised": row.normalised_jurors.get(juror),
            }
            for juror, total in sorted(row.jurors.items(), key=lambda kv: str(people[kv[0]]))
        ]

    def _entry(self, row):
        return self.context["ranking"].entries.get(row.proposal)

    @extend_schema_field(serializers.ChoiceField(choices=Entry.Outcome.choices))
    def get_outcome(self, row):
        entry = self._entry(row)
        return entry.outcome if entry else Entry.Outcome.PENDING

    @extend_schema_field(
        serializers.ChoiceField(
            choices=STAGED, allow_blank=True, help_text='Staged, not yet applied ("": none).'
        )
    )
    def get_staged(self, row):
        entry = self._entry(row)
        return entry.staged if entry else ""

    @extend_schema_field(ModerationRefSerializer(allow_null=True))
    def get_moderation(self, row):
        moderation = self.context["ranking"].moderations.get(row.proposal)
        return None if moderation is None else ModerationRefSerializer(moderation).data


class TieBreakSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class MethodSerializer(serializers.Serializer):
    aggregation = serializers.ChoiceField(choices=Stage.Aggregation.choices)
    aggregation_label = serializers.CharField()
    ranked_by = serializers.ChoiceField(
        choices=["raw", "normalised"],
        help_text="Normalised: per-juror z-scores rescaled to the panel's scale.",
    )
    tie_breakers = TieBreakSerializer(many=True, help_text="In the order they apply.")


class SeveritySerializer(serializers.Serializer):
    juror = PersonRefSerializer()
    value = serializers.FloatField(
        help_text="Mean difference from the other jurors: negative severe, positive lenient."
    )


class ReliabilitySerializer(serializers.Serializer):
    icc_single = serializers.FloatField(allow_null=True, help_text="ICC(1): one juror's score.")
    icc_average = serializers.FloatField(allow_null=True, help_text="ICC(1,k): the panel's mean.")
    k = serializers.FloatField(help_text="The (adjusted) number of jurors per proposal.")
    alpha = serializers.FloatField(allow_null=True, help_text="Krippendorff's α (interval).")
    severity = SeveritySerializer(many=True)
    raw_jurors = PersonRefSerializer(
        many=True, help_text="Jurors whose scores could not be normalised (kept raw)."
    )


class RankingSerializer(serializers.Serializer):
    """A page of the ranking (paginated like every list of the API), with the stage, the method
    and the reliability figures."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    stage = StageRefSerializer()
    method = MethodSerializer()
    reliability = ReliabilitySerializer()
    hidden = serializers.IntegerField(
        help_text="Proposals left out for you: you are in conflict with them."
    )
    results = RankingRowSerializer(many=True)


class OutcomeChoiceSerializer(serializers.Serializer):
    proposal = serializers.IntegerField(min_value=1)
    staged = serializers.ChoiceField(
        choices=STAGED, allow_blank=True, help_text='"" takes the proposal\'s staging back.'
    )


class OutcomesWriteSerializer(serializers.Serializer):
    outcomes = OutcomeChoiceSerializer(
        many=True,
        required=False,
        allow_null=True,
        default=None,
        help_text="Omitted or null: staged by the stage's rule (Top N, passing grade).",
    )


class OutcomesSerializer(serializers.Serializer):
    applied = serializers.BooleanField(
        help_text="false: staged only, nobody is told until they are applied."
    )
    advanced = serializers.IntegerField()
    stopped = serializers.IntegerField()
    undecided = serializers.IntegerField(help_text="Entries with nothing staged.")


# --- Views ----------------------------------------------------------------------------------------


@contextmanager
def refused_when_locked(assignment):
    """A service's refusal of a sheet that can no longer change (submitted, or the stage not
    being scored) is 409 with the service's message; anything else stays a 400."""
    try:
        yield
    except ValidationError as error:
        submitted = Sheet.objects.filter(
            assignment=assignment, status=Sheet.Status.SUBMITTED
        ).exists()
        if submitted or assignment.stage.status != Stage.Status.SCORING:
            raise SheetLocked(" ".join(error.messages)) from None
        raise


CRITERION = OpenApiParameter(
    "criterion_id",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description="A criterion of the stage's rubric.",
)


@extend_schema_view(
    list=extend_schema(
        summary="My assignments, stage by stage, with my progress and the due date",
        parameters=[AssignmentFilterSerializer],
        responses={200: AssignmentListSerializer(many=True), **errors(400, 403)},
    ),
    retrieve=extend_schema(
        summary="One of my assignments: the rubric, my score sheet and scores",
        responses={200: AssignmentSerializer, **errors(403, 404)},
    ),
)
class AssignmentViewSet(viewsets.GenericViewSet):
    """Only the juror's own assignments, free of conflict, in stages being scored or closed:
    anybody else's is 404."""

    permission_classes = [IsAuthenticated, ObjectRule]
    object_rules = {
        "retrieve": "judging.score",
        "score": "judging.score",
        "submit": "judging.score",
    }
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_object(self):
        assignment = selectors.assignment_for_juror(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, assignment)
        return assignment

    def detail_response(self, assignment):
        # The sheet is read as stored now: a submit has just changed it.
        sheet = Sheet.objects.filter(assignment=assignment).first()
        stage = assignment.stage
        context = self.get_serializer_context() | {
            "sheet": sheet,
            "scores": selectors.sheet_scores(assignment) if sheet else {},
            "criteria": selectors.criteria_of(stage),
            "problems": (
                services.sheet_problems(sheet, stage.rubric)
                if sheet and sheet.status == Sheet.Status.DRAFT and stage.rubric_id
                else {}
            ),
            "peers": selectors.peer_totals(assignment),
        }
        return Response(AssignmentSerializer(assignment, context=context).data)

    def list(self, request):
        if not request.user.has_perm("judging.judge"):
            raise PermissionDenied
        query = AssignmentFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        stage_id = query.validated_data["stage"]
        work = [w for w in selectors.juror_work(request.user) if stage_id in (None, w.stage.pk)]
        page = self.paginate_queryset([a for w in work for a in w.assignments])
        context = self.get_serializer_context() | {"progress": {w.stage.pk: w for w in work}}
        return self.get_paginated_response(
            AssignmentListSerializer(page, many=True, context=context).data
        )

    def retrieve(self, request, pk=None):
        return self.detail_response(self.get_object())

    @extend_schema(
        summary="Save one criterion's score as it is entered (autosave)",
        parameters=[CRITERION],
        request=ScoreWriteSerializer,
        responses={200: ScoreSerializer, **errors(400, 403, 404), **LOCKED},
    )
    @action(
        detail=True,
        methods=["put"],
        url_path=r"scores/(?P<criterion_id>\d+)",
        url_name="score",
    )
    def score(self, request, pk=None, criterion_id=None):
        assignment = self.get_object()
        criterion = get_object_or_404(
            Criterion, pk=criterion_id, rubric_id=assignment.stage.rubric_id
        )
        data = ScoreWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with refused_when_locked(assignment), errors_on("value"):
            score = services.score_save(
                actor=request.user,
                assignment=assignment,
                criterion=criterion,
                value=data.validated_data["value"],
                not_applicable=data.validated_data["not_applicable"],
                comment=data.validated_data.get("comment"),
            )
        return Response(ScoreSerializer(score).data)

    @extend_schema(
        summary="Submit the score sheet: it locks until the secretariat reopens it",
        request=None,
        responses={200: AssignmentSerializer, **errors(400, 403, 404), **LOCKED},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        assignment = self.get_object()
        with refused_when_locked(assignment):
            services.sheet_submit(actor=request.user, assignment=assignment)
        return self.detail_response(assignment)


def _outcomes(stage) -> dict:
    entries = list(stage.entries.values_list("staged", "outcome"))
    applied = any(outcome != Entry.Outcome.PENDING for _staged, outcome in entries)
    chosen = [outcome if applied else staged for staged, outcome in entries]
    return {
        "applied": applied,
        "advanced": chosen.count(Entry.Outcome.ADVANCED),
        "stopped": chosen.count(Entry.Outcome.STOPPED),
        "undecided": sum(1 for c in chosen if c not in STAGED),
    }


STAGE_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


class StageViewSet(viewsets.GenericViewSet):
    """A stage's ranking (the secretariat, the chair, and the panel once scores are open to it)
    and its outcomes (the secretariat)."""

    permission_classes = [IsAuthenticated]
    lookup_value_regex = r"\d+"

    @extend_schema(
        summary="The stage's ranking: raw and normalised side by side, reliability and flags",
        parameters=[STAGE_ID],
        responses={200: RankingSerializer, **errors(403, 404)},
    )
    @action(detail=True, methods=["get"])
    def ranking(self, request, pk=None):
        stage = selectors.stage_for(request.user, pk, "judging.view_ranking")
        view = selectors.ranking_view(stage, request.user)
        people = {j.pk: j for j in view.jurors}
        page = self.paginate_queryset(view.result.rows)
        result = view.result
        context = self.get_serializer_context() | {"ranking": view, "people": people}
        return Response(
            {
                "count": self.paginator.page.paginator.count,
                "next": self.paginator.get_next_link(),
                "previous": self.paginator.get_previous_link(),
                "stage": StageRefSerializer(stage).data,
                "method": {
                    "aggregation": stage.aggregation,
                    "aggregation_label": str(stage.get_aggregation_display()),
                    "ranked_by": "normalised" if result.normalised else "raw",
                    "tie_breakers": [
                        {"key": t, "label": str(TIE_BREAKERS[t])}
                        for t in stage.tie_breakers
                        if t in TIE_BREAKERS
                    ],
                },
                "reliability": {
                    "icc_single": result.icc.single,
                    "icc_average": result.icc.average,
                    "k": result.icc.k,
                    "alpha": result.alpha,
                    "severity": [
                        {"juror": PersonRefSerializer(people[j]).data, "value": value}
                        for j, value in sorted(result.severity.items())
                        if j in people
                    ],
                    "raw_jurors": PersonRefSerializer(
                        [people[j] for j in sorted(result.raw_jurors) if j in people], many=True
                    ).data,
                },
                "hidden": view.hidden,
                "results": RankingRowSerializer(page, many=True, context=context).data,
            }
        )

    @extend_schema(
        summary="Stage the outcomes (by the stage's rule, or as chosen); nobody is told yet",
        parameters=[STAGE_ID],
        request=OutcomesWriteSerializer,
        responses={200: OutcomesSerializer, **errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def outcomes(self, request, pk=None):
        stage = selectors.stage_for(request.user, pk)
        data = OutcomesWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        chosen = data.validated_data["outcomes"]
        services.outcomes_stage(
            actor=request.user,
            stage=stage,
            outcomes=None if chosen is None else {c["proposal"]: c["staged"] for c in chosen},
        )
        return Response(_outcomes(stage))

    @extend_schema(
        summary="Apply the staged outcomes to every entry at once; the agencies are told",
        parameters=[STAGE_ID],
        request=None,
        responses={200: OutcomesSerializer, **errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="outcomes/apply", url_name="outcomes-apply")
    def apply(self, request, pk=None):
        stage = selectors.stage_for(request.user, pk)
        services.outcomes_apply(actor=request.user, stage=stage)
        return Response(_outcomes(stage))
