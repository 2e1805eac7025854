"""The judging API: a juror's assignments and score sheets (/api/assignments/), and a stage's
ranking and outcomes (/api/stages/{id}/...), with every role that may and may not, the conflict
rule, bad input and query budgets.

The world is built once for the module through the services, inside a transaction rolled back at
its end (each test runs in a savepoint): a desk stage being scored, six proposals of six agencies,
a panel of five jurors each given every proposal, of whom
- "me" has scored nothing yet;
- "member" and "member2" have submitted all their sheets;
- "chair" chairs the panel and now works for Dinas Kesehatan: in conflict with its proposal P0,
  their assignment to it is void (it stays in the database);
- "recused" declared a conflict of interest with P1 (the assignment is gone).
"""

import datetime
import json
from decimal import Decimal

import pytest
from django.utils import timezone
from drf_spectacular.validation import validate_schema

from siwanda.accounts.models import Role
from siwanda.competitions.models import Competition
from siwanda.judging import services
from siwanda.judging.models import Assignment, Entry, Moderation, Score, Sheet, Stage
from siwanda.judging.ranking import stage_result
from tests.api.conftest import make_competition
from tests.factories import AgencyFactory, person_with_role
from tests.helpers import assert_constant_queries
from tests.judging.conftest import passed_proposals

ASSIGNMENTS = "/api/assignments/"
BASE = [85, 78, 70, 62, 55, 48]  # the proposals' usual score, P0 to P5
OFFSET = {"member": 0, "member2": -3, "chair": 4, "recused": 1, "me": 2}
JURORS = {
    "me": "Juri Satu",
    "member": "Juri Dua",
    "member2": "Juri Tiga",
    "chair": "Ketua Panel Andi",
    "recused": "Juri Mundur Budi",
}


def value_for(juror, index):
    """member gives P4 far more than the others: P4 is flagged for moderation."""
    if (juror, index) == ("member", 4):
        return 90
    return BASE[index] + OFFSET[juror]


def score_all(juror, who, assignment, index, criteria, submit=True):
    """Score every criterion of the sheet (the second 5 points below the first), then submit."""
    for n, criterion in enumerate(criteria):
        services.score_save(
            actor=juror,
            assignment=assignment,
            criterion=criterion,
            value=value_for(who, index) - 5 * n,
        )
    if submit:
        services.sheet_submit(actor=juror, assignment=assignment)


def build_judging(people, region) -> dict:
    """The stage being scored (see the module's docstring), through the services."""
    secretariat = people["secretariat"]
    competition = make_competition(
        region, [people["agency"], people["other_agency"]], name="KIPP Uji Penjurian"
    )
    agencies = [people["agency"], people["other_agency"]] + [
        AgencyFactory(region=region, name=f"Kecamatan Uji {n}") for n in range(4)
    ]
    proposals = passed_proposals(competition, agencies)
    Competition.objects.filter(pk=competition.pk).update(
        status=Competition.Status.SCREENING,
        deadline_at=timezone.now() - datetime.timedelta(days=1),
    )
    competition.refresh_from_db()
    jurors = {
        key: person_with_role(Role.JUROR, region=region, full_name=name)
        for key, name in JURORS.items()
    }
    stage = services.stage_save(
        actor=secretariat,
        competition=competition,
        kind=Stage.Kind.DESK,
        name="Penilaian proposal",
        name_en="Proposal evaluation",
        ends_on=timezone.localdate() + datetime.timedelta(days=7),
        advancement=Stage.Advancement.TOP_N,
        top_n=3,
        jurors_per_proposal=3,
        tie_breakers=["heaviest_criterion", "fewer_missing"],
    )
    rubric = services.rubric_save(
        actor=secretariat,
        stage=stage,
        name="Rubrik uji",
        name_en="Test rubric",
        scale_min=Decimal(0),
        scale_max=Decimal(100),
        step=Decimal(1),
        allow_na=True,
        comment_at_or_below=Decimal(10),
        comment_at_or_above=Decimal(95),
    )
    criteria = [
        services.criterion_save(
            actor=secretariat,
            rubric=rubric,
            name="Substansi",
            name_en="Substance",
            weight=Decimal(70),
            levels=[
                {"min": 51, "max": 100, "label": "Baik", "label_en": "Good"},
                {"min": 0, "max": 50, "label": "Kurang", "label_en": "Poor"},
            ],
        ),
        services.criterion_save(
            actor=secretariat, rubric=rubric, name="Penyajian", name_en="Delivery", weight=30
        ),
    ]
    members = {
        key: services.panel_add(
            actor=secretariat, stage=stage, juror=juror, is_chair=key == "chair"
        )
        for key, juror in jurors.items()
    }
    services.assign_bulk(actor=secretariat, stage=stage, juror_ids=[j.pk for j in jurors.values()])
    services.stage_open(actor=secretariat, stage=stage)
    # Conflicts arising once scoring is open: the chair moves to Dinas Kesehatan, and the
    # "recused" juror declares one.
    services.panel_update(actor=secretariat, member=members["chair"], agency=people["agency"])
    recused = jurors["recused"]
    services.recusal_declare(
        actor=recused,
        assignment=Assignment.objects.get(juror=recused, proposal=proposals[1]),
        reason="Adik saya inovatornya",
    )
    stage.refresh_from_db()
    for key in ("member", "member2", "chair", "recused"):
        for index, proposal in enumerate(proposals):
            if (key, index) == ("chair", 0):
                continue  # void: the chair is in conflict with P0
            assignment = stage.assignments.filter(juror=jurors[key], proposal=proposal).first()
            if assignment is not None:  # None: recused
                score_all(jurors[key], key, assignment, index, criteria)
    return {
        **people,
        **jurors,
        "competition": competition,
        "stage": stage,
        "criteria": criteria,
        "proposals": proposals,
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from django.db import transaction

    from siwanda.regions.models import Region
    from tests.builders import make_people

    with django_db_blocker.unblock(), transaction.atomic():
        region = Region.objects.get(code="73.22")
        people = make_people(region, Region.objects.get(code="73.24"))
        yield build_judging(people, region)
        transaction.set_rollback(True)


@pytest.fixture
def people(world):
    """Everyone of the world, for the API client fixture `as_` (tests/api/conftest.py)."""
    return world


def assignment_of(world, who, index) -> Assignment:
    return Assignment.objects.select_related("stage__rubric", "proposal").get(
        juror=world[who], proposal=world["proposals"][index], calibration=False
    )


def detail_url(assignment):
    return f"{ASSIGNMENTS}{assignment.pk}/"


def score_url(assignment, criterion):
    return f"{ASSIGNMENTS}{assignment.pk}/scores/{criterion.pk}/"


def submit_url(assignment):
    return f"{ASSIGNMENTS}{assignment.pk}/submit/"


def ranking_url(stage):
    return f"/api/stages/{stage.pk}/ranking/"


def outcomes_url(stage):
    return f"/api/stages/{stage.pk}/outcomes/"


def apply_url(stage):
    return f"/api/stages/{stage.pk}/outcomes/apply/"


def close(world):
    services.stage_close(actor=world["secretariat"], stage=world["stage"])


def titles(items):
    return {item["proposal"]["title"] for item in items}


# --- My assignments ---------------------------------------------------------------------------


def test_a_juror_lists_their_assignments_with_progress_and_due_date(db, world, as_):
    api = as_("me")
    body = api.get(ASSIGNMENTS).json()
    assert (body["count"], body["next"], body["previous"]) == (6, None, None)
    assert titles(body["results"]) == {p.title for p in world["proposals"]}
    stage = world["stage"]
    for item in body["results"]:
        assert item["sheet_status"] == ""
        assert item["calibration"] is False
        assert item["stage"]["id"] == stage.pk
        assert (item["stage"]["name"], item["stage"]["status"]) == (
            "Proposal evaluation",
            "scoring",
        )
        assert (item["stage"]["done"], item["stage"]["total"]) == (0, 6)
        assert item["stage"]["competition"]["id"] == world["competition"].pk
        assert item["stage"]["due_on"] == stage.ends_on.isoformat()
        # Due at the end of the day in the organiser's zone (Luwu Utara: WITA, UTC+8).
        due = datetime.datetime.fromisoformat(item["stage"]["due_at"])
        assert (due.date(), due.time(), due.utcoffset()) == (
            stage.ends_on,
            datetime.time(23, 59, 59),
            datetime.timedelta(hours=8),
        )
    first = next(i for i in body["results"] if i["proposal"]["id"] == world["proposals"][0].pk)
    assert first["proposal"]["agency"]["name"] == "Dinas Kesehatan"
    assert first["proposal"]["group"]["name"] == "General"

    score_all(world["me"], "me", assignment_of(world, "me", 2), 2, world["criteria"])
    body = api.get(ASSIGNMENTS).json()
    assert {i["stage"]["done"] for i in body["results"]} == {1}
    submitted = [i for i in body["results"] if i["sheet_status"] == "submitted"]
    assert [i["proposal"]["id"] for i in submitted] == [world["proposals"][2].pk]


@pytest.mark.parametrize(("who", "gone", "done"), [("chair", 0, 5), ("recused", 1, 5)])
def test_conflicted_and_recused_proposals_are_never_listed(db, world, as_, who, gone, done):
    body = as_(who).get(ASSIGNMENTS).json()
    proposals = world["proposals"]
    assert body["count"] == 5
    assert titles(body["results"]) == {p.title for p in proposals} - {proposals[gone].title}
    assert {(i["stage"]["done"], i["stage"]["total"]) for i in body["results"]} == {(done, 5)}


def test_the_list_filters_by_stage(db, world, as_):
    api = as_("me")
    assert api.get(ASSIGNMENTS, {"stage": world["stage"].pk}).json()["count"] == 6
    assert api.get(ASSIGNMENTS, {"stage": world["stage"].pk + 1000}).json()["count"] == 0
    response = api.get(ASSIGNMENTS, {"stage": "desk"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"stage": ["A valid integer is required."]}


def test_a_juror_off_every_panel_has_an_empty_list(db, as_):
    response = as_("juror").get(ASSIGNMENTS)
    assert response.status_code == 200
    assert (response.json()["count"], response.json()["results"]) == (0, [])


@pytest.mark.parametrize(
    "role", ["anonymous", "operator", "secretariat", "admin", "neighbour_secretariat", "head"]
)
def test_only_jurors_have_assignments(db, as_, role):
    response = as_(role).get(ASSIGNMENTS)
    assert response.status_code == 403
    assert set(response.json()) == {"detail"}


def test_my_assignments_cost_the_same_queries_however_many(db, world, as_):
    stage, secretariat = world["stage"], world["secretariat"]
    region = world["competition"].region

    def add_rows():
        agencies = [AgencyFactory(region=region, name=f"Kelurahan {n}") for n in range(3)]
        for proposal in passed_proposals(world["competition"], agencies):
            Entry.objects.create(stage=stage, proposal=proposal)
            services.assignment_add(
                actor=secretariat, stage=stage, juror=world["me"], proposal=proposal
            )

    api = as_("me")
    assert_constant_queries(api, ASSIGNMENTS, add_rows)
    assert api.get(ASSIGNMENTS).json()["count"] == 9


# --- One assignment -----------------------------------------------------------------------------


def test_a_juror_gets_the_rubric_and_their_sheet(db, world, as_):
    assignment = assignment_of(world, "me", 3)
    substance, delivery = world["criteria"]
    api = as_("me")
    body = api.get(detail_url(assignment)).json()
    assert body["id"] == assignment.pk
    assert body["proposal"]["id"] == world["proposals"][3].pk
    assert body["innovation"] == world["proposals"][3].title
    assert body["rubric"] == {
        "name": "Test rubric",
        "version": 1,
        "scale_min": 0,
        "scale_max": 100,
        "step": 1,
        "allow_na": True,
        "comment_at_or_below": 10,
        "comment_at_or_above": 95,
    }
    assert [(c["id"], c["name"], c["weight"]) for c in body["criteria"]] == [
        (substance.pk, "Substance", 70),
        (delivery.pk, "Delivery", 30),
    ]
    assert body["criteria"][0]["levels"] == [
        {"min": 51.0, "max": 100.0, "label": "Good"},
        {"min": 0.0, "max": 50.0, "label": "Poor"},
    ]
    assert [c["score"] for c in body["criteria"]] == [None, None]
    assert (body["sheet"], body["sheet_status"], body["open"]) == (None, "", True)
    assert (body["problems"], body["peers"]) == ({}, None)

    api.put(score_url(assignment, substance), {"value": 72, "comment": "Cukup"}, format="json")
    body = api.get(detail_url(assignment)).json()
    score = body["criteria"][0]["score"]
    assert (score["criterion"], score["value"], score["not_applicable"], score["comment"]) == (
        substance.pk,
        72,
        False,
        "Cukup",
    )
    assert (body["sheet"]["status"], body["sheet_status"]) == ("draft", "draft")
    assert body["problems"] == {str(delivery.pk): "Score this criterion."}


def test_other_jurors_scores_stay_hidden_while_the_stage_is_scored(db, world, as_):
    """member, member2 and the chair have submitted P2; "me" sees none of it."""
    response = as_("me").get(detail_url(assignment_of(world, "me", 2)))
    assert response.json()["peers"] is None
    for name in ("Juri Dua", "Juri Tiga", "Ketua Panel Andi"):
        assert name not in response.content.decode()


def test_once_closed_the_others_totals_show_without_conflicted_jurors(db, world, as_):
    close(world)
    api = as_("me")
    peers = api.get(detail_url(assignment_of(world, "me", 2))).json()["peers"]
    # P2: member 70, member2 67, chair 74, recused 71 on Substance (Delivery 5 less).
    assert sorted((p["juror"], round(p["total"], 2)) for p in peers) == [
        ("Juri Dua", 68.5),
        ("Juri Mundur Budi", 69.5),
        ("Juri Tiga", 65.5),
        ("Ketua Panel Andi", 72.5),
    ]
    # P0: the chair is in conflict, P1: the "recused" juror stepped aside; neither shows.
    response = api.get(detail_url(assignment_of(world, "me", 0)))
    assert sorted(p["juror"] for p in response.json()["peers"]) == [
        "Juri Dua",
        "Juri Mundur Budi",
        "Juri Tiga",
    ]
    assert "Ketua Panel Andi" not in response.content.decode()
    peers = api.get(detail_url(assignment_of(world, "me", 1))).json()["peers"]
    assert sorted(p["juror"] for p in peers) == ["Juri Dua", "Juri Tiga", "Ketua Panel Andi"]
    # Closed: nothing can be saved any more.
    assert api.get(detail_url(assignment_of(world, "me", 1))).json()["open"] is False


def test_a_stage_may_show_jurors_each_others_scores_while_scoring(db, world, as_):
    stage = world["stage"]
    services.stage_save(
        actor=world["secretariat"],
        competition=world["competition"],
        stage=stage,
        jurors_see_scores=True,
    )
    api = as_("me")
    peers = api.get(detail_url(assignment_of(world, "me", 0))).json()["peers"]
    assert sorted(p["juror"] for p in peers) == ["Juri Dua", "Juri Mundur Budi", "Juri Tiga"]
    response = api.get(ranking_url(stage))
    assert (response.status_code, response.json()["count"]) == (200, 6)
    # Still nothing of P1 for the juror who declared a conflict with it.
    response = as_("recused").get(ranking_url(stage))
    assert (response.json()["count"], response.json()["hidden"]) == (5, 1)
    assert world["proposals"][1].title not in response.content.decode()


@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("anonymous", 403),
        ("member", 404),  # another juror of the same panel
        ("juror", 404),  # a juror off the panel
        ("secretariat", 404),
        ("operator", 404),
        ("neighbour_secretariat", 404),
    ],
)
def test_an_assignment_is_its_jurors_alone(db, world, as_, role, code):
    assignment = assignment_of(world, "me", 0)
    criterion = world["criteria"][0]
    api = as_(role)
    for response in (
        api.get(detail_url(assignment)),
        api.put(score_url(assignment, criterion), {"value": 50}, format="json"),
        api.post(submit_url(assignment)),
    ):
        assert response.status_code == code
        assert set(response.json()) == {"detail"}
        assert world["proposals"][0].title not in response.content.decode()
    assert not Sheet.objects.filter(assignment=assignment).exists()


def test_a_conflicted_juror_reaches_nothing_of_the_proposal(db, world, as_):
    """The chair's assignment to P0 still exists, void since the chair works for its agency."""
    assignment = assignment_of(world, "chair", 0)
    before = Score.objects.count()
    api = as_("chair")
    for response in (
        api.get(detail_url(assignment)),
        api.put(score_url(assignment, world["criteria"][0]), {"value": 50}, format="json"),
        api.post(submit_url(assignment)),
    ):
        assert response.status_code == 404
        assert world["proposals"][0].title not in response.content.decode()
    assert Score.objects.count() == before
    assert not Sheet.objects.filter(assignment=assignment).exists()


# --- Saving scores ------------------------------------------------------------------------------


def test_a_juror_saves_scores_one_by_one(db, world, as_):
    assignment = assignment_of(world, "me", 3)
    substance, delivery = world["criteria"]
    api = as_("me")
    response = api.put(score_url(assignment, substance), {"value": 64}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["criterion"], body["value"], body["not_applicable"], body["comment"]) == (
        substance.pk,
        64,
        False,
        "",
    )
    score = Score.objects.get(sheet__assignment=assignment, criterion=substance)
    assert (score.value, score.not_applicable) == (Decimal("64"), False)
    # A comment, then a value without it: the comment stays; "not applicable" clears the value.
    api.put(score_url(assignment, delivery), {"value": "57", "comment": " Jelas "}, format="json")
    api.put(score_url(assignment, delivery), {"value": 58}, format="json")
    score = Score.objects.get(sheet__assignment=assignment, criterion=delivery)
    assert (score.value, score.comment) == (Decimal("58"), "Jelas")
    body = api.put(score_url(assignment, delivery), {"not_applicable": True}, format="json").json()
    assert (body["value"], body["not_applicable"], body["comment"]) == (None, True, "Jelas")
    score.refresh_from_db()
    assert (score.value, score.not_applicable) == (None, True)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"value": 101}, "value", "Enter a score from 0 to 100."),
        ({"value": -1}, "value", "Enter a score from 0 to 100."),
        ({"value": "lima puluh"}, "value", "Enter a number."),
        ({"value": [50]}, "value", "Enter a number."),
        ({"value": 50.5}, "value", "Scores go in steps of 1."),
        ({"value": 50, "not_applicable": "perhaps"}, "not_applicable", "Must be a valid boolean."),
        ({"value": 50, "comment": ["baik"]}, "comment", "Not a valid string."),
    ],
)
def test_bad_scores_are_refused_with_the_reason(db, world, as_, data, field, message):
    assignment = assignment_of(world, "me", 3)
    response = as_("me").put(score_url(assignment, world["criteria"][0]), data, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": message, "errors": {field: [message]}}
    assert not Score.objects.filter(sheet__assignment=assignment).exists()


def test_a_body_that_is_not_json_is_refused(db, world, as_):
    assignment = assignment_of(world, "me", 3)
    url = score_url(assignment, world["criteria"][0])
    api = as_("me")
    response = api.put(url, '{"value": 50', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")
    response = api.put(url, "[50]", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "non_field_errors": ["Invalid data. Expected a dictionary, but got list."]
    }
    assert not Score.objects.filter(sheet__assignment=assignment).exists()


def test_a_criterion_of_another_rubric_is_not_found(db, world, as_):
    assignment = assignment_of(world, "me", 3)
    response = as_("me").put(
        f"{ASSIGNMENTS}{assignment.pk}/scores/{world['criteria'][1].pk + 1000}/",
        {"value": 50},
        format="json",
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_scores_are_refused_once_the_stage_is_closed(db, world, as_):
    assignment = assignment_of(world, "me", 3)
    close(world)
    response = as_("me").put(
        score_url(assignment, world["criteria"][0]), {"value": 50}, format="json"
    )
    assert response.status_code == 409
    assert response.json() == {"detail": "Scoring of this stage is not open."}
    assert not Score.objects.filter(sheet__assignment=assignment).exists()


# --- Submitting -------------------------------------------------------------------------------


def test_an_incomplete_sheet_is_refused_with_what_is_missing(db, world, as_):
    assignment = assignment_of(world, "me", 4)
    substance, delivery = world["criteria"]
    api = as_("me")
    response = api.post(submit_url(assignment))
    assert response.status_code == 400
    assert response.json()["errors"] == {
        str(substance.pk): ["Score this criterion."],
        str(delivery.pk): ["Score this criterion."],
    }
    # A score at an extreme needs its comment.
    api.put(score_url(assignment, substance), {"value": 97}, format="json")
    api.put(score_url(assignment, delivery), {"value": 60}, format="json")
    response = api.post(submit_url(assignment))
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Explain this score in a comment.",
        "errors": {str(substance.pk): ["Explain this score in a comment."]},
    }
    assert Sheet.objects.get(assignment=assignment).status == Sheet.Status.DRAFT


def test_a_submitted_sheet_locks(db, world, as_):
    assignment = assignment_of(world, "me", 4)
    substance, delivery = world["criteria"]
    api = as_("me")
    api.put(score_url(assignment, substance), {"value": 97, "comment": "Luar biasa"}, format="json")
    api.put(score_url(assignment, delivery), {"not_applicable": True}, format="json")
    response = api.post(submit_url(assignment))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["sheet_status"], body["sheet"]["status"], body["open"]) == (
        "submitted",
        "submitted",
        False,
    )
    assert body["sheet"]["submitted_at"] is not None
    assert Sheet.objects.get(assignment=assignment).status == Sheet.Status.SUBMITTED
    locked = "This score sheet is submitted and locked. Ask the secretariat to reopen it."
    response = api.put(score_url(assignment, substance), {"value": 40}, format="json")
    assert (response.status_code, response.json()) == (409, {"detail": locked})
    response = api.post(submit_url(assignment))
    assert (response.status_code, response.json()) == (409, {"detail": locked})
    score = Score.objects.get(sheet__assignment=assignment, criterion=substance)
    assert score.value == Decimal("97")


# --- Ranking ------------------------------------------------------------------------------------


def test_the_secretariat_sees_raw_and_normalised_side_by_side(db, world, as_):
    stage = world["stage"]
    close(world)
    response = as_("secretariat").get(ranking_url(stage))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["count"], body["next"], body["previous"], body["hidden"]) == (6, None, None, 0)
    assert body["stage"]["id"] == stage.pk
    assert body["method"] == {
        "aggregation": "mean",
        "aggregation_label": "Mean",
        "ranked_by": "raw",
        "tie_breakers": [
            {"key": "heaviest_criterion", "label": "higher score in the heaviest criterion"},
            {"key": "fewer_missing", "label": "fewer missing scores"},
        ],
    }
    expected = stage_result(stage)
    assert [r["proposal"]["id"] for r in body["results"]] == [r.proposal for r in expected.rows]
    for row, want in zip(body["results"], expected.rows, strict=True):
        assert (row["rank"], row["score"], row["raw"], row["normalised"]) == (
            want.rank,
            want.score,
            want.raw,
            want.normalised,
        )
        assert (row["rank_raw"], row["rank_normalised"], row["flagged"]) == (
            want.rank_raw,
            want.rank_normalised,
            want.flagged,
        )
        assert {j["juror"]["id"]: (j["raw"], j["normalised"]) for j in row["jurors"]} == {
            juror: (total, want.normalised_jurors[juror]) for juror, total in want.jurors.items()
        }
        assert (row["outcome"], row["staged"]) == ("pending", "")
    reliability = body["reliability"]
    assert (reliability["icc_single"], reliability["alpha"]) == (
        expected.icc.single,
        expected.alpha,
    )
    assert {s["juror"]["name"] for s in reliability["severity"]} == {
        "Juri Dua",
        "Juri Tiga",
        "Ketua Panel Andi",
        "Juri Mundur Budi",
    }
    by_id = {r["proposal"]["id"]: r for r in body["results"]}
    p0, p4 = world["proposals"][0], world["proposals"][4]
    # The conflicted chair is never P0's juror; P4 is flagged with its moderation item.
    assert "Ketua Panel Andi" not in {j["juror"]["name"] for j in by_id[p0.pk]["jurors"]}
    moderation = Moderation.objects.get(stage=stage, proposal=p4)
    assert by_id[p4.pk]["flagged"] is True
    assert by_id[p4.pk]["moderation"] == {"id": moderation.pk, "status": "open"}
    assert by_id[p0.pk]["moderation"] is None


def test_the_conflicted_chair_sees_the_closed_ranking_without_their_proposal(db, world, as_):
    """While scoring runs the chair sees no ranking; once closed, never the scores of P0 they
    are in conflict with."""
    assert as_("chair").get(ranking_url(world["stage"])).status_code == 403
    close(world)
    response = as_("chair").get(ranking_url(world["stage"]))
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["hidden"]) == (5, 1)
    p0 = world["proposals"][0]
    assert p0.pk not in {r["proposal"]["id"] for r in body["results"]}
    assert p0.title not in response.content.decode()


def test_once_closed_the_panel_sees_the_ranking_without_conflicts(db, world, as_):
    stage = world["stage"]
    close(world)
    body = as_("me").get(ranking_url(stage)).json()
    assert (body["count"], body["hidden"]) == (6, 0)
    response = as_("recused").get(ranking_url(stage))
    assert (response.json()["count"], response.json()["hidden"]) == (5, 1)
    assert world["proposals"][1].title not in response.content.decode()


@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("anonymous", 403),
        ("operator", 403),
        ("head", 403),
        ("neighbour_secretariat", 403),
        ("juror", 403),  # not on the panel
        ("me", 403),  # on the panel, but scores are not open to the panel yet
    ],
)
def test_the_running_ranking_is_refused_to_others(db, world, as_, role, code):
    response = as_(role).get(ranking_url(world["stage"]))
    assert response.status_code == code
    assert set(response.json()) == {"detail"}
    assert world["proposals"][2].title not in response.content.decode()


def test_an_unknown_stage_is_not_found(db, world, as_):
    response = as_("secretariat").get(f"/api/stages/{world['stage'].pk + 1000}/ranking/")
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


def test_the_ranking_costs_the_same_queries_however_long(db, world, as_):
    stage, secretariat = world["stage"], world["secretariat"]
    region = world["competition"].region

    def add_rows():
        agencies = [AgencyFactory(region=region, name=f"Kelurahan {n}") for n in range(3)]
        for index, proposal in enumerate(passed_proposals(world["competition"], agencies)):
            Entry.objects.create(stage=stage, proposal=proposal)
            for who in ("member", "member2"):
                assignment = services.assignment_add(
                    actor=secretariat, stage=stage, juror=world[who], proposal=proposal
                )
                score_all(world[who], who, assignment, index, world["criteria"])

    api = as_("secretariat")
    assert_constant_queries(api, ranking_url(stage), add_rows)
    assert api.get(ranking_url(stage)).json()["count"] == 9


# --- Outcomes -----------------------------------------------------------------------------------


def staged(stage):
    return dict(stage.entries.values_list("proposal_id", "staged"))


def test_the_secretariat_stages_then_applies_the_outcomes(db, world, as_):
    stage, proposals = world["stage"], world["proposals"]
    close(world)
    api = as_("secretariat")
    response = api.post(outcomes_url(stage), {}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"applied": False, "advanced": 3, "stopped": 3, "undecided": 0}
    top = {r.proposal for r in stage_result(stage).rows if r.rank <= 3}
    assert {p for p, s in staged(stage).items() if s == "advanced"} == top
    # A manual adjustment: P5 goes on too, and P4's staging is taken back.
    response = api.post(
        outcomes_url(stage),
        {
            "outcomes": [
                {"proposal": proposals[5].pk, "staged": "advanced"},
                {"proposal": proposals[4].pk, "staged": ""},
            ]
        },
        format="json",
    )
    assert response.status_code == 200
    assert staged(stage)[proposals[5].pk] == "advanced"
    assert staged(stage)[proposals[4].pk] == ""
    assert response.json()["undecided"] == 1
    # P4 is flagged: outcomes wait for the panel's consensus.
    response = api.post(apply_url(stage))
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Some flagged proposals still wait for the panel's consensus."
    )
    assert set(stage.entries.values_list("outcome", flat=True)) == {"pending"}
    for moderation in stage.moderations.all():
        services.moderation_decide(
            actor=world["chair"], moderation=moderation, consensus=None, justification="Sepakat"
        )
    response = api.post(apply_url(stage))
    assert response.status_code == 200, response.content
    advanced = len(top | {proposals[5].pk}) - (proposals[4].pk in top)
    assert response.json() == {
        "applied": True,
        "advanced": advanced,
        "stopped": 6 - advanced,
        "undecided": 0,
    }
    outcomes = dict(stage.entries.values_list("proposal_id", "outcome"))
    assert outcomes[proposals[5].pk] == outcomes[proposals[0].pk] == "advanced"
    assert outcomes[proposals[4].pk] == "stopped"
    # Final: neither staged again nor applied again.
    for response in (api.post(apply_url(stage)), api.post(outcomes_url(stage), {}, format="json")):
        assert response.status_code == 400
        assert response.json()["detail"] == "The outcomes of this stage are applied: it is final."


def test_outcomes_wait_for_the_stage_to_close(db, world, as_):
    stage = world["stage"]
    api = as_("secretariat")
    for response in (api.post(outcomes_url(stage), {}, format="json"), api.post(apply_url(stage))):
        assert response.status_code == 400
        assert response.json() == {
            "detail": "Close the stage first.",
            "errors": {"non_field_errors": ["Close the stage first."]},
        }
    assert set(staged(stage).values()) == {""}


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"outcomes": [{"proposal": "P0", "staged": "winner"}]},
            {
                "outcomes.0.proposal": ["A valid integer is required."],
                "outcomes.0.staged": ['"winner" is not a valid choice.'],
            },
        ),
        (
            {"outcomes": [{"proposal": 1}]},
            {"outcomes.0.staged": ["This field is required."]},
        ),
        (
            {"outcomes": "all"},
            {"outcomes.non_field_errors": ['Expected a list of items but got type "str".']},
        ),
    ],
)
def test_bad_outcomes_are_refused(db, world, as_, data, errors):
    stage = world["stage"]
    close(world)
    response = as_("secretariat").post(outcomes_url(stage), data, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == errors
    assert set(staged(stage).values()) == {""}


def test_outcomes_that_are_not_json_are_refused(db, world, as_):
    stage = world["stage"]
    close(world)
    response = as_("secretariat").post(
        outcomes_url(stage), "{outcomes", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")
    assert set(staged(stage).values()) == {""}


@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("anonymous", 403),
        ("operator", 403),
        ("neighbour_secretariat", 403),
        ("juror", 403),
        ("me", 403),
        ("chair", 403),  # sees the ranking and moderates, but does not decide
    ],
)
def test_only_the_secretariat_decides_outcomes(db, world, as_, role, code):
    stage = world["stage"]
    close(world)
    api = as_(role)
    for response in (api.post(outcomes_url(stage), {}, format="json"), api.post(apply_url(stage))):
        assert response.status_code == code
        assert set(response.json()) == {"detail"}
    assert set(staged(stage).values()) == {""}
    assert set(stage.entries.values_list("outcome", flat=True)) == {"pending"}


# --- OpenAPI ------------------------------------------------------------------------------------

JUDGING_ENDPOINTS = {
    ("/api/assignments/", "get"): {"200", "400", "403", "404"},
    ("/api/assignments/{id}/", "get"): {"200", "403", "404"},
    ("/api/assignments/{id}/scores/{criterion_id}/", "put"): {"200", "400", "403", "404", "409"},
    ("/api/assignments/{id}/submit/", "post"): {"200", "400", "403", "404", "409"},
    ("/api/stages/{id}/ranking/", "get"): {"200", "403", "404"},
    ("/api/stages/{id}/outcomes/", "post"): {"200", "400", "403", "404"},
    ("/api/stages/{id}/outcomes/apply/", "post"): {"200", "400", "403", "404"},
}


def test_the_judging_endpoints_are_described(db, client):
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)
    validate_schema(schema)
    for (path, method), codes in JUDGING_ENDPOINTS.items():
        operation = schema["paths"][path][method]
        assert operation["summary"], path
        assert set(operation["responses"]) == codes | {"401", "429"}, path
    score = schema["paths"]["/api/assignments/{id}/scores/{criterion_id}/"]["put"]
    assert score["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ScoreWrite"
    }
    ranking = schema["components"]["schemas"]["Ranking"]["properties"]
    assert {"count", "next", "previous", "method", "reliability", "results"} <= set(ranking)
