import math

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from siwanda.judging import maths

# Shrout & Fleiss (1979), table 2: six targets rated by four judges, a fully crossed design.
SHROUT_FLEISS = {
    1: [9, 2, 5, 8],
    2: [6, 1, 3, 2],
    3: [8, 4, 6, 8],
    4: [7, 1, 2, 6],
    5: [10, 5, 6, 9],
    6: [6, 2, 4, 7],
}


def test_weighted_total_is_on_0_to_100_whatever_the_scale():
    weights = {"novelty": 15, "significance": 30, "sustainability": 15}
    # 1–5 scale: 5, 3, 1 → 100, 50, 0 → (15*100 + 30*50 + 0) / 60 = 50
    assert (
        maths.weighted_total({"novelty": 5, "significance": 3, "sustainability": 1}, weights, 1, 5)
        == 50
    )
    assert (
        maths.weighted_total(
            {"novelty": 80, "significance": 90, "sustainability": 70}, weights, 0, 100
        )
        == 82.5
    )


def test_not_applicable_shares_its_weight():
    weights = {"a": 10, "b": 30, "c": 60}
    assert maths.weighted_total({"a": 100, "b": 50, "c": None}, weights, 0, 100) == 62.5
    assert maths.weighted_total({"a": None, "b": None, "c": None}, weights, 0, 100) is None
    # A criterion of weight 0 (the KIPP summary) never counts.
    assert maths.weighted_total({"a": 100, "zero": 0}, {"a": 10, "zero": 0}, 0, 100) == 100


@pytest.mark.parametrize(
    ("values", "method", "expected"),
    [
        ([70, 80, 90], "mean", 80),
        ([70, 80, 90, 100], "median", 85),
        ([10, 80, 82, 84, 100], "trimmed_mean", 82),  # drops 10 and 100
        ([60, 90], "trimmed_mean", 75),  # too few to trim: the mean
        ([], "mean", None),
    ],
)
def test_aggregate(values, method, expected):
    assert maths.aggregate(values, method) == expected


def test_aggregate_refuses_an_unknown_method():
    with pytest.raises(ValueError):
        maths.aggregate([1], "max")


def test_normalise_puts_a_strict_and_a_lenient_juror_on_one_scale():
    # Strict juror A gives 50/60/70, lenient B gives 70/80/90 to the same three proposals:
    # after normalisation both give the same score to each proposal.
    totals = {("A", 1): 50, ("A", 2): 60, ("A", 3): 70, ("B", 1): 70, ("B", 2): 80, ("B", 3): 90}
    result = maths.normalise(totals)
    assert result.raw_jurors == set()
    for proposal in (1, 2, 3):
        assert result.values[("A", proposal)] == pytest.approx(result.values[("B", proposal)])
    # Overall mean 70 and population sd sqrt(1000/6) are kept; each juror's best is z = +1.2247
    # (their own sd is sqrt(200/3)): 70 + 1.2247 × 12.91 = 85.81.
    assert result.values[("A", 2)] == pytest.approx(70)
    assert result.values[("A", 3)] == pytest.approx(
        70 + (10 / (200 / 3) ** 0.5) * (1000 / 6) ** 0.5
    )


def test_normalise_by_hand():
    totals = {("A", 1): 40, ("A", 2): 60, ("B", 1): 80, ("B", 2): 100}
    # Overall mean 70, population sd sqrt(((30²+10²+10²+30²)/4)) = sqrt(500) ≈ 22.36.
    # A: mean 50, sd 10 → z = −1, +1 → 70 ∓ 22.36.
    result = maths.normalise(totals)
    assert result.values[("A", 1)] == pytest.approx(70 - 500**0.5)
    assert result.values[("B", 2)] == pytest.approx(70 + 500**0.5)


def test_a_juror_with_one_score_or_no_spread_stays_raw():
    totals = {("A", 1): 40, ("A", 2): 60, ("B", 1): 90, ("C", 1): 75, ("C", 2): 75}
    result = maths.normalise(totals)
    assert result.raw_jurors == {"B", "C"}
    assert result.values[("B", 1)] == 90 and result.values[("C", 2)] == 75


def test_normalised_scores_stay_within_0_and_100():
    totals = {("A", p): v for p, v in enumerate([0, 0, 0, 100])} | {("B", 9): 50, ("B", 8): 51}
    assert all(0 <= v <= 100 for v in maths.normalise(totals).values.values())


def test_combine_stages_by_their_weights():
    scores = {
        "desk": {1: 80, 2: 90, 3: 70},
        "presentation": {1: 90, 2: 60},
        "field": {1: 70, 2: 80},
    }
    combined = maths.combine(scores, {"desk": 40, "presentation": 35, "field": 25})
    assert combined == {1: pytest.approx(81), 2: pytest.approx(77)}  # 3 did not reach the field
    assert maths.combine(scores, {"desk": 100, "presentation": 0}) == {1: 80, 2: 90, 3: 70}


def test_rank_with_published_tie_breakers():
    scores = {"A": 85.004, "B": 85.0, "C": 90, "D": 85, "E": 70}
    heaviest = {"A": 80, "B": 80, "D": 75, "C": 0, "E": 0}
    missing = {"A": 0, "B": 1, "D": 0, "C": 0, "E": 0}
    ranked = maths.rank(
        scores,
        [
            ("heaviest criterion", lambda p: heaviest[p]),
            ("fewer missing scores", lambda p: -missing[p]),
        ],
    )
    assert [(r.proposal, r.rank, r.tie_broken_by) for r in ranked] == [
        ("C", 1, ""),
        ("A", 2, ""),
        ("B", 3, "fewer missing scores"),
        ("D", 4, "heaviest criterion"),
        ("E", 5, ""),
    ]


def test_proposals_still_equal_share_a_rank():
    ranked = maths.rank({"A": 80, "B": 80, "C": 70})
    assert [r.rank for r in ranked] == [1, 1, 3]


def test_icc_matches_shrout_and_fleiss():
    result = maths.icc_oneway(SHROUT_FLEISS)
    assert round(result.single, 2) == 0.17  # ICC(1,1) in their table 4
    assert round(result.average, 2) == 0.44  # ICC(1,4)
    assert result.k == 4


def test_icc_with_unequal_numbers_of_jurors_by_hand():
    ratings = {"p": [1, 3], "q": [4, 6, 8], "r": [9, 9]}
    # grand mean 40/7; SSB = 2(2−40/7)² + 3(6−40/7)² + 2(9−40/7)² = 322/7 − … computed below
    groups = list(ratings.values())
    n = 7
    grand = 40 / 7
    ssb = sum(len(v) * (sum(v) / len(v) - grand) ** 2 for v in groups)
    ssw = (1 + 1) + (4 + 0 + 4) + 0
    msb, msw = ssb / 2, ssw / 4
    k0 = (n - (4 + 9 + 4) / n) / 2
    result = maths.icc_oneway(ratings)
    assert result.k == pytest.approx(k0)
    assert result.single == pytest.approx((msb - msw) / (msb + (k0 - 1) * msw))


def test_icc_without_enough_data():
    assert maths.icc_oneway({"p": [1, 2]}).single is None
    assert maths.icc_oneway({"p": [5, 5], "q": [5, 5]}).single is None


def reference_alpha(ratings):
    jurors = sorted({j for values in ratings.values() for j in values})
    units = sorted(ratings)
    data = np.array([[ratings[u].get(j, np.nan) for u in units] for j in jurors], dtype=float)
    return krippendorff.alpha(reliability_data=data, level_of_measurement="interval")


def test_alpha_matches_the_reference_library_with_missing_scores():
    # Krippendorff's own example (2011): 4 coders, 12 units, with gaps.
    coders = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ]
    ratings = {
        unit: {coder: row[unit] for coder, row in enumerate(coders) if row[unit] is not None}
        for unit in range(12)
    }
    ours = maths.krippendorff_alpha({u: list(v.values()) for u, v in ratings.items()})
    assert ours == pytest.approx(reference_alpha(ratings))
    assert round(ours, 3) == 0.849  # the interval alpha Krippendorff reports for this data


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.integers(0, 20),
        st.dictionaries(st.integers(0, 5), st.integers(0, 100), min_size=0, max_size=6),
        min_size=2,
        max_size=15,
    )
)
def test_alpha_agrees_with_the_reference_on_any_incomplete_design(ratings):
    ours = maths.krippendorff_alpha({u: list(v.values()) for u, v in ratings.items()})
    pairable = [v for v in ratings.values() if len(v) >= 2]
    values = [x for v in pairable for x in v.values()]
    if not pairable or len(set(values)) < 2:
        assert ours is None
        return
    assert ours == pytest.approx(reference_alpha(ratings), abs=1e-9)


def test_severity_against_the_other_jurors():
    totals = {("A", 1): 60, ("B", 1): 80, ("C", 1): 70, ("A", 2): 50, ("B", 2): 70}
    result = maths.severity(totals)
    # A: proposal 1: 60 − 75 = −15; proposal 2: 50 − 70 = −20 → −17.5
    assert result == {"A": -17.5, "B": pytest.approx((80 - 65 + 20) / 2), "C": 0.0}


def test_spread():
    assert maths.spread([60, 95, 80]) == 35
    assert maths.spread([80]) == 0


# --- The assigner ---------------------------------------------------------------------------------


def test_assign_balances_and_respects_conflicts():
    plan = maths.assign(range(6), "ABCD", 2, conflicts={("A", 0), ("B", 0)})
    assert plan.short == {}
    assert {j for j, p in plan.pairs if p == 0} == {"C", "D"}
    loads = [sum(1 for j, _p in plan.pairs if j == juror) for juror in "ABCD"]
    assert sorted(loads) == [3, 3, 3, 3]


def test_assign_prefers_expertise_and_reports_what_it_cannot_fill():
    plan = maths.assign(
        ["health", "school"],
        ["dr", "teacher", "x"],
        1,
        expertise={"dr": {"kesehatan"}, "teacher": {"pendidikan"}},
        topic={"health": "kesehatan", "school": "pendidikan"},
    )
    assert sorted(plan.pairs) == [("dr", "health"), ("teacher", "school")]
    short = maths.assign([1, 2], ["A"], 2, cap=1)
    assert short.short == {1: 2, 2: 1} or short.short == {1: 1, 2: 2}
    assert len(short.pairs) == 1


def test_assign_keeps_existing_assignments():
    plan = maths.assign([1], "ABC", 2, existing={("A", 1)})
    assert len(plan.pairs) == 1 and plan.pairs[0][0] != "A"


problems = st.integers(1, 25).flatmap(
    lambda n_props: st.integers(1, 8).flatmap(
        lambda n_jur: st.tuples(
            st.just(list(range(n_props))),
            st.just([f"j{i}" for i in range(n_jur)]),
            st.integers(1, 4),
            st.sets(
                st.tuples(
                    st.sampled_from([f"j{i}" for i in range(n_jur)]), st.integers(0, n_props - 1)
                )
            ),
            st.sets(
                st.tuples(
                    st.sampled_from([f"j{i}" for i in range(n_jur)]), st.integers(0, n_props - 1)
                ),
                max_size=5,
            ),
            st.one_of(st.none(), st.integers(1, 10)),
        )
    )
)


@settings(max_examples=300, deadline=None)
@given(problems)
def test_the_assigner_never_gives_a_conflicted_or_duplicate_assignment(problem):
    proposals, jurors, k, conflicts, existing, cap = problem
    existing = {pair for pair in existing if pair not in conflicts}
    plan = maths.assign(proposals, jurors, k, conflicts=conflicts, existing=existing, cap=cap)
    new = plan.pairs
    assert not set(new) & conflicts
    assert len(new) == len(set(new))
    assert not set(new) & existing
    everything = set(new) | existing
    for proposal in proposals:
        count = sum(1 for _j, p in everything if p == proposal)
        have_before = sum(1 for _j, p in existing if p == proposal)
        assert count == max(k, have_before) or plan.short.get(proposal, 0) == k - count
    if cap is not None:
        for juror in jurors:
            added = sum(1 for j, _p in new if j == juror)
            before = sum(1 for j, _p in existing if j == juror)
            assert added == 0 or before + added <= cap


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 40), st.integers(2, 9), st.integers(1, 3))
def test_without_constraints_the_load_differs_by_at_most_one(n_props, n_jurors, k):
    k = min(k, n_jurors)
    jurors = [f"j{i}" for i in range(n_jurors)]
    plan = maths.assign(range(n_props), jurors, k)
    loads = [sum(1 for j, _p in plan.pairs if j == juror) for juror in jurors]
    assert plan.short == {}
    assert max(loads) - min(loads) <= 1
    assert not math.isnan(sum(loads))
