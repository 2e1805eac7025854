"""Reads for judging: a juror's work and progress, the ranking as each person may see it, and
the other jurors' scores only when the stage allows it; conflicted pairs never show."""

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from siwanda.accounts.models import Role, RoleAssignment
from siwanda.judging import selectors, services
from siwanda.judging.models import Stage
from tests.helpers import login

from .conftest import passed_proposals, score_sheet


def fresh(user):
    """The person as a new request would load them (permissions are cached per object)."""
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def seven(people, competition, stages, screened, jurors):
    """The desk evaluation with a seventh proposal, all seven given to Juri 0 (and the first
    three to Juri 1 too), open for scoring."""
    sec = people["secretariat"]
    [extra] = passed_proposals(competition, [people["other_agency"]])
    desk = stages[0]
    for juror in jurors[:2]:
        services.panel_add(actor=sec, stage=desk, juror=juror)
    services.entries_sync(stage=desk)
    proposals = [*screened, extra]
    for proposal in proposals:
        services.assignment_add(actor=sec, stage=desk, juror=jurors[0], proposal=proposal)
    for proposal in proposals[:3]:
        services.assignment_add(actor=sec, stage=desk, juror=jurors[1], proposal=proposal)
    return services.stage_open(actor=sec, stage=desk), proposals


def test_a_jurors_work_and_progress(client, seven, jurors):
    stage, proposals = seven
    mine = {a.proposal_id: a for a in stage.assignments.filter(juror=jurors[0])}
    for proposal in proposals[:3]:
        score_sheet(mine[proposal.pk], 70)
    score_sheet(mine[proposals[3].pk], 70, submit=False)
    [work] = selectors.juror_work(jurors[0])
    assert work.stage == stage
    assert (work.done, work.total) == (3, 7)
    flags = {a.proposal_id: (a.submitted, a.started) for a in work.assignments}
    assert flags == {
        **{p.pk: (True, True) for p in proposals[:3]},
        proposals[3].pk: (False, True),
        **{p.pk: (False, False) for p in proposals[4:]},
    }
    [other] = selectors.juror_work(jurors[1])
    assert (other.done, other.total) == (0, 3)
    login(client, jurors[0])
    page = client.get(reverse("judging:my_assignments")).content.decode()
    assert "3 of 7 done" in page
    assert proposals[6].title in page


def test_work_shows_only_stages_being_scored_or_closed(people, assigned, jurors):
    assert selectors.juror_work(jurors[0]) == []
    services.stage_open(actor=people["secretariat"], stage=assigned)
    assert [w.stage for w in selectors.juror_work(jurors[0])] == [assigned]
    assert selectors.juror_work(people["juror"]) == []


def test_an_assignment_voided_by_a_later_conflict_disappears(seven, jurors):
    stage, proposals = seven
    health = proposals[0].agency
    voided = stage.assignments.get(juror=jurors[0], proposal=proposals[0])
    assert selectors.assignment_for_juror(jurors[0], voided.pk) == voided
    # Juri 0 becomes head of Dinas Kesehatan, which proposed proposals[0].
    RoleAssignment.objects.create(
        user=jurors[0], role=Role.AGENCY_HEAD, region=health.region, agency=health
    )
    [work] = selectors.juror_work(jurors[0])
    assert work.total == 6
    assert proposals[0].pk not in {a.proposal_id for a in work.assignments}
    with pytest.raises(Http404):
        selectors.assignment_for_juror(jurors[0], voided.pk)
    assert proposals[0].pk not in selectors.juror_assignments_in(jurors[0], stage)
    # Nobody else's assignment is ever reached through the juror.
    theirs = stage.assignments.filter(juror=jurors[1]).first()
    with pytest.raises(Http404):
        selectors.assignment_for_juror(jurors[0], theirs.pk)


def test_the_work_list_costs_the_same_queries_for_more_assignments(seven, jurors):
    def queries(juror):
        with CaptureQueriesContext(connection) as captured:
            work = selectors.juror_work(juror)
        return len(captured.captured_queries), sum(w.total for w in work)

    few, three = queries(jurors[1])
    many, seven_ = queries(jurors[0])
    assert (three, seven_) == (3, 7)
    assert few == many


# --- The ranking ----------------------------------------------------------------------------------


def test_a_conflicted_panel_member_does_not_see_the_proposal_in_the_ranking(
    people, closed, jurors, screened
):
    # Juri 4 works in Dinas Kesehatan, which proposed screened[0].
    member = fresh(jurors[4])
    assert member.has_perm("judging.view_ranking", closed)
    view = selectors.ranking_view(closed, member)
    assert view.hidden == 1
    assert screened[0].pk not in {r.proposal for r in view.result.rows}
    assert screened[0].pk not in view.proposals
    assert len(view.result.rows) == 5
    # The secretariat and the chair see every proposal.
    for person in (people["secretariat"], jurors[0]):
        view = selectors.ranking_view(closed, fresh(person))
        assert view.hidden == 0
        assert {r.proposal for r in view.result.rows} == {p.pk for p in screened}
        assert set(view.proposals) == {p.pk for p in screened}
    assert [j.pk for j in view.jurors] == sorted(
        {j for r in view.result.rows for j in r.jurors},
        key=lambda pk: next(x.full_name for x in jurors if x.pk == pk),
    )
    assert set(view.moderations) == {screened[1].pk}


def test_the_ranking_is_hidden_from_jurors_while_scoring(people, competition, scoring, jurors):
    member = fresh(jurors[1])
    assert not member.has_perm("judging.view_ranking", scoring)
    assert not fresh(jurors[0]).has_perm("judging.view_ranking", scoring)  # the chair too
    assert not fresh(people["juror"]).has_perm("judging.view_ranking", scoring)
    services.stage_save(
        actor=people["secretariat"], competition=competition, stage=scoring, jurors_see_scores=True
    )
    assert fresh(jurors[1]).has_perm("judging.view_ranking", Stage.objects.get(pk=scoring.pk))
    assert not fresh(people["juror"]).has_perm(
        "judging.view_ranking", Stage.objects.get(pk=scoring.pk)
    )


# --- The other jurors' scores ---------------------------------------------------------------------


def shared(stage, jurors):
    """A proposal judged by both Juri 1 and Juri 2, and their two assignments."""
    for a in stage.assignments.filter(juror=jurors[1]):
        other = stage.assignments.filter(juror=jurors[2], proposal=a.proposal).first()
        if other is not None:
            return a, other
    raise AssertionError("the automatic assignment gives them a proposal in common")


def test_peer_scores_are_hidden_until_the_stage_closes(people, competition, scoring, jurors):
    mine, theirs = shared(scoring, jurors)
    score_sheet(mine, 60)
    score_sheet(theirs, 80)
    assert selectors.peer_totals(mine) is None
    services.stage_close(actor=people["secretariat"], stage=scoring)
    mine = type(mine).objects.select_related("stage__rubric").get(pk=mine.pk)
    peers = selectors.peer_totals(mine)
    assert [(user.pk, round(total, 6)) for user, total in peers if user.pk == jurors[2].pk] == [
        (jurors[2].pk, 80.0)
    ]
    assert jurors[1].pk not in {user.pk for user, _t in peers}


def test_peer_scores_show_while_scoring_when_the_stage_allows_it(
    people, competition, scoring, jurors
):
    mine, theirs = shared(scoring, jurors)
    score_sheet(mine, 60)
    services.stage_save(
        actor=people["secretariat"], competition=competition, stage=scoring, jurors_see_scores=True
    )
    mine = type(mine).objects.select_related("stage__rubric").get(pk=mine.pk)
    # Only submitted sheets show.
    assert jurors[2].pk not in {user.pk for user, _t in selectors.peer_totals(mine)}
    score_sheet(theirs, 80)
    totals = {user.pk: total for user, total in selectors.peer_totals(mine)}
    assert totals[jurors[2].pk] == pytest.approx(80)
    assert jurors[1].pk not in totals


def test_a_conflicted_peer_never_appears(people, competition, scoring, jurors):
    mine, theirs = shared(scoring, jurors)
    score_sheet(mine, 60)
    score_sheet(theirs, 80)
    services.stage_save(
        actor=people["secretariat"], competition=competition, stage=scoring, jurors_see_scores=True
    )
    agency = theirs.proposal.agency
    RoleAssignment.objects.create(
        user=jurors[2], role=Role.OPERATOR, region=agency.region, agency=agency
    )
    mine = type(mine).objects.select_related("stage__rubric").get(pk=mine.pk)
    assert jurors[2].pk not in {user.pk for user, _t in selectors.peer_totals(mine)}


# --- The secretariat's boards ---------------------------------------------------------------------


def test_the_assignment_board_lists_conflicted_members_apart(assigned, jurors, screened):
    board = {
        row.entry.proposal_id: row
        for row in selectors.assignment_board(assigned, selectors.board_entries(assigned))
    }
    assert set(board) == {p.pk for p in screened}
    row = board[screened[0].pk]
    assert [(user.pk, str(reason)) for user, reason in row.conflicted] == [
        (jurors[4].pk, "works in the proposing agency or an agency above it")
    ]
    assert jurors[4].pk not in {a.juror_id for a in row.assignments}
    assert len(row.assignments) == 3
    assert selectors.coverage(assigned) == {"unassigned": 0, "short": 0}


def test_the_panel_with_each_members_load(people, scoring, jurors):
    a = scoring.assignments.filter(juror=jurors[2]).first()
    score_sheet(a, 70)
    rows = {m.juror_id: m for m in selectors.panel_rows(scoring)}
    assert rows[jurors[2].pk].done == 1
    assert rows[jurors[2].pk].load == scoring.assignments.filter(juror=jurors[2]).count()
    assert sum(m.load for m in rows.values()) == 18
    assert selectors.panel_rows(scoring)[0].juror == jurors[0]  # the chair first
