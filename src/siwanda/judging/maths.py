"""The mathematics of judging: plain functions over plain data (no database), so that every
number of a published ranking can be recomputed and checked by hand.

Conventions:
- A juror's score for a criterion is on the rubric's scale (0–100, 1–5, 1–9…); a juror's total
  for a proposal is the weighted mean of the criteria, expressed on 0–100 whatever the scale,
  so that stages with different scales combine.
- "Not applicable" (None in `na`) and missing scores leave the criterion out: its weight is
  shared among the others. Missing scores are counted (a tie-break may use them).
"""

import statistics
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field

# --- Totals ---------------------------------------------------------------------------------------


def to_percent(value: float, low: float, high: float) -> float:
    return (value - low) / (high - low) * 100.0


def weighted_total(
    scores: dict[Hashable, float | None], weights: dict[Hashable, float], low: float, high: float
) -> float | None:
    """One juror's total for one proposal, on 0–100. Criteria without a score (not applicable or
    missing) are left out and their weight shared among the others; None when nothing is left."""
    numerator = denominator = 0.0
    for criterion, weight in weights.items():
        value = scores.get(criterion)
        if value is None or weight <= 0:
            continue
        numerator += weight * to_percent(value, low, high)
        denominator += weight
    return numerator / denominator if denominator else None


# --- Aggregation over jurors ----------------------------------------------------------------------

MEAN, MEDIAN, TRIMMED = "mean", "median", "trimmed_mean"
TRIM_SHARE = 0.2  # a trimmed mean drops this share of the scores at each end (1 of 5)


def trimmed_mean(values: list[float], share: float = TRIM_SHARE) -> float:
    """The mean without the lowest and highest `share` of the values; with fewer than three
    values there is nothing to drop and it is the plain mean."""
    ordered = sorted(values)
    if len(ordered) < 3:
        return statistics.fmean(ordered)
    cut = max(1, int(len(ordered) * share))
    return statistics.fmean(ordered[cut : len(ordered) - cut])


def aggregate(values: list[float], method: str) -> float | None:
    if not values:
        return None
    if method == MEAN:
        return statistics.fmean(values)
    if method == MEDIAN:
        return statistics.median(values)
    if method == TRIMMED:
        return trimmed_mean(values)
    raise ValueError(f"unknown aggregation method {method!r}")


# --- Normalisation --------------------------------------------------------------------------------


@dataclass
class Normalised:
    values: dict  # (juror, proposal) -> normalised total (0–100)
    raw_jurors: set  # jurors left raw: fewer than two scores, or all their scores equal


def normalise(totals: dict[tuple, float]) -> Normalised:
    """Per-juror z-scores, rescaled to the panel's overall mean and spread, for when jurors score
    different subsets: a strict juror's 60 and a lenient juror's 80 may mean the same.

    A juror with fewer than two scores, or with all scores equal, cannot be standardised: their
    scores stay raw (and are named in `raw_jurors`, to be said on screen)."""
    by_juror: dict[Hashable, list[float]] = defaultdict(list)
    for (juror, _proposal), value in totals.items():
        by_juror[juror].append(value)
    everything = list(totals.values())
    if len(everything) < 2:
        return Normalised(dict(totals), set(by_juror))
    overall_mean = statistics.fmean(everything)
    overall_sd = statistics.pstdev(everything)
    stats, raw = {}, set()
    for juror, values in by_juror.items():
        sd = statistics.pstdev(values) if len(values) >= 2 else 0.0
        if len(values) < 2 or sd == 0:
            raw.add(juror)
        else:
            stats[juror] = (statistics.fmean(values), sd)
    result = {}
    for (juror, proposal), value in totals.items():
        if juror in raw:
            result[(juror, proposal)] = value
        else:
            mean, sd = stats[juror]
            scaled = overall_mean + (value - mean) / sd * overall_sd
            result[(juror, proposal)] = min(100.0, max(0.0, scaled))
    return Normalised(result, raw)


# --- Combining stages -----------------------------------------------------------------------------


def combine(stage_scores: dict[Hashable, dict[Hashable, float]], weights: dict[Hashable, float]):
    """Each proposal's weighted mean over the weighted stages it has a score in all of (a
    proposal eliminated earlier has no combined result); stages of weight 0 do not count."""
    counted = [stage for stage, weight in weights.items() if weight > 0]
    if not counted:
        return {}
    total_weight = sum(weights[stage] for stage in counted)
    proposals = set.intersection(*(set(stage_scores.get(stage, {})) for stage in counted))
    return {
        proposal: sum(weights[s] * stage_scores[s][proposal] for s in counted) / total_weight
        for proposal in proposals
    }


# --- Ranking and tie-breaks -----------------------------------------------------------------------


@dataclass
class Ranked:
    proposal: Hashable
    score: float
    rank: int
    tie_broken_by: str = ""  # the first tie-break that separated it from the one above


def rank(
    scores: dict[Hashable, float],
    tie_breakers: list[tuple[str, Callable[[Hashable], float]]] = (),
    places: int = 2,
) -> list[Ranked]:
    """Highest first. Scores equal once rounded to `places` decimals are tied; tie-breakers
    (name, key) apply in their published order, each key's higher value winning; proposals still
    equal share a rank (1, 2, 2, 4)."""

    def keys(proposal):
        return (round(scores[proposal], places), *(key(proposal) for _name, key in tie_breakers))

    ordered = sorted(scores, key=lambda p: (keys(p), str(p)), reverse=True)
    ranked: list[Ranked] = []
    for position, proposal in enumerate(ordered, start=1):
        mine = keys(proposal)
        if ranked:
            above = keys(ranked[-1].proposal)
            if mine == above:
                ranked.append(Ranked(proposal, scores[proposal], ranked[-1].rank))
                continue
            broken = ""
            if mine[0] == above[0]:
                first = next(i for i in range(1, len(mine)) if mine[i] != above[i])
                broken = tie_breakers[first - 1][0]
            ranked.append(Ranked(proposal, scores[proposal], position, broken))
        else:
            ranked.append(Ranked(proposal, scores[proposal], 1))
    return ranked


# --- Reliability ----------------------------------------------------------------------------------


@dataclass
class ICC:
    single: float | None  # ICC(1): reliability of one juror's score
    average: float | None  # ICC(1,k): reliability of the panel's mean
    k: float  # the (adjusted) number of jurors per proposal


def icc_oneway(ratings: dict[Hashable, list[float]]) -> ICC:
    """One-way random-effects intraclass correlation (Shrout & Fleiss ICC(1) and ICC(1,k)), for
    designs where each proposal is scored by its own set of jurors, in any number: with unequal
    numbers k is the adjusted mean k0 = (N − Σnᵢ²/N)/(g − 1). Proposals with one score are left
    out. None when it cannot be computed (fewer than two proposals, or no spread)."""
    groups = [values for values in ratings.values() if len(values) >= 2]
    g = len(groups)
    n_total = sum(len(values) for values in groups)
    if g < 2 or n_total <= g:
        return ICC(None, None, 0.0)
    grand = sum(sum(values) for values in groups) / n_total
    ss_between = sum(len(v) * (statistics.fmean(v) - grand) ** 2 for v in groups)
    ss_within = sum(sum((x - statistics.fmean(v)) ** 2 for x in v) for v in groups)
    ms_between = ss_between / (g - 1)
    ms_within = ss_within / (n_total - g)
    k0 = (n_total - sum(len(v) ** 2 for v in groups) / n_total) / (g - 1)
    if ms_between == 0:
        return ICC(None, None, k0)
    single = (ms_between - ms_within) / (ms_between + (k0 - 1) * ms_within)
    average = (ms_between - ms_within) / ms_between
    return ICC(single, average, k0)


def krippendorff_alpha(ratings: dict[Hashable, list[float]]) -> float | None:
    """Krippendorff's alpha for interval data; missing scores are simply absent from a unit's
    list. Units with fewer than two scores carry no information and are left out. None when
    every pairable value is equal (no expected disagreement)."""
    units = [values for values in ratings.values() if len(values) >= 2]
    n = sum(len(values) for values in units)
    if n < 2:
        return None
    observed = 0.0
    for values in units:
        m = len(values)
        pairs = sum(
            (a - b) ** 2 for i, a in enumerate(values) for j, b in enumerate(values) if i != j
        )
        observed += pairs / (m - 1)
    observed /= n
    pooled = [x for values in units for x in values]
    mean = statistics.fmean(pooled)
    # Σ over ordered pairs (c ≠ k) of (c − k)² = 2n Σ(x − mean)²
    expected = 2 * n * sum((x - mean) ** 2 for x in pooled) / (n * (n - 1))
    if expected == 0:
        return None
    return 1.0 - observed / expected


def severity(totals: dict[tuple, float]) -> dict[Hashable, float]:
    """Each juror's mean difference from the other jurors of the same proposals: negative is
    severe, positive lenient. Jurors who never share a proposal get no figure."""
    by_proposal: dict[Hashable, dict[Hashable, float]] = defaultdict(dict)
    for (juror, proposal), value in totals.items():
        by_proposal[proposal][juror] = value
    differences: dict[Hashable, list[float]] = defaultdict(list)
    for jurors in by_proposal.values():
        if len(jurors) < 2:
            continue
        for juror, value in jurors.items():
            others = [v for j, v in jurors.items() if j != juror]
            differences[juror].append(value - statistics.fmean(others))
    return {juror: statistics.fmean(values) for juror, values in differences.items()}


def spread(values: list[float]) -> float:
    return max(values) - min(values) if len(values) >= 2 else 0.0


# --- Assignment -----------------------------------------------------------------------------------


@dataclass
class Plan:
    pairs: list[tuple]  # new (juror, proposal) assignments
    short: dict = field(default_factory=dict)  # proposal -> how many jurors it still lacks


def assign(
    proposals: Iterable[Hashable],
    jurors: Iterable[Hashable],
    k: int,
    *,
    conflicts: set[tuple] = frozenset(),
    existing: set[tuple] = frozenset(),
    cap: int | dict | None = None,
    expertise: dict[Hashable, set] | None = None,
    topic: dict[Hashable, Hashable] | None = None,
) -> Plan:
    """Give every proposal k jurors: never a conflicted (juror, proposal) pair, never the same
    juror twice, never more than `cap` proposals per juror (one number for all, or a number
    or None per juror; existing assignments count);
    among the eligible, jurors whose expertise covers the proposal's topic first, then the least
    loaded, so the load stays balanced. The most constrained proposals are served first. What
    cannot be filled is reported in `short`, never forced."""
    jurors = sorted(set(jurors), key=str)
    proposals = sorted(set(proposals), key=str)
    expertise = expertise or {}
    topic = topic or {}
    taken = set(existing)
    limit = cap if isinstance(cap, dict) else dict.fromkeys(jurors, cap)
    load = dict.fromkeys(jurors, 0)
    have = dict.fromkeys(proposals, 0)
    for juror, proposal in taken:
        if juror in load:
            load[juror] += 1
        if proposal in have:
            have[proposal] += 1

    def free(proposal):
        return [j for j in jurors if (j, proposal) not in conflicts]

    # The most constrained proposals first: the fewest jurors free of conflict for their need.
    order = sorted(
        (p for p in proposals if have[p] < k),
        key=lambda p: (len(free(p)) - (k - have[p]), str(p)),
    )
    plan = Plan(pairs=[])
    for proposal in order:
        want = k - have[proposal]
        candidates = sorted(
            (
                j
                for j in free(proposal)
                if (j, proposal) not in taken and (limit.get(j) is None or load[j] < limit[j])
            ),
            key=lambda j: (topic.get(proposal) not in expertise.get(j, set()), load[j], str(j)),
        )[:want]
        for juror in candidates:
            taken.add((juror, proposal))
            load[juror] += 1
            plan.pairs.append((juror, proposal))
        if len(candidates) < want:
            plan.short[proposal] = want - len(candidates)
    _fill_shortfalls(plan, taken, load, limit, free)
    return plan


def _fill_shortfalls(plan: Plan, taken: set, load: dict, limit: dict, free) -> None:
    """The greedy pass can leave a proposal short although a full assignment exists (its only
    free jurors filled their cap elsewhere, where another juror could have served). Move new
    assignments along augmenting paths, as in a maximum flow, until no short proposal can gain
    a juror: a proposal is then short only when no assignment within the rules gives it one."""
    given: dict[Hashable, list] = defaultdict(list)  # juror -> proposals of new pairs (movable)
    for juror, proposal in plan.pairs:
        given[juror].append(proposal)

    def gain(proposal, seen) -> bool:
        for juror in free(proposal):
            if (juror, proposal) in taken or juror in seen:
                continue
            seen.add(juror)
            if limit.get(juror) is None or load[juror] < limit[juror]:
                load[juror] += 1
            else:
                moved = next((q for q in list(given[juror]) if gain(q, seen)), None)
                if moved is None:
                    continue
                given[juror].remove(moved)
                taken.discard((juror, moved))
                plan.pairs.remove((juror, moved))
            given[juror].append(proposal)
            taken.add((juror, proposal))
            plan.pairs.append((juror, proposal))
            return True
        return False

    seen: set = set()  # jurors no path leads on from; valid until an assignment moves
    for proposal in list(plan.short):
        while plan.short[proposal] and any(
            limit.get(j) is None or load[j] < limit[j] for j in load
        ):
            if not gain(proposal, seen):
                break
            plan.short[proposal] -= 1
            seen = set()
        if not plan.short[proposal]:
            del plan.short[proposal]
