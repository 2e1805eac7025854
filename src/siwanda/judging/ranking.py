"""Where rankings happen.

`load()` reads a stage's submitted score sheets as plain data in a fixed number of queries;
`compute()` hands them to the maths (judging/maths.py) and returns everything a ranking page, an
export or a publication shows: each juror's total, raw and normalised aggregates side by side,
the ranks by both, the consensus of moderation, disagreement flags and reliability figures.
`final()` combines the stages by their weights. A publication stores the plain inputs, so
`compute()` over them gives the published ranking again, number for number.
"""

from collections import defaultdict
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext_lazy as _

from . import maths
from .conflicts import conflicts
from .models import Assignment, Criterion, Entry, Moderation, PanelMember, Score, Sheet, Stage

TIE_BREAKERS = {
    "heaviest_criterion": _("higher score in the heaviest criterion"),
    "fewer_missing": _("fewer missing scores"),
    "chair_vote": _("more votes of the panel"),
}


@dataclass
class StageInput:
    """A stage's scores and rules as plain, JSON-ready data."""

    stage: int
    low: float
    high: float
    weights: dict[str, float]  # criterion id -> weight
    aggregation: str = maths.MEAN
    normalised: bool = False
    tie_breakers: list[str] = field(default_factory=list)
    threshold: float = 20.0
    entries: list[int] = field(default_factory=list)
    # [juror, proposal, {criterion id: value, or None for "not applicable"}], submitted only
    sheets: list = field(default_factory=list)
    unsubmitted: dict[str, int] = field(default_factory=dict)  # proposal -> sheets not in
    consensus: dict[str, float] = field(default_factory=dict)  # proposal -> decided score
    votes: dict[str, int] = field(default_factory=dict)  # proposal -> the panel's votes
    # [juror, proposal] pairs assigned but voided by a conflict of interest (never counted)
    excluded: list = field(default_factory=list)

    def as_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "StageInput":
        return cls(**data)


@dataclass
class Row:
    proposal: int
    jurors: dict[int, float]  # juror -> total (0–100)
    normalised_jurors: dict[int, float]
    raw: float | None
    normalised: float | None
    consensus: float | None
    score: float | None  # what ranks: the consensus when there is one, else raw or normalised
    criteria: dict[str, float]  # criterion -> the jurors' mean, 0–100
    missing: int
    spread: float
    flagged: bool
    rank: int | None = None
    rank_raw: int | None = None
    rank_normalised: int | None = None
    tie_broken_by: str = ""


@dataclass
class StageResult:
    rows: list[Row]  # in ranked order; proposals without any submitted score last
    icc: maths.ICC
    alpha: float | None
    severity: dict[int, float]  # juror -> mean difference from the other jurors
    raw_jurors: set  # jurors whose scores could not be normalised
    method: str  # "mean", "median" or "trimmed_mean"
    normalised: bool  # the rank uses normalised totals

    def by_proposal(self) -> dict[int, Row]:
        return {row.proposal: row for row in self.rows}


def _tie_keys(data: StageInput, criteria_means: dict[int, dict[str, float]], missing):
    heaviest = max(data.weights, key=lambda c: (data.weights[c], c)) if data.weights else None
    keys = {
        "heaviest_criterion": lambda p: criteria_means.get(p, {}).get(heaviest, -1.0),
        "fewer_missing": lambda p: -missing.get(p, 0),
        "chair_vote": lambda p: data.votes.get(str(p), 0),
    }
    return [(name, keys[name]) for name in data.tie_breakers if name in keys]


def compute(data: StageInput) -> StageResult:
    weights = {c: float(w) for c, w in data.weights.items()}
    totals: dict[tuple, float] = {}
    per_criterion: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    missing: dict[int, int] = defaultdict(int)
    for proposal, count in data.unsubmitted.items():
        missing[int(proposal)] += count * len(weights)
    for juror, proposal, values in data.sheets:
        total = maths.weighted_total(values, weights, data.low, data.high)
        for criterion in weights:
            value = values.get(criterion)
            if value is None:
                missing[proposal] += 1
            else:
                per_criterion[proposal][criterion].append(
                    maths.to_percent(value, data.low, data.high)
                )
        if total is not None:
            totals[(juror, proposal)] = total
    normalised = maths.normalise(totals)

    jurors_of: dict[int, dict[int, float]] = defaultdict(dict)
    normalised_of: dict[int, dict[int, float]] = defaultdict(dict)
    for (juror, proposal), value in totals.items():
        jurors_of[proposal][juror] = value
        normalised_of[proposal][juror] = normalised.values[(juror, proposal)]
    criteria_means = {
        p: {c: sum(v) / len(v) for c, v in by_c.items()} for p, by_c in per_criterion.items()
    }

    rows = []
    for proposal in data.entries:
        raw_values = list(jurors_of[proposal].values())
        raw = maths.aggregate(raw_values, data.aggregation)
        norm = maths.aggregate(list(normalised_of[proposal].values()), data.aggregation)
        consensus = data.consensus.get(str(proposal))
        chosen = norm if data.normalised else raw
        spread = maths.spread(raw_values)
        rows.append(
            Row(
                proposal=proposal,
                jurors=dict(jurors_of[proposal]),
                normalised_jurors=dict(normalised_of[proposal]),
                raw=raw,
                normalised=norm,
                consensus=consensus,
                score=consensus if consensus is not None else chosen,
                criteria=criteria_means.get(proposal, {}),
                missing=missing.get(proposal, 0),
                spread=spread,
                flagged=spread > data.threshold,
            )
        )

    tie = _tie_keys(data, criteria_means, missing)
    by_id = {row.proposal: row for row in rows}
    for attribute, target in (("raw", "rank_raw"), ("normalised", "rank_normalised")):
        scores = {
            r.proposal: getattr(r, attribute) for r in rows if getattr(r, attribute) is not None
        }
        for ranked in maths.rank(scores, tie):
            setattr(by_id[ranked.proposal], target, ranked.rank)
    scored = {r.proposal: r.score for r in rows if r.score is not None}
    order = []
    for ranked in maths.rank(scored, tie):
        row = by_id[ranked.proposal]
        row.rank, row.tie_broken_by = ranked.rank, ranked.tie_broken_by
        order.append(row)
    order += [row for row in rows if row.score is None]

    ratings = {p: list(v.values()) for p, v in jurors_of.items()}
    return StageResult(
        rows=order,
        icc=maths.icc_oneway(ratings),
        alpha=maths.krippendorff_alpha(ratings),
        severity=maths.severity(totals),
        raw_jurors=normalised.raw_jurors,
        method=data.aggregation,
        normalised=data.normalised,
    )


def valid_pairs(stage: Stage, assignments) -> set[tuple[int, int]]:
    """The (juror, proposal) pairs of these assignments that are free of conflict today: a
    conflict that arose after the assignment (a new role, a recusal) takes it out everywhere."""
    pairs = {(a.juror_id, a.proposal_id) for a in assignments}
    if not pairs:
        return set()
    from siwanda.proposals.models import Proposal

    proposals = Proposal.objects.filter(pk__in={p for _j, p in pairs}).only(
        "pk", "agency_id", "innovation_id", "created_by_id", "approved_by_id"
    )
    panel = dict(PanelMember.objects.filter(stage=stage).values_list("juror_id", "agency_id"))
    found = conflicts(juror_ids={j for j, _p in pairs}, proposals=proposals, panel_agencies=panel)
    return pairs - found.keys()


def load(stage: Stage) -> StageInput:
    """The stage's submitted scores and rules, in a fixed number of queries."""
    criteria = list(Criterion.objects.filter(rubric_id=stage.rubric_id).values_list("pk", "weight"))
    entries = list(Entry.objects.filter(stage=stage).values_list("proposal_id", "panel_votes"))
    assignments = list(
        Assignment.objects.filter(stage=stage, calibration=False).only(
            "pk", "juror_id", "proposal_id"
        )
    )
    allowed = valid_pairs(stage, assignments)
    excluded = sorted(
        [a.juror_id, a.proposal_id]
        for a in assignments
        if (a.juror_id, a.proposal_id) not in allowed
    )
    assignments = [a for a in assignments if (a.juror_id, a.proposal_id) in allowed]
    submitted = set(
        Sheet.objects.filter(
            assignment__stage=stage,
            assignment__calibration=False,
            status=Sheet.Status.SUBMITTED,
        ).values_list("assignment_id", flat=True)
    )
    values: dict[int, dict[str, float | None]] = defaultdict(dict)
    for assignment, criterion, value, na in Score.objects.filter(
        sheet__assignment__stage=stage,
        sheet__assignment__calibration=False,
        sheet__status=Sheet.Status.SUBMITTED,
    ).values_list("sheet__assignment_id", "criterion_id", "value", "not_applicable"):
        values[assignment][str(criterion)] = None if na or value is None else float(value)
    sheets, unsubmitted = [], defaultdict(int)
    for a in sorted(assignments, key=lambda a: (a.proposal_id, a.juror_id)):
        if a.pk in submitted:
            sheets.append([a.juror_id, a.proposal_id, values.get(a.pk, {})])
        else:
            unsubmitted[str(a.proposal_id)] += 1
    consensus = {
        str(p): float(c)
        for p, c in Moderation.objects.filter(
            stage=stage, status=Moderation.Status.DECIDED, consensus__isnull=False
        ).values_list("proposal_id", "consensus")
    }
    rubric = stage.rubric
    return StageInput(
        stage=stage.pk,
        low=float(rubric.scale_min) if rubric else 0.0,
        high=float(rubric.scale_max) if rubric else 100.0,
        weights={str(pk): float(weight) for pk, weight in criteria},
        aggregation=stage.aggregation,
        normalised=stage.rank_by_normalised,
        tie_breakers=list(stage.tie_breakers),
        threshold=float(stage.disagreement),
        entries=sorted(p for p, _v in entries),
        sheets=sheets,
        unsubmitted=dict(unsubmitted),
        consensus=consensus,
        votes={str(p): v for p, v in entries if v is not None},
        excluded=excluded,
    )


def stage_result(stage: Stage) -> StageResult:
    return compute(load(stage))


@dataclass
class FinalRow:
    proposal: int
    stages: dict[int, float]  # stage -> the score that ranked in it
    score: float
    rank: int
    tie_broken_by: str = ""


def final(inputs: list[StageInput], weights: dict[int, float]) -> list[FinalRow]:
    """The combined result over the stages by their weights, among the proposals scored in
    every weighted stage; with no weighted stage, the last stage alone. Ties are broken by the
    last stage's rules."""
    results = {data.stage: compute(data) for data in inputs}
    scores = {
        stage: {r.proposal: r.score for r in result.rows if r.score is not None}
        for stage, result in results.items()
    }
    last = inputs[-1]
    if not any(w > 0 for w in weights.values()):
        weights = {last.stage: 1.0}
    combined = maths.combine(scores, weights)
    last_result = results[last.stage]
    means = {r.proposal: r.criteria for r in last_result.rows}
    missing = {r.proposal: r.missing for r in last_result.rows}
    tie = _tie_keys(last, means, missing)
    return [
        FinalRow(
            proposal=ranked.proposal,
            stages={s: scores[s][ranked.proposal] for s in scores if ranked.proposal in scores[s]},
            score=ranked.score,
            rank=ranked.rank,
            tie_broken_by=ranked.tie_broken_by,
        )
        for ranked in maths.rank(combined, tie)
    ]
