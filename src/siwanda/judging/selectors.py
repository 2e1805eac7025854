"""Permission-aware reads for judging. Every list of jurors or scores of a proposal reads through
here, and here conflicted pairs are taken out: a juror never sees, nor appears beside, a
proposal they are in conflict with."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from siwanda.accounts.models import User
from siwanda.proposals.models import Proposal

from . import maths
from .conflicts import REASONS
from .models import Assignment, Criterion, Entry, Moderation, PanelMember, Score, Sheet, Stage
from .ranking import StageResult, stage_result, valid_pairs
from .services import stage_conflicts

LIVE = (Stage.Status.SCORING, Stage.Status.CLOSED)


def stage_for(user, pk, perm="judging.manage_stage") -> Stage:
    stage = Stage.objects.select_related("competition__region", "rubric").filter(pk=pk).first()
    if stage is None:
        raise Http404
    if not user.has_perm(perm, stage):
        raise PermissionDenied
    return stage


def stages_of(competition) -> QuerySet[Stage]:
    submitted = Q(assignments__sheet__status=Sheet.Status.SUBMITTED, assignments__calibration=False)
    return (
        competition.stages.select_related("rubric")
        .annotate(
            entry_count=Count("entries", distinct=True),
            advanced_count=Count(
                "entries", filter=Q(entries__outcome=Entry.Outcome.ADVANCED), distinct=True
            ),
            decided_count=Count(
                "entries", filter=~Q(entries__outcome=Entry.Outcome.PENDING), distinct=True
            ),
            assignment_count=Count(
                "assignments", filter=Q(assignments__calibration=False), distinct=True
            ),
            submitted_count=Count("assignments", filter=submitted, distinct=True),
            panel_count=Count("panel", distinct=True),
        )
        .order_by("order", "id")
    )


# --- The juror's side -----------------------------------------------------------------------------


@dataclass
class StageWork:
    stage: Stage
    assignments: list = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for a in self.assignments if a.submitted)

    @property
    def total(self) -> int:
        return len(self.assignments)


def _without_conflicts(assignments):
    """Drop assignments that a conflict arising later (a recusal, a new role) has voided."""
    by_stage = defaultdict(list)
    for a in assignments:
        by_stage[a.stage_id].append(a)
    kept = []
    for items in by_stage.values():
        allowed = valid_pairs(items[0].stage, items)
        kept += [a for a in items if (a.juror_id, a.proposal_id) in allowed]
    return kept


def juror_work(juror) -> list[StageWork]:
    """The person's assignments in stages being scored or closed, grouped by stage, with their
    progress ("3 of 7 done"): the stages still being scored first, the nearest due date first."""
    assignments = list(
        Assignment.objects.filter(juror=juror, stage__status__in=LIVE)
        .select_related(
            "stage__competition__region",
            "proposal__agency",
            "proposal__group",
            "proposal__category",
            "sheet",
        )
        .order_by("stage__ends_on", "stage_id", "-calibration", "proposal__title")
    )
    work: dict[int, StageWork] = {}
    for a in _without_conflicts(assignments):
        sheet = getattr(a, "sheet", None)
        a.submitted = sheet is not None and sheet.status == Sheet.Status.SUBMITTED
        a.started = sheet is not None
        work.setdefault(a.stage_id, StageWork(a.stage)).assignments.append(a)
    return sorted(work.values(), key=lambda w: w.stage.status != Stage.Status.SCORING)


def juror_assignments_in(juror, stage) -> dict[int, int]:
    """proposal id → the juror's (conflict-free) assignment id in the stage."""
    assignments = list(
        Assignment.objects.filter(stage=stage, juror=juror, calibration=False).select_related(
            "stage"
        )
    )
    return {a.proposal_id: a.pk for a in _without_conflicts(assignments)}


def assignment_for_juror(juror, pk) -> Assignment:
    assignment = (
        Assignment.objects.filter(pk=pk, juror=juror, stage__status__in=LIVE)
        .select_related(
            "stage__competition__region",
            "stage__rubric",
            "proposal__agency",
            "proposal__group",
            "proposal__category",
            "proposal__competition",
            "proposal__innovation",
            "proposal__form_version",
        )
        .first()
    )
    if assignment is None or not _without_conflicts([assignment]):
        raise Http404
    return assignment


def sheet_scores(assignment) -> dict[int, Score]:
    sheet = getattr(assignment, "sheet", None)
    if sheet is None:
        return {}
    return {s.criterion_id: s for s in sheet.scores.all()}


def criteria_of(stage) -> list[Criterion]:
    if stage.rubric_id is None:
        return []
    return list(stage.rubric.criteria.all())


def peer_totals(assignment) -> list[tuple[User, float]] | None:
    """The other jurors' totals for this proposal, when the stage lets jurors see them (None
    when it does not). Only jurors free of conflict are ever assigned, so nobody conflicted
    appears."""
    stage = assignment.stage
    if not (stage.status == Stage.Status.CLOSED or stage.jurors_see_scores):
        return None
    others = list(
        Assignment.objects.filter(
            stage=stage,
            proposal_id=assignment.proposal_id,
            calibration=assignment.calibration,
            sheet__status=Sheet.Status.SUBMITTED,
        )
        .exclude(pk=assignment.pk)
        .select_related("juror")
    )
    others = _without_conflicts(others)
    totals = _totals(stage, [a.pk for a in others])
    return [(a.juror, totals.get(a.pk)) for a in others]


def _totals(stage, assignment_ids) -> dict[int, float | None]:
    rubric = stage.rubric
    weights = {c.pk: float(c.weight) for c in rubric.criteria.all()}
    values: dict[int, dict] = defaultdict(dict)
    for a, c, v, na in Score.objects.filter(sheet__assignment_id__in=assignment_ids).values_list(
        "sheet__assignment_id", "criterion_id", "value", "not_applicable"
    ):
        values[a][c] = None if na or v is None else float(v)
    return {
        a: maths.weighted_total(
            values[a], weights, float(rubric.scale_min), float(rubric.scale_max)
        )
        for a in assignment_ids
    }


# --- The secretariat's side -----------------------------------------------------------------------


def panel_rows(stage) -> list[PanelMember]:
    """The panel with each member's load and progress."""
    members = list(
        stage.panel.select_related("juror", "agency").order_by("-is_chair", "juror__full_name")
    )
    counts = {
        row["juror_id"]: row
        for row in stage.assignments.filter(calibration=False)
        .values("juror_id")
        .annotate(n=Count("id"), done=Count("id", filter=Q(sheet__status="submitted")))
    }
    for m in members:
        m.load = counts.get(m.juror_id, {}).get("n", 0)
        m.done = counts.get(m.juror_id, {}).get("done", 0)
    return members


@dataclass
class BoardRow:
    entry: Entry
    assignments: list  # with .sheet_status
    conflicted: list  # (juror, reason)


def board_entries(stage) -> QuerySet[Entry]:
    return stage.entries.select_related(
        "proposal__agency", "proposal__category", "proposal__group"
    ).order_by("proposal__agency__name", "proposal__title", "pk")


def coverage(stage) -> dict[str, int]:
    """How many of the stage's proposals have no juror, and fewer than the stage wants."""
    counts = stage.entries.annotate(
        n=Count(
            "proposal__judging_assignments",
            filter=Q(
                proposal__judging_assignments__stage=stage,
                proposal__judging_assignments__calibration=False,
            ),
        )
    ).values_list("n", flat=True)
    counts = list(counts)
    return {
        "unassigned": sum(1 for n in counts if n == 0),
        "short": sum(1 for n in counts if n < stage.jurors_per_proposal),
    }


def assignment_board(stage, entries) -> list[BoardRow]:
    """Each proposal of `entries` (a page) with its jurors and their progress, and the panel
    members who may not judge it (and why): in a fixed number of queries."""
    entries = list(entries)
    proposals = [e.proposal for e in entries]
    assignments = defaultdict(list)
    for a in (
        stage.assignments.filter(calibration=False, proposal__in=proposals)
        .select_related("juror", "sheet")
        .order_by("juror__full_name")
    ):
        sheet = getattr(a, "sheet", None)
        a.sheet_status = sheet.status if sheet else ""
        assignments[a.proposal_id].append(a)
    found = stage_conflicts(stage, proposals)
    names = {u.pk: u for u in User.objects.filter(pk__in={j for j, _p in found})}
    conflicted = defaultdict(list)
    for (juror, proposal), reason in sorted(found.items()):
        conflicted[proposal].append((names[juror], REASONS[reason]))
    return [
        BoardRow(
            e,
            [a for a in assignments[e.proposal_id] if (a.juror_id, e.proposal_id) not in found],
            conflicted[e.proposal_id],
        )
        for e in entries
    ]


@dataclass
class RankingView:
    result: StageResult
    proposals: dict  # id -> Proposal
    jurors: list  # User, in column order
    entries: dict  # proposal id -> Entry
    moderations: dict  # proposal id -> Moderation
    hidden: int = 0  # proposals left out for the viewer (conflicts)


def ranking_view(stage, user) -> RankingView:
    """The stage's ranking for a page or an export. A panel member, the chair included, never
    sees the proposals they are in conflict with; only the secretariat sees them all."""
    result = stage_result(stage)
    hidden = 0
    if not user.has_perm("judging.manage_stage", stage):
        proposals = Proposal.objects.filter(stage_entries__stage=stage)
        mine = {p for (j, p) in stage_conflicts(stage, proposals) if j == user.pk}
        hidden = len(mine)
        result.rows = [r for r in result.rows if r.proposal not in mine]
    ids = [r.proposal for r in result.rows]
    proposals = {
        p.pk: p
        for p in Proposal.objects.filter(pk__in=ids).select_related("agency", "group", "category")
    }
    juror_ids = sorted({j for r in result.rows for j in r.jurors})
    jurors = list(User.objects.filter(pk__in=juror_ids).order_by("full_name"))
    entries = {e.proposal_id: e for e in stage.entries.all()}
    moderations = {m.proposal_id: m for m in stage.moderations.select_related("decided_by")}
    return RankingView(result, proposals, jurors, entries, moderations, hidden)


@dataclass
class CalibrationView:
    proposal: Proposal | None
    rows: list  # (juror, total or None, {criterion id: value}), submitted first
    criteria: list
    spread: dict  # criterion id -> (min, max) among submitted
    total_spread: float
    pending: int


def calibration_view(stage) -> CalibrationView:
    proposal = stage.calibration_proposal
    criteria = criteria_of(stage)
    if proposal is None:
        return CalibrationView(None, [], criteria, {}, 0.0, 0)
    assignments = list(
        stage.assignments.filter(calibration=True, proposal=proposal)
        .select_related("juror", "sheet")
        .order_by("juror__full_name")
    )
    submitted = [
        a
        for a in assignments
        if getattr(a, "sheet", None) and a.sheet.status == Sheet.Status.SUBMITTED
    ]
    totals = _totals(stage, [a.pk for a in submitted]) if submitted else {}
    values = defaultdict(dict)
    for a, c, v in Score.objects.filter(sheet__assignment__in=submitted).values_list(
        "sheet__assignment_id", "criterion_id", "value"
    ):
        values[a][c] = v
    spread = {}
    for c in criteria:
        got = [values[a.pk][c.pk] for a in submitted if values[a.pk].get(c.pk) is not None]
        if got:
            spread[c.pk] = (min(got), max(got))
    rows = [(a.juror, totals.get(a.pk), values[a.pk]) for a in submitted]
    return CalibrationView(
        proposal,
        rows,
        criteria,
        spread,
        maths.spread([t for t in totals.values() if t is not None]),
        len(assignments) - len(submitted),
    )


def open_moderations(stage) -> QuerySet[Moderation]:
    return stage.moderations.filter(status=Moderation.Status.OPEN).select_related("proposal")
