"""Rankings end to end: the submitted sheets of a stage read as plain data (`load`), ranked
(`compute`) raw and normalised side by side, conflicted pairs dropped, tie-breaks in the
stage's published order, and stages combined by their weights (`final`).

The desk rubric of the regency template has seven criteria weighing 10/15/5/30/20/5/15; the
heaviest is "Signifikansi" (30). `sheet(total, lift)` gives every criterion `total - 3 lift` and
Signifikansi `total + 7 lift`: the weighted total stays `total` while the heaviest criterion
moves, which is what the tie-breaks need."""

import statistics

import pytest
from django.core.exceptions import ValidationError

from siwanda.accounts.models import Role, RoleAssignment
from siwanda.judging import maths, services
from siwanda.judging.models import Stage
from siwanda.judging.ranking import StageInput, compute, final, load, stage_result

HEAVIEST = 3  # Signifikansi, 30 %


def sheet(total, lift=0, na=None):
    values = [total - 3 * lift] * 7
    values[HEAVIEST] = total + 7 * lift
    if na is not None:
        values[na] = None
    return values


def prepare(people, stage, pairs, **rules):
    """Set the stage's rules, seat the jurors of `pairs`, assign each pair by hand, open."""
    sec = people["secretariat"]
    if rules:
        services.stage_save(actor=sec, competition=stage.competition, stage=stage, **rules)
    for juror in dict.fromkeys(j for j, _p in pairs):
        services.panel_add(actor=sec, stage=stage, juror=juror)
    services.entries_sync(stage=stage)
    for juror, proposal in pairs:
        services.assignment_add(actor=sec, stage=stage, juror=juror, proposal=proposal)
    return services.stage_open(actor=sec, stage=stage)


def submit(stage, juror, proposal, values, *, send=True):
    """The juror's sheet for the proposal: one value per criterion in order (None: not
    applicable)."""
    a = stage.assignments.get(juror=juror, proposal=proposal, calibration=False)
    criteria = list(stage.rubric.criteria.order_by("order"))
    services.sheet_save(
        actor=juror,
        assignment=a,
        values={
            str(c.pk): {"not_applicable": True} if v is None else {"value": v}
            for c, v in zip(criteria, values, strict=True)
        },
    )
    if send:
        services.sheet_submit(actor=juror, assignment=a)
    return a


def criteria_ids(stage):
    return [str(pk) for pk in stage.rubric.criteria.order_by("order").values_list("pk", flat=True)]


# --- load() and compute() on a scored stage -------------------------------------------------------


def test_a_stage_loaded_and_ranked_end_to_end(people, stages, jurors, screened):
    a, b, c = jurors[:3]
    p = screened
    stage = prepare(
        people,
        stages[0],
        [(j, proposal) for proposal in p for j in (a, b, c)],
        aggregation=Stage.Aggregation.MEDIAN,
        rank_by_normalised=False,
    )
    totals = {
        p[0]: (60, 70, 90),  # spread 30: flagged
        p[1]: (80, 82, 84),
        p[2]: (50, 55, 60),
        p[3]: (70, 70, 70),
        p[4]: (65, 75, None),  # Juri 2's sheet stays a draft
        p[5]: (40, 44, 48),
    }
    for proposal, values in totals.items():
        for juror, total in zip((a, b, c), values, strict=True):
            if total is None:
                submit(stage, juror, proposal, sheet(85), send=False)
            else:
                submit(stage, juror, proposal, sheet(total))

    data = load(stage)
    ids = criteria_ids(stage)
    assert data.stage == stage.pk and (data.low, data.high) == (0.0, 100.0)
    assert data.weights == dict(zip(ids, [10.0, 15.0, 5.0, 30.0, 20.0, 5.0, 15.0], strict=True))
    assert (data.aggregation, data.normalised, data.threshold) == ("median", False, 20.0)
    assert data.tie_breakers == ["heaviest_criterion", "fewer_missing", "chair_vote"]
    assert data.entries == sorted(x.pk for x in p)
    assert data.unsubmitted == {str(p[4].pk): 1}
    assert data.consensus == {} and data.votes == {} and data.excluded == []
    assert len(data.sheets) == 17
    assert [s[:2] for s in data.sheets] == sorted(
        ([s[0], s[1]] for s in data.sheets), key=lambda s: (s[1], s[0])
    )
    first = next(s for s in data.sheets if s[:2] == [a.pk, p[0].pk])
    assert first[2] == dict.fromkeys(ids, 60.0)
    # The loaded input is plain JSON and round-trips.
    assert StageInput.from_json(data.as_json()) == data

    result = compute(data)
    rows = result.by_proposal()
    assert result.method == "median" and result.normalised is False
    assert rows[p[0].pk].jurors == pytest.approx({a.pk: 60, b.pk: 70, c.pk: 90})
    assert rows[p[0].pk].raw == pytest.approx(70)  # the median, not the mean 73.3
    assert rows[p[0].pk].spread == pytest.approx(30) and rows[p[0].pk].flagged
    assert rows[p[4].pk].raw == pytest.approx(70) and rows[p[4].pk].missing == 7
    assert not any(rows[x.pk].flagged for x in p[1:])
    # Ranked by raw medians: 82, then 70 three times, 55, 44. Among the three at 70, p[0] is
    # strongest in Signifikansi (73.3 against 70); p[3] and p[4] are equal there, and p[4]
    # misses the seven scores of the sheet not submitted.
    assert [r.proposal for r in result.rows] == [x.pk for x in (p[1], p[0], p[3], p[4], p[2], p[5])]
    assert [r.rank for r in result.rows] == [1, 2, 3, 4, 5, 6]
    assert [r.tie_broken_by for r in result.rows] == [
        "",
        "",
        "heaviest_criterion",
        "fewer_missing",
        "",
        "",
    ]
    assert [r.rank_raw for r in result.rows] == [1, 2, 3, 4, 5, 6]
    # Raw and normalised are always both there; the criteria means are on 0–100.
    assert all(r.normalised is not None for r in result.rows)
    assert rows[p[3].pk].criteria == pytest.approx(dict.fromkeys(ids, 70))
    # Reliability over the jurors' totals, as the maths gives it.
    ratings = {x.pk: list(rows[x.pk].jurors.values()) for x in p}
    assert result.icc == maths.icc_oneway(ratings)
    assert result.alpha == pytest.approx(maths.krippendorff_alpha(ratings))
    assert result.alpha is not None and 0 < result.alpha <= 1
    pairs = {(j, x): t for x, row in rows.items() for j, t in row.jurors.items()}
    assert result.severity == pytest.approx(maths.severity(pairs))
    assert result.severity[c.pk] > 0 > result.severity[a.pk]  # Juri 2 lenient, Juri 0 severe


def test_ties_on_the_score_are_broken_by_the_missing_scores_and_the_heaviest_criterion(
    people, stages, jurors, screened
):
    """p[0] and p[1] both total 80: p[0] is stronger in Signifikansi but left one criterion
    not applicable; p[1] has every score."""
    a, b = jurors[:2]
    p = screened
    stage = prepare(
        people,
        stages[0],
        [(j, proposal) for proposal in p for j in (a, b)],
        rank_by_normalised=False,
    )
    # With criterion 0 left out the weight is 90: (30 × 86 + 60 × 77) / 90 = 80.
    p0 = [None, 77, 77, 86, 77, 77, 77]
    others = {p[2]: 60, p[3]: 65, p[4]: 70, p[5]: 90}
    for juror in (a, b):
        submit(stage, juror, p[0], p0)
        submit(stage, juror, p[1], sheet(80))
        for proposal, total in others.items():
            submit(stage, juror, proposal, sheet(total))
    data = load(stage)
    result = compute(data)
    rows = result.by_proposal()
    assert rows[p[0].pk].raw == pytest.approx(80) and rows[p[1].pk].raw == pytest.approx(80)
    assert (rows[p[0].pk].missing, rows[p[1].pk].missing) == (2, 0)
    heaviest = criteria_ids(stage)[HEAVIEST]
    assert rows[p[0].pk].criteria[heaviest] == pytest.approx(86)
    assert rows[p[1].pk].criteria[heaviest] == pytest.approx(80)
    # The template's order: heaviest criterion first.
    order = [r.proposal for r in result.rows]
    assert order[:3] == [p[5].pk, p[0].pk, p[1].pk]
    assert (rows[p[0].pk].rank, rows[p[1].pk].rank) == (2, 3)
    assert rows[p[1].pk].tie_broken_by == "heaviest_criterion"
    assert rows[p[0].pk].tie_broken_by == ""
    # Fewer missing scores first: the other way round.
    data.tie_breakers = ["fewer_missing", "heaviest_criterion"]
    rows = compute(data).by_proposal()
    assert (rows[p[1].pk].rank, rows[p[0].pk].rank) == (2, 3)
    assert rows[p[0].pk].tie_broken_by == "fewer_missing"
    # No tie-break: they share the place, and the next one is fourth.
    data.tie_breakers = []
    rows = compute(data).by_proposal()
    assert (rows[p[0].pk].rank, rows[p[1].pk].rank, rows[p[4].pk].rank) == (2, 2, 4)
    # The panel's vote, recorded once the stage is closed, settles what is still equal.
    services.stage_close(actor=people["secretariat"], stage=stage)
    services.votes_record(actor=people["secretariat"], stage=stage, votes={p[0].pk: 1, p[1].pk: 4})
    data = load(stage)
    assert data.votes == {str(p[0].pk): 1, str(p[1].pk): 4}
    data.tie_breakers = ["chair_vote", "heaviest_criterion"]
    rows = compute(data).by_proposal()
    assert (rows[p[1].pk].rank, rows[p[0].pk].rank) == (2, 3)
    assert rows[p[0].pk].tie_broken_by == "chair_vote"


@pytest.mark.parametrize(
    ("order", "first", "broken_by"),
    [
        (["heaviest_criterion", "fewer_missing", "chair_vote"], 0, "heaviest_criterion"),
        (["fewer_missing", "heaviest_criterion"], 1, "fewer_missing"),
    ],
)
def test_the_stage_publishes_its_tie_break_order_before_scoring(
    people, stages, jurors, screened, order, first, broken_by
):
    a = jurors[0]
    p = screened
    stage = prepare(people, stages[0], [(a, proposal) for proposal in p], tie_breakers=order)
    submit(stage, a, p[0], [None, 77, 77, 86, 77, 77, 77])
    submit(stage, a, p[1], sheet(80))
    for n, proposal in enumerate(p[2:]):
        submit(stage, a, proposal, sheet(50 + n))
    # Once scoring is open the order can no longer change.
    with pytest.raises(ValidationError):
        services.stage_save(
            actor=people["secretariat"],
            competition=stage.competition,
            stage=stage,
            tie_breakers=list(reversed(order)),
        )
    result = stage_result(stage)
    winner, runner_up = p[first], p[1 - first]
    assert [r.proposal for r in result.rows[:2]] == [winner.pk, runner_up.pk]
    assert result.by_proposal()[runner_up.pk].tie_broken_by == broken_by


# --- Normalisation --------------------------------------------------------------------------------


def test_normalised_and_raw_side_by_side_when_jurors_score_different_proposals(
    people, stages, jurors, screened
):
    """A strict juror scores three proposals, a lenient one the other three."""
    strict, lenient = jurors[:2]
    p = screened
    given = {
        (strict, p[0]): 60,
        (strict, p[1]): 50,
        (strict, p[2]): 40,
        (lenient, p[3]): 90,
        (lenient, p[4]): 88,
        (lenient, p[5]): 80,
    }
    stage = prepare(people, stages[0], list(given))  # the template ranks by normalised
    for (juror, proposal), total in given.items():
        submit(stage, juror, proposal, sheet(total))
    result = stage_result(stage)
    rows = result.by_proposal()
    assert result.normalised is True and result.raw_jurors == set()
    everything = list(given.values())
    mean, sd = statistics.fmean(everything), statistics.pstdev(everything)
    for (juror, proposal), total in given.items():
        own = [t for (j, _p), t in given.items() if j == juror]
        z = (total - statistics.fmean(own)) / statistics.pstdev(own)
        assert rows[proposal.pk].raw == pytest.approx(total)
        assert rows[proposal.pk].normalised == pytest.approx(mean + z * sd)
        assert rows[proposal.pk].score == rows[proposal.pk].normalised
    by_raw = sorted(p, key=lambda x: -given[(strict if x in p[:3] else lenient, x)])
    assert [rows[x.pk].rank_raw for x in by_raw] == [1, 2, 3, 4, 5, 6]
    # The strict juror's best is the best of all once normalised; the lenient juror's worst
    # the last.
    assert [r.proposal for r in result.rows] == [
        p[0].pk,
        p[3].pk,
        p[4].pk,
        p[1].pk,
        p[2].pk,
        p[5].pk,
    ]
    assert [r.rank for r in result.rows] == [1, 2, 3, 4, 5, 6]
    assert rows[p[0].pk].rank_normalised == 1 and rows[p[0].pk].rank_raw == 4


def test_a_juror_with_fewer_than_two_scores_stays_raw_and_is_named(
    people, stages, jurors, screened
):
    a, b, lone, flat = jurors[:4]
    p = screened
    given = {
        (a, p[0]): 60,
        (a, p[1]): 70,
        (a, p[2]): 80,
        (b, p[3]): 55,
        (b, p[4]): 75,
        (lone, p[5]): 66,
        (flat, p[3]): 72,
        (flat, p[4]): 72,
    }
    stage = prepare(people, stages[0], list(given))
    for (juror, proposal), total in given.items():
        submit(stage, juror, proposal, sheet(total))
    result = stage_result(stage)
    # One score, or all scores equal: nothing to standardise against.
    assert result.raw_jurors == {lone.pk, flat.pk}
    rows = result.by_proposal()
    assert rows[p[5].pk].normalised_jurors == pytest.approx({lone.pk: 66})
    assert rows[p[3].pk].normalised_jurors[flat.pk] == pytest.approx(72)
    assert rows[p[3].pk].normalised_jurors[b.pk] != pytest.approx(55)


# --- Conflicts ------------------------------------------------------------------------------------


def test_a_conflict_arising_after_scoring_drops_the_pair_everywhere(
    people, stages, jurors, screened
):
    a, b, c = jurors[:3]
    p = screened
    stage = prepare(
        people,
        stages[0],
        [(j, proposal) for proposal in p for j in (a, b, c)],
        rank_by_normalised=False,
    )
    for proposal in p:
        for juror, total in zip((a, b, c), (60, 70, 80), strict=True):
            submit(stage, juror, proposal, sheet(total))
    assert stage_result(stage).by_proposal()[p[0].pk].raw == pytest.approx(70)
    # Juri 1 turns out to work in Dinas Kesehatan (screened[0]); Juri 2 is made operator of
    # Dinas Pendidikan (screened[1]) later on.
    services.panel_update(
        actor=people["secretariat"], member=stage.panel.get(juror=b), agency=p[0].agency
    )
    RoleAssignment.objects.create(
        user=c, role=Role.OPERATOR, region=p[1].agency.region, agency=p[1].agency
    )
    data = load(stage)
    assert data.excluded == sorted([[b.pk, p[0].pk], [c.pk, p[1].pk]])
    assert not any(s[:2] in data.excluded for s in data.sheets)
    assert len(data.sheets) == 16
    rows = compute(data).by_proposal()
    assert rows[p[0].pk].jurors == pytest.approx({a.pk: 60, c.pk: 80})
    assert rows[p[0].pk].raw == pytest.approx(70)
    assert rows[p[1].pk].jurors == pytest.approx({a.pk: 60, b.pk: 70})
    assert rows[p[1].pk].raw == pytest.approx(65)
    assert rows[p[2].pk].jurors == pytest.approx({a.pk: 60, b.pk: 70, c.pk: 80})
    # The missing sheets of an excluded pair are not counted as missing either.
    assert rows[p[0].pk].missing == 0


# --- final(): stages combined by their weights ----------------------------------------------------


def stage_input(stage, scores, **rules):
    """A one-criterion stage where juror 1 gives each proposal its score."""
    return StageInput(
        stage=stage,
        low=0,
        high=100,
        weights={"c": 100.0},
        entries=sorted(scores),
        sheets=[[1, proposal, {"c": float(v)}] for proposal, v in sorted(scores.items())],
        **rules,
    )


def test_final_combines_the_stages_by_their_weights():
    desk = stage_input(1, {10: 80, 20: 60, 30: 70})
    presentation = stage_input(2, {10: 50, 20: 90})  # 30 did not go on
    rows = final([desk, presentation], {1: 40.0, 2: 60.0})
    assert [(r.proposal, r.rank) for r in rows] == [(20, 1), (10, 2)]
    # 20: 0.4 × 60 + 0.6 × 90 = 78; 10: 0.4 × 80 + 0.6 × 50 = 62.
    assert [r.score for r in rows] == [pytest.approx(78), pytest.approx(62)]
    assert rows[0].stages == {1: 60.0, 2: 90.0}
    # A stage of weight 0 selects but does not count.
    rows = final([desk, presentation], {1: 0.0, 2: 60.0})
    assert [(r.proposal, r.score) for r in rows] == [(20, 90.0), (10, 50.0)]
    # No weighted stage at all: the last stage alone.
    rows = final([desk, presentation], {1: 0.0, 2: 0.0})
    assert [(r.proposal, r.score) for r in rows] == [(20, 90.0), (10, 50.0)]


def test_final_ties_are_broken_by_the_last_stages_rules():
    desk = stage_input(1, {10: 70, 20: 70})
    presentation = stage_input(2, {10: 60, 20: 60}, tie_breakers=["chair_vote"], votes={"10": 2})
    rows = final([desk, presentation], {1: 40.0, 2: 60.0})
    assert [(r.proposal, r.rank, r.tie_broken_by) for r in rows] == [
        (10, 1, ""),
        (20, 2, "chair_vote"),
    ]
    presentation.tie_breakers = []
    rows = final([desk, presentation], {1: 40.0, 2: 60.0})
    assert [r.rank for r in rows] == [1, 1]


def test_final_over_a_loaded_stage_gives_its_own_ranking(people, stages, jurors, screened):
    a = jurors[0]
    p = screened
    stage = prepare(people, stages[0], [(a, proposal) for proposal in p], rank_by_normalised=False)
    for n, proposal in enumerate(p):
        submit(stage, a, proposal, sheet(40 + 7 * n))
    data = load(stage)
    rows = final([data], {stage.pk: float(stage.weight)})
    assert [r.proposal for r in rows] == [x.pk for x in reversed(p)]
    assert [r.score for r in rows] == pytest.approx([40 + 7 * n for n in reversed(range(6))])
    assert [r.rank for r in rows] == [1, 2, 3, 4, 5, 6]
    assert rows[0].stages == pytest.approx({stage.pk: 75})
