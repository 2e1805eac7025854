"""The automatic assigner, proved on random problems: never a conflicted or duplicate pair,
every cap respected, k jurors for every proposal whenever an assignment within the rules
exists (checked against a maximum flow computed here independently), and a shortfall reported
exactly otherwise. Then the same promises through the service, against the database, where the
conflicts come from roles, panel seats, recusals, mentoring, authorship and innovators' names."""

import random
from collections import Counter, deque

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from siwanda.accounts.models import Role, RoleAssignment
from siwanda.competitions.models import Category
from siwanda.innovations.models import Innovator
from siwanda.judging import maths
from siwanda.judging import services as judging
from siwanda.judging.conflicts import conflicts as find_conflicts
from siwanda.judging.models import Assignment, Recusal
from siwanda.mentoring.models import Assignment as MentorAssignment
from siwanda.proposals.models import Proposal
from tests.factories import AgencyFactory, person_with_role

from .conftest import passed_proposals

# --- A reference: the largest number of new pairs any assignment within the rules can give ----


def max_new_pairs(proposals, jurors, k, conflicts, existing, cap) -> int:
    """Edmonds–Karp on source → proposal (what it still needs) → juror (free of conflict, not
    already assigned) → sink (what is left of the juror's cap)."""
    have = Counter(p for _j, p in existing)
    load = Counter(j for j, _p in existing)
    unlimited = len(proposals) * max(k, 1)
    capacity: dict = {}

    def edge(a, b, c):
        capacity[(a, b)] = capacity.get((a, b), 0) + c
        capacity.setdefault((b, a), 0)

    for p in proposals:
        edge("source", ("p", p), max(0, k - have[p]))
        for j in jurors:
            if (j, p) not in conflicts and (j, p) not in existing:
                edge(("p", p), ("j", j), 1)
    for j in jurors:
        limit = cap.get(j) if isinstance(cap, dict) else cap
        edge(("j", j), "sink", unlimited if limit is None else max(0, limit - load[j]))
    neighbours: dict = {}
    for a, b in capacity:
        neighbours.setdefault(a, []).append(b)
    flow = 0
    while True:
        parent = {"source": None}
        queue = deque(["source"])
        while queue and "sink" not in parent:
            node = queue.popleft()
            for nxt in neighbours.get(node, []):
                if nxt not in parent and capacity[(node, nxt)] > 0:
                    parent[nxt] = node
                    queue.append(nxt)
        if "sink" not in parent:
            return flow
        node = "sink"
        while parent[node] is not None:
            capacity[(parent[node], node)] -= 1
            capacity[(node, parent[node])] += 1
            node = parent[node]
        flow += 1


def test_the_reference_flow_by_hand():
    # Three jurors with a cap of one; A may judge 0 and 1, B 1 and 2, C only 2.
    conflicts = {("A", 2), ("B", 0), ("C", 0), ("C", 1)}
    assert max_new_pairs([0, 1, 2], "ABC", 1, conflicts, set(), 1) == 3
    assert max_new_pairs([0, 1, 2], "ABC", 2, conflicts, set(), 1) == 3
    assert max_new_pairs([0, 1], "AB", 2, set(), {("A", 0)}, None) == 3


def test_a_full_assignment_is_found_where_the_greedy_choice_strands_a_proposal():
    # Served first (fewest free jurors), proposal 2 takes its only juror B; proposal 0 then
    # takes A, the first of its two, and proposal 1 is left with A and B both full. The only
    # full assignment gives 0 to C, 1 to A and 2 to B.
    conflicts = {("A", 2), ("B", 0), ("C", 2), ("C", 1)}
    plan = maths.assign([0, 1, 2], "ABC", 1, conflicts=conflicts, cap=1)
    assert plan.short == {}
    assert sorted(plan.pairs) == [("A", 1), ("B", 2), ("C", 0)]


def test_a_juror_without_a_cap_takes_the_rest_when_capped_ones_run_out():
    # A and B may take one proposal each and C any number; with k = 2 for four proposals the
    # best is 6 pairs (C on all four, A and B on one each), short 2.
    plan = maths.assign(range(4), "ABC", 2, cap={"A": 1, "B": 1, "C": None})
    assert len(plan.pairs) == 6
    assert sum(plan.short.values()) == 2
    assert Counter(j for j, _p in plan.pairs) == {"A": 1, "B": 1, "C": 4}


# --- Random problems ------------------------------------------------------------------------------


@st.composite
def problems(draw):
    n_props = draw(st.integers(1, 12))
    n_jurors = draw(st.integers(1, 7))
    proposals = list(range(n_props))
    jurors = [f"j{i}" for i in range(n_jurors)]
    pair = st.tuples(st.sampled_from(jurors), st.sampled_from(proposals))
    conflicts = draw(st.sets(pair, max_size=n_props * n_jurors // 2))
    existing = draw(st.sets(pair, max_size=4)) - conflicts
    cap = draw(
        st.one_of(
            st.none(),
            st.integers(0, 6),
            st.fixed_dictionaries({j: st.one_of(st.none(), st.integers(0, 6)) for j in jurors}),
        )
    )
    topics = ["kesehatan", "pendidikan", "ekonomi"]
    expertise = draw(
        st.fixed_dictionaries({j: st.sets(st.sampled_from(topics), max_size=2) for j in jurors})
    )
    topic = draw(
        st.fixed_dictionaries({p: st.one_of(st.none(), st.sampled_from(topics)) for p in proposals})
    )
    topic = {p: t for p, t in topic.items() if t is not None}
    k = draw(st.integers(1, 4))
    return proposals, jurors, k, conflicts, existing, cap, expertise, topic


def limit_of(cap, juror):
    return cap.get(juror) if isinstance(cap, dict) else cap


@settings(max_examples=200, deadline=None)
@given(problems())
def test_the_assigner_keeps_every_rule_and_fills_whatever_can_be_filled(problem):
    proposals, jurors, k, conflicts, existing, cap, expertise, topic = problem
    plan = maths.assign(
        proposals,
        jurors,
        k,
        conflicts=conflicts,
        existing=existing,
        cap=cap,
        expertise=expertise,
        topic=topic,
    )
    new = plan.pairs
    # Never a conflicted pair, never a pair twice, never one that already exists.
    assert not set(new) & conflicts
    assert len(new) == len(set(new))
    assert not set(new) & existing
    assert {j for j, _p in new} <= set(jurors) and {p for _j, p in new} <= set(proposals)
    # Caps: what a juror already had counts; the assigner never adds beyond the cap.
    load = Counter(j for j, _p in existing)
    added = Counter(j for j, _p in new)
    for juror in jurors:
        limit = limit_of(cap, juror)
        if limit is not None and added[juror]:
            assert load[juror] + added[juror] <= limit
    # Each proposal: k jurors in all, or the shortfall reported exactly.
    have = Counter(p for _j, p in existing)
    got = Counter(p for _j, p in new)
    for proposal in proposals:
        missing = max(0, k - have[proposal])
        assert got[proposal] + plan.short.get(proposal, 0) == missing
    assert all(n > 0 for n in plan.short.values())
    # Nothing more could be filled by any assignment within the rules...
    best = max_new_pairs(proposals, jurors, k, conflicts, existing, cap)
    assert len(new) == best
    demand = sum(max(0, k - have[p]) for p in proposals)
    assert (plan.short == {}) == (best == demand)
    # ...and in particular no short proposal has a free juror with room left.
    for proposal in plan.short:
        for juror in jurors:
            limit = limit_of(cap, juror)
            pair = (juror, proposal)
            if pair in conflicts or pair in existing or pair in new:
                continue
            assert limit is not None and load[juror] + added[juror] >= limit


@settings(max_examples=200, deadline=None)
@given(problems())
def test_without_caps_experts_come_before_anyone_else(problem):
    proposals, jurors, k, conflicts, existing, _cap, expertise, topic = problem
    plan = maths.assign(
        proposals,
        jurors,
        k,
        conflicts=conflicts,
        existing=existing,
        expertise=expertise,
        topic=topic,
    )
    on = {(j, p) for j, p in [*plan.pairs, *existing]}
    for juror, proposal in plan.pairs:
        wanted = topic.get(proposal)
        if wanted is None or wanted in expertise[juror]:
            continue
        # A juror without the expertise was chosen: every expert free to judge it already does.
        for expert in jurors:
            if wanted in expertise[expert] and (expert, proposal) not in conflicts:
                assert (expert, proposal) in on


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 30),
    st.integers(1, 8),
    st.integers(1, 5),
    st.one_of(st.none(), st.integers(1, 12)),
)
def test_the_same_cap_for_everyone_keeps_the_load_within_one(n_props, n_jurors, k, cap):
    jurors = [f"j{i}" for i in range(n_jurors)]
    plan = maths.assign(range(n_props), jurors, k, cap=cap)
    loads = Counter(j for j, _p in plan.pairs)
    counts = [loads[j] for j in jurors]
    assert max(counts) - min(counts) <= 1
    assert cap is None or max(counts) <= cap
    possible = (
        min(k, n_jurors) * n_props
        if cap is None
        else min(min(k, n_jurors) * n_props, cap * n_jurors)
    )
    assert len(plan.pairs) == possible
    assert sum(plan.short.values()) == k * n_props - possible


# --- Through the service, against the database ------------------------------------------------


@pytest.fixture
def crowd(people, competition, screened, jurors, luwu_utara):
    """Twelve proposals of nine agencies (three of them under Dinas Kesehatan), in three
    categories, and eight jurors of Luwu Utara."""
    health = people["agency"]
    under = [
        AgencyFactory(region=luwu_utara, name=f"Puskesmas {n}", parent=health) for n in range(3)
    ]
    extra = passed_proposals(competition, under) + passed_proposals(
        competition, [people["other_agency"]], per_agency=3
    )
    categories = [
        Category.objects.create(competition=competition, name=name, order=n)
        for n, name in enumerate(["Kesehatan", "Pendidikan", "Ekonomi"])
    ]
    proposals = [*screened, *extra]
    for n, proposal in enumerate(proposals):
        Proposal.objects.filter(pk=proposal.pk).update(category=categories[n % 3])
    panel = [
        *jurors,
        *(
            person_with_role(
                Role.JUROR, region=luwu_utara, full_name=f"Dr. Juri Tambahan {n}, M.Si"
            )
            for n in range(3)
        ),
    ]
    return {
        "proposals": list(Proposal.objects.filter(pk__in=[p.pk for p in proposals])),
        "agencies": [health, people["other_agency"], *under, *(p.agency for p in screened[2:])],
        "categories": categories,
        "jurors": panel,
    }


def scatter_conflicts(rng, crowd, secretariat, stage):
    """Seat the panel with random agencies, expertise and caps, and give random jurors every
    kind of tie to random proposals."""
    proposals, jurors = crowd["proposals"], crowd["jurors"]
    for juror in jurors:
        judging.panel_add(
            actor=secretariat,
            stage=stage,
            juror=juror,
            agency=rng.choice([None, None, None, *crowd["agencies"]]),
            expertise=[str(c.pk) for c in rng.sample(crowd["categories"], rng.randint(0, 2))],
            max_load=rng.choice([None, None, 2, 3, 4, 6]),
        )
    for juror in rng.sample(jurors, 2):
        RoleAssignment.objects.create(
            user=juror,
            role=rng.choice([Role.OPERATOR, Role.AGENCY_HEAD]),
            region=stage.competition.region,
            agency=rng.choice(crowd["agencies"]),
        )
    for juror, proposal in {(rng.choice(jurors), rng.choice(proposals)) for _ in range(5)}:
        Recusal.objects.create(juror=juror, proposal=proposal, reason="Keluarga")
    mentor = rng.choice(jurors)
    MentorAssignment.objects.create(mentor=mentor, agency=rng.choice(crowd["agencies"]))
    MentorAssignment.objects.create(mentor=rng.choice(jurors), proposal=rng.choice(proposals))
    named = rng.choice(jurors)
    Innovator.objects.create(
        innovation=rng.choice(proposals).innovation, name=f"Ir. {named.full_name.upper()}, S.T."
    )
    Proposal.objects.filter(pk=rng.choice(proposals).pk).update(created_by=rng.choice(jurors))


@pytest.mark.parametrize("seed", [3, 17, 2024, 90210])
def test_automatic_assignment_in_the_database_is_never_conflicted_nor_duplicated(
    people, crowd, stages, seed
):
    rng = random.Random(seed)
    secretariat = people["secretariat"]
    stage = judging.stage_save(
        actor=secretariat,
        competition=stages[0].competition,
        stage=stages[0],
        jurors_per_proposal=rng.randint(1, 4),
        max_per_juror=rng.choice([None, 4, 6]),
    )
    scatter_conflicts(rng, crowd, secretariat, stage)
    judging.entries_sync(stage=stage)
    proposals = list(Proposal.objects.filter(stage_entries__stage=stage))
    assert len(proposals) == 12
    panel = dict(stage.panel.values_list("juror_id", "agency_id"))
    conflicted = find_conflicts(juror_ids=panel, proposals=proposals, panel_agencies=panel)
    assert conflicted, "the scattered ties make some pairs conflicted"
    # One pair given by hand first: the automatic assigner must not give it again.
    juror, proposal = next(
        (j, p.pk) for p in proposals for j in panel if (j, p.pk) not in conflicted
    )
    Assignment.objects.create(
        stage=stage, juror_id=juror, proposal_id=proposal, method=Assignment.Method.MANUAL
    )

    planned, _by_id = judging.automatic_plan(stage)
    plan = judging.assign_automatic(actor=secretariat, stage=stage)
    assert sorted(plan.pairs) == sorted(planned.pairs)

    pairs = list(stage.assignments.values_list("juror_id", "proposal_id"))
    assert len(pairs) == len(set(pairs)) == len(plan.pairs) + 1
    assert not set(pairs) & conflicted.keys()
    # The conflicts as computed afresh now (nothing changed since) agree.
    assert (
        not set(pairs)
        & find_conflicts(juror_ids=panel, proposals=proposals, panel_agencies=panel).keys()
    )
    caps = {m.juror_id: m.max_load or stage.max_per_juror for m in stage.panel.all()}
    loads = Counter(j for j, _p in pairs)
    for juror_id, limit in caps.items():
        assert limit is None or loads[juror_id] <= limit
    counts = Counter(p for _j, p in pairs)
    for p in proposals:
        assert counts[p.pk] + plan.short.get(p.pk, 0) == stage.jurors_per_proposal
    best = max_new_pairs(
        [p.pk for p in proposals],
        list(panel),
        stage.jurors_per_proposal,
        set(conflicted),
        {(juror, proposal)},
        caps,
    )
    assert len(plan.pairs) == best
