"""Judging through its pages: the secretariat sets stages, rubrics, panels and assignments up,
opens and closes scoring, ranks, moderates and advances; jurors score on their sheets; every
page refuses the people it is not for (the other region's secretariat, an operator, a juror off
the panel, a juror in conflict of interest, a visitor) and changes nothing for them.

The fixtures (tests/judging/conftest.py): six proposals passed screening (`screened`, the first
of Dinas Kesehatan); the regency template's stages (`stages`); the desk evaluation's panel of
five, Juri 0 in the chair and Juri 4 recorded as working in Dinas Kesehatan (`seated`); assigned
automatically (`assigned`); open (`scoring`); scored and closed (`closed`, screened[1] flagged).
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from siwanda.accounts.models import Role, RoleAssignment
from siwanda.activity.models import ActivityEntry
from siwanda.competitions.models import Competition
from siwanda.core.demo.competitions import PDF
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
    Slot,
    Stage,
    Visit,
    VisitPhoto,
)
from siwanda.proposals.models import Attachment
from tests.helpers import login
from tests.judging.conftest import score_sheet, seat

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\xbd\xfa"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def flashed(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def text(response) -> str:
    return response.content.decode()


def url(name, *args):
    return reverse(f"judging:{name}", args=args)


@pytest.fixture
def cast(people, jurors):
    """Everyone a judging page meets: the people of every role, the chair (Juri 0), panel
    members (Juri 1-3), the conflicted member (Juri 4) and a juror off the panel."""
    return {
        **people,
        "chair": jurors[0],
        "member": jurors[1],
        "conflicted": jurors[4],
        "off_panel": people["juror"],
        "anonymous": None,
    }


OUTSIDERS = ("neighbour_secretariat", "operator", "off_panel", "conflicted", "anonymous")


def assert_refused(client, cast, roles, method, address, data=None):
    """Each of `roles` is refused `address` (a visitor is sent to log in), sees no proposal, and
    nothing is recorded or changed in the activity log."""
    for role in roles:
        client.logout()
        if cast[role] is not None:
            login(client, cast[role])
        before = ActivityEntry.objects.count()
        response = getattr(client, method)(address, data or {})
        if cast[role] is None:
            assert response.status_code == 302, (role, response.status_code)
            assert response["Location"].startswith(reverse("accounts:login")), role
        else:
            assert response.status_code in (403, 404), (role, address, response.status_code)
            assert "Inovasi " not in response.content.decode(), role  # no proposal shows
        assert ActivityEntry.objects.count() == before, role
    client.logout()


def assignment_of(stage, juror, proposal=None, calibration=False):
    found = Assignment.objects.filter(stage=stage, juror=juror, calibration=calibration)
    if proposal is not None:
        found = found.filter(proposal=proposal)
    return found.select_related("stage__rubric", "juror", "proposal").first()


def stage_data(**changes):
    """What the stage form posts for a field verification stage (Top 5)."""
    data = {
        "kind": "field",
        "name": "Verifikasi lapangan",
        "name_en": "Field verification",
        "starts_on": "2030-03-02",
        "ends_on": "2030-03-12",
        "weight": "25",
        "aggregation": "mean",
        "advancement": "top_n",
        "top_n": "5",
        "jurors_per_proposal": "2",
        "disagreement": "20",
        "reminder_days": "3, 1",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# --- Stages ---------------------------------------------------------------------------------------


def test_stages_page_offers_the_templates_when_there_is_no_stage(client, people, competition):
    login(client, people["secretariat"])
    page = text(client.get(url("stages", competition.pk)))
    assert "No stage yet. Start from a template" in page
    for key in ("national", "province", "regency"):
        assert f'name="template" value="{key}"' in page
    assert "Regency/city: proposal evaluation, 2 days of presentations" in page


def test_a_template_puts_its_stages_rubrics_and_rules_in_place(client, people, competition):
    login(client, people["secretariat"])
    response = client.post(url("stages", competition.pk), {"template": "province"})
    assert response["Location"] == url("stages", competition.pk)
    assert flashed(response) == [
        "The stages, rubrics and rules of the template are in place; adjust them below."
    ]
    stages = list(competition.stages.order_by("order"))
    assert [(s.kind, s.advancement, s.top_n, s.passing_grade) for s in stages] == [
        ("desk", "top_n", 50, None),
        ("presentation", "passing_grade", None, Decimal("60.00")),
        ("field", "top_n", 30, None),
    ]
    assert [sum(c.weight for c in s.rubric.criteria.all()) for s in stages] == [100] * 3
    entry = ActivityEntry.objects.get(action="judging.stages_from_template")
    assert (entry.actor, entry.data) == (people["secretariat"], {"template": "province"})
    page = text(client.get(url("stages", competition.pk)))
    assert page.count('class="fw-semibold" href="/tahap/') == 3
    assert "Presentation and interview" in page and "weight 45%" in page


def test_stages_page_shows_each_stages_progress(client, people, assigned):
    login(client, people["secretariat"])
    page = text(client.get(url("stages", assigned.competition_id)))
    assert "6 proposals · 5 jurors · 0 of 18 score sheets submitted" in page
    assert "0 proposals · 0 jurors · 0 of 0 score sheets submitted" in page


def test_an_unknown_template_is_refused_and_nothing_changes(client, people, stages):
    login(client, people["secretariat"])
    response = client.post(url("stages", stages[0].competition_id), {"template": "kota-x"})
    assert flashed(response) == ["Choose one of the templates."]
    assert list(Stage.objects.order_by("order")) == stages


def test_started_stages_cannot_be_replaced_by_a_template(client, people, scoring):
    login(client, people["secretariat"])
    response = client.post(url("stages", scoring.competition_id), {"template": "national"})
    assert flashed(response) == ["Judging has started: the stages can no longer be replaced."]
    assert Stage.objects.filter(competition=scoring.competition).count() == 2


def test_stages_page_refuses_everyone_but_the_organiser(client, cast, stages):
    address = url("stages", stages[0].competition_id)
    roles = (*OUTSIDERS, "chair", "head", "mentor")
    assert_refused(client, cast, roles, "get", address)
    assert_refused(client, cast, roles, "post", address, {"template": "national"})
    assert Stage.objects.filter(competition=stages[0].competition).count() == 2


def test_the_system_administrator_manages_judging_too(client, people, stages):
    login(client, people["admin"])
    assert "Proposal evaluation" in text(client.get(url("stages", stages[0].competition_id)))
    assert "Scale and rules" in text(client.get(url("rubric", stages[0].pk)))


# --- Adding a stage -------------------------------------------------------------------------------


def test_a_stage_is_added_at_the_end(client, people, stages):
    competition = stages[0].competition
    login(client, people["secretariat"])
    page = text(client.get(url("stage_add", competition.pk)))
    assert 'name="name"' in page and 'name="tie_breakers"' in page
    response = client.post(
        url("stage_add", competition.pk), stage_data(tie_breakers=["fewer_missing"])
    )
    added = Stage.objects.get(competition=competition, name="Verifikasi lapangan")
    assert response["Location"] == url("stage", added.pk)
    assert flashed(response) == ["Stage added. Now give it a rubric and a panel."]
    assert (added.order, added.kind, added.top_n, added.weight) == (2, "field", 5, Decimal("25"))
    assert (added.reminder_days, added.tie_breakers) == ([3, 1], ["fewer_missing"])
    assert added.starts_on == datetime.date(2030, 3, 2)
    assert ActivityEntry.objects.filter(action="judging.stage_saved", target_id=added.pk).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"top_n": ""}, "top_n", "Say how many go on."),
        ({"ends_on": "2030-03-01"}, "ends_on", "Scores cannot be due before the stage starts."),
        (
            {"advancement": "passing_grade", "passing_grade": "120"},
            "passing_grade",
            "The passing grade is between 0 and 100.",
        ),
        (
            {"reminder_days": "3, besok"},
            "reminder_days",
            "Enter whole numbers separated by commas.",
        ),
        ({"name": ""}, "name", "This field is required."),
    ],
)
def test_a_wrong_stage_is_refused_and_keeps_what_was_typed(
    client, people, stages, changes, field, message
):
    competition = stages[0].competition
    login(client, people["secretariat"])
    response = client.post(url("stage_add", competition.pk), stage_data(**changes))
    assert response.status_code == 200
    page = text(response)
    assert re.search(
        rf'<div class="invalid-feedback d-block" id="id_{field}_error"><p class="mb-0">'
        rf"{re.escape(message)}</p>",
        page,
    ), page
    typed = {"name": "Verifikasi lapangan", **changes}
    if field != "name":
        assert 'name="name" value="Verifikasi lapangan"' in page
    assert f'value="{typed.get("reminder_days", "3, 1")}"' in page
    assert competition.stages.count() == 2


def test_adding_a_stage_refuses_everyone_but_the_organiser(client, cast, stages):
    address = url("stage_add", stages[0].competition_id)
    assert_refused(client, cast, (*OUTSIDERS, "chair"), "get", address)
    assert_refused(client, cast, (*OUTSIDERS, "chair"), "post", address, stage_data())
    assert stages[0].competition.stages.count() == 2


# --- A stage's settings and state -----------------------------------------------------------------


def test_a_stage_being_set_up_says_what_stops_scoring(client, people, seated):
    login(client, people["secretariat"])
    page = text(client.get(url("stage", seated.pk)))
    assert "6 proposals in the stage" in page and "5 jurors on the panel" in page
    assert "Before scoring can open:" in page
    assert "<li>6 proposals have no juror yet.</li>" in page
    assert re.search(r'<button class="btn btn-success w-100" type="submit" disabled>', page)
    presentation = seated.competition.stages.get(order=1)
    page = text(client.get(url("stage", presentation.pk)))
    assert "<li>The outcomes of the previous stage are not applied yet.</li>" in page
    assert "<li>The panel has no member.</li>" in page
    assert "<li>No proposal takes part in the stage yet.</li>" in page


def test_a_stage_ready_to_open_offers_the_button(client, people, assigned):
    login(client, people["secretariat"])
    page = text(client.get(url("stage", assigned.pk)))
    assert "Before scoring can open:" not in page
    assert re.search(r'<button class="btn btn-success w-100" type="submit">Open scoring', page)


def test_stage_settings_are_saved_and_logged(client, people, stages):
    desk = stages[0]
    login(client, people["secretariat"])
    data = stage_data(
        kind="desk",
        name="Penilaian proposal",
        name_en="Proposal evaluation",
        weight="40",
        top_n="10",
        jurors_per_proposal="3",
        aggregation="median",
        tie_breakers=["fewer_missing", "heaviest_criterion"],
    )
    response = client.post(url("stage", desk.pk), data)
    assert response["Location"] == url("stage", desk.pk)
    assert flashed(response) == ["Saved."]
    desk.refresh_from_db()
    assert (desk.top_n, desk.aggregation) == (10, "median")
    assert desk.tie_breakers == ["fewer_missing", "heaviest_criterion"]
    entry = ActivityEntry.objects.filter(action="judging.stage_saved").latest("id")
    assert entry.changes["top_n"] == {"before": "15", "after": "10"}
    assert entry.changes["aggregation"] == {"before": "mean", "after": "median"}
    # The published order of the tie-breaks is the order shown.
    page = text(client.get(url("stage", desk.pk)))
    assert page.index('value="fewer_missing"') < page.index('value="heaviest_criterion"')


def test_wrong_stage_settings_show_the_error_and_keep_the_values(client, people, stages):
    desk = stages[0]
    login(client, people["secretariat"])
    response = client.post(
        url("stage", desk.pk),
        stage_data(
            kind="desk", name="Penilaian ulang", starts_on="2030-05-02", ends_on="2030-05-01"
        ),
    )
    page = text(response)
    assert response.status_code == 200
    assert "Scores cannot be due before the stage starts." in page
    assert 'name="name" value="Penilaian ulang"' in page
    assert 'value="2030-05-01"' in page
    desk.refresh_from_db()
    assert desk.name == "Penilaian proposal"


def test_the_ranking_rules_are_fixed_once_scoring_starts(client, people, scoring):
    login(client, people["secretariat"])
    data = stage_data(
        kind="desk",
        name="Penilaian proposal",
        weight="40",
        top_n="15",
        jurors_per_proposal="3",
        aggregation="median",
        starts_on=scoring.starts_on.isoformat(),
        ends_on=scoring.ends_on.isoformat(),
        rank_by_normalised="on",
        tie_breakers=scoring.tie_breakers,
    )
    response = client.post(url("stage", scoring.pk), data)
    assert response.status_code == 200
    assert (
        "Scoring has started: the rubric, weight, aggregation, normalisation and tie-breaks "
        "can no longer change."
    ) in text(response)
    scoring.refresh_from_db()
    assert scoring.aggregation == "mean"
    # The dates still move.
    data.update(aggregation="mean", ends_on=(scoring.ends_on + datetime.timedelta(days=3)))
    response = client.post(url("stage", scoring.pk), data)
    assert flashed(response) == ["Saved."]


def test_a_stage_page_refuses_everyone_but_the_organiser(client, cast, assigned):
    address = url("stage", assigned.pk)
    assert_refused(client, cast, (*OUTSIDERS, "chair", "member"), "get", address)
    assert_refused(
        client, cast, (*OUTSIDERS, "chair"), "post", address, stage_data(kind="desk", top_n="1")
    )
    assigned.refresh_from_db()
    assert assigned.top_n == 15


def test_opening_scoring_freezes_the_rubric_and_tells_the_jurors(client, people, assigned, jurors):
    login(client, people["secretariat"])
    response = client.post(url("stage_action", assigned.pk, "open"))
    assert response["Location"] == url("stage", assigned.pk)
    assert flashed(response) == ["Scoring is open; the jurors have been told."]
    assigned.refresh_from_db()
    assert assigned.status == Stage.Status.SCORING
    assert assigned.rubric.frozen_at is not None
    assert assigned.competition.status == Competition.Status.JUDGING
    load = Assignment.objects.filter(stage=assigned, juror=jurors[1]).count()
    notice = Notice.objects.get(user=jurors[1])
    assert notice.text.startswith(
        f"Scoring of Proposal evaluation is open: {load} proposals to score by "
    )
    assert notice.url == url("my_assignments")
    assert ActivityEntry.objects.filter(action="judging.stage_opened").count() == 1


def test_scoring_does_not_open_while_something_is_missing(client, people, seated):
    login(client, people["secretariat"])
    response = client.post(url("stage_action", seated.pk, "open"))
    assert flashed(response) == ["6 proposals have no juror yet."]
    seated.refresh_from_db()
    assert seated.status == Stage.Status.SETUP
    assert not Notice.objects.filter(user__panel_seats__stage=seated).exists()


def test_closing_flags_the_disagreements_for_the_chair(client, people, scoring, screened, jurors):
    from tests.judging.conftest import desk_values, score_stage

    score_stage(scoring, desk_values(screened, disputed=screened[1]))
    login(client, people["secretariat"])
    response = client.post(url("stage_action", scoring.pk, "close"))
    assert flashed(response) == ["Scoring is closed."]
    scoring.refresh_from_db()
    assert scoring.status == Stage.Status.CLOSED
    flagged = Moderation.objects.get(stage=scoring)
    assert (flagged.proposal, flagged.spread, flagged.status) == (
        screened[1],
        Decimal("50.00"),
        "open",
    )
    assert Notice.objects.filter(user=jurors[0]).first().text == (
        "Proposal evaluation is closed: 1 proposal needs the panel's consensus."
    )
    assert not Notice.objects.filter(
        user=jurors[1], text__contains="needs the panel's consensus"
    ).exists()
    page = text(client.get(url("stage", scoring.pk)))
    assert "Ranking and decisions" in page and "Reopen scoring" in page


def test_reopening_a_closed_stage_needs_a_reason_and_is_logged(client, people, closed):
    login(client, people["secretariat"])
    response = client.post(url("stage_action", closed.pk, "reopen"), {"reason": "  "})
    assert flashed(response) == ["Say why the stage is reopened."]
    closed.refresh_from_db()
    assert closed.status == Stage.Status.CLOSED
    response = client.post(url("stage_action", closed.pk, "reopen"), {"reason": "Juri 2 terlambat"})
    assert flashed(response) == ["Say why the stage is reopened.", "Scoring is open again."]
    closed.refresh_from_db()
    assert (closed.status, closed.closed_at) == (Stage.Status.SCORING, None)
    entry = ActivityEntry.objects.get(action="judging.stage_reopened")
    assert (entry.actor, entry.data["reason"]) == (people["secretariat"], "Juri 2 terlambat")


def test_a_stage_without_assignments_can_be_deleted(client, people, stages):
    login(client, people["secretariat"])
    presentation = stages[1]
    response = client.post(url("stage_action", presentation.pk, "delete"))
    assert response["Location"] == url("stages", presentation.competition_id)
    assert flashed(response) == ["Stage deleted."]
    assert list(Stage.objects.filter(competition=presentation.competition)) == [stages[0]]
    assert not Rubric.objects.filter(pk=presentation.rubric_id).exists()


def test_a_stage_with_assignments_is_not_deleted(client, people, assigned):
    login(client, people["secretariat"])
    response = client.post(url("stage_action", assigned.pk, "delete"))
    assert flashed(response) == ["Remove the stage's assignments first."]
    assert Stage.objects.filter(pk=assigned.pk).exists()


def test_stages_move_up_and_down_until_they_start(client, people, stages):
    login(client, people["secretariat"])
    response = client.post(url("stage_action", stages[1].pk, "up"))
    assert response["Location"] == url("stages", stages[0].competition_id)
    assert flashed(response) == ["Order saved."]
    assert list(stages[0].competition.stages.order_by("order")) == [stages[1], stages[0]]
    client.post(url("stage_action", stages[1].pk, "down"))
    assert list(stages[0].competition.stages.order_by("order")) == [stages[0], stages[1]]


def test_started_stages_keep_their_place(client, people, scoring):
    login(client, people["secretariat"])
    presentation = scoring.competition.stages.get(order=1)
    response = client.post(url("stage_action", presentation.pk, "up"))
    assert flashed(response) == ["Stages that have started keep their place."]
    assert scoring.competition.stages.get(order=0) == scoring


def test_an_unknown_stage_action_is_not_found_and_a_get_is_not_allowed(client, people, stages):
    login(client, people["secretariat"])
    assert client.post(url("stage_action", stages[0].pk, "publish")).status_code == 404
    assert client.get(url("stage_action", stages[0].pk, "open")).status_code == 405


@pytest.mark.parametrize("action", ["open", "close", "delete", "up", "reopen"])
def test_stage_actions_refuse_everyone_but_the_organiser(client, cast, assigned, action):
    address = url("stage_action", assigned.pk, action)
    assert_refused(client, cast, (*OUTSIDERS, "chair"), "post", address, {"reason": "x"})
    assigned.refresh_from_db()
    assert assigned.status == Stage.Status.SETUP


# --- Rubric and criteria --------------------------------------------------------------------------


def test_the_rubric_page_lists_the_criteria_and_their_weights(client, people, stages):
    login(client, people["secretariat"])
    page = text(client.get(url("rubric", stages[0].pk)))
    assert page.count(f'href="/tahap/{stages[0].pk}/rubrik/kriteria/') == 8  # 7 + "add"
    assert "Significance" in page and ">30%</td>" in page
    assert '<td class="text-end fw-semibold">100%</td>' in page
    assert "The weights must add up to 100." not in page
    assert 'name="scale_max" value="100.00"' in page


def test_rubric_settings_are_saved(client, people, stages):
    login(client, people["secretariat"])
    response = client.post(
        url("rubric", stages[0].pk),
        {"name": "Penilaian 1-9", "scale_min": "1", "scale_max": "9", "step": "1", "allow_na": ""},
    )
    assert response["Location"] == url("rubric", stages[0].pk)
    assert flashed(response) == ["Saved."]
    rubric = Rubric.objects.get(pk=stages[0].rubric_id)
    assert (rubric.name, rubric.scale_min, rubric.scale_max, rubric.allow_na) == (
        "Penilaian 1-9",
        Decimal("1"),
        Decimal("9"),
        False,
    )
    assert ActivityEntry.objects.filter(action="judging.rubric_saved").count() == 1


def test_a_wrong_scale_is_refused_and_keeps_what_was_typed(client, people, stages):
    login(client, people["secretariat"])
    response = client.post(
        url("rubric", stages[0].pk),
        {"name": "Skala terbalik", "scale_min": "10", "scale_max": "5", "step": "1"},
    )
    page = text(response)
    assert (
        'id="id_scale_max_error"><p class="mb-0">The highest score must be above the lowest.'
        in (page)
    )
    assert 'name="name" value="Skala terbalik"' in page and 'name="scale_min" value="10"' in page
    assert Rubric.objects.get(pk=stages[0].rubric_id).scale_max == 100


def test_a_stage_without_a_rubric_gets_one(client, people, stages):
    competition = stages[0].competition
    extra = services.stage_save(
        actor=people["secretariat"],
        competition=competition,
        kind="deliberation",
        name="Sidang akhir",
        advancement="manual",
    )
    login(client, people["secretariat"])
    page = text(client.get(url("rubric", extra.pk)))
    assert "Save the rubric's settings first, then add its criteria." in page
    response = client.get(url("criterion_add", extra.pk))
    assert response["Location"] == url("rubric", extra.pk)
    assert flashed(response) == ["Save the rubric's settings first."]
    client.post(
        url("rubric", extra.pk),
        {"name": "Sidang", "scale_min": "0", "scale_max": "100", "step": "1"},
    )
    extra.refresh_from_db()
    assert extra.rubric.name == "Sidang" and extra.rubric.competition == competition


def test_a_frozen_rubric_is_read_only_and_a_new_version_can_be_made(client, people, stages):
    desk = stages[0]
    Rubric.objects.filter(pk=desk.rubric_id).update(frozen_at=timezone.now())
    login(client, people["secretariat"])
    page = text(client.get(url("rubric", desk.pk)))
    assert "Version 1 of this rubric is frozen since" in page
    assert 'name="scale_max"' not in page and "Add a criterion" not in page
    first = desk.rubric.criteria.first()
    response = client.post(
        url("criterion_edit", desk.pk, first.pk), {"name": "Baru", "weight": "10"}
    )
    assert "This rubric is frozen: scoring has started with it. Make a new version." in text(
        response
    )
    response = client.post(url("rubric", desk.pk), {"new_version": "1"})
    assert flashed(response) == ["A new version of the rubric was made; you can edit it now."]
    desk.refresh_from_db()
    assert (desk.rubric.version, desk.rubric.frozen_at) == (2, None)
    assert desk.rubric.criteria.count() == 7
    assert Rubric.objects.get(pk=first.rubric_id).criteria.count() == 7  # the old one stays


def test_the_rubric_of_a_stage_being_scored_cannot_change(client, people, scoring):
    login(client, people["secretariat"])
    page = text(client.get(url("rubric", scoring.pk)))
    assert "Make a new version" not in page and "allowed, never counted as zero" in page
    response = client.post(url("rubric", scoring.pk), {"new_version": "1"})
    assert flashed(response) == ["Scoring has started: this can no longer change."]
    assert Rubric.objects.filter(competition=scoring.competition).count() == 2


def test_a_criterion_with_anchored_levels_is_added(client, people, stages):
    desk = stages[0]
    login(client, people["secretariat"])
    page = text(client.get(url("criterion_add", desk.pk)))
    assert 'name="level-5-label_en"' in page
    response = client.post(
        url("criterion_add", desk.pk),
        {
            "name": "Kolaborasi",
            "name_en": "Collaboration",
            "weight": "0",
            "level-0-min": "0",
            "level-0-max": "49",
            "level-0-label": "Sendiri",
            "level-1-min": "50",
            "level-1-max": "100",
            "level-1-label": "Pentahelix",
            "level-1-label_en": "Pentahelix",
        },
    )
    assert response["Location"] == url("rubric", desk.pk)
    added = Criterion.objects.get(rubric=desk.rubric, name="Kolaborasi")
    assert added.order == 7
    assert added.levels == [
        {"min": 50.0, "max": 100.0, "label": "Pentahelix", "label_en": "Pentahelix"},
        {"min": 0.0, "max": 49.0, "label": "Sendiri", "label_en": ""},
    ]
    page = text(client.get(url("rubric", desk.pk)))
    assert "<div>50–100: Pentahelix</div>" in page


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        (
            {"level-0-min": "0", "level-0-max": "150", "level-0-label": "Hebat"},
            "Each level must lie within the scale.",
        ),
        ({"level-0-min": "10", "level-0-max": "20"}, "Describe each level."),
        ({"level-0-label": "Tanpa batas"}, "Each level needs a lowest and highest score."),
    ],
)
def test_wrong_levels_are_refused_and_keep_what_was_typed(client, people, stages, levels, message):
    desk = stages[0]
    login(client, people["secretariat"])
    response = client.post(
        url("criterion_add", desk.pk), {"name": "Kolaborasi", "weight": "5", **levels}
    )
    page = text(response)
    assert f'<div class="alert alert-danger" role="alert"><p class="mb-0">{message}</p>' in page
    assert 'name="name" value="Kolaborasi"' in page
    for key, value in levels.items():
        assert f'name="{key}" value="{value}"' in page
    assert desk.rubric.criteria.count() == 7


def test_a_negative_weight_is_refused(client, people, stages):
    desk = stages[0]
    login(client, people["secretariat"])
    response = client.post(url("criterion_add", desk.pk), {"name": "Minus", "weight": "-5"})
    assert 'id="id_weight_error"><p class="mb-0">The weight cannot be negative.' in text(response)
    assert 'name="weight" value="-5"' in text(response)
    assert not Criterion.objects.filter(name="Minus").exists()


def test_a_criterion_is_edited_and_removed(client, people, stages):
    desk = stages[0]
    first = desk.rubric.criteria.first()
    login(client, people["secretariat"])
    page = text(client.get(url("criterion_edit", desk.pk, first.pk)))
    assert 'name="name" value="Latar belakang dan tujuan"' in page
    assert 'name="level-0-min" value="81"' in page
    response = client.post(
        url("criterion_edit", desk.pk, first.pk),
        {"name": "Latar belakang", "weight": "15", "description": "Masalah dan data"},
    )
    assert response["Location"] == url("rubric", desk.pk)
    first.refresh_from_db()
    assert (first.name, first.weight, first.levels) == ("Latar belakang", Decimal("15"), [])
    response = client.post(url("criterion_delete", desk.pk, first.pk))
    assert response["Location"] == url("rubric", desk.pk)
    assert flashed(response) == ["Saved.", "Criterion removed."]
    assert not Criterion.objects.filter(pk=first.pk).exists()
    entry = ActivityEntry.objects.get(action="judging.criterion_deleted")
    assert entry.data == {"criterion": "Latar belakang"}
    page = text(client.get(url("rubric", desk.pk)))
    assert "The weights must add up to 100." in page


def test_a_criterion_of_another_rubric_is_not_found(client, people, stages):
    other = stages[1].rubric.criteria.first()
    login(client, people["secretariat"])
    assert client.get(url("criterion_edit", stages[0].pk, other.pk)).status_code == 404
    assert client.post(url("criterion_delete", stages[0].pk, other.pk)).status_code == 404
    assert Criterion.objects.filter(pk=other.pk).exists()


def test_rubric_pages_refuse_everyone_but_the_organiser(client, cast, stages):
    desk = stages[0]
    criterion = desk.rubric.criteria.first()
    for address, data in [
        (url("rubric", desk.pk), {"name": "x", "scale_min": "0", "scale_max": "1", "step": "1"}),
        (url("criterion_add", desk.pk), {"name": "x", "weight": "1"}),
        (url("criterion_edit", desk.pk, criterion.pk), {"name": "x", "weight": "1"}),
    ]:
        assert_refused(client, cast, (*OUTSIDERS, "chair"), "get", address)
        assert_refused(client, cast, (*OUTSIDERS, "chair"), "post", address, data)
    assert_refused(
        client, cast, (*OUTSIDERS, "chair"), "post", url("criterion_delete", desk.pk, criterion.pk)
    )
    assert desk.rubric.criteria.count() == 7
    assert Rubric.objects.get(pk=desk.rubric_id).name == "Penilaian proposal KIPP"


# --- Panel ----------------------------------------------------------------------------------------


def test_the_panel_page_lists_members_with_their_load(client, people, assigned, jurors):
    login(client, people["secretariat"])
    page = text(client.get(url("panel", assigned.pk)))
    loads = {j: Assignment.objects.filter(stage=assigned, juror=j).count() for j in jurors}
    assert sum(loads.values()) == 18
    assert page.index("Juri 0") < page.index("Juri 1")  # the chair first
    assert '<span class="badge text-bg-primary">chair</span>' in page
    assert f"0 of {loads[jurors[4]]} done" in page
    assert "Dinas Kesehatan" in page  # where Juri 4 works
    # Only jurors of the region not yet seated can be added.
    seatable = re.findall(
        r'<option value="(\d+)">', page.split('name="juror"')[1].split("</select>")[0]
    )
    assert seatable == [str(people["juror"].pk)]


def test_a_juror_is_seated_with_a_limit_and_an_agency(client, people, seated):
    login(client, people["secretariat"])
    response = client.post(
        url("panel", seated.pk),
        {"juror": people["juror"].pk, "max_load": "4", "agency": people["other_agency"].pk},
    )
    assert response["Location"] == url("panel", seated.pk)
    assert flashed(response) == [f"{people['juror']} is on the panel."]
    member = PanelMember.objects.get(stage=seated, juror=people["juror"])
    assert (member.max_load, member.agency, member.is_chair) == (4, people["other_agency"], False)
    assert (
        ActivityEntry.objects.filter(action="judging.panel_added", target_id=seated.pk).count() == 6
    )


def test_only_jurors_of_the_region_can_be_seated(client, people, seated):
    login(client, people["secretariat"])
    response = client.post(
        url("panel", seated.pk), {"juror": people["operator"].pk, "max_load": "0"}
    )
    page = text(response)
    assert response.status_code == 200
    assert "Select a valid choice. That choice is not one of the available choices." in page
    assert "Ensure this value is greater than or equal to 1." in page
    assert 'name="max_load" value="0"' in page
    assert seated.panel.count() == 5


def test_the_panel_of_another_stage_is_copied(client, people, seated):
    presentation = seated.competition.stages.get(order=1)
    login(client, people["secretariat"])
    page = text(client.get(url("panel", presentation.pk)))
    assert "Nobody on the panel yet." in page and f'<option value="{seated.pk}">' in page
    response = client.post(url("panel", presentation.pk), {"copy_from": seated.pk})
    assert flashed(response) == ["5 members seated."]
    copied = {m.juror.full_name: (m.is_chair, m.agency) for m in presentation.panel.all()}
    assert copied["Juri 0"] == (True, None)
    assert copied["Juri 4"] == (False, seated.panel.get(juror__full_name="Juri 4").agency)


def test_members_are_made_chair_and_removed(client, people, assigned, jurors):
    member = assigned.panel.get(juror=jurors[2])
    login(client, people["secretariat"])
    response = client.post(url("panel_member", assigned.pk, member.pk), {"action": "chair"})
    assert flashed(response) == ["Juri 2 chairs the panel."]
    assert list(assigned.panel.filter(is_chair=True).values_list("juror", flat=True)) == [
        jurors[2].pk
    ]
    load = Assignment.objects.filter(stage=assigned, juror=jurors[2]).count()
    response = client.post(url("panel_member", assigned.pk, member.pk), {"action": "remove"})
    assert flashed(response) == ["Juri 2 chairs the panel.", "Juri 2 left the panel."]
    assert not assigned.panel.filter(juror=jurors[2]).exists()
    assert not Assignment.objects.filter(stage=assigned, juror=jurors[2]).exists()
    entry = ActivityEntry.objects.get(action="judging.panel_removed")
    assert entry.data == {"juror": jurors[2].email, "assignments_removed": load}


def test_a_member_who_submitted_scores_stays(client, people, scoring, jurors):
    a = assignment_of(scoring, jurors[1])
    score_sheet(a, 60)
    member = scoring.panel.get(juror=jurors[1])
    login(client, people["secretariat"])
    response = client.post(url("panel_member", scoring.pk, member.pk), {"action": "remove"})
    assert flashed(response) == [
        "Juri 1 has submitted scores in this stage and stays on the panel."
    ]
    assert scoring.panel.filter(juror=jurors[1]).exists()


def test_panel_pages_refuse_everyone_but_the_organiser(client, cast, seated, people):
    member = seated.panel.get(juror=cast["member"])
    roles = (*OUTSIDERS, "chair")
    assert_refused(client, cast, roles, "get", url("panel", seated.pk))
    assert_refused(
        client, cast, roles, "post", url("panel", seated.pk), {"juror": people["juror"].pk}
    )
    for action in ("remove", "chair"):
        assert_refused(
            client,
            cast,
            roles,
            "post",
            url("panel_member", seated.pk, member.pk),
            {"action": action},
        )
    assert seated.panel.count() == 5 and seated.panel.get(is_chair=True).juror == cast["chair"]
    login(client, people["secretariat"])
    assert client.get(url("panel_member", seated.pk, member.pk)).status_code == 405


# --- Assignments ----------------------------------------------------------------------------------


def board_row(page, proposal) -> str:
    return page.split(f'<tr id="proposal-{proposal.pk}">')[1].split("</tr>")[0]


def test_the_board_shows_each_proposals_jurors_and_who_may_not_judge_it(
    client, people, assigned, screened, jurors
):
    a = assignment_of(assigned, jurors[1])
    login(client, people["secretariat"])
    page = text(client.get(url("assignments", assigned.pk)))
    assert "0 proposals have no juror yet; 0 have fewer than wanted." in page
    first = board_row(page, screened[0])
    assert "Juri 4: works in the proposing agency or an agency above it" in first
    names = re.findall(r'<li class="d-flex[^"]*">(Juri \d)', first)
    assert len(names) == 3 and "Juri 4" not in names
    # Juri 4 cannot be added to the proposal it is in conflict with.
    assert f'<option value="{jurors[4].pk}">' not in first.split('name="juror"')[-1]
    assert 'name="action" value="remove"' in board_row(page, a.proposal)
    for p in screened[1:]:  # nobody is in conflict with the others
        assert re.search(r'<td class="small">—</td>\s*$', board_row(page, p)), p.title


def test_automatic_assignment_gives_each_proposal_three_jurors_free_of_conflict(
    client, people, seated, screened, jurors
):
    login(client, people["secretariat"])
    page = text(client.get(url("assignments", seated.pk)))
    assert "6 proposals have no juror yet; 6 have fewer than wanted." in page
    response = client.post(url("assignments", seated.pk), {"action": "automatic"})
    assert response["Location"] == url("assignments", seated.pk)
    assert flashed(response) == ["18 assignments made, none in conflict."]
    pairs = set(Assignment.objects.filter(stage=seated).values_list("juror_id", "proposal_id"))
    assert len(pairs) == 18
    assert (jurors[4].pk, screened[0].pk) not in pairs
    for p in screened:
        assert sum(1 for _j, q in pairs if q == p.pk) == 3
    entry = ActivityEntry.objects.get(action="judging.assigned_automatically")
    assert entry.data == {"created": 18, "short": 0}


def test_automatic_assignment_says_when_the_panel_is_too_small(client, people, stages, jurors):
    desk = stages[0]
    seat(people["secretariat"], desk, jurors[:2])
    login(client, people["secretariat"])
    response = client.post(url("assignments", desk.pk), {"action": "automatic"})
    assert flashed(response) == [
        "12 assignments made, none in conflict.",
        "6 proposals still lack jurors: the panel is too small, too loaded or in conflict with "
        "them.",
    ]


def test_bulk_assignment_leaves_out_conflicts(client, people, seated, screened, jurors):
    login(client, people["secretariat"])
    response = client.post(
        url("assignments", seated.pk),
        {"action": "bulk", "juror": [jurors[4].pk, jurors[1].pk], "group": "", "category": ""},
    )
    assert flashed(response) == ["11 assignments made; 1 left out for conflicts of interest."]
    assert not Assignment.objects.filter(juror=jurors[4], proposal=screened[0]).exists()
    assert Assignment.objects.filter(stage=seated, juror=jurors[4]).count() == 5


def test_bulk_assignment_needs_jurors_of_the_panel(client, people, seated):
    login(client, people["secretariat"])
    response = client.post(
        url("assignments", seated.pk), {"action": "bulk", "juror": [people["juror"].pk]}
    )
    assert flashed(response) == ["Choose jurors of the panel."]
    assert not Assignment.objects.exists()


def test_a_juror_is_added_and_removed_by_hand(client, people, seated, screened, jurors):
    login(client, people["secretariat"])
    client.get(url("assignments", seated.pk))  # the board takes the stage's proposals in
    response = client.post(
        url("assignments", seated.pk),
        {"action": "add", "juror": jurors[1].pk, "proposal": screened[0].pk},
    )
    assert flashed(response) == ["Assigned."]
    a = Assignment.objects.get(stage=seated)
    assert (a.juror, a.proposal, a.method) == (jurors[1], screened[0], "manual")
    response = client.post(
        url("assignments", seated.pk),
        {"action": "add", "juror": jurors[1].pk, "proposal": screened[0].pk},
    )
    assert flashed(response)[-1] == "Juri 1 already judges this proposal."
    response = client.post(url("assignments", seated.pk), {"action": "remove", "assignment": a.pk})
    assert flashed(response)[-1] == "Assignment removed."
    assert not Assignment.objects.exists()
    assert ActivityEntry.objects.filter(action="judging.unassigned").count() == 1


def test_a_conflicted_juror_is_never_assigned_by_hand(client, people, seated, screened, jurors):
    login(client, people["secretariat"])
    client.get(url("assignments", seated.pk))
    response = client.post(
        url("assignments", seated.pk),
        {"action": "add", "juror": jurors[4].pk, "proposal": screened[0].pk},
    )
    assert flashed(response) == [
        "Juri 4 cannot judge “Inovasi Dinas Kesehatan 0”: works in the proposing agency or an "
        "agency above it."
    ]
    assert not Assignment.objects.exists()


def test_only_panel_members_and_the_stages_proposals_are_assigned(client, people, seated, jurors):
    login(client, people["secretariat"])
    other = seated.competition.proposals.first()
    response = client.post(
        url("assignments", seated.pk),
        {"action": "add", "juror": people["juror"].pk, "proposal": other.pk},
    )
    assert response.status_code == 404
    services.entries_sync(stage=seated)
    stranger = Entry.objects.filter(stage=seated).first().proposal
    Entry.objects.filter(stage=seated, proposal=stranger).delete()
    response = client.post(
        url("assignments", seated.pk),
        {"action": "add", "juror": jurors[1].pk, "proposal": stranger.pk},
    )
    assert response.status_code == 404
    assert not Assignment.objects.exists()


def test_a_submitted_sheet_is_reopened_with_a_reason_logged(client, people, scoring, jurors):
    a = assignment_of(scoring, jurors[1])
    score_sheet(a, 60)
    login(client, people["secretariat"])
    page = text(client.get(url("assignments", scoring.pk)))
    row = board_row(page, a.proposal)
    assert '<span class="badge text-bg-success">submitted</span>' in row
    assert 'name="action" value="reopen"' in row
    response = client.post(
        url("assignments", scoring.pk), {"action": "reopen", "assignment": a.pk, "reason": ""}
    )
    assert flashed(response) == ["Say why the sheet is reopened."]
    assert Sheet.objects.get(assignment=a).status == Sheet.Status.SUBMITTED
    response = client.post(
        url("assignments", scoring.pk),
        {"action": "reopen", "assignment": a.pk, "reason": "Nilai signifikansi tertukar"},
    )
    assert flashed(response)[-1] == "The score sheet is open again; the juror has been told."
    sheet = Sheet.objects.get(assignment=a)
    assert sheet.status == Sheet.Status.DRAFT and sheet.reopened_at is not None
    entry = ActivityEntry.objects.get(action="judging.sheet_reopened")
    assert (entry.actor, entry.data) == (
        people["secretariat"],
        {"stage": scoring.pk, "assignment": a.pk, "reason": "Nilai signifikansi tertukar"},
    )
    notice = Notice.objects.filter(user=jurors[1]).first()
    assert notice.text == (
        f"Your score sheet for “{a.proposal.title}” was reopened by the secretariat: Nilai "
        "signifikansi tertukar"
    )
    # A submitted sheet cannot be removed; a reopened one can.
    score_sheet(a, 61)
    response = client.post(url("assignments", scoring.pk), {"action": "remove", "assignment": a.pk})
    assert flashed(response)[-1] == "The juror has submitted this score sheet: reopen it first."
    assert Assignment.objects.filter(pk=a.pk).exists()


def test_assignment_board_refuses_everyone_but_the_organiser(client, cast, assigned, screened):
    a = Assignment.objects.filter(stage=assigned).first()
    address = url("assignments", assigned.pk)
    roles = (*OUTSIDERS, "chair", "member")
    assert_refused(client, cast, roles, "get", address)
    for data in [
        {"action": "automatic"},
        {"action": "bulk", "juror": [cast["member"].pk]},
        {"action": "add", "juror": cast["member"].pk, "proposal": screened[0].pk},
        {"action": "remove", "assignment": a.pk},
    ]:
        assert_refused(client, cast, roles, "post", address, data)
    assert Assignment.objects.filter(stage=assigned).count() == 18


# --- Calibration ----------------------------------------------------------------------------------


def test_calibration_sends_a_sample_to_the_panel_and_shows_the_spread(
    client, people, assigned, screened, jurors
):
    login(client, people["secretariat"])
    page = text(client.get(url("calibration", assigned.pk)))
    assert "Choose a sample proposal (this year's or an earlier one)" in page
    assert f'<option value="{screened[0].pk}">' in page
    response = client.post(url("calibration", assigned.pk), {"proposal": screened[0].pk})
    assert flashed(response) == ["The sample proposal went to 4 panel members."]
    samples = Assignment.objects.filter(stage=assigned, calibration=True)
    assert {a.juror for a in samples} == set(jurors[:4])  # Juri 4 is in conflict with it
    services.stage_open(actor=people["secretariat"], stage=assigned)
    for juror, value in ((jurors[0], 40), (jurors[1], 75)):
        score_sheet(assignment_of(assigned, juror, calibration=True), value)
    page = text(client.get(url("calibration", assigned.pk)))
    assert "Sample: Inovasi Dinas Kesehatan 0" in page
    assert "2 jurors have not submitted yet." in page
    assert '<th scope="row">Juri 0</th>' in page and '<th scope="row">Juri 1</th>' in page
    assert "35.0 points apart" in page
    assert "The jurors are further apart than the stage's disagreement threshold" in page
    # The calibration never counts in the ranking.
    from siwanda.judging.ranking import load

    assert load(assigned).sheets == []


def test_calibration_takes_only_proposals_of_the_region(client, people, assigned):
    from tests.builders import competition_from_template
    from tests.judging.conftest import passed_proposals

    neighbour = passed_proposals(
        competition_from_template(
            people["neighbour_secretariat"], people["neighbour_agency"].region
        ),
        [people["neighbour_agency"]],
    )
    login(client, people["secretariat"])
    response = client.post(url("calibration", assigned.pk), {"proposal": neighbour[0].pk})
    assert response.status_code == 404
    assert not Assignment.objects.filter(calibration=True).exists()


def test_calibration_refuses_everyone_but_the_organiser(client, cast, assigned, screened):
    address = url("calibration", assigned.pk)
    roles = (*OUTSIDERS, "chair")
    assert_refused(client, cast, roles, "get", address)
    assert_refused(client, cast, roles, "post", address, {"proposal": screened[1].pk})
    assert not Assignment.objects.filter(calibration=True).exists()


# --- Ranking --------------------------------------------------------------------------------------


def ranking_rows(page) -> list[str]:
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    return re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)


def test_the_ranking_shows_raw_and_normalised_scores_with_the_method(
    client, people, closed, screened
):
    login(client, people["secretariat"])
    page = text(client.get(url("ranking", closed.pk)))
    rows = ranking_rows(page)
    assert len(rows) == 6
    titles = [re.search(r"<td>(Inovasi [^<]+)<div", row).group(1) for row in rows]
    assert set(titles) == {p.title for p in screened}
    best = rows[titles.index(screened[5].title)]
    assert '<td class="text-end">75.00<div class="small text-body-secondary">#' in best
    disputed = rows[titles.index(screened[1].title)]
    assert "66.67" in disputed and "50.0" in disputed  # raw mean and spread
    assert re.search(r"Juri \d: 40\.0 / ", disputed) and re.search(r"Juri \d: 90\.0 / ", disputed)
    flagged = re.search(r'<tr class="table-warning">.*?</tr>', page, re.S).group(0)
    assert screened[1].title in flagged and "needs consensus" in flagged
    moderation = Moderation.objects.get(stage=closed)
    assert f'href="{url("moderation", moderation.pk)}"' in flagged
    assert "Ranked by normalised totals" in page
    assert "Krippendorff's α (interval)" in page and "ICC(1): one juror's score" in page
    assert "Tie-breaks, in order: 1. higher score in the heaviest criterion" in page
    assert "1 flagged proposal waits for the panel's consensus." in page
    assert page.count('name="advance"') == 6  # the decisions are open
    assert 'name="kind" value="judging.stage"' in page  # the export


def test_the_running_ranking_is_marked_as_such_for_the_secretariat(client, people, scoring, jurors):
    score_sheet(assignment_of(scoring, jurors[1]), 70)
    login(client, people["secretariat"])
    page = text(client.get(url("ranking", scoring.pk)))
    assert "Scoring is still open: this is the running ranking" in page
    assert "70.00" in page
    assert 'name="advance"' not in page


def test_jurors_do_not_see_the_ranking_while_scoring_unless_the_stage_allows_it(
    client, cast, scoring, screened
):
    mine = Assignment.objects.filter(stage=scoring, juror=cast["member"])
    score_sheet(mine.exclude(proposal=screened[0]).select_related("stage__rubric").first(), 70)
    address = url("ranking", scoring.pk)
    assert_refused(client, cast, ("member", "conflicted", *OUTSIDERS), "get", address)
    Stage.objects.filter(pk=scoring.pk).update(jurors_see_scores=True)
    login(client, cast["conflicted"])
    page = text(client.get(address))
    assert "1 proposal you are in conflict with is not shown." in page
    assert screened[0].title not in page
    assert "70.00" in page
    assert 'name="advance"' not in page and 'name="kind" value="judging.stage"' not in page
    # The stage allowing it does not open it to anyone off the panel.
    assert_refused(client, cast, OUTSIDERS[:3], "get", address)


def test_once_closed_the_panel_sees_the_ranking_but_not_its_conflicts(
    client, cast, closed, screened
):
    login(client, cast["member"])
    page = text(client.get(url("ranking", closed.pk)))
    assert len(ranking_rows(page)) == 6
    assert "needs consensus" in page and "/moderasi/" not in page  # not the chair
    assert 'name="advance"' not in page
    login(client, cast["conflicted"])
    page = text(client.get(url("ranking", closed.pk)))
    assert len(ranking_rows(page)) == 5
    assert screened[0].title not in page
    assert_refused(client, cast, (*OUTSIDERS[:3], "anonymous"), "get", url("ranking", closed.pk))


def test_the_chair_follows_the_ranking_and_opens_moderation(client, cast, closed):
    login(client, cast["chair"])
    page = text(client.get(url("ranking", closed.pk)))
    moderation = Moderation.objects.get(stage=closed)
    assert f'href="{url("moderation", moderation.pk)}"' in page
    assert 'name="advance"' not in page  # deciding who goes on is the secretariat's


def test_a_conflicted_chair_never_sees_the_proposal_in_the_ranking(client, cast, closed, screened):
    PanelMember.objects.filter(stage=closed).update(is_chair=False)
    PanelMember.objects.filter(stage=closed, juror=cast["conflicted"]).update(is_chair=True)
    login(client, cast["conflicted"])
    page = text(client.get(url("ranking", closed.pk)))
    assert screened[0].title not in page
    assert "1 proposal you are in conflict with is not shown." in page


# --- Outcomes -------------------------------------------------------------------------------------


def decide_moderations(stage, actor):
    for m in Moderation.objects.filter(stage=stage, status="open"):
        services.moderation_decide(actor=actor, moderation=m, consensus=None, justification="Ok")


def test_outcomes_are_staged_by_the_rule_then_applied_and_told(client, people, closed, screened):
    services.stage_save(
        actor=people["secretariat"], competition=closed.competition, stage=closed, top_n=3
    )
    login(client, people["secretariat"])
    response = client.post(url("outcomes", closed.pk), {"action": "suggest"})
    assert response["Location"] == url("ranking", closed.pk)
    assert flashed(response) == [
        "Staged by the stage's rule: 3 go on. Nothing is announced until you apply."
    ]
    staged = dict(Entry.objects.filter(stage=closed).values_list("proposal_id", "staged"))
    assert sorted(staged.values()) == ["advanced"] * 3 + ["stopped"] * 3
    assert set(Entry.objects.filter(stage=closed).values_list("outcome", flat=True)) == {"pending"}
    told = Notice.objects.filter(user=people["operator"], text__contains=screened[0].title)
    assert not told.exists()
    page = text(client.get(url("ranking", closed.pk)))
    assert "3 proposals are staged to go on." in page
    assert page.count('name="advance" value="') == 6 and page.count(" checked>") == 3
    response = client.post(url("outcomes", closed.pk), {"action": "apply"})
    assert flashed(response) == ["Some flagged proposals still wait for the panel's consensus."]
    decide_moderations(closed, people["secretariat"])
    response = client.post(url("outcomes", closed.pk), {"action": "apply"})
    assert flashed(response)[-1] == ("Applied: 3 go on, 3 do not. The agencies have been told.")
    outcomes = dict(Entry.objects.filter(stage=closed).values_list("proposal_id", "outcome"))
    assert {p for p, o in outcomes.items() if o == "advanced"} == {
        p for p, s in staged.items() if s == "advanced"
    }
    presentation = closed.competition.stages.get(order=1)
    assert set(presentation.entries.values_list("proposal_id", flat=True)) == {
        p for p, o in outcomes.items() if o == "advanced"
    }
    # Normalised, the disputed screened[1] (40, 70, 90) goes on with screened[4] and [5].
    assert outcomes == {
        p.pk: "advanced" if i in (1, 4, 5) else "stopped" for i, p in enumerate(screened)
    }
    assert told.get().text == (
        "“Inovasi Dinas Kesehatan 0” does not go on after Proposal evaluation. Thank you for "
        "taking part."
    )
    assert Notice.objects.get(user=people["other_operator"], text__contains="goes on").text == (
        "“Inovasi Dinas Pendidikan 0” goes on to Presentations. Congratulations!"
    )
    page = text(client.get(url("ranking", closed.pk)))
    assert 'name="advance"' not in page
    assert page.count('<span class="badge text-bg-success">goes on</span>') == 3
    response = client.post(url("outcomes", closed.pk), {"action": "suggest"})
    assert flashed(response) == ["The outcomes of this stage are applied: it is final."]


def test_a_shortlist_is_ticked_by_hand(client, people, closed, screened):
    login(client, people["secretariat"])
    shown = [p.pk for p in screened]
    response = client.post(
        url("outcomes", closed.pk),
        {"action": "save", "shown": shown, "advance": [screened[2].pk, screened[4].pk]},
    )
    assert flashed(response) == ["Staged: 2 go on. Nothing is announced until you apply."]
    staged = dict(Entry.objects.filter(stage=closed).values_list("proposal_id", "staged"))
    assert staged == {
        p.pk: "advanced" if p in (screened[2], screened[4]) else "stopped" for p in screened
    }


def test_the_panels_votes_are_recorded_for_ties(client, people, closed, screened):
    login(client, people["secretariat"])
    page = text(client.get(url("ranking", closed.pk)))
    assert f'name="votes-{screened[2].pk}"' in page
    response = client.post(
        url("outcomes", closed.pk),
        {"action": "votes", f"votes-{screened[2].pk}": "4", f"votes-{screened[3].pk}": "dua"},
    )
    assert flashed(response) == ["The panel's votes are recorded."]
    votes = dict(Entry.objects.filter(stage=closed).values_list("proposal_id", "panel_votes"))
    assert (votes[screened[2].pk], votes[screened[3].pk]) == (4, None)
    entry = ActivityEntry.objects.get(action="judging.votes_recorded")
    assert entry.data["votes"] == {str(screened[2].pk): 4, str(screened[3].pk): None}


def test_outcomes_wait_for_the_stage_to_close(client, people, scoring):
    login(client, people["secretariat"])
    response = client.post(url("outcomes", scoring.pk), {"action": "suggest"})
    assert flashed(response) == ["Close the stage first."]
    assert not Entry.objects.filter(stage=scoring).exclude(staged="").exists()
    assert client.get(url("outcomes", scoring.pk)).status_code == 405


def test_outcomes_refuse_everyone_but_the_organiser(client, cast, closed, screened):
    for data in [
        {"action": "suggest"},
        {"action": "save", "shown": [screened[0].pk], "advance": [screened[0].pk]},
        {"action": "votes", f"votes-{screened[0].pk}": "3"},
    ]:
        assert_refused(
            client, cast, (*OUTSIDERS, "chair", "member"), "post", url("outcomes", closed.pk), data
        )
    assert not Entry.objects.filter(stage=closed).exclude(staged="").exists()
    assert not Entry.objects.filter(stage=closed, panel_votes__isnull=False).exists()


# --- Moderation -----------------------------------------------------------------------------------


def test_the_chair_records_a_consensus_and_the_scores_stay(client, cast, closed, screened):
    moderation = Moderation.objects.get(stage=closed)
    address = url("moderation", moderation.pk)
    scores_before = list(Score.objects.order_by("pk").values_list("value", flat=True))
    login(client, cast["chair"])
    page = text(client.get(address))
    assert "The jurors' totals are 50.0 points apart (threshold 20)." in page
    assert len(re.findall(r"<tr><td>Juri \d</td>", page)) == 3
    assert ">66.67</td>" in page  # the mean of 40, 70 and 90
    response = client.post(address, {"consensus": "", "justification": "Dibahas panel"})
    page = text(response)
    assert response.status_code == 200
    assert "Give the consensus score, or keep the computed one." in page
    assert "Dibahas panel</textarea>" in page
    response = client.post(address, {"consensus": "150", "justification": "Dibahas panel"})
    assert "Ensure this value is less than or equal to 100." in text(response)
    assert 'name="consensus" value="150"' in text(response)
    response = client.post(address, {"consensus": "72.5", "justification": "Dibahas panel"})
    assert response["Location"] == url("ranking", closed.pk)
    assert flashed(response) == ["The panel's decision is recorded."]
    moderation.refresh_from_db()
    assert (moderation.status, moderation.consensus, moderation.decided_by) == (
        "decided",
        Decimal("72.50"),
        cast["chair"],
    )
    assert list(Score.objects.order_by("pk").values_list("value", flat=True)) == scores_before
    entry = ActivityEntry.objects.get(action="judging.moderated")
    assert entry.changes == {"consensus": {"before": None, "after": "72.5"}}
    row = [
        r
        for r in ranking_rows(text(client.get(url("ranking", closed.pk))))
        if screened[1].title in r
    ]
    assert '72.50<div class="small">consensus</div>' in row[0] and "moderated" in row[0]
    # Keeping the computed score drops the consensus.
    client.post(address, {"keep": "on", "justification": "Tetap"})
    moderation.refresh_from_db()
    assert (moderation.consensus, moderation.justification) == (None, "Tetap")


def test_moderation_waits_for_the_stage_to_close(client, people, closed):
    services.stage_reopen(actor=people["secretariat"], stage=closed, reason="Terlambat")
    moderation = Moderation.objects.get(stage=closed)
    login(client, people["secretariat"])
    response = client.post(url("moderation", moderation.pk), {"keep": "on", "justification": "Ok"})
    assert "Moderation happens once the stage is closed." in text(response)
    moderation.refresh_from_db()
    assert moderation.status == "open"


def test_moderation_refuses_other_jurors_and_outsiders(client, cast, closed):
    moderation = Moderation.objects.get(stage=closed)
    address = url("moderation", moderation.pk)
    roles = (*OUTSIDERS, "member")
    assert_refused(client, cast, roles, "get", address)
    assert_refused(client, cast, roles, "post", address, {"keep": "on", "justification": "x"})
    moderation.refresh_from_db()
    assert moderation.status == "open"


def test_a_conflicted_chair_cannot_open_nor_decide_the_proposals_moderation(
    client, cast, closed, screened
):
    PanelMember.objects.filter(stage=closed).update(is_chair=False)
    PanelMember.objects.filter(stage=closed, juror=cast["conflicted"]).update(is_chair=True)
    moderation = Moderation.objects.create(stage=closed, proposal=screened[0], spread=30)
    address = url("moderation", moderation.pk)
    assert_refused(client, cast, ("conflicted",), "get", address)
    assert_refused(
        client, cast, ("conflicted",), "post", address, {"keep": "on", "justification": "x"}
    )
    moderation.refresh_from_db()
    assert moderation.status == "open"
    # The same chair decides the proposals it is free of.
    other = Moderation.objects.get(stage=closed, proposal=screened[1])
    login(client, cast["conflicted"])
    response = client.post(url("moderation", other.pk), {"keep": "on", "justification": "Ok"})
    assert response.status_code == 302


# --- Presentation schedule and the room view ------------------------------------------------------


@pytest.fixture
def presentations(people, closed, jurors):
    """The desk evaluation decided (its best 3 go on) and the presentations' panel seated like
    the desk's (Juri 4 still works in Dinas Kesehatan), every juror free of conflict assigned."""
    decide_moderations(closed, people["secretariat"])
    services.stage_save(
        actor=people["secretariat"], competition=closed.competition, stage=closed, top_n=3
    )
    services.outcomes_stage(actor=people["secretariat"], stage=closed)
    services.outcomes_apply(actor=people["secretariat"], stage=closed)
    stage = closed.competition.stages.get(order=1)
    services.panel_copy(actor=people["secretariat"], stage=stage, source=closed)
    services.assign_automatic(actor=people["secretariat"], stage=stage)
    return stage


SCHEDULE = {
    "days": "2030-01-02",
    "start": "08:00",
    "end": "16:00",
    "break_minutes": "0",
    "rooms": "Aula\r\nZoom",
}


def test_a_schedule_is_made_over_rooms_and_the_agencies_are_told(client, people, presentations):
    login(client, people["secretariat"])
    page = text(client.get(url("schedule", presentations.pk)))
    assert "No schedule yet." in page
    assert "Each presentation takes 30 minutes: Presentation 7′, Video 3′, Questions 20′." in page
    response = client.post(url("schedule", presentations.pk), SCHEDULE)
    assert response["Location"] == url("schedule", presentations.pk)
    assert flashed(response) == ["3 presentations scheduled. Check them, then tell the agencies."]
    slots = list(Slot.objects.filter(stage=presentations).order_by("starts_at", "room"))
    assert {s.proposal_id for s in slots} == set(
        presentations.entries.values_list("proposal_id", flat=True)
    )
    # The whole panel judges every presentation: they follow each other in one room, 08:00 WITA
    # (00:00 UTC) onwards, 30 minutes each.
    assert [
        (s.room, s.starts_at.strftime("%H:%M"), s.ends_at.strftime("%H:%M")) for s in slots
    ] == [
        ("Aula", "00:00", "00:30"),
        ("Aula", "00:30", "01:00"),
        ("Aula", "01:00", "01:30"),
    ]
    assert slots[0].starts_at.date() == datetime.date(2030, 1, 2)
    page = text(client.get(url("schedule", presentations.pk)))
    assert "3 presentations · 3 agencies not told yet" in page
    response = client.post(url("schedule", presentations.pk), {"announce": "1"})
    assert flashed(response) == ["3 agencies were told their presentation time."]
    assert not Slot.objects.filter(stage=presentations, notified_at=None).exists()
    # The operator of Dinas Pendidikan, whose proposal presents first, is told when and where.
    assert slots[0].proposal.title == "Inovasi Dinas Pendidikan 0"
    told = Notice.objects.get(user=people["other_operator"], text__contains="presents in").text
    assert told.startswith("“Inovasi Dinas Pendidikan 0” presents in Presentations on 2 January")
    assert told.endswith(", Aula. The presentation takes its full slot: be there early.")
    response = client.post(url("schedule", presentations.pk), SCHEDULE)
    assert "The schedule has been announced: move single presentations instead." in text(response)


def test_rooms_run_in_parallel_when_no_juror_is_shared(client, people, presentations):
    Assignment.objects.filter(stage=presentations).delete()
    services.stage_save(
        actor=people["secretariat"],
        competition=presentations.competition,
        stage=presentations,
        jurors_per_proposal=1,
    )
    services.assign_automatic(actor=people["secretariat"], stage=presentations)
    login(client, people["secretariat"])
    client.post(url("schedule", presentations.pk), SCHEDULE)
    slots = Slot.objects.filter(stage=presentations).order_by("starts_at", "room")
    assert [(s.room, s.starts_at.strftime("%H:%M")) for s in slots] == [
        ("Aula", "00:00"),
        ("Zoom", "00:00"),
        ("Aula", "00:30"),
    ]
    page = text(client.get(url("schedule", presentations.pk)))
    assert page.count(">Aula</td>") == 2 and page.count(">Zoom</td>") == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"days": "2030-02-30"}, "Write each day as YYYY-MM-DD."),
        ({"start": "16:00", "end": "08:00"}, "The day must end after it starts."),
        (
            {"end": "08:30", "rooms": "Aula"},
            "2 presentations do not fit: add a day, a room or longer days.",
        ),
        ({"rooms": "  "}, "This field is required."),
    ],
)
def test_a_schedule_that_cannot_be_made_says_why_and_keeps_the_values(
    client, people, presentations, changes, message
):
    login(client, people["secretariat"])
    response = client.post(url("schedule", presentations.pk), {**SCHEDULE, **changes})
    page = text(response)
    assert response.status_code == 200
    assert message in page
    data = {**SCHEDULE, **changes}
    assert f"{data['days']}</textarea>" in page
    assert f'name="start" value="{data["start"]}"' in page
    assert not Slot.objects.exists()


def test_only_a_presentation_stage_has_a_schedule(client, people, assigned):
    login(client, people["secretariat"])
    response = client.post(url("schedule", assigned.pk), SCHEDULE)
    assert "Only a presentation stage has a schedule." in text(response)
    assert not Slot.objects.exists()


@pytest.fixture
def scheduled(people, presentations):
    from siwanda.judging import schedule

    schedule.slots_generate(
        actor=people["secretariat"],
        stage=presentations,
        days=[datetime.date(2030, 1, 2)],
        start=datetime.time(8),
        end=datetime.time(16),
        rooms=["Aula", "Zoom"],
    )
    return presentations


def test_a_presentation_is_moved_with_notice(client, people, scheduled):
    from siwanda.judging import schedule

    slot = Slot.objects.filter(stage=scheduled, room="Aula").order_by("starts_at").first()
    login(client, people["secretariat"])
    page = text(client.get(url("slot_move", slot.pk)))
    assert "Now: 2 January 2030" in page and 'name="room" value="Aula"' in page
    assert 'name="time" value="08:00"' in page
    schedule.slots_announce(actor=people["secretariat"], stage=scheduled)
    response = client.post(
        url("slot_move", slot.pk), {"day": "2030-01-02", "time": "10:00", "room": "Zoom"}
    )
    page = text(response)
    assert "The agency was told the old time: say why it moves." in page
    assert 'name="room" value="Zoom"' in page and 'name="time" value="10:00"' in page
    response = client.post(
        url("slot_move", slot.pk),
        {"day": "2030-01-02", "time": "10:00", "room": "Zoom", "reason": "Listrik padam"},
    )
    assert response["Location"] == url("schedule", scheduled.pk)
    assert flashed(response) == ["Moved."]
    slot.refresh_from_db()
    assert (slot.room, slot.starts_at) == (
        "Zoom",
        datetime.datetime(2030, 1, 2, 2, 0, tzinfo=datetime.UTC),
    )
    told = Notice.objects.filter(text__startswith=f"The presentation of “{slot.proposal.title}”")
    assert told.exists() and told.first().text.endswith("Zoom. Reason: Listrik padam")
    entry = ActivityEntry.objects.get(action="judging.slot_moved")
    assert entry.changes["slot"]["after"]["room"] == "Zoom"


def test_a_move_onto_a_taken_room_is_refused(client, people, scheduled):
    slots = list(Slot.objects.filter(stage=scheduled).order_by("starts_at", "room"))
    taken = slots[0]
    moving = slots[-1]
    local = timezone.localtime(taken.starts_at, datetime.timezone(datetime.timedelta(hours=8)))
    login(client, people["secretariat"])
    response = client.post(
        url("slot_move", moving.pk),
        {"day": local.date().isoformat(), "time": local.strftime("%H:%M"), "room": taken.room},
    )
    page = text(response)
    assert "This time clashes: the room is taken." in page
    assert f'name="room" value="{taken.room}"' in page
    before = moving.starts_at
    moving.refresh_from_db()
    assert moving.starts_at == before


def test_schedule_pages_refuse_everyone_but_the_organiser(client, cast, scheduled):
    slot = Slot.objects.filter(stage=scheduled).first()
    roles = (*OUTSIDERS, "chair", "member")
    assert_refused(client, cast, roles, "get", url("schedule", scheduled.pk))
    assert_refused(client, cast, roles, "post", url("schedule", scheduled.pk), {"announce": "1"})
    assert_refused(client, cast, roles, "get", url("slot_move", slot.pk))
    assert_refused(
        client,
        cast,
        roles,
        "post",
        url("slot_move", slot.pk),
        {"day": "2030-01-03", "time": "09:00", "room": "Aula"},
    )
    assert not Slot.objects.exclude(notified_at=None).exists()
    assert not Slot.objects.filter(starts_at__date=datetime.date(2030, 1, 3)).exists()


def test_the_room_view_shows_who_is_next_and_the_jurors_sheet(client, cast, people, scheduled):
    services.stage_open(actor=people["secretariat"], stage=scheduled)
    first = Slot.objects.filter(stage=scheduled, room="Aula").order_by("starts_at").first()
    login(client, people["secretariat"])
    page = text(client.get(url("room", scheduled.pk), {"room": "Aula"}))
    assert f"Next: {first.proposal.title}" in page
    assert '<option value="2030-01-02" selected>' in page
    assert 'data-parts="Presentation=7|Video=3|Questions=20"' in page
    assert "Score it" not in page  # the secretariat does not score
    login(client, cast["member"])
    page = text(client.get(url("room", scheduled.pk), {"room": "Aula"}))
    mine = assignment_of(scheduled, cast["member"], first.proposal)
    assert f'href="{url("sheet", mine.pk)}">Score it</a>' in page
    zoom = text(client.get(url("room", scheduled.pk), {"room": "Zoom"}))
    assert "No presentation scheduled." in zoom and first.proposal.title not in zoom


def test_the_room_view_is_for_the_panel_and_the_secretariat(client, cast, scheduled):
    assert_refused(
        client,
        cast,
        ("neighbour_secretariat", "operator", "off_panel", "head", "anonymous"),
        "get",
        url("room", scheduled.pk),
    )
    login(client, cast["neighbour_secretariat"])
    assert client.get(url("room", 999999)).status_code in (403, 404)


# --- Field visits ---------------------------------------------------------------------------------


@pytest.fixture
def field(people, assigned):
    """The first stage made a field verification (three jurors assigned to each proposal),
    open for scoring."""
    services.stage_save(
        actor=people["secretariat"], competition=assigned.competition, stage=assigned, kind="field"
    )
    return services.stage_open(actor=people["secretariat"], stage=assigned)


def plan_data(proposal, members, **changes):
    prefix = f"p{proposal.pk}"
    data = {
        "proposal": proposal.pk,
        f"{prefix}-planned_on": "2030-04-01",
        f"{prefix}-place": "Puskesmas Sabbang",
        f"{prefix}-members": [m.pk for m in members],
    }
    data.update({f"{prefix}-{k}": v for k, v in changes.items()})
    return data


def test_a_visit_is_planned_with_the_jurors_assigned(client, people, field, screened):
    proposal = screened[2]
    assigned_jurors = [a.juror for a in Assignment.objects.filter(stage=field, proposal=proposal)]
    login(client, people["secretariat"])
    page = text(client.get(url("visits", field.pk)))
    assert page.count('<input type="hidden" name="proposal"') == 6
    section = page.split(f'id="visit-{proposal.pk}"')[1].split("</section>")[0]
    assert sorted(re.findall(rf'name="p{proposal.pk}-members" value="(\d+)"', section)) == sorted(
        str(j.pk) for j in assigned_jurors
    )
    response = client.post(url("visits", field.pk), plan_data(proposal, assigned_jurors[:2]))
    assert response["Location"] == url("visits", field.pk)
    assert flashed(response) == ["Visit planned; the agency and the members have been told."]
    visit = Visit.objects.get(stage=field, proposal=proposal)
    assert (visit.planned_on, visit.place) == (datetime.date(2030, 4, 1), "Puskesmas Sabbang")
    assert set(visit.members.all()) == set(assigned_jurors[:2])
    told = Notice.objects.get(user=assigned_jurors[0], text__startswith="You visit")
    assert told.url == url("visit", visit.pk)
    assert not Notice.objects.filter(user=assigned_jurors[2], text__startswith="You visit")
    page = text(client.get(url("visits", field.pk)))
    assert "no report yet" in page and "Change the plan" in page


def test_a_wrong_visit_plan_keeps_what_was_typed(client, people, field, screened):
    proposal = screened[2]
    login(client, people["secretariat"])
    response = client.post(
        url("visits", field.pk),
        plan_data(proposal, [], planned_on="1 April", place="Balai desa"),
    )
    page = text(response)
    assert response.status_code == 200
    section = page.split(f'id="visit-{proposal.pk}"')[1].split("</section>")[0]
    assert '<details class="mt-2" open>' in section
    assert "Enter a valid date." in section and "This field is required." in section
    assert f'name="p{proposal.pk}-place" value="Balai desa"' in section
    assert not Visit.objects.exists()


def test_only_the_stages_proposals_get_a_visit(client, people, field, competition):
    from tests.judging.conftest import passed_proposals

    stranger = passed_proposals(competition, [people["agency"]])[0]
    login(client, people["secretariat"])
    response = client.post(url("visits", field.pk), plan_data(stranger, []))
    assert response.status_code == 404


@pytest.fixture
def visit(people, field, screened):
    from siwanda.judging import schedule

    members = [a.juror for a in Assignment.objects.filter(stage=field, proposal=screened[2])]
    return schedule.visit_plan(
        actor=people["secretariat"],
        stage=field,
        proposal=screened[2],
        planned_on=datetime.date(2030, 4, 1),
        place="Puskesmas",
        member_ids=[m.pk for m in members[:2]],
    )


def test_a_member_writes_the_report_and_adds_photos(client, visit):
    member = visit.members.first()
    login(client, member)
    page = text(client.get(url("visit", visit.pk)))
    assert "Score the verification" in page and 'name="findings"' in page
    response = client.post(url("visit", visit.pk), {"findings": " ", "beneficiaries_met": "Ibu"})
    page = text(response)
    assert "This field is required." in page and "Ibu</textarea>" in page
    response = client.post(
        url("visit", visit.pk), {"findings": "Layanan berjalan", "beneficiaries_met": "Ibu hamil"}
    )
    assert flashed(response) == ["Report saved."]
    visit.refresh_from_db()
    assert (visit.findings, visit.beneficiaries_met) == ("Layanan berjalan", "Ibu hamil")
    assert visit.reported_at is not None
    response = client.post(
        url("visit", visit.pk),
        {"photo": SimpleUploadedFile("dapur.png", PNG, "image/png"), "caption": "Dapur"},
    )
    assert flashed(response)[-1] == "Photo added."
    photo = VisitPhoto.objects.get(visit=visit)
    assert (photo.caption, photo.uploaded_by) == ("Dapur", member)
    response = client.post(
        url("visit", visit.pk),
        {"photo": SimpleUploadedFile("foto.png", PDF, "image/png"), "caption": "Palsu"},
    )
    assert flashed(response)[-1] == (
        "“foto.png” is not an allowed kind of file (its content was checked). Allowed: JPEG, "
        "PNG, at most 10 MB per file."
    )
    assert VisitPhoto.objects.count() == 1
    download = client.get(url("visit_photo", photo.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG


def test_the_secretariat_reads_a_visit_but_does_not_write_it(client, people, visit):
    login(client, people["secretariat"])
    page = text(client.get(url("visit", visit.pk)))
    assert "No report yet." in page and 'name="findings"' not in page
    client.post(url("visit", visit.pk), {"findings": "Tulisan sekretariat"})
    visit.refresh_from_db()
    assert visit.findings == ""


def test_visits_refuse_people_who_are_not_on_them(client, cast, visit, field):
    from siwanda.judging.models import VisitPhoto as Photo

    photo = Photo.objects.create(
        visit=visit, file=SimpleUploadedFile("x.png", PNG), caption="x", uploaded_by=None
    )
    absent = next(
        a.juror
        for a in Assignment.objects.filter(stage=field, proposal=visit.proposal)
        if not visit.members.filter(pk=a.juror_id).exists()
    )
    cast = {**cast, "absent": absent}
    roles = (*OUTSIDERS, "absent")
    assert_refused(client, cast, roles, "get", url("visit", visit.pk))
    assert_refused(client, cast, roles, "post", url("visit", visit.pk), {"findings": "x"})
    assert_refused(client, cast, roles, "get", url("visit_photo", photo.pk))
    assert_refused(client, cast, (*OUTSIDERS, "chair"), "get", url("visits", field.pk))
    assert_refused(
        client,
        cast,
        (*OUTSIDERS, "chair"),
        "post",
        url("visits", field.pk),
        plan_data(visit.proposal, visit.members.all(), place="x"),
    )
    visit.refresh_from_db()
    assert (visit.findings, visit.place) == ("", "Puskesmas")


# --- The juror's side: my assignments, the score sheet, autosave, recusal, files ------------------


def test_my_assignments_shows_progress_and_the_due_date(client, people, scoring, jurors):
    mine = list(
        Assignment.objects.filter(stage=scoring, juror=jurors[1]).select_related(
            "stage__rubric", "juror", "proposal"
        )
    )
    score_sheet(mine[0], 60)
    score_sheet(mine[1], 60, submit=False)
    login(client, jurors[1])
    page = text(client.get(url("my_assignments")))
    assert f"1 of {len(mine)} done" in page
    assert f'<progress class="w-100 my-2" value="1" max="{len(mine)}"' in page
    due = scoring.ends_on
    assert f"due {due.day} {due:%B} {due.year}" in page
    for a in mine:
        assert f'<a href="{url("sheet", a.pk)}">{a.proposal.title}</a>' in page
    assert page.count('<span class="badge text-bg-success">submitted</span>') == 1
    assert page.count('<span class="badge text-bg-warning">being scored</span>') == 1
    others = Assignment.objects.filter(stage=scoring).exclude(juror=jurors[1])
    assert not any(f'href="{url("sheet", a.pk)}"' in page for a in others)


def test_my_assignments_waits_for_scoring_to_open(client, assigned, jurors, people):
    login(client, jurors[1])
    page = text(client.get(url("my_assignments")))
    assert "Nothing to score right now. You will be told when a stage opens." in page
    login(client, people["juror"])
    assert "Nothing to score right now." in text(client.get(url("my_assignments")))


def test_my_assignments_is_for_jurors(client, cast):
    assert_refused(
        client,
        cast,
        ("operator", "neighbour_secretariat", "head", "anonymous"),
        "get",
        url("my_assignments"),
    )


def test_a_conflict_arising_later_takes_the_proposal_away_from_the_juror(
    client, people, scoring, screened, jurors
):
    a = assignment_of(scoring, jurors[1], screened[1])
    if a is None:  # give Juri 1 the proposal if the assigner did not
        a = Assignment.objects.create(
            stage=scoring, juror=jurors[1], proposal=screened[1], method="manual"
        )
    login(client, jurors[1])
    assert screened[1].title in text(client.get(url("my_assignments")))
    # Juri 1 becomes an operator of Dinas Pendidikan, the agency of screened[1].
    RoleAssignment.objects.create(
        user=jurors[1],
        role=Role.OPERATOR,
        agency=screened[1].agency,
        region=screened[1].agency.region,
    )
    page = text(client.get(url("my_assignments")))
    assert screened[1].title not in page
    assert client.get(url("sheet", a.pk)).status_code == 404
    criterion = scoring.rubric.criteria.first()
    response = client.post(url("autosave", a.pk), {"criterion": criterion.pk, "value": "70"})
    assert response.status_code == 404
    assert not Score.objects.exists()


def test_the_sheet_shows_the_proposal_and_the_rubric_anchors(client, scoring, jurors):
    a = assignment_of(scoring, jurors[1])
    login(client, jurors[1])
    page = text(client.get(url("sheet", a.pk)))
    assert f'<h1 class="h4 mb-1">{a.proposal.title}' in page
    assert "Scores from 0 to 100, in steps of 1." in page
    assert page.count('class="form-control score-input') == 7
    assert "81–100" in page  # an anchored level
    assert f'data-autosave-url="{url("autosave", a.pk)}"' in page
    assert "Submit and lock" in page
    assert "The other jurors' totals" not in page
    assert "I have a conflict of interest with this proposal" in page


def sheet_form(criteria, values, comments=None, **extra):
    data = {f"score-{c.pk}": v for c, v in zip(criteria, values, strict=True)}
    data.update({f"comment-{c.pk}": t for c, t in (comments or {}).items()})
    data.update(extra)
    return data


def test_the_sheet_keeps_good_scores_and_shows_the_bad_ones(client, scoring, jurors):
    a = assignment_of(scoring, jurors[1])
    criteria = list(scoring.rubric.criteria.all())
    login(client, jurors[1])
    values = ["70", "101", "7,5", "abc", "", "60", "60"]
    response = client.post(
        url("sheet", a.pk), sheet_form(criteria, values, comment="Catatan umum", save="1")
    )
    page = text(response)
    assert response.status_code == 200
    assert flashed(response) == ["Some scores need attention: see the marked criteria."]
    for criterion, message in [
        (criteria[1], "Enter a score from 0 to 100."),
        (criteria[2], "Scores go in steps of 1."),
        (criteria[3], "Enter a number."),
    ]:
        assert f'data-error-for="{criterion.pk}">{message} </div>' in page
    for criterion, typed in zip(criteria, values, strict=True):
        assert f'name="score-{criterion.pk}" id="score-{criterion.pk}"' in page
        assert re.search(rf'id="score-{criterion.pk}"[^>]*value="{re.escape(typed)}"', page)
    assert "Catatan umum</textarea>" in page
    saved = dict(Score.objects.filter(sheet__assignment=a).values_list("criterion_id", "value"))
    assert saved == {
        criteria[0].pk: Decimal("70"),
        criteria[4].pk: None,
        criteria[5].pk: Decimal("60"),
        criteria[6].pk: Decimal("60"),
    }
    assert Sheet.objects.get(assignment=a).status == Sheet.Status.DRAFT


def test_the_sheet_speaks_indonesian_to_an_indonesian_juror(client, scoring, jurors):
    jurors[1].language = "id"
    jurors[1].save(update_fields=["language"])
    a = assignment_of(scoring, jurors[1])
    criteria = list(scoring.rubric.criteria.all())
    login(client, jurors[1])
    response = client.post(
        url("sheet", a.pk), sheet_form(criteria, ["101", "7.5"] + ["60"] * 5, submit="1")
    )
    page = text(response)
    assert '<html lang="id">' in page
    assert f'data-error-for="{criteria[0].pk}">Masukkan nilai dari 0 sampai 100. </div>' in page
    assert f'data-error-for="{criteria[1].pk}">Nilai harus berupa kelipatan 1. </div>' in page
    assert flashed(response) == ["Beberapa nilai perlu diperiksa: lihat kriteria yang ditandai."]
    response = client.post(url("autosave", a.pk), {"criterion": criteria[0].pk, "value": "-1"})
    assert response.json() == {"ok": False, "error": "Masukkan nilai dari 0 sampai 100."}


def test_a_sheet_is_submitted_only_when_complete(client, scoring, jurors):
    a = assignment_of(scoring, jurors[1])
    criteria = list(scoring.rubric.criteria.all())
    login(client, jurors[1])
    response = client.post(
        url("sheet", a.pk), sheet_form(criteria, ["60"] * 5 + ["", "98"], submit="1")
    )
    page = text(response)
    assert f'data-error-for="{criteria[5].pk}">Score this criterion. </div>' in page
    assert f'data-error-for="{criteria[6].pk}">Explain this score in a comment. </div>' in page
    assert Sheet.objects.get(assignment=a).status == Sheet.Status.DRAFT
    response = client.post(
        url("sheet", a.pk),
        sheet_form(
            criteria,
            ["60"] * 6 + ["98"],
            {criteria[6]: "Keberlanjutan dijamin perda"},
            comment="Layak",
            submit="1",
        ),
    )
    assert response["Location"] == url("my_assignments")
    assert flashed(response)[-1] == "Score sheet submitted and locked. Thank you."
    sheet = Sheet.objects.get(assignment=a)
    assert (sheet.status, sheet.comment) == (Sheet.Status.SUBMITTED, "Layak")
    entry = ActivityEntry.objects.get(action="judging.sheet_submitted")
    assert entry.actor == jurors[1]
    assert entry.data["scores"] == {
        **{str(c.pk): "60.00" for c in criteria[:6]},
        str(criteria[6].pk): "98.00",
    }
    page = text(client.get(url("sheet", a.pk)))
    assert "and locked. The secretariat can reopen it." in page
    assert "Submit and lock" not in page
    assert len(re.findall(r'<input class="form-control score-input[^>]*disabled>', page)) == 7
    # Locked: neither the form (sent from a page opened before) nor autosave change it.
    response = client.post(url("sheet", a.pk), sheet_form(criteria, ["10"] * 7, save="1"))
    assert flashed(response) == [
        "This score sheet is submitted and locked. Ask the secretariat to reopen it."
    ]
    response = client.post(url("autosave", a.pk), {"criterion": criteria[0].pk, "value": "10"})
    assert response.status_code == 400
    assert response.json() == {
        "ok": False,
        "error": "This score sheet is submitted and locked. Ask the secretariat to reopen it.",
    }
    assert set(Score.objects.filter(sheet=sheet).values_list("value", flat=True)) == {
        Decimal("60"),
        Decimal("98"),
    }


def test_a_reopened_sheet_can_be_changed_again(client, people, scoring, jurors):
    a = assignment_of(scoring, jurors[1])
    score_sheet(a, 60)
    services.sheet_reopen(
        actor=people["secretariat"], sheet=Sheet.objects.get(assignment=a), reason="Salah ketik"
    )
    criterion = scoring.rubric.criteria.first()
    login(client, jurors[1])
    page = text(client.get(url("sheet", a.pk)))
    assert "Submit and lock" in page and "and locked" not in page
    response = client.post(url("autosave", a.pk), {"criterion": criterion.pk, "value": "65"})
    assert response.json() == {"ok": True}
    assert Score.objects.get(sheet__assignment=a, criterion=criterion).value == Decimal("65")


def test_autosave_keeps_each_criterion_as_it_is_typed(client, scoring, jurors):
    a = assignment_of(scoring, jurors[1])
    first, second = scoring.rubric.criteria.all()[:2]
    login(client, jurors[1])
    response = client.post(
        url("autosave", a.pk), {"criterion": first.pk, "value": "75", "comment": "Baik"}
    )
    assert (response.status_code, response.json()) == (200, {"ok": True})
    response = client.post(
        url("autosave", a.pk), {"criterion": second.pk, "value": "", "not_applicable": "true"}
    )
    assert response.json() == {"ok": True}
    response = client.post(url("autosave", a.pk), {"field": "comment", "comment": "Menarik"})
    assert response.json() == {"ok": True}
    scores = {s.criterion_id: s for s in Score.objects.filter(sheet__assignment=a)}
    assert (scores[first.pk].value, scores[first.pk].comment) == (Decimal("75"), "Baik")
    assert (scores[second.pk].value, scores[second.pk].not_applicable) == (None, True)
    assert Sheet.objects.get(assignment=a).comment == "Menarik"
    for value, error in [
        ("101", "Enter a score from 0 to 100."),
        ("7.5", "Scores go in steps of 1."),
        ("lima", "Enter a number."),
    ]:
        response = client.post(url("autosave", a.pk), {"criterion": first.pk, "value": value})
        assert (response.status_code, response.json()) == (400, {"ok": False, "error": error})
    assert Score.objects.get(sheet__assignment=a, criterion=first).value == Decimal("75")
    other = scoring.competition.stages.get(order=1).rubric.criteria.first()
    assert (
        client.post(url("autosave", a.pk), {"criterion": other.pk, "value": "5"}).status_code == 404
    )
    assert client.get(url("autosave", a.pk)).status_code == 405


def test_scores_wait_for_scoring_to_open_and_stop_when_it_closes(client, people, closed, jurors):
    a = assignment_of(closed, jurors[2])
    criterion = closed.rubric.criteria.first()
    login(client, jurors[2])
    page = text(client.get(url("sheet", a.pk)))
    assert "Submit and lock" not in page and "and locked" in page
    Sheet.objects.filter(assignment=a).update(status=Sheet.Status.DRAFT)
    page = text(client.get(url("sheet", a.pk)))
    assert "Scoring of this stage is not open." in page
    response = client.post(url("sheet", a.pk), {f"score-{criterion.pk}": "5", "save": "1"})
    assert flashed(response) == ["Scoring of this stage is not open."]
    response = client.post(url("autosave", a.pk), {"criterion": criterion.pk, "value": "5"})
    assert response.json() == {"ok": False, "error": "Scoring of this stage is not open."}


def test_one_jurors_sheet_is_nobody_elses(client, cast, scoring):
    a = assignment_of(scoring, cast["member"])
    criterion = scoring.rubric.criteria.first()
    roles = ("chair", "conflicted", "off_panel", "secretariat", "operator", "anonymous")
    assert_refused(client, cast, roles, "get", url("sheet", a.pk))
    assert_refused(
        client, cast, roles, "post", url("sheet", a.pk), {f"score-{criterion.pk}": "5", "save": 1}
    )
    assert_refused(
        client, cast, roles, "post", url("autosave", a.pk), {"criterion": criterion.pk, "value": 5}
    )
    assert_refused(client, cast, roles, "post", url("recuse", a.pk), {"reason": "Saudara"})
    assert not Score.objects.exists() and not Recusal.objects.exists()


def test_other_jurors_scores_are_shown_only_when_the_stage_allows_it(client, scoring, jurors):
    mine = assignment_of(scoring, jurors[1])
    proposal = mine.proposal
    if assignment_of(scoring, jurors[2], proposal) is None:
        Assignment.objects.create(
            stage=scoring, juror=jurors[2], proposal=proposal, method="manual"
        )
    mine = assignment_of(scoring, jurors[1], proposal)
    score_sheet(assignment_of(scoring, jurors[2], proposal), 80)
    login(client, jurors[1])
    page = text(client.get(url("sheet", mine.pk)))
    assert "The other jurors' totals" not in page and "80.0" not in page
    Stage.objects.filter(pk=scoring.pk).update(jurors_see_scores=True)
    page = text(client.get(url("sheet", mine.pk)))
    assert "The other jurors' totals" in page and "<li>Juri 2: 80.0</li>" in page


def test_a_juror_declares_a_conflict_and_steps_aside(client, people, scoring, jurors):
    a = assignment_of(scoring, jurors[1])
    proposal = a.proposal
    login(client, jurors[1])
    response = client.post(url("recuse", a.pk), {"reason": "  "})
    assert response["Location"] == url("sheet", a.pk)
    assert flashed(response) == ["Say what the conflict of interest is."]
    assert Assignment.objects.filter(pk=a.pk).exists()
    response = client.post(url("recuse", a.pk), {"reason": "Istri saya kepala puskesmasnya"})
    assert response["Location"] == url("my_assignments")
    assert flashed(response)[-1] == (
        "Your conflict of interest is recorded; the proposal is no longer yours to judge."
    )
    assert not Assignment.objects.filter(pk=a.pk).exists()
    recusal = Recusal.objects.get(juror=jurors[1])
    assert (recusal.proposal, recusal.reason) == (proposal, "Istri saya kepala puskesmasnya")
    assert proposal.title not in text(client.get(url("my_assignments")))
    told = Notice.objects.get(user=people["secretariat"], text__contains="conflict of interest")
    assert told.url == url("assignments", scoring.pk)
    # The secretariat's board now lists Juri 1 among those who may not judge it.
    login(client, people["secretariat"])
    row = board_row(text(client.get(url("assignments", scoring.pk))), proposal)
    assert "Juri 1: declared a conflict of interest" in row


def test_the_juror_downloads_the_proposals_files(client, people, scoring, jurors, screened):
    from siwanda.competitions.models import FieldType, FormField

    a = assignment_of(scoring, jurors[1])
    field = FormField.objects.filter(
        section__version=a.proposal.form_version, type=FieldType.FILE
    ).first()
    attachment = Attachment.objects.create(
        proposal=a.proposal,
        field=field,
        file=SimpleUploadedFile("sk.pdf", PDF),
        original_name="SK Inovator.pdf",
        kind="pdf",
        size=len(PDF),
        sha256="x",
    )
    login(client, jurors[1])
    page = text(client.get(url("sheet", a.pk)))
    assert f'href="{url("attachment", a.pk, attachment.pk)}">SK Inovator.pdf</a>' in page
    response = client.get(url("attachment", a.pk, attachment.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert 'filename="SK Inovator.pdf"' in response["Content-Disposition"]
    other = next(
        x
        for x in Assignment.objects.filter(stage=scoring, juror=jurors[1])
        if x.proposal != a.proposal
    )
    assert client.get(url("attachment", other.pk, attachment.pk)).status_code == 404
    cast = {
        "chair": jurors[0],
        "operator": people["operator"],
        "anonymous": None,
        "secretariat": people["secretariat"],
    }
    assert_refused(client, cast, tuple(cast), "get", url("attachment", a.pk, attachment.pk))


# --- Indonesian -----------------------------------------------------------------------------------


def speaks_indonesian(person):
    person.language = "id"
    person.save(update_fields=["language"])
    return person


def test_the_secretariat_is_told_what_is_wrong_in_indonesian(client, people, stages, jurors):
    login(client, speaks_indonesian(people["secretariat"]))
    desk = stages[0]
    response = client.post(url("stage_add", desk.competition_id), stage_data(top_n=""))
    page = text(response)
    assert '<html lang="id">' in page
    assert 'id="id_top_n_error"><p class="mb-0">Sebutkan jumlah usulan yang lanjut.' in page
    response = client.post(
        url("rubric", desk.pk), {"name": "Skala", "scale_min": "10", "scale_max": "5", "step": "1"}
    )
    assert "Nilai tertinggi harus lebih besar daripada nilai terendah." in text(response)
    response = client.post(url("stages", desk.competition_id), {"template": "kota-x"})
    assert flashed(response) == ["Pilih salah satu templat."]


def test_the_chair_is_told_what_is_wrong_in_indonesian(client, cast, closed):
    moderation = Moderation.objects.get(stage=closed)
    login(client, speaks_indonesian(cast["chair"]))
    response = client.post(url("moderation", moderation.pk), {"justification": "Dibahas"})
    page = text(response)
    assert "Isi nilai konsensus, atau pertahankan nilai hasil perhitungan." in page
    assert "Dibahas</textarea>" in page
    moderation.refresh_from_db()
    assert moderation.status == "open"
