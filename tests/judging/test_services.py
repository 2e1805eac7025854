"""Judging services: every change of a stage, its rubric, panel, assignments, score sheets,
moderation and outcomes, with the refusals, the audit entries and the notices."""

import datetime
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from siwanda.activity.models import ActivityEntry
from siwanda.competitions.models import Category, Competition
from siwanda.core.models import Notice
from siwanda.judging import services
from siwanda.judging.models import (
    Assignment,
    Criterion,
    Entry,
    Moderation,
    PanelMember,
    Recusal,
    Rubric,
    Score,
    Sheet,
    SpecialAward,
    Stage,
)
from siwanda.judging.ranking import stage_result
from siwanda.proposals.models import Proposal

from .conftest import passed_proposals, score_sheet

DATA = Path(services.__file__).parent / "data"


def logged(action, target=None):
    """The activity entries of `action` (on `target`), oldest first."""
    entries = ActivityEntry.objects.filter(action=action).order_by("created_at", "id")
    if target is not None:
        entries = entries.filter(target_id=str(target.pk))
    return list(entries)


def notices(user, contains=""):
    return list(Notice.objects.filter(user=user, text__contains=contains).order_by("id"))


def template_data(key):
    return json.loads((DATA / "stages" / f"{key}.json").read_text(encoding="utf-8"))


def rubric_data(key):
    return json.loads((DATA / "rubrics" / f"{key}.json").read_text(encoding="utf-8"))


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


# --- Stages from templates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "kinds", "tops", "weights"),
    [
        ("regency", ["desk", "presentation"], [15, 7], [40, 60]),
        ("province", ["desk", "presentation", "field"], [50, None, 30], [30, 45, 25]),
        ("national", ["desk", "presentation", "field"], [99, None, 45], [30, 40, 30]),
    ],
)
def test_stages_from_a_template(people, competition, screened, key, kinds, tops, weights):
    sec = people["secretariat"]
    made = services.stages_from_template(actor=sec, competition=competition, key=key)
    stages = list(competition.stages.order_by("order"))
    assert [s.pk for s in made] == [s.pk for s in stages]
    assert [s.order for s in stages] == list(range(len(kinds)))
    assert [s.kind for s in stages] == kinds
    assert [s.top_n for s in stages] == tops
    assert [s.weight for s in stages] == [Decimal(w) for w in weights]
    assert all(s.status == Stage.Status.SETUP for s in stages)

    data = template_data(key)
    base = timezone.localdate(competition.screening_ends_at)
    for stage, spec in zip(stages, data["stages"], strict=True):
        assert stage.name == spec["name"] and stage.name_en == spec["name_en"]
        assert stage.advancement == spec["advancement"]
        assert stage.aggregation == spec["aggregation"]
        assert stage.rank_by_normalised == spec["rank_by_normalised"]
        assert stage.jurors_per_proposal == spec["jurors_per_proposal"]
        assert stage.tie_breakers == spec["tie_breakers"]
        assert stage.reminder_days == spec["reminder_days"]
        assert stage.slot_parts == spec.get("slot_parts", [])
        assert stage.starts_on == base + datetime.timedelta(days=spec["starts_after_days"])
        assert (stage.ends_on - stage.starts_on).days == spec["days"] - 1
        rubric = rubric_data(spec["rubric"])
        assert stage.rubric.name == rubric["name"]
        assert stage.rubric.version == 1 and stage.rubric.frozen_at is None
        assert stage.rubric.scale_min == rubric["scale_min"]
        assert stage.rubric.scale_max == rubric["scale_max"]
        assert stage.rubric.allow_na == rubric["allow_na"]
        assert stage.rubric.comment_at_or_below == rubric["comment_at_or_below"]
        assert stage.rubric.comment_at_or_above == rubric["comment_at_or_above"]
        criteria = list(stage.rubric.criteria.order_by("order"))
        assert [(c.name, c.weight, len(c.levels)) for c in criteria] == [
            (c["name"], Decimal(c["weight"]), len(c["levels"])) for c in rubric["criteria"]
        ]
        assert sum(c.weight for c in criteria) == 100
    # The presentation stages keep the 7 + 3 + 20 minutes of the province's practice.
    presentation = next(s for s in stages if s.kind == "presentation")
    assert [p[-1] for p in presentation.slot_parts] == [7, 3, 20]
    assert presentation.slot_minutes == 30
    assert [c.weight for c in presentation.rubric.criteria.all()] == [70, 30]
    desk = stages[0]
    assert [int(c.weight) for c in desk.rubric.criteria.order_by("order")] == [
        10,
        15,
        5,
        30,
        20,
        5,
        15,
    ]
    [entry] = logged("judging.stages_from_template", competition)
    assert entry.data == {"template": key} and entry.actor == sec


def test_a_template_replaces_the_stages_and_their_rubrics(people, competition, screened):
    sec = people["secretariat"]
    services.stages_from_template(actor=sec, competition=competition, key="national")
    assert Rubric.objects.filter(competition=competition).count() == 3
    services.stages_from_template(actor=sec, competition=competition, key="regency")
    assert competition.stages.count() == 2
    assert sorted(
        Rubric.objects.filter(competition=competition).values_list("name", flat=True)
    ) == [
        "Penilaian proposal KIPP",
        "Presentasi dan wawancara",
    ]


def test_templates_are_refused_to_others_unknown_or_once_judging_started(
    people, competition, screened, scoring
):
    with pytest.raises(PermissionDenied):
        services.stages_from_template(
            actor=people["neighbour_secretariat"], competition=competition, key="regency"
        )
    with pytest.raises(PermissionDenied):
        services.stages_from_template(actor=people["juror"], competition=competition, key="regency")
    with pytest.raises(ValidationError, match="Choose one of the templates"):
        services.stages_from_template(
            actor=people["secretariat"], competition=competition, key="olympic"
        )
    with pytest.raises(ValidationError, match="Judging has started"):
        services.stages_from_template(
            actor=people["secretariat"], competition=competition, key="regency"
        )
    assert competition.stages.filter(pk=scoring.pk).exists()


# --- Saving a stage -------------------------------------------------------------------------------


def test_a_stage_is_added_at_the_end_and_checked(people, competition, stages):
    sec = people["secretariat"]
    field = services.stage_save(
        actor=sec,
        competition=competition,
        kind=Stage.Kind.FIELD,
        name="Verifikasi lapangan",
        advancement=Stage.Advancement.PASSING_GRADE,
        passing_grade=Decimal("70"),
    )
    assert field.order == 2 and reload(field).kind == "field"
    [entry] = logged("judging.stage_saved", field)
    assert entry.changes == {}
    for fields, key in [
        ({"advancement": Stage.Advancement.TOP_N, "top_n": None}, "top_n"),
        ({"passing_grade": Decimal("101")}, "passing_grade"),
        ({"advancement": Stage.Advancement.PASSING_GRADE, "passing_grade": None}, "passing_grade"),
        ({"tie_breakers": ["coin_toss"]}, "tie_breakers"),
        ({"tie_breakers": ["fewer_missing", "fewer_missing"]}, "tie_breakers"),
        ({"jurors_per_proposal": 0}, "jurors_per_proposal"),
        (
            {
                "starts_on": datetime.date(2030, 5, 2),
                "ends_on": datetime.date(2030, 5, 1),
            },
            "ends_on",
        ),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.stage_save(actor=sec, competition=competition, stage=field, **fields)
        assert key in refused.value.message_dict, fields
    assert reload(field).passing_grade == 70
    with pytest.raises(TypeError):
        services.stage_save(actor=sec, competition=competition, stage=field, status="closed")
    with pytest.raises(PermissionDenied):
        services.stage_save(actor=people["juror"], competition=competition, name="X")


def test_changes_are_logged_with_before_and_after(people, competition, stages):
    desk = stages[0]
    services.stage_save(
        actor=people["secretariat"], competition=competition, stage=desk, top_n=10, weight=50
    )
    [entry] = logged("judging.stage_saved", desk)
    assert entry.changes == {
        "top_n": {"before": "15", "after": "10"},
        "weight": {"before": "40.00", "after": "50"},
    }


def test_the_ranking_rules_are_fixed_once_scoring_opened(people, competition, scoring):
    sec = people["secretariat"]
    for fields in [
        {"weight": Decimal("55")},
        {"aggregation": Stage.Aggregation.MEDIAN},
        {"rank_by_normalised": False},
        {"tie_breakers": ["chair_vote"]},
    ]:
        with pytest.raises(ValidationError, match="can no longer change"):
            services.stage_save(actor=sec, competition=competition, stage=scoring, **fields)
    stage = reload(scoring)
    assert (stage.weight, stage.aggregation, stage.rank_by_normalised) == (40, "mean", True)
    # The same values, the dates and the advancement stay adjustable.
    later = stage.ends_on + datetime.timedelta(days=3)
    services.stage_save(
        actor=sec,
        competition=competition,
        stage=scoring,
        weight=Decimal("40"),
        tie_breakers=list(stage.tie_breakers),
        ends_on=later,
        top_n=5,
    )
    stage = reload(scoring)
    assert (stage.ends_on, stage.top_n) == (later, 5)


def test_nothing_changes_once_the_outcomes_are_applied(people, competition, closed):
    sec = people["secretariat"]
    for m in closed.moderations.all():
        services.moderation_decide(actor=sec, moderation=m, consensus=None, justification="Ok")
    services.outcomes_stage(actor=sec, stage=closed)
    services.outcomes_apply(actor=sec, stage=closed)
    with pytest.raises(ValidationError, match="outcomes of this stage are applied"):
        services.stage_save(actor=sec, competition=competition, stage=closed, top_n=3)


# --- Rubrics: criteria, weights, versions, freezing -----------------------------------------------


def test_rubric_settings_are_checked(people, stages):
    desk = stages[0]
    sec = people["secretariat"]
    with pytest.raises(ValidationError) as refused:
        services.rubric_save(actor=sec, stage=desk, scale_min=Decimal(5), scale_max=Decimal(5))
    assert "scale_max" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.rubric_save(actor=sec, stage=desk, step=Decimal(0))
    assert "step" in refused.value.message_dict
    rubric = services.rubric_save(
        actor=sec, stage=desk, scale_min=Decimal(1), scale_max=Decimal(9), step=Decimal("0.5")
    )
    assert (reload(rubric).scale_min, reload(rubric).step) == (1, Decimal("0.5"))
    assert logged("judging.rubric_saved", rubric)


def test_a_stage_without_a_rubric_gets_a_new_one(people, competition, stages):
    sec = people["secretariat"]
    stage = services.stage_save(
        actor=sec, competition=competition, kind="deliberation", name="Sidang", top_n=7
    )
    assert stage.rubric is None
    assert "The stage has no rubric." not in services.stage_problems(stage)  # deliberation
    stage = services.stage_save(actor=sec, competition=competition, stage=stage, kind="field")
    assert "The stage has no rubric." in services.stage_problems(stage)
    rubric = services.rubric_save(actor=sec, stage=stage, name="Verlap", allow_na=True)
    assert reload(stage).rubric == rubric and rubric.competition == competition
    assert "The rubric has no criteria." in services.stage_problems(reload(stage))


def test_criterion_weights_and_levels(people, stages):
    sec = people["secretariat"]
    desk = stages[0]
    rubric = desk.rubric
    first = rubric.criteria.order_by("order").first()
    services.criterion_save(actor=sec, rubric=rubric, criterion=first, weight=Decimal(20))
    assert "The criteria's weights add up to 110.00, not 100." in services.stage_problems(desk)
    with pytest.raises(ValidationError) as refused:
        services.criterion_save(actor=sec, rubric=rubric, criterion=first, weight=Decimal(-1))
    assert "weight" in refused.value.message_dict
    added = services.criterion_save(
        actor=sec,
        rubric=rubric,
        name="Kolaborasi",
        weight=Decimal(0),
        levels=[
            {"min": 0, "max": 49, "label": " Kurang "},
            {"min": 50, "max": 100, "label": "Baik", "label_en": "Good"},
        ],
    )
    added = reload(added)
    assert added.order == 7
    # Levels are kept highest first, trimmed.
    assert [lv["label"] for lv in added.levels] == ["Baik", "Kurang"]
    for levels in (
        [{"min": 0, "max": 120, "label": "Terlalu"}],
        [{"min": 0, "label": "Tanpa batas atas"}],
        [{"min": 0, "max": 10, "label": " "}],
    ):
        with pytest.raises(ValidationError) as refused:
            services.criterion_save(actor=sec, rubric=rubric, criterion=added, levels=levels)
        assert "levels" in refused.value.message_dict
    services.criterion_delete(actor=sec, criterion=added)
    services.criterion_save(actor=sec, rubric=rubric, criterion=first, weight=Decimal(10))
    assert not any("weights" in p for p in services.stage_problems(desk))
    assert logged("judging.criterion_saved") and logged("judging.criterion_deleted")
    with pytest.raises(PermissionDenied):
        services.criterion_save(actor=people["juror"], rubric=rubric, criterion=first, weight=1)


def test_opening_freezes_the_rubric(people, scoring):
    sec = people["secretariat"]
    rubric = reload(scoring.rubric)
    assert rubric.frozen_at is not None
    criterion = rubric.criteria.first()
    with pytest.raises(ValidationError, match="frozen"):
        services.criterion_save(actor=sec, rubric=rubric, criterion=criterion, weight=Decimal(1))
    with pytest.raises(ValidationError, match="frozen"):
        services.criterion_delete(actor=sec, criterion=criterion)
    with pytest.raises(ValidationError, match="Scoring has started"):
        services.rubric_save(actor=sec, stage=reload(scoring), allow_na=False)
    with pytest.raises(ValidationError, match="Scoring has started"):
        services.rubric_new_version(actor=sec, stage=reload(scoring))
    assert reload(criterion).weight == criterion.weight


def test_a_frozen_rubric_is_never_changed_a_stage_takes_a_new_version(
    people, stages, scoring, screened
):
    sec = people["secretariat"]
    desk, presentation = reload(scoring), stages[1]
    frozen = desk.rubric
    # A rubric shared by two stages (one key used twice in a template) is frozen by the first.
    Stage.objects.filter(pk=presentation.pk).update(rubric=frozen)
    presentation = reload(presentation)
    with pytest.raises(ValidationError, match="frozen"):
        services.criterion_save(
            actor=sec, rubric=presentation.rubric, name="Baru", weight=Decimal(0)
        )
    # Scores given with the frozen version stay pinned to it.
    assignment = desk.assignments.filter(calibration=False).first()
    score_sheet(assignment, 80, submit=False)
    new = services.rubric_new_version(actor=sec, stage=presentation)
    assert (new.version, new.name, new.frozen_at) == (2, frozen.name, None)
    assert reload(presentation).rubric == new and reload(desk).rubric == frozen
    assert [(c.name, c.weight, c.levels) for c in new.criteria.order_by("order")] == [
        (c.name, c.weight, c.levels) for c in frozen.criteria.order_by("order")
    ]
    assert not set(new.criteria.values_list("pk", flat=True)) & set(
        frozen.criteria.values_list("pk", flat=True)
    )
    services.criterion_save(actor=sec, rubric=new, name="Baru", weight=Decimal(0))
    assert new.criteria.count() == frozen.criteria.count() + 1
    assert set(
        Score.objects.filter(sheet__assignment=assignment).values_list(
            "criterion__rubric", flat=True
        )
    ) == {frozen.pk}
    [entry] = logged("judging.rubric_versioned", new)
    assert entry.data == {"version": 2}
    with pytest.raises(ValidationError, match="can still be edited"):
        services.rubric_new_version(actor=sec, stage=reload(presentation))


# --- Panel ----------------------------------------------------------------------------------------


def test_panel_members_are_jurors_of_the_region_seated_once(people, stages, jurors, screened):
    sec = people["secretariat"]
    desk = stages[0]
    with pytest.raises(ValidationError, match="is not a juror of"):
        services.panel_add(actor=sec, stage=desk, juror=people["operator"])
    member = services.panel_add(
        actor=sec,
        stage=desk,
        juror=jurors[0],
        is_chair=True,
        expertise=["kesehatan"],
        max_load=4,
        agency=people["other_agency"],
    )
    with pytest.raises(ValidationError, match="already on the panel"):
        services.panel_add(actor=sec, stage=desk, juror=jurors[0])
    with pytest.raises(PermissionDenied):
        services.panel_add(actor=people["neighbour_secretariat"], stage=desk, juror=jurors[1])
    second = services.panel_add(actor=sec, stage=desk, juror=jurors[1], is_chair=True)
    assert not reload(member).is_chair and reload(second).is_chair
    services.panel_update(actor=sec, member=reload(member), is_chair=True, max_load=6)
    assert reload(member).is_chair and not reload(second).is_chair
    assert reload(member).max_load == 6 and reload(member).expertise == ["kesehatan"]
    with pytest.raises(TypeError):
        services.panel_update(actor=sec, member=member, juror=jurors[2])
    assert [e.data["juror"] for e in logged("judging.panel_added", desk)] == [
        jurors[0].email,
        jurors[1].email,
    ]
    assert logged("judging.panel_changed", desk)[0].data == {"juror": jurors[0].email}


def test_removing_a_member_takes_their_assignments_unless_they_submitted(people, scoring, jurors):
    sec = people["secretariat"]
    member = scoring.panel.get(juror=jurors[1])
    mine = list(scoring.assignments.filter(juror=jurors[1]))
    assert mine
    score_sheet(mine[0], 70)
    with pytest.raises(ValidationError, match="has submitted scores"):
        services.panel_remove(actor=sec, member=member)
    other = scoring.panel.get(juror=jurors[2])
    count = scoring.assignments.filter(juror=jurors[2]).count()
    services.panel_remove(actor=sec, member=other)
    assert not scoring.panel.filter(juror=jurors[2]).exists()
    assert not scoring.assignments.filter(juror=jurors[2]).exists()
    [entry] = logged("judging.panel_removed", scoring)
    assert entry.data == {"juror": jurors[2].email, "assignments_removed": count}


def test_a_panel_is_copied_with_its_settings(people, stages, seated, jurors, screened):
    sec = people["secretariat"]
    presentation = stages[1]
    services.panel_update(
        actor=sec, member=seated.panel.get(juror=jurors[2]), expertise=["1"], max_load=3
    )
    services.panel_add(actor=sec, stage=presentation, juror=jurors[3])
    assert services.panel_copy(actor=sec, stage=presentation, source=seated) == 4
    copied = {m.juror_id: m for m in presentation.panel.all()}
    assert set(copied) == {j.pk for j in jurors}
    assert copied[jurors[0].pk].is_chair
    assert (copied[jurors[2].pk].expertise, copied[jurors[2].pk].max_load) == (["1"], 3)
    assert copied[jurors[4].pk].agency == screened[0].agency
    assert services.panel_copy(actor=sec, stage=presentation, source=seated) == 0


def test_a_panel_is_only_copied_within_the_competition(people, stages, seated, luwu_utara):
    from tests.builders import competition_from_template

    other = competition_from_template(people["secretariat"], luwu_utara, name="KIPP Lain")
    stage = services.stage_save(
        actor=people["secretariat"], competition=other, kind="desk", name="Desk", top_n=3
    )
    with pytest.raises(ValidationError, match="same competition"):
        services.panel_copy(actor=people["secretariat"], stage=stage, source=seated)


# --- Entries --------------------------------------------------------------------------------------


def test_entries_follow_screening_then_the_previous_stage(people, competition, stages, screened):
    desk, presentation = stages
    failed = Proposal.objects.filter(pk=screened[5].pk)
    assert services.entries_sync(stage=desk) == 6
    failed.update(status=Proposal.Status.FAILED)
    assert services.entries_sync(stage=desk) == 5
    assert not desk.entries.filter(proposal=screened[5]).exists()
    # An entry that has a juror stays even when it would no longer be wanted.
    services.panel_add(actor=people["secretariat"], stage=desk, juror=people["juror"])
    services.assignment_add(
        actor=people["secretariat"], stage=desk, juror=people["juror"], proposal=screened[4]
    )
    Proposal.objects.filter(pk=screened[4].pk).update(status=Proposal.Status.FAILED)
    assert services.entries_sync(stage=desk) == 5
    assert desk.entries.filter(proposal=screened[4]).exists()
    # The next stage takes only those the previous one advanced.
    assert services.entries_sync(stage=presentation) == 0
    Entry.objects.filter(stage=desk, proposal__in=screened[:2]).update(
        outcome=Entry.Outcome.ADVANCED
    )
    assert services.entries_sync(stage=presentation) == 2
    assert set(presentation.entries.values_list("proposal", flat=True)) == {
        screened[0].pk,
        screened[1].pk,
    }


def test_entries_stay_as_they_are_once_scoring_opened(scoring, screened):
    before = set(scoring.entries.values_list("proposal", flat=True))
    Proposal.objects.filter(pk=screened[2].pk).update(status=Proposal.Status.FAILED)
    assert services.entries_sync(stage=reload(scoring)) == 6
    assert set(scoring.entries.values_list("proposal", flat=True)) == before


# --- Assignment -----------------------------------------------------------------------------------


def test_assignment_by_hand(people, seated, jurors, screened):
    sec = people["secretariat"]
    services.entries_sync(stage=seated)
    a = services.assignment_add(actor=sec, stage=seated, juror=jurors[0], proposal=screened[0])
    assert (a.method, a.created_by, a.calibration) == ("manual", sec, False)
    [entry] = logged("judging.assigned", screened[0])
    assert entry.data == {"stage": seated.pk, "juror": jurors[0].email, "method": "manual"}
    with pytest.raises(ValidationError, match="already judges"):
        services.assignment_add(actor=sec, stage=seated, juror=jurors[0], proposal=screened[0])
    with pytest.raises(ValidationError, match="not on the panel"):
        services.assignment_add(
            actor=sec, stage=seated, juror=people["juror"], proposal=screened[0]
        )
    # Passed screening after the entries were made: not in the stage yet.
    [outsider] = passed_proposals(screened[0].competition, [screened[0].agency])
    with pytest.raises(ValidationError, match="is not in this stage"):
        services.assignment_add(actor=sec, stage=seated, juror=jurors[1], proposal=outsider)
    with pytest.raises(PermissionDenied):
        services.assignment_add(
            actor=jurors[0], stage=seated, juror=jurors[1], proposal=screened[1]
        )
    # Before scoring opens, nobody is told (the opening notice says it all).
    assert notices(jurors[0]) == []
    services.assignment_remove(actor=sec, assignment=a)
    assert not Assignment.objects.filter(pk=a.pk).exists()
    assert logged("judging.unassigned", screened[0])[0].data == {
        "stage": seated.pk,
        "juror": jurors[0].email,
    }


def test_a_conflicted_assignment_is_refused(people, seated, jurors, screened):
    services.entries_sync(stage=seated)
    with pytest.raises(ValidationError) as refused:
        services.assignment_add(
            actor=people["secretariat"], stage=seated, juror=jurors[4], proposal=screened[0]
        )
    assert refused.value.messages == [
        f"Juri 4 cannot judge “{screened[0].title}”: works in the proposing agency or an "
        "agency above it."
    ]
    assert not seated.assignments.exists()
    assert not logged("judging.assigned")


def test_new_work_during_scoring_is_announced_to_the_juror(people, scoring, jurors, screened):
    free = next(
        p
        for p in screened[1:]
        if not scoring.assignments.filter(juror=jurors[4], proposal=p).exists()
    )
    services.assignment_add(
        actor=people["secretariat"], stage=scoring, juror=jurors[4], proposal=free
    )
    assert [n.text for n in notices(jurors[4], "more proposal")] == [
        "1 more proposal to score in Proposal evaluation."
    ]


def test_a_submitted_sheet_must_be_reopened_before_its_assignment_goes(people, scoring):
    a = scoring.assignments.first()
    score_sheet(a, 70)
    with pytest.raises(ValidationError, match="reopen it first"):
        services.assignment_remove(actor=people["secretariat"], assignment=a)


def test_assignment_in_bulk_by_category(people, seated, jurors, screened, competition):
    sec = people["secretariat"]
    health = Category.objects.create(competition=competition, name="Kesehatan")
    Proposal.objects.filter(pk__in=[screened[0].pk, screened[1].pk]).update(category=health)
    result = services.assign_bulk(
        actor=sec,
        stage=seated,
        juror_ids=[jurors[0].pk, jurors[4].pk, people["juror"].pk],
        category_id=health.pk,
    )
    # Juri 4 works in Dinas Kesehatan: screened[0] is left out; the juror off the panel too.
    assert result == {"created": 3, "conflicts": 1}
    assert sorted(seated.assignments.values_list("juror", "proposal", "method")) == sorted(
        [
            (jurors[0].pk, screened[0].pk, "bulk"),
            (jurors[0].pk, screened[1].pk, "bulk"),
            (jurors[4].pk, screened[1].pk, "bulk"),
        ]
    )
    again = services.assign_bulk(
        actor=sec, stage=seated, juror_ids=[jurors[0].pk, jurors[4].pk], category_id=health.pk
    )
    assert again == {"created": 0, "conflicts": 1}
    everything = services.assign_bulk(actor=sec, stage=seated, juror_ids=[jurors[1].pk])
    assert everything == {"created": 6, "conflicts": 0}
    with pytest.raises(ValidationError, match="Choose jurors of the panel"):
        services.assign_bulk(actor=sec, stage=seated, juror_ids=[people["juror"].pk])
    entries = logged("judging.assigned_bulk", seated)
    assert [e.data for e in entries] == [
        {"created": 3, "conflicts_skipped": 1},
        {"created": 0, "conflicts_skipped": 1},
        {"created": 6, "conflicts_skipped": 0},
    ]


def loads_of(stage):
    return Counter(stage.assignments.filter(calibration=False).values_list("juror", flat=True))


def test_automatic_assignment_k_per_proposal_with_a_balanced_load(people, seated, jurors, screened):
    plan = services.assign_automatic(actor=people["secretariat"], stage=seated)
    assert plan.short == {}
    per_proposal = Counter(seated.assignments.values_list("proposal", flat=True))
    assert per_proposal == {p.pk: 3 for p in screened}
    loads = loads_of(seated)
    assert sum(loads.values()) == 18 and max(loads.values()) - min(loads.values()) <= 1
    assert not seated.assignments.filter(juror=jurors[4], proposal=screened[0]).exists()
    assert set(seated.assignments.values_list("method", flat=True)) == {"automatic"}
    [entry] = logged("judging.assigned_automatically", seated)
    assert entry.data == {"created": 18, "short": 0}
    # Running it again adds nothing.
    assert services.assign_automatic(actor=people["secretariat"], stage=seated).pairs == []


def test_automatic_assignment_respects_caps_and_reports_the_shortfall(
    people, competition, seated, jurors
):
    sec = people["secretariat"]
    services.stage_save(actor=sec, competition=competition, stage=seated, max_per_juror=3)
    services.panel_update(actor=sec, member=seated.panel.get(juror=jurors[0]), max_load=1)
    plan = services.assign_automatic(actor=sec, stage=reload(seated))
    loads = loads_of(seated)
    assert loads[jurors[0].pk] == 1
    assert all(loads[j.pk] == 3 for j in jurors[1:])
    assert sum(plan.short.values()) == 18 - 13
    per_proposal = Counter(seated.assignments.values_list("proposal", flat=True))
    for proposal, short in plan.short.items():
        assert per_proposal[proposal] == 3 - short


def test_automatic_assignment_matches_expertise(people, competition, seated, jurors, screened):
    sec = people["secretariat"]
    health = Category.objects.create(competition=competition, name="Kesehatan")
    school = Category.objects.create(competition=competition, name="Pendidikan")
    Proposal.objects.filter(pk__in=[p.pk for p in screened[:3]]).update(category=health)
    Proposal.objects.filter(pk__in=[p.pk for p in screened[3:]]).update(category=school)
    services.stage_save(actor=sec, competition=competition, stage=seated, jurors_per_proposal=1)
    services.panel_update(
        actor=sec, member=seated.panel.get(juror=jurors[1]), expertise=[str(health.pk)]
    )
    services.panel_update(
        actor=sec, member=seated.panel.get(juror=jurors[2]), expertise=[str(school.pk)]
    )
    services.assign_automatic(actor=sec, stage=reload(seated))
    given = dict(seated.assignments.values_list("proposal", "juror"))
    assert {given[p.pk] for p in screened[:3]} == {jurors[1].pk}
    assert {given[p.pk] for p in screened[3:]} == {jurors[2].pk}


def test_automatic_assignment_needs_a_panel_and_a_manager(people, stages, screened):
    with pytest.raises(ValidationError, match="Seat the panel first"):
        services.assign_automatic(actor=people["secretariat"], stage=stages[0])
    with pytest.raises(PermissionDenied):
        services.assign_automatic(actor=people["juror"], stage=stages[0])


# --- Opening and closing --------------------------------------------------------------------------


def test_opening_lists_what_is_missing(people, competition, stages, jurors, screened):
    sec = people["secretariat"]
    desk = stages[0]
    with pytest.raises(ValidationError) as refused:
        services.stage_open(actor=sec, stage=desk)
    assert refused.value.messages == [
        "The panel has no member.",
        "6 proposals have no juror yet.",
    ]
    services.panel_add(actor=sec, stage=desk, juror=jurors[0])
    services.entries_sync(stage=desk)
    services.assignment_add(actor=sec, stage=desk, juror=jurors[0], proposal=screened[0])
    with pytest.raises(ValidationError, match="5 proposals have no juror yet"):
        services.stage_open(actor=sec, stage=desk)
    # The presentation waits for the outcomes of the desk evaluation.
    assert "The outcomes of the previous stage are not applied yet." in services.stage_problems(
        stages[1]
    )
    assert reload(desk).status == Stage.Status.SETUP
    assert reload(competition).status == Competition.Status.SCREENING


def test_opening_starts_judging_and_tells_each_juror_their_load(
    people, competition, assigned, jurors
):
    services.stage_open(actor=people["secretariat"], stage=assigned)
    stage = reload(assigned)
    assert stage.status == Stage.Status.SCORING and stage.opened_at is not None
    assert reload(competition).status == Competition.Status.JUDGING
    loads = loads_of(stage)
    for juror in jurors:
        [notice] = notices(juror, "Scoring of")
        assert f"{loads[juror.pk]} proposals to score by" in notice.text
    [entry] = logged("judging.stage_opened", stage)
    assert entry.data == {"entries": 6, "assignments": 18}
    assert logged("competition.judging_started", competition)
    with pytest.raises(ValidationError, match="already open"):
        services.stage_open(actor=people["secretariat"], stage=stage)


def test_opening_waits_for_screening_to_finish(people, competition, assigned, screened):
    Proposal.objects.filter(pk=screened[0].pk).update(status=Proposal.Status.SUBMITTED)
    with pytest.raises(ValidationError, match="not screened yet"):
        services.stage_open(actor=people["secretariat"], stage=assigned)
    assert reload(assigned).status == Stage.Status.SETUP


def test_closing_opens_a_moderation_item_for_each_flagged_proposal(
    people, closed, jurors, screened
):
    stage = reload(closed)
    assert stage.status == Stage.Status.CLOSED and stage.closed_at is not None
    [moderation] = stage.moderations.all()
    assert moderation.proposal == screened[1]
    assert moderation.spread == Decimal("50.00") and moderation.status == "open"
    [entry] = logged("judging.stage_closed", stage)
    assert entry.data == {"flagged": 1, "sheets_not_submitted": 0}
    [notice] = notices(jurors[0], "is closed")
    assert "1 proposal needs the panel's consensus" in notice.text
    assert notices(jurors[1], "is closed") == []
    with pytest.raises(ValidationError, match="Only a stage being scored"):
        services.stage_close(actor=people["secretariat"], stage=stage)


def test_sheets_not_submitted_do_not_count_at_closing(people, scoring, screened):
    for a in scoring.assignments.filter(calibration=False):
        score_sheet(a, 60 if a.proposal_id != screened[2].pk else 90, submit=False)
    first = scoring.assignments.filter(proposal=screened[2]).first()
    services.sheet_submit(actor=first.juror, assignment=first)
    stage = services.stage_close(actor=people["secretariat"], stage=scoring)
    assert not stage.moderations.exists()
    [entry] = logged("judging.stage_closed", stage)
    assert entry.data == {"flagged": 0, "sheets_not_submitted": 17}
    rows = stage_result(stage).by_proposal()
    assert rows[screened[2].pk].raw == 90 and len(rows[screened[2].pk].jurors) == 1
    assert rows[screened[0].pk].raw is None


def test_a_closed_stage_reopens_with_a_reason(people, closed):
    sec = people["secretariat"]
    with pytest.raises(ValidationError):
        services.stage_reopen(actor=sec, stage=closed, reason=" ")
    stage = services.stage_reopen(actor=sec, stage=closed, reason="Nilai juri terlambat")
    assert stage.status == Stage.Status.SCORING and stage.closed_at is None
    assert logged("judging.stage_reopened", stage)[0].data == {"reason": "Nilai juri terlambat"}


# --- Score sheets ---------------------------------------------------------------------------------


def criteria(stage):
    return list(stage.rubric.criteria.order_by("order"))


def test_scores_are_checked_against_the_rubric(scoring, jurors):
    a = scoring.assignments.filter(juror=jurors[1]).first()
    c = criteria(scoring)[3]
    for value, message in [
        ("101", "Enter a score from 0 to 100."),
        (-1, "Enter a score from 0 to 100."),
        ("80.5", "Scores go in steps of 1."),
        ("delapan puluh", "Enter a number."),
        ("NaN", "Enter a score from 0 to 100."),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.score_save(actor=jurors[1], assignment=a, criterion=c, value=value)
        assert refused.value.messages == [message], value
    assert not Score.objects.filter(sheet__assignment=a).exists()
    score = services.score_save(actor=jurors[1], assignment=a, criterion=c, value="80,0")
    assert reload(score).value == Decimal("80")
    score = services.score_save(
        actor=jurors[1], assignment=a, criterion=c, not_applicable=True, comment=" Tidak ada "
    )
    score = reload(score)
    assert (score.value, score.not_applicable, score.comment) == (None, True, "Tidak ada")
    assert Score.objects.filter(sheet__assignment=a).count() == 1


def test_a_rubric_without_not_applicable_and_with_a_coarser_step(
    people, competition, assigned, jurors
):
    sec = people["secretariat"]
    services.rubric_save(actor=sec, stage=assigned, allow_na=False, step=Decimal(5))
    stage = services.stage_open(actor=sec, stage=assigned)
    a = stage.assignments.filter(juror=jurors[0]).first()
    c = criteria(stage)[0]
    with pytest.raises(ValidationError, match="no “not applicable”"):
        services.score_save(actor=jurors[0], assignment=a, criterion=c, not_applicable=True)
    with pytest.raises(ValidationError, match="steps of 5"):
        services.score_save(actor=jurors[0], assignment=a, criterion=c, value=82)
    assert services.score_save(actor=jurors[0], assignment=a, criterion=c, value=85).value == 85


def test_only_the_assigned_juror_scores_and_only_while_scoring_is_open(
    people, assigned, jurors, stages
):
    a = assigned.assignments.filter(juror=jurors[0]).first()
    c = criteria(assigned)[0]
    with pytest.raises(ValidationError, match="not open"):
        services.score_save(actor=jurors[0], assignment=a, criterion=c, value=50)
    services.stage_open(actor=people["secretariat"], stage=assigned)
    a = reload(a)
    with pytest.raises(PermissionDenied):
        services.score_save(actor=jurors[1], assignment=a, criterion=c, value=50)
    with pytest.raises(PermissionDenied):
        services.score_save(actor=people["secretariat"], assignment=a, criterion=c, value=50)
    other = stages[1].rubric.criteria.first()
    with pytest.raises(ValidationError, match="not in the stage's rubric"):
        services.score_save(actor=jurors[0], assignment=a, criterion=other, value=50)


def test_submitting_needs_every_criterion_and_comments_at_the_extremes(scoring, jurors):
    a = scoring.assignments.filter(juror=jurors[2]).first()
    cs = criteria(scoring)
    services.score_save(actor=jurors[2], assignment=a, criterion=cs[0], value=96)
    services.score_save(actor=jurors[2], assignment=a, criterion=cs[1], value=20)
    services.score_save(actor=jurors[2], assignment=a, criterion=cs[2], value=21)
    services.score_save(actor=jurors[2], assignment=a, criterion=cs[3], not_applicable=True)
    with pytest.raises(ValidationError) as refused:
        services.sheet_submit(actor=jurors[2], assignment=a)
    problems = refused.value.message_dict
    assert problems[str(cs[0].pk)] == ["Explain this score in a comment."]
    assert problems[str(cs[1].pk)] == ["Explain this score in a comment."]
    assert set(problems) == {str(c.pk) for c in [cs[0], cs[1], *cs[4:]]}
    assert all(problems[str(c.pk)] == ["Score this criterion."] for c in cs[4:])
    services.sheet_save(
        actor=jurors[2],
        assignment=a,
        values={
            str(cs[0].pk): {"value": 96, "comment": "Dampak luar biasa"},
            str(cs[1].pk): {"value": 20, "comment": "Tanpa data"},
            **{str(c.pk): {"value": 75} for c in cs[4:]},
        },
        comment="Layak lanjut",
    )
    sheet = services.sheet_submit(actor=jurors[2], assignment=a)
    assert sheet.status == Sheet.Status.SUBMITTED and sheet.submitted_at is not None
    assert reload(sheet).comment == "Layak lanjut"


def test_a_whole_sheet_keeps_what_is_valid_and_names_what_is_not(scoring, jurors):
    a = scoring.assignments.filter(juror=jurors[3]).first()
    cs = criteria(scoring)
    with pytest.raises(ValidationError) as refused:
        services.sheet_save(
            actor=jurors[3],
            assignment=a,
            values={str(cs[0].pk): {"value": 70}, str(cs[1].pk): {"value": 700}},
        )
    assert refused.value.message_dict == {str(cs[1].pk): ["Enter a score from 0 to 100."]}
    assert dict(Score.objects.filter(sheet__assignment=a).values_list("criterion", "value")) == {
        cs[0].pk: Decimal(70)
    }


def test_a_submitted_sheet_is_locked_and_its_scores_are_in_the_log(scoring, jurors):
    a = scoring.assignments.filter(juror=jurors[1]).first()
    cs = criteria(scoring)
    for n, c in enumerate(cs):
        if n == 2:
            services.score_save(actor=jurors[1], assignment=a, criterion=c, not_applicable=True)
        else:
            services.score_save(actor=jurors[1], assignment=a, criterion=c, value=60 + n)
    services.sheet_submit(actor=jurors[1], assignment=a)
    with pytest.raises(ValidationError, match="submitted and locked"):
        services.score_save(actor=jurors[1], assignment=a, criterion=cs[0], value=90)
    with pytest.raises(ValidationError, match="submitted and locked"):
        services.sheet_submit(actor=jurors[1], assignment=a)
    assert Score.objects.get(sheet__assignment=a, criterion=cs[0]).value == 60
    [entry] = logged("judging.sheet_submitted", a.proposal)
    assert entry.actor == jurors[1]
    assert entry.data == {
        "stage": scoring.pk,
        "assignment": a.pk,
        "calibration": False,
        "scores": {str(c.pk): None if n == 2 else f"{60 + n}.00" for n, c in enumerate(cs)},
    }


def test_the_secretariat_reopens_a_sheet_with_a_reason(people, scoring, jurors):
    sec = people["secretariat"]
    a = scoring.assignments.filter(juror=jurors[1]).first()
    sheet = services.sheet_of(a)
    with pytest.raises(ValidationError, match="not submitted"):
        services.sheet_reopen(actor=sec, sheet=sheet, reason="Salah ketik")
    score_sheet(a, 50)
    sheet = reload(sheet)
    with pytest.raises(PermissionDenied):
        services.sheet_reopen(actor=jurors[1], sheet=sheet, reason="Saya salah ketik")
    with pytest.raises(ValidationError):
        services.sheet_reopen(actor=sec, sheet=sheet, reason="  ")
    sheet = services.sheet_reopen(actor=sec, sheet=sheet, reason="Salah ketik")
    assert sheet.status == Sheet.Status.DRAFT and sheet.reopened_at is not None
    [entry] = logged("judging.sheet_reopened", a.proposal)
    assert entry.data == {"stage": scoring.pk, "assignment": a.pk, "reason": "Salah ketik"}
    [notice] = notices(jurors[1], "reopened")
    assert notice.text == (
        f"Your score sheet for “{a.proposal.title}” was reopened by the secretariat: Salah ketik"
    )
    services.score_save(actor=jurors[1], assignment=a, criterion=criteria(scoring)[0], value=55)
    services.sheet_submit(actor=jurors[1], assignment=a)
    assert len(logged("judging.sheet_submitted", a.proposal)) == 2


def test_a_sheet_reopens_only_while_scoring(people, closed):
    sheet = Sheet.objects.filter(assignment__stage=closed).first()
    with pytest.raises(ValidationError, match="Reopen the stage first"):
        services.sheet_reopen(actor=people["secretariat"], sheet=sheet, reason="Terlambat")


def test_a_recusal_voids_the_assignment_and_its_scores(people, scoring, jurors):
    a = scoring.assignments.filter(juror=jurors[2], calibration=False).first()
    proposal = a.proposal
    score_sheet(a, 70, submit=False)
    with pytest.raises(PermissionDenied):
        services.recusal_declare(actor=jurors[3], assignment=a, reason="Bukan saya")
    with pytest.raises(ValidationError):
        services.recusal_declare(actor=jurors[2], assignment=a, reason=" ")
    recusal = services.recusal_declare(
        actor=jurors[2], assignment=a, reason="Istri saya inovatornya"
    )
    assert (recusal.juror, recusal.proposal, recusal.reason) == (
        jurors[2],
        proposal,
        "Istri saya inovatornya",
    )
    assert not Assignment.objects.filter(pk=a.pk).exists()
    assert not Score.objects.filter(sheet__assignment_id=a.pk).exists()
    [entry] = logged("judging.recused", proposal)
    assert entry.data == {
        "stage": scoring.pk,
        "reason": "Istri saya inovatornya",
        "assignments": [a.pk],
    }
    [notice] = notices(people["secretariat"], "conflict of interest")
    assert proposal.title in notice.text
    # The declaration is a conflict from now on: the juror can no longer be given it.
    with pytest.raises(ValidationError, match="declared a conflict of interest"):
        services.assignment_add(
            actor=people["secretariat"], stage=scoring, juror=jurors[2], proposal=proposal
        )
    assert Recusal.objects.filter(juror=jurors[2]).count() == 1


# --- Calibration ----------------------------------------------------------------------------------


def test_calibration_gives_a_sample_to_the_panel_without_the_conflicted(
    people, assigned, jurors, screened, other_regency
):
    sec = people["secretariat"]
    count = services.calibration_start(actor=sec, stage=assigned, proposal=screened[0])
    assert count == 4
    sample = assigned.assignments.filter(calibration=True)
    assert set(sample.values_list("juror", flat=True)) == {j.pk for j in jurors[:4]}
    assert set(sample.values_list("proposal", flat=True)) == {screened[0].pk}
    assert reload(assigned).calibration_proposal == screened[0]
    [entry] = logged("judging.calibration_started", assigned)
    assert entry.data == {"proposal": screened[0].pk, "jurors": 4}
    # Another sample replaces this one while nobody has scored it.
    assert services.calibration_start(actor=sec, stage=assigned, proposal=screened[2]) == 5
    assert set(
        assigned.assignments.filter(calibration=True).values_list("proposal", flat=True)
    ) == {screened[2].pk}
    # Regular assignments are untouched.
    assert assigned.assignments.filter(calibration=False).count() == 18


def test_calibration_scores_never_count_and_a_scored_sample_stays(
    people, assigned, screened, jurors
):
    sec = people["secretariat"]
    services.calibration_start(actor=sec, stage=assigned, proposal=screened[2])
    stage = services.stage_open(actor=sec, stage=assigned)
    sample = stage.assignments.get(calibration=True, juror=jurors[0])
    score_sheet(sample, 90)
    with pytest.raises(ValidationError, match="already scored another sample"):
        services.calibration_start(actor=sec, stage=stage, proposal=screened[3])
    assert stage_result(stage).by_proposal()[screened[2].pk].jurors == {}
    [entry] = logged("judging.sheet_submitted", screened[2])
    assert entry.data["calibration"] is True


# --- Moderation -----------------------------------------------------------------------------------


def test_the_chair_decides_by_consensus_and_the_scores_stay(people, closed, jurors, screened):
    moderation = closed.moderations.get()
    scores_before = sorted(
        Score.objects.filter(sheet__assignment__stage=closed).values_list("pk", "value")
    )
    before = stage_result(closed).by_proposal()[screened[1].pk]
    with pytest.raises(PermissionDenied):
        services.moderation_decide(
            actor=jurors[1], moderation=moderation, consensus=Decimal(75), justification="X"
        )
    with pytest.raises(ValidationError):
        services.moderation_decide(
            actor=jurors[0], moderation=moderation, consensus=Decimal(75), justification=" "
        )
    with pytest.raises(ValidationError):
        services.moderation_decide(
            actor=jurors[0], moderation=moderation, consensus=Decimal(101), justification="X"
        )
    decided = services.moderation_decide(
        actor=jurors[0],
        moderation=moderation,
        consensus=Decimal(75),
        justification=" Pleno sepakat 75 ",
    )
    decided = reload(decided)
    assert decided.status == Moderation.Status.DECIDED
    assert (decided.consensus, decided.justification, decided.decided_by) == (
        Decimal(75),
        "Pleno sepakat 75",
        jurors[0],
    )
    assert (
        sorted(Score.objects.filter(sheet__assignment__stage=closed).values_list("pk", "value"))
        == scores_before
    )
    row = stage_result(closed).by_proposal()[screened[1].pk]
    assert (row.consensus, row.score, row.raw) == (75.0, 75.0, before.raw)
    [entry] = logged("judging.moderated", screened[1])
    assert entry.changes == {"consensus": {"before": None, "after": "75"}}
    assert entry.data == {"stage": closed.pk, "justification": "Pleno sepakat 75"}
    # Keeping the computed score is a decision too.
    services.moderation_decide(
        actor=people["secretariat"], moderation=decided, consensus=None, justification="Dibatalkan"
    )
    assert stage_result(closed).by_proposal()[screened[1].pk].score == before.score
    assert logged("judging.moderated", screened[1])[1].changes == {
        "consensus": {"before": "75.00", "after": None}
    }


def test_moderation_waits_for_the_stage_to_close(people, competition, scoring, screened):
    moderation = Moderation.objects.create(stage=scoring, proposal=screened[1], spread=30)
    with pytest.raises(ValidationError, match="once the stage is closed"):
        services.moderation_decide(
            actor=people["secretariat"], moderation=moderation, consensus=None, justification="X"
        )


# --- Outcomes -------------------------------------------------------------------------------------


def decide_all(people, stage):
    for m in stage.moderations.filter(status=Moderation.Status.OPEN):
        services.moderation_decide(
            actor=people["secretariat"], moderation=m, consensus=None, justification="Sepakat"
        )


def test_the_top_n_are_staged_then_applied_and_agencies_told(
    people, competition, closed, stages, screened, django_capture_on_commit_callbacks, mailoutbox
):
    sec = people["secretariat"]
    services.stage_save(actor=sec, competition=competition, stage=closed, top_n=3)
    services.outcomes_stage(actor=sec, stage=closed)
    with pytest.raises(ValidationError, match="still wait for the panel"):
        services.outcomes_apply(actor=sec, stage=closed)
    decide_all(people, closed)
    assert services.outcomes_stage(actor=sec, stage=closed) == 3
    ranked = [r.proposal for r in stage_result(closed).rows]
    staged = dict(closed.entries.values_list("proposal", "staged"))
    assert [staged[p] for p in ranked] == ["advanced"] * 3 + ["stopped"] * 3
    # Staged only: nothing is decided nor announced yet.
    assert set(closed.entries.values_list("outcome", flat=True)) == {"pending"}
    assert notices(people["operator"], "goes on") == []
    with django_capture_on_commit_callbacks(execute=True):
        result = services.outcomes_apply(actor=sec, stage=closed)
    assert result == {"advanced": 3, "stopped": 3}
    outcome = dict(closed.entries.values_list("proposal", "outcome"))
    assert [outcome[p] for p in ranked] == ["advanced"] * 3 + ["stopped"] * 3
    assert set(stages[1].entries.values_list("proposal", flat=True)) == set(ranked[:3])
    # Each agency's operators and heads hear the outcome of their proposal.
    health_goes = outcome[screened[0].pk] == "advanced"
    for person in (people["operator"], people["head"]):
        [notice] = notices(person, screened[0].title)
        assert ("goes on to Presentations" in notice.text) == health_goes
        assert ("does not go on" in notice.text) == (not health_goes)
    assert len(notices(people["other_operator"], screened[1].title)) == 1
    assert people["operator"].email in {m.to[0] for m in mailoutbox}
    [entry] = logged("judging.outcomes_applied", closed)
    assert sorted(entry.data["advanced"]) == sorted(ranked[:3])
    assert sorted(entry.data["stopped"]) == sorted(ranked[3:])
    with pytest.raises(ValidationError, match="are applied"):
        services.outcomes_apply(actor=sec, stage=closed)


def test_outcomes_by_passing_grade(people, competition, closed):
    sec = people["secretariat"]
    decide_all(people, closed)
    services.stage_save(
        actor=sec,
        competition=competition,
        stage=closed,
        advancement=Stage.Advancement.PASSING_GRADE,
        passing_grade=Decimal("62.5"),
    )
    result = stage_result(closed)
    expected = {r.proposal for r in result.rows if r.score >= 62.5}
    assert 0 < len(expected) < 6
    assert services.outcomes_stage(actor=sec, stage=closed) == len(expected)
    services.outcomes_apply(actor=sec, stage=closed)
    assert (
        set(closed.entries.filter(outcome="advanced").values_list("proposal", flat=True))
        == expected
    )


def test_a_manual_shortlist(people, competition, closed, screened):
    sec = people["secretariat"]
    decide_all(people, closed)
    services.stage_save(
        actor=sec, competition=competition, stage=closed, advancement=Stage.Advancement.MANUAL
    )
    assert services.outcomes_stage(actor=sec, stage=closed) == 0
    with pytest.raises(ValidationError, match="Nobody goes on"):
        services.outcomes_apply(actor=sec, stage=closed)
    with pytest.raises(ValidationError, match="Unknown outcome"):
        services.outcomes_stage(actor=sec, stage=closed, outcomes={screened[0].pk: "winner"})
    chosen = {screened[0].pk: "advanced", screened[5].pk: "advanced", screened[2].pk: ""}
    assert services.outcomes_stage(actor=sec, stage=closed, outcomes=chosen) == 2
    assert services.outcomes_apply(actor=sec, stage=closed) == {"advanced": 2, "stopped": 4}
    # An entry left unstaged does not go on.
    assert reload(closed.entries.get(proposal=screened[2])).outcome == "stopped"
    assert set(closed.entries.filter(outcome="advanced").values_list("proposal", flat=True)) == {
        screened[0].pk,
        screened[5].pk,
    }


def test_outcomes_wait_for_the_stage_to_close(people, scoring):
    with pytest.raises(ValidationError, match="Close the stage first"):
        services.outcomes_stage(actor=people["secretariat"], stage=scoring)
    with pytest.raises(PermissionDenied):
        services.outcomes_apply(actor=people["juror"], stage=scoring)


def test_the_panel_vote_is_recorded(people, closed, screened):
    services.votes_record(
        actor=people["secretariat"], stage=closed, votes={screened[2].pk: 4, screened[3].pk: 2}
    )
    votes = dict(closed.entries.values_list("proposal", "panel_votes"))
    assert (votes[screened[2].pk], votes[screened[3].pk], votes[screened[4].pk]) == (4, 2, None)
    [entry] = logged("judging.votes_recorded", closed)
    assert entry.data["votes"] == {str(screened[2].pk): 4, str(screened[3].pk): 2}


# --- Special awards -------------------------------------------------------------------------------


def test_special_awards_chosen_with_a_reason(people, competition, scoring, screened):
    sec = people["secretariat"]
    for name, reason in [(" ", "Warga terlibat"), ("Kategori Partisipatif", " ")]:
        with pytest.raises(ValidationError):
            services.special_award_add(
                actor=sec,
                competition=competition,
                proposal=screened[4],
                name=name,
                name_en="",
                reason=reason,
            )
    award = services.special_award_add(
        actor=sec,
        competition=competition,
        proposal=screened[4],
        name=" Kategori Partisipatif ",
        name_en="Participatory category",
        reason=" Warga terlibat penuh ",
    )
    assert (award.name, award.reason, award.chosen_by) == (
        "Kategori Partisipatif",
        "Warga terlibat penuh",
        sec,
    )
    with pytest.raises(ValidationError, match="already has this category"):
        services.special_award_add(
            actor=sec,
            competition=competition,
            proposal=screened[4],
            name="Kategori Partisipatif",
            name_en="",
            reason="Lagi",
        )
    failed = Proposal.objects.filter(pk=screened[5].pk)
    failed.update(status=Proposal.Status.FAILED)
    with pytest.raises(ValidationError, match="passed screening"):
        services.special_award_add(
            actor=sec,
            competition=competition,
            proposal=failed.get(),
            name="Kategori Partisipatif",
            name_en="",
            reason="Warga",
        )
    with pytest.raises(PermissionDenied):
        services.special_award_add(
            actor=people["juror"],
            competition=competition,
            proposal=screened[3],
            name="Kategori Partisipatif",
            name_en="",
            reason="Warga",
        )
    [entry] = logged("judging.special_award_added", screened[4])
    assert entry.data == {"category": "Kategori Partisipatif", "reason": "Warga terlibat penuh"}
    services.special_award_remove(actor=sec, award=award)
    assert not SpecialAward.objects.exists()
    assert logged("judging.special_award_removed", screened[4])[0].data == {
        "category": "Kategori Partisipatif"
    }


def test_the_chair_of_the_last_stage_may_choose_a_special_award(
    people, competition, stages, scoring, jurors, screened
):
    services.panel_add(actor=people["secretariat"], stage=stages[1], juror=jurors[3], is_chair=True)
    award = services.special_award_add(
        actor=jurors[3],
        competition=competition,
        proposal=screened[2],
        name="Kategori Partisipatif",
        name_en="",
        reason="Pilihan panel",
    )
    assert award.chosen_by == jurors[3]
    # The chair of the desk evaluation is not the chair of the last stage.
    with pytest.raises(PermissionDenied):
        services.special_award_add(
            actor=jurors[0],
            competition=competition,
            proposal=screened[3],
            name="Kategori Partisipatif",
            name_en="",
            reason="Pilihan panel",
        )
    # Only the organiser takes one away.
    with pytest.raises(PermissionDenied):
        services.special_award_remove(actor=jurors[3], award=award)


def test_special_awards_only_while_judging(people, competition, stages, screened):
    with pytest.raises(ValidationError, match="while judging"):
        services.special_award_add(
            actor=people["secretariat"],
            competition=competition,
            proposal=screened[0],
            name="Kategori Partisipatif",
            name_en="",
            reason="Warga",
        )


# --- Reminders ------------------------------------------------------------------------------------


def test_jurors_with_open_sheets_are_reminded_once_per_day_count(scoring, jurors):
    stage = reload(scoring)
    assert stage.reminder_days == [3, 1]
    done = jurors[0]
    for a in stage.assignments.filter(juror=done):
        score_sheet(a, 70)
    due = stage.ends_on
    assert services.send_juror_reminders(today=due - datetime.timedelta(days=5)) == 0
    assert services.send_juror_reminders(today=due - datetime.timedelta(days=3)) == 4
    assert services.send_juror_reminders(today=due - datetime.timedelta(days=3)) == 0
    assert services.send_juror_reminders(today=due - datetime.timedelta(days=2)) == 0
    assert reload(stage).reminders_sent == [3]
    loads = loads_of(stage)
    for juror in jurors[1:]:
        [notice] = notices(juror, "Reminder")
        assert notice.text.startswith(
            f"Reminder: {loads[juror.pk]} score sheets of Proposal evaluation are still open"
        )
    assert notices(done, "Reminder") == []
    assert services.send_juror_reminders(today=due - datetime.timedelta(days=1)) == 4
    assert reload(stage).reminders_sent == [3, 1]
    assert len(notices(jurors[1], "Reminder")) == 2


def test_no_reminder_for_a_stage_not_being_scored(closed):
    due = closed.ends_on
    assert services.send_juror_reminders(today=due - datetime.timedelta(days=3)) == 0
    assert reload(closed).reminders_sent == []


# --- The audit trail ------------------------------------------------------------------------------


def test_every_step_of_a_stage_leaves_its_entry(people, competition, closed, screened):
    sec = people["secretariat"]
    decide_all(people, closed)
    services.outcomes_stage(actor=sec, stage=closed)
    services.outcomes_apply(actor=sec, stage=closed)
    actions = Counter(
        ActivityEntry.objects.filter(region=competition.region)
        .filter(action__startswith="judging.")
        .values_list("action", flat=True)
    )
    assert actions == {
        "judging.stages_from_template": 1,
        "judging.panel_added": 5,
        "judging.assigned_automatically": 1,
        "judging.stage_opened": 1,
        "judging.sheet_submitted": 18,
        "judging.stage_closed": 1,
        "judging.moderated": 1,
        "judging.outcomes_applied": 1,
    }
    # Each entry names who acted.
    assert not ActivityEntry.objects.filter(action__startswith="judging.", actor=None).exists()
    assert PanelMember.objects.filter(stage=closed).count() == 5
    assert Criterion.objects.filter(rubric=closed.rubric).count() == 7
