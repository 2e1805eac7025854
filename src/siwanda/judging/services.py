"""Every change in judging: stages from templates, rubrics, panels, assignments (by hand, in bulk,
automatic), opening and closing scoring, score sheets, recusals, calibration, moderation,
advancement and special awards. Each function checks the permission and the state, writes the
activity entry and tells the people concerned after the commit."""

import json
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from siwanda.accounts.models import Role
from siwanda.activity.services import activity_record
from siwanda.competitions.models import Competition
from siwanda.competitions.services import agency_people
from siwanda.core.notify import Day, notify
from siwanda.core.permissions import require_perm
from siwanda.proposals.models import Proposal
from siwanda.screening.models import Objection

from . import maths
from .conflicts import REASONS, conflicts
from .models import (
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
from .ranking import TIE_BREAKERS, stage_result

DATA = Path(__file__).parent / "data"
MANAGE = "judging.manage_stage"
OPEN_FOR_STAGES = (Competition.Status.SCREENING, Competition.Status.JUDGING)


def _log(actor, action, target, competition, **data):
    activity_record(
        actor=actor, action=action, target=target, region=competition.region, data=data or None
    )


# --- Templates, stages and rubrics ----------------------------------------------------------------


def stage_templates() -> dict[str, dict]:
    """The ready stage set-ups (regency, province, national), by key."""
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((DATA / "stages").glob("*.json"))
    }


def _rubric_from_data(competition, key: str) -> Rubric:
    data = json.loads((DATA / "rubrics" / f"{key}.json").read_text(encoding="utf-8"))
    criteria = data.pop("criteria")
    rubric = Rubric.objects.create(competition=competition, **data)
    Criterion.objects.bulk_create(
        [Criterion(rubric=rubric, order=i, **c) for i, c in enumerate(criteria)]
    )
    return rubric


def _require_manager(actor, competition):
    require_perm(actor, "competitions.manage_competition", competition)


@transaction.atomic
def stages_from_template(*, actor, competition, key: str) -> list[Stage]:
    """Replace the competition's stages (none may have started) by a template's: stages,
    rubrics with their criteria and anchored levels, advancement rules, weights, tie-breaks."""
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    _require_manager(actor, competition)
    template = stage_templates().get(key)
    if template is None:
        raise ValidationError(_("Choose one of the templates."))
    if competition.status == Competition.Status.FINISHED:
        raise ValidationError(_("The competition is finished."))
    if competition.stages.exclude(status=Stage.Status.SETUP).exists():
        raise ValidationError(_("Judging has started: the stages can no longer be replaced."))
    competition.stages.all().delete()
    Rubric.objects.filter(competition=competition, stages=None).delete()
    ends = competition.screening_ends_at
    start = timezone.localdate(ends) if ends else timezone.localdate()
    rubrics: dict[str, Rubric] = {}
    stages = []
    for order, data in enumerate(template["stages"]):
        data = dict(data)
        key_ = data.pop("rubric")
        if key_ and key_ not in rubrics:
            rubrics[key_] = _rubric_from_data(competition, key_)
        starts = start + timedelta(days=data.pop("starts_after_days"))
        days = data.pop("days")
        stages.append(
            Stage.objects.create(
                competition=competition,
                order=order,
                rubric=rubrics.get(key_),
                starts_on=starts,
                ends_on=starts + timedelta(days=days - 1),
                **data,
            )
        )
    _log(actor, "judging.stages_from_template", competition, competition, template=key)
    return stages


def _locked(stage: Stage) -> Stage:
    """The stage as stored now, locked until the transaction ends: a state check must never
    trust a copy the caller read earlier."""
    return (
        Stage.objects.select_for_update(of=("self",))
        .select_related("competition__region", "rubric")
        .get(pk=stage.pk)
    )


def _require_setup(stage):
    if stage.status != Stage.Status.SETUP:
        raise ValidationError(_("Scoring has started: this can no longer change."))


# Settings that decide a ranking: fixed once scoring starts, so nobody chooses them after
# seeing the scores.
RANKING_RULES = ("rubric", "weight", "aggregation", "rank_by_normalised", "tie_breakers")
STAGE_FIELDS = (
    "kind",
    "name",
    "name_en",
    "starts_on",
    "ends_on",
    "weight",
    "jurors_see_scores",
    "aggregation",
    "rank_by_normalised",
    "advancement",
    "top_n",
    "passing_grade",
    "jurors_per_proposal",
    "max_per_juror",
    "disagreement",
    "tie_breakers",
    "reminder_days",
    "slot_parts",
)


def _check_stage(stage):
    errors = {}
    if stage.starts_on and stage.ends_on and stage.ends_on < stage.starts_on:
        errors["ends_on"] = _("Scores cannot be due before the stage starts.")
    if stage.advancement == Stage.Advancement.TOP_N and not stage.top_n:
        errors["top_n"] = _("Say how many go on.")
    if stage.advancement == Stage.Advancement.PASSING_GRADE and stage.passing_grade is None:
        errors["passing_grade"] = _("Give the passing grade.")
    if stage.passing_grade is not None and not 0 <= stage.passing_grade <= 100:
        errors["passing_grade"] = _("The passing grade is between 0 and 100.")
    unknown = [t for t in stage.tie_breakers if t not in TIE_BREAKERS]
    if unknown or len(set(stage.tie_breakers)) != len(stage.tie_breakers):
        errors["tie_breakers"] = _("Choose each tie-break at most once.")
    if stage.jurors_per_proposal < 1:
        errors["jurors_per_proposal"] = _("At least one juror per proposal.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def stage_save(*, actor, competition, stage: Stage | None = None, **fields) -> Stage:
    """Add a stage (at the end) or change one. The ranking rules are fixed once scoring has
    started; dates and advancement stay adjustable until the outcomes are applied."""
    _require_manager(actor, competition)
    if competition.status == Competition.Status.FINISHED:
        raise ValidationError(_("The competition is finished."))
    unknown = set(fields) - set(STAGE_FIELDS)
    if unknown:
        raise TypeError(f"unknown stage fields {unknown}")
    if stage is None:
        last = competition.stages.aggregate(m=Max("order"))["m"]
        stage = Stage(competition=competition, order=0 if last is None else last + 1)
        before = {}
    else:
        stage = Stage.objects.select_for_update().get(pk=stage.pk, competition=competition)
        before = {f: getattr(stage, f) for f in fields}
        if stage.status != Stage.Status.SETUP:
            fixed = [f for f in RANKING_RULES if f in fields and fields[f] != getattr(stage, f)]
            if fixed:
                raise ValidationError(
                    _(
                        "Scoring has started: the rubric, weight, aggregation, normalisation "
                        "and tie-breaks can no longer change."
                    )
                )
        if stage.entries.exclude(outcome=Entry.Outcome.PENDING).exists():
            raise ValidationError(_("The outcomes of this stage are applied: it is final."))
    for name, value in fields.items():
        setattr(stage, name, value)
    _check_stage(stage)
    stage.save()
    changes = {
        f: {"before": str(before[f]), "after": str(fields[f])}
        for f in before
        if before[f] != fields[f]
    }
    activity_record(
        actor=actor,
        action="judging.stage_saved",
        target=stage,
        region=competition.region,
        changes=changes or None,
    )
    return stage


@transaction.atomic
def stage_delete(*, actor, stage: Stage) -> None:
    _require_manager(actor, stage.competition)
    _require_setup(stage)
    if stage.assignments.exists():
        raise ValidationError(_("Remove the stage's assignments first."))
    _log(actor, "judging.stage_deleted", stage.competition, stage.competition, stage=stage.name)
    rubric = stage.rubric
    stage.delete()
    if rubric is not None and not rubric.stages.exists() and rubric.frozen_at is None:
        rubric.delete()


@transaction.atomic
def stage_move(*, actor, stage: Stage, up: bool) -> None:
    _require_manager(actor, stage.competition)
    stages = list(stage.competition.stages.select_for_update().order_by("order", "id"))
    i = next(n for n, s in enumerate(stages) if s.pk == stage.pk)
    j = i - 1 if up else i + 1
    if not 0 <= j < len(stages):
        return
    for s in (stages[i], stages[j]):
        if s.status != Stage.Status.SETUP:
            raise ValidationError(_("Stages that have started keep their place."))
    stages[i], stages[j] = stages[j], stages[i]
    for order, s in enumerate(stages):
        if s.order != order:
            s.order = order
            s.save(update_fields=["order"])


def _editable_rubric(rubric: Rubric):
    if rubric.frozen_at is not None:
        raise ValidationError(
            _("This rubric is frozen: scoring has started with it. Make a new version.")
        )


RUBRIC_FIELDS = (
    "name",
    "name_en",
    "scale_min",
    "scale_max",
    "step",
    "allow_na",
    "comment_at_or_below",
    "comment_at_or_above",
)


@transaction.atomic
def rubric_save(*, actor, stage: Stage, **fields) -> Rubric:
    """Create the stage's rubric or change its settings (while it is not frozen)."""
    _require_manager(actor, stage.competition)
    _require_setup(stage)
    rubric = stage.rubric
    if rubric is None:
        rubric = Rubric(competition=stage.competition)
    else:
        _editable_rubric(rubric)
    for name, value in fields.items():
        if name not in RUBRIC_FIELDS:
            raise TypeError(name)
        setattr(rubric, name, value)
    errors = {}
    if rubric.scale_max <= rubric.scale_min:
        errors["scale_max"] = _("The highest score must be above the lowest.")
    if rubric.step <= 0 or rubric.step > rubric.scale_max - rubric.scale_min:
        errors["step"] = _("The step must fit within the scale.")
    if errors:
        raise ValidationError(errors)
    rubric.save()
    if stage.rubric_id != rubric.pk:
        stage.rubric = rubric
        stage.save(update_fields=["rubric"])
    activity_record(
        actor=actor, action="judging.rubric_saved", target=rubric, region=stage.competition.region
    )
    return rubric


def _check_levels(levels, rubric):
    cleaned = []
    for level in levels:
        try:
            low, high = Decimal(str(level["min"])), Decimal(str(level["max"]))
        except (KeyError, InvalidOperation) as error:
            raise ValidationError(
                {"levels": _("Each level needs a lowest and highest score.")}
            ) from error
        if not (rubric.scale_min <= low <= high <= rubric.scale_max):
            raise ValidationError({"levels": _("Each level must lie within the scale.")})
        if not str(level.get("label", "")).strip():
            raise ValidationError({"levels": _("Describe each level.")})
        cleaned.append(
            {
                "min": float(low),
                "max": float(high),
                "label": level["label"].strip(),
                "label_en": str(level.get("label_en", "")).strip(),
            }
        )
    return sorted(cleaned, key=lambda lv: -lv["min"])


@transaction.atomic
def criterion_save(*, actor, rubric: Rubric, criterion: Criterion | None = None, **fields):
    stage = rubric.stages.select_related("competition").first()
    _require_manager(actor, rubric.competition)
    _editable_rubric(rubric)
    if criterion is None:
        last = rubric.criteria.aggregate(m=Max("order"))["m"]
        criterion = Criterion(rubric=rubric, order=0 if last is None else last + 1)
    if "levels" in fields:
        fields["levels"] = _check_levels(fields["levels"], rubric)
    for name, value in fields.items():
        if name not in ("name", "name_en", "description", "description_en", "weight", "levels"):
            raise TypeError(name)
        setattr(criterion, name, value)
    if criterion.weight is None or criterion.weight < 0:
        raise ValidationError({"weight": _("The weight cannot be negative.")})
    criterion.save()
    activity_record(
        actor=actor,
        action="judging.criterion_saved",
        target=criterion,
        region=rubric.competition.region,
        data={"stage": stage.pk if stage else None},
    )
    return criterion


@transaction.atomic
def criterion_delete(*, actor, criterion: Criterion) -> None:
    rubric = criterion.rubric
    _require_manager(actor, rubric.competition)
    _editable_rubric(rubric)
    activity_record(
        actor=actor,
        action="judging.criterion_deleted",
        target=rubric,
        region=rubric.competition.region,
        data={"criterion": criterion.name},
    )
    criterion.delete()


@transaction.atomic
def rubric_new_version(*, actor, stage: Stage) -> Rubric:
    """A frozen rubric is never changed; a stage not yet scored can take an editable copy of it
    (version + 1). Scores already given stay pinned to the version they used."""
    _require_manager(actor, stage.competition)
    _require_setup(stage)
    old = stage.rubric
    if old is None or old.frozen_at is None:
        raise ValidationError(_("This rubric can still be edited."))
    criteria = list(old.criteria.all())
    old.pk = None
    old.version = (
        Rubric.objects.filter(competition=stage.competition, name=old.name).aggregate(
            m=Max("version")
        )["m"]
        + 1
    )
    old.frozen_at = None
    old.save()
    for c in criteria:
        c.pk, c.rubric = None, old
    Criterion.objects.bulk_create(criteria)
    stage.rubric = old
    stage.save(update_fields=["rubric"])
    activity_record(
        actor=actor,
        action="judging.rubric_versioned",
        target=old,
        region=stage.competition.region,
        data={"version": old.version},
    )
    return old


def stage_problems(stage: Stage) -> list[str]:
    """What stops scoring from opening; shown on the stage page."""
    problems = []
    previous = stage.competition.stages.filter(order__lt=stage.order).order_by("-order").first()
    if (
        previous is not None
        and not previous.entries.exclude(outcome=Entry.Outcome.PENDING).exists()
    ):
        problems.append(_("The outcomes of the previous stage are not applied yet."))
    if stage.kind != Stage.Kind.DELIBERATION:
        rubric = stage.rubric
        if rubric is None:
            problems.append(_("The stage has no rubric."))
        else:
            weights = [c.weight for c in rubric.criteria.all()]
            if not weights:
                problems.append(_("The rubric has no criteria."))
            elif sum(weights) != 100:
                problems.append(
                    _("The criteria's weights add up to %(sum)s, not 100.") % {"sum": sum(weights)}
                )
    if not stage.panel.exists():
        problems.append(_("The panel has no member."))
    if not stage.entries.exists():
        problems.append(_("No proposal takes part in the stage yet."))
    elif stage.kind != Stage.Kind.DELIBERATION:
        assigned = stage.assignments.filter(calibration=False).values("proposal_id")
        lacking = stage.entries.exclude(proposal_id__in=assigned).count()
        if lacking:
            problems.append(
                ngettext(
                    "%(count)d proposal has no juror yet.",
                    "%(count)d proposals have no juror yet.",
                    lacking,
                )
                % {"count": lacking}
            )
    if stage.competition.status not in OPEN_FOR_STAGES:
        problems.append(_("Judging starts after the administrative screening."))
    return problems


# --- Panel ----------------------------------------------------------------------------------------


def jurors_of_region(competition):
    """The people who may sit on the competition's panels: jurors of the organising region."""
    from siwanda.accounts.models import User

    return User.objects.filter(
        is_active=True,
        role_assignments__role=Role.JUROR,
        role_assignments__region=competition.region,
    ).distinct()


@transaction.atomic
def panel_add(
    *, actor, stage: Stage, juror, is_chair=False, expertise=(), max_load=None, agency=None
) -> PanelMember:
    _require_manager(actor, stage.competition)
    if stage.status == Stage.Status.CLOSED:
        raise ValidationError(_("The stage is closed."))
    if not jurors_of_region(stage.competition).filter(pk=juror.pk).exists():
        raise ValidationError(
            _("%(name)s is not a juror of %(region)s. Give the juror role first.")
            % {"name": juror, "region": stage.competition.region.name}
        )
    if stage.panel.filter(juror=juror).exists():
        raise ValidationError(_("%(name)s is already on the panel.") % {"name": juror})
    member = PanelMember.objects.create(
        stage=stage,
        juror=juror,
        is_chair=is_chair,
        expertise=list(expertise),
        max_load=max_load,
        agency=agency,
    )
    if is_chair:
        stage.panel.exclude(pk=member.pk).update(is_chair=False)
    activity_record(
        actor=actor,
        action="judging.panel_added",
        target=stage,
        region=stage.competition.region,
        data={"juror": juror.email, "chair": is_chair},
    )
    return member


@transaction.atomic
def panel_update(*, actor, member: PanelMember, **fields) -> PanelMember:
    _require_manager(actor, member.stage.competition)
    for name, value in fields.items():
        if name not in ("is_chair", "expertise", "max_load", "agency"):
            raise TypeError(name)
        setattr(member, name, value)
    member.save()
    if member.is_chair:
        member.stage.panel.exclude(pk=member.pk).update(is_chair=False)
    activity_record(
        actor=actor,
        action="judging.panel_changed",
        target=member.stage,
        region=member.stage.competition.region,
        data={"juror": member.juror.email},
    )
    return member


@transaction.atomic
def panel_remove(*, actor, member: PanelMember) -> None:
    stage = member.stage
    _require_manager(actor, stage.competition)
    assignments = stage.assignments.filter(juror_id=member.juror_id)
    if assignments.filter(sheet__status=Sheet.Status.SUBMITTED).exists():
        raise ValidationError(
            _("%(name)s has submitted scores in this stage and stays on the panel.")
            % {"name": member.juror}
        )
    removed = assignments.count()
    assignments.delete()
    activity_record(
        actor=actor,
        action="judging.panel_removed",
        target=stage,
        region=stage.competition.region,
        data={"juror": member.juror.email, "assignments_removed": removed},
    )
    member.delete()


@transaction.atomic
def panel_copy(*, actor, stage: Stage, source: Stage) -> int:
    """Seat the members of another stage's panel (with their settings) on this one."""
    _require_manager(actor, stage.competition)
    if source.competition_id != stage.competition_id:
        raise ValidationError(_("Choose a stage of the same competition."))
    seated = set(stage.panel.values_list("juror_id", flat=True))
    added = 0
    for m in source.panel.select_related("juror").exclude(juror_id__in=seated):
        panel_add(
            actor=actor,
            stage=stage,
            juror=m.juror,
            is_chair=m.is_chair and not any(p.is_chair for p in stage.panel.all()),
            expertise=m.expertise,
            max_load=m.max_load,
            agency=m.agency,
        )
        added += 1
    return added


# --- Entries and conflicts ------------------------------------------------------------------------


def _previous(stage: Stage) -> Stage | None:
    return stage.competition.stages.filter(order__lt=stage.order).order_by("-order").first()


def entries_sync(*, stage: Stage) -> int:
    """Make the stage's entries the proposals that reached it: the first stage takes every
    proposal that passed screening, a later stage those the previous one advanced. Entries
    already assigned stay. Returns the number of entries."""
    if stage.status != Stage.Status.SETUP:
        return stage.entries.count()
    previous = _previous(stage)
    if previous is None:
        wanted = set(
            Proposal.objects.filter(
                competition=stage.competition, status=Proposal.Status.PASSED
            ).values_list("pk", flat=True)
        )
    else:
        wanted = set(
            previous.entries.filter(outcome=Entry.Outcome.ADVANCED).values_list(
                "proposal_id", flat=True
            )
        )
    have = set(stage.entries.values_list("proposal_id", flat=True))
    Entry.objects.bulk_create(
        [Entry(stage=stage, proposal_id=pk) for pk in sorted(wanted - have)],
        ignore_conflicts=True,
    )
    assigned = set(stage.assignments.values_list("proposal_id", flat=True))
    stage.entries.filter(proposal_id__in=have - wanted - assigned).delete()
    return stage.entries.count()


def stage_conflicts(stage: Stage, proposals=None) -> dict[tuple[int, int], str]:
    """Every conflicted (juror, proposal) pair of the stage's panel and entries."""
    panel = dict(stage.panel.values_list("juror_id", "agency_id"))
    if proposals is None:
        proposals = Proposal.objects.filter(stage_entries__stage=stage)
    return conflicts(juror_ids=panel.keys(), proposals=proposals, panel_agencies=panel)


def in_conflict(user, stage: Stage, proposal) -> bool:
    """The person sits on the stage's panel in conflict of interest with the proposal."""
    return _conflict_of(user, stage, proposal) is not None


def _conflict_of(user, stage: Stage, proposal) -> str | None:
    return stage_conflicts(stage, [proposal]).get((user.pk, proposal.pk))


def _refuse_conflict(stage, juror, proposal):
    found = _conflict_of(juror, stage, proposal)
    if found:
        raise ValidationError(
            _("%(name)s cannot judge “%(title)s”: %(reason)s.")
            % {"name": juror, "title": proposal.title, "reason": REASONS[found]}
        )


# --- Assignment -----------------------------------------------------------------------------------


def _require_assignable(stage):
    if stage.status == Stage.Status.CLOSED:
        raise ValidationError(_("The stage is closed."))


@transaction.atomic
def assignment_add(*, actor, stage: Stage, juror, proposal) -> Assignment:
    """Assign one juror to one proposal by hand: never a conflicted or duplicate pair."""
    _require_manager(actor, stage.competition)
    _require_assignable(stage)
    if not stage.panel.filter(juror=juror).exists():
        raise ValidationError(_("%(name)s is not on the panel.") % {"name": juror})
    if not stage.entries.filter(proposal=proposal).exists():
        raise ValidationError(_("“%(title)s” is not in this stage.") % {"title": proposal.title})
    _refuse_conflict(stage, juror, proposal)
    if stage.assignments.filter(juror=juror, proposal=proposal, calibration=False).exists():
        raise ValidationError(_("%(name)s already judges this proposal.") % {"name": juror})
    assignment = Assignment.objects.create(
        stage=stage,
        juror=juror,
        proposal=proposal,
        method=Assignment.Method.MANUAL,
        created_by=actor,
    )
    activity_record(
        actor=actor,
        action="judging.assigned",
        target=proposal,
        region=stage.competition.region,
        data={"stage": stage.pk, "juror": juror.email, "method": "manual"},
    )
    _tell_new_assignments(stage, {juror.pk: 1})
    return assignment


@transaction.atomic
def assignment_remove(*, actor, assignment: Assignment) -> None:
    stage = assignment.stage
    _require_manager(actor, stage.competition)
    # Read the sheet as stored now, not a copy cached on the caller's assignment.
    if Sheet.objects.filter(assignment=assignment, status=Sheet.Status.SUBMITTED).exists():
        raise ValidationError(_("The juror has submitted this score sheet: reopen it first."))
    activity_record(
        actor=actor,
        action="judging.unassigned",
        target=assignment.proposal,
        region=stage.competition.region,
        data={"stage": stage.pk, "juror": assignment.juror.email},
    )
    assignment.delete()


def _create_pairs(actor, stage, pairs, method) -> int:
    Assignment.objects.bulk_create(
        [
            Assignment(stage=stage, juror_id=j, proposal_id=p, method=method, created_by=actor)
            for j, p in pairs
        ],
        ignore_conflicts=True,
    )
    loads: dict[int, int] = {}
    for juror, _p in pairs:
        loads[juror] = loads.get(juror, 0) + 1
    _tell_new_assignments(stage, loads)
    return len(pairs)


@transaction.atomic
def assign_bulk(*, actor, stage: Stage, juror_ids, group_id=None, category_id=None) -> dict:
    """Give every proposal of a group or category (or all) to each of the chosen jurors,
    leaving out conflicted pairs and those already assigned. Returns the counts."""
    _require_manager(actor, stage.competition)
    _require_assignable(stage)
    entries_sync(stage=stage)
    panel = set(stage.panel.values_list("juror_id", flat=True))
    jurors = [j for j in juror_ids if j in panel]
    if not jurors:
        raise ValidationError(_("Choose jurors of the panel."))
    proposals = Proposal.objects.filter(stage_entries__stage=stage)
    if group_id:
        proposals = proposals.filter(group_id=group_id)
    if category_id:
        proposals = proposals.filter(category_id=category_id)
    proposals = list(proposals)
    conflicted = stage_conflicts(stage, proposals)
    existing = set(
        stage.assignments.filter(calibration=False).values_list("juror_id", "proposal_id")
    )
    pairs, skipped = [], 0
    for p in proposals:
        for j in jurors:
            if (j, p.pk) in conflicted:
                skipped += 1
            elif (j, p.pk) not in existing:
                pairs.append((j, p.pk))
    created = _create_pairs(actor, stage, pairs, Assignment.Method.BULK)
    _log(
        actor,
        "judging.assigned_bulk",
        stage,
        stage.competition,
        created=created,
        conflicts_skipped=skipped,
    )
    return {"created": created, "conflicts": skipped}


def automatic_plan(stage: Stage) -> tuple[maths.Plan, dict]:
    """The assignment the automatic assigner proposes for the stage (nothing saved)."""
    proposals = list(Proposal.objects.filter(stage_entries__stage=stage))
    members = list(stage.panel.all())
    existing = set(
        stage.assignments.filter(calibration=False).values_list("juror_id", "proposal_id")
    )
    cap = {m.juror_id: m.max_load or stage.max_per_juror for m in members}
    plan = maths.assign(
        [p.pk for p in proposals],
        [m.juror_id for m in members],
        stage.jurors_per_proposal,
        conflicts=set(stage_conflicts(stage, proposals)),
        existing=existing,
        cap=cap,
        expertise={m.juror_id: {str(e) for e in m.expertise} for m in members},
        topic={p.pk: str(p.category_id) for p in proposals if p.category_id},
    )
    return plan, {p.pk: p for p in proposals}


@transaction.atomic
def assign_automatic(*, actor, stage: Stage) -> maths.Plan:
    """k jurors per proposal with a balanced load, each juror's cap, expertise matched to the
    proposal's category first, and never a conflicted or duplicate pair."""
    stage = _locked(stage)
    _require_manager(actor, stage.competition)
    _require_assignable(stage)
    if not stage.panel.exists():
        raise ValidationError(_("Seat the panel first."))
    entries_sync(stage=stage)
    plan, _proposals = automatic_plan(stage)
    created = _create_pairs(actor, stage, plan.pairs, Assignment.Method.AUTOMATIC)
    _log(
        actor,
        "judging.assigned_automatically",
        stage,
        stage.competition,
        created=created,
        short=sum(plan.short.values()),
    )
    return plan


def _tell_new_assignments(stage, loads: dict[int, int]):
    """Jurors hear of new work once scoring is open (before, the opening notice says it all)."""
    if stage.status != Stage.Status.SCORING or not loads:
        return
    from siwanda.accounts.models import User

    for juror in User.objects.filter(pk__in=loads):
        notify(
            users=[juror],
            message=ngettext_lazy(
                "%(count)d more proposal to score in %(stage)s.",
                "%(count)d more proposals to score in %(stage)s.",
                "count",
            ),
            params={"count": loads[juror.pk], "stage": stage},
            url=reverse("judging:my_assignments"),
        )


# --- Opening and closing --------------------------------------------------------------------------


def _start_judging(actor, competition):
    """The first stage to open moves the competition from screening to judging, once every
    proposal is decided and no objection waits."""
    if competition.status == Competition.Status.JUDGING:
        return
    if competition.status != Competition.Status.SCREENING:
        raise ValidationError(_("Judging starts after the administrative screening."))
    undecided = competition.proposals.filter(status=Proposal.Status.SUBMITTED).count()
    if undecided:
        raise ValidationError(
            ngettext(
                "%(count)d proposal is not screened yet.",
                "%(count)d proposals are not screened yet.",
                undecided,
            )
            % {"count": undecided}
        )
    if Objection.objects.filter(
        proposal__competition=competition, decision=Objection.Decision.PENDING
    ).exists():
        raise ValidationError(_("An objection to the screening is still waiting."))
    competition.status = Competition.Status.JUDGING
    competition.save(update_fields=["status"])
    activity_record(
        actor=actor,
        action="competition.judging_started",
        target=competition,
        region=competition.region,
    )


@transaction.atomic
def stage_open(*, actor, stage: Stage) -> Stage:
    """Open scoring: the rubric freezes, the jurors are told what they have to score and by
    when."""
    stage = _locked(stage)
    _require_manager(actor, stage.competition)
    if stage.status != Stage.Status.SETUP:
        raise ValidationError(_("Scoring is already open."))
    entries_sync(stage=stage)
    problems = stage_problems(stage)
    if problems:
        raise ValidationError(problems)
    competition = Competition.objects.select_for_update().get(pk=stage.competition_id)
    _start_judging(actor, competition)
    now = timezone.now()
    if stage.rubric_id and stage.rubric.frozen_at is None:
        stage.rubric.frozen_at = now
        stage.rubric.save(update_fields=["frozen_at"])
    stage.status, stage.opened_at = Stage.Status.SCORING, now
    stage.save(update_fields=["status", "opened_at"])
    _log(
        actor,
        "judging.stage_opened",
        stage,
        stage.competition,
        entries=stage.entries.count(),
        assignments=stage.assignments.count(),
    )
    from siwanda.accounts.models import User

    loads = dict(
        stage.assignments.values("juror_id").annotate(n=Count("id")).values_list("juror_id", "n")
    )
    for juror in User.objects.filter(pk__in=loads):
        notify(
            users=[juror],
            message=ngettext_lazy(
                "Scoring of %(stage)s is open: %(count)d proposal to score by %(due)s.",
                "Scoring of %(stage)s is open: %(count)d proposals to score by %(due)s.",
                "count",
            ),
            params={"count": loads[juror.pk], "stage": stage, "due": _due(stage)},
            url=reverse("judging:my_assignments"),
        )
    return stage


def _due(stage):
    return Day(stage.ends_on)


@transaction.atomic
def stage_close(*, actor, stage: Stage) -> Stage:
    """Close scoring. Sheets not submitted do not count. Proposals whose jurors' totals spread
    beyond the stage's threshold get a moderation item for the chair."""
    stage = _locked(stage)
    _require_manager(actor, stage.competition)
    if stage.status != Stage.Status.SCORING:
        raise ValidationError(_("Only a stage being scored can be closed."))
    stage.status, stage.closed_at = Stage.Status.CLOSED, timezone.now()
    stage.save(update_fields=["status", "closed_at"])
    result = stage_result(stage)
    flagged = [row for row in result.rows if row.flagged]
    for row in flagged:
        Moderation.objects.update_or_create(
            stage=stage,
            proposal_id=row.proposal,
            defaults={"spread": Decimal(str(round(row.spread, 2)))},
        )
    drafts = (
        stage.assignments.filter(calibration=False)
        .exclude(sheet__status=Sheet.Status.SUBMITTED)
        .count()
    )
    _log(
        actor,
        "judging.stage_closed",
        stage,
        stage.competition,
        flagged=len(flagged),
        sheets_not_submitted=drafts,
    )
    chairs = [m.juror for m in stage.panel.filter(is_chair=True).select_related("juror")]
    if flagged and chairs:
        notify(
            users=chairs,
            message=ngettext_lazy(
                "%(stage)s is closed: %(count)d proposal needs the panel's consensus.",
                "%(stage)s is closed: %(count)d proposals need the panel's consensus.",
                "count",
            ),
            params={"count": len(flagged), "stage": stage},
            url=reverse("judging:ranking", args=[stage.pk]),
        )
    return stage


@transaction.atomic
def stage_reopen(*, actor, stage: Stage, reason: str) -> Stage:
    """Reopen a closed stage (e.g. a juror's scores came late); not once outcomes are applied."""
    stage = _locked(stage)
    _require_manager(actor, stage.competition)
    if stage.status != Stage.Status.CLOSED:
        raise ValidationError(_("Only a closed stage can be reopened."))
    if stage.entries.exclude(outcome=Entry.Outcome.PENDING).exists():
        raise ValidationError(_("The outcomes of this stage are applied: it is final."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the stage is reopened.")})
    stage.status, stage.closed_at = Stage.Status.SCORING, None
    stage.save(update_fields=["status", "closed_at"])
    _log(actor, "judging.stage_reopened", stage, stage.competition, reason=reason.strip())
    return stage


# --- Score sheets ---------------------------------------------------------------------------------


def _require_scoring(assignment: Assignment):
    if assignment.stage.status != Stage.Status.SCORING:
        raise ValidationError(_("Scoring of this stage is not open."))


def sheet_of(assignment: Assignment) -> Sheet:
    sheet, _created = Sheet.objects.get_or_create(assignment=assignment)
    return sheet


def _clean_value(rubric: Rubric, criterion: Criterion, value, not_applicable: bool):
    """The score as stored, or a ValidationError saying what is wrong in the juror's terms."""
    if not_applicable:
        if not rubric.allow_na:
            raise ValidationError(_("This rubric has no “not applicable”."))
        return None
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation as error:
        raise ValidationError(_("Enter a number.")) from error
    if not number.is_finite() or not rubric.scale_min <= number <= rubric.scale_max:
        raise ValidationError(
            _("Enter a score from %(low)s to %(high)s.")
            % {"low": _plain(rubric.scale_min), "high": _plain(rubric.scale_max)}
        )
    if (number - rubric.scale_min) % rubric.step:
        raise ValidationError(_("Scores go in steps of %(step)s.") % {"step": _plain(rubric.step)})
    return number


def _plain(number: Decimal) -> str:
    return f"{number.normalize():f}"


def _editable_sheet(actor, assignment):
    require_perm(actor, "judging.score", assignment)
    _require_scoring(assignment)
    # A conflict that arose after the assignment (a recusal, a new role) voids it.
    _refuse_conflict(assignment.stage, actor, assignment.proposal)
    sheet = sheet_of(assignment)
    if sheet.status == Sheet.Status.SUBMITTED:
        raise ValidationError(
            _("This score sheet is submitted and locked. Ask the secretariat to reopen it.")
        )
    return sheet


@transaction.atomic
def score_save(
    *,
    actor,
    assignment: Assignment,
    criterion: Criterion,
    value=None,
    not_applicable: bool = False,
    comment: str | None = None,
) -> Score:
    """Save one criterion's score as the juror enters it (autosave)."""
    sheet = _editable_sheet(actor, assignment)
    rubric = assignment.stage.rubric
    if criterion.rubric_id != rubric.pk:
        raise ValidationError(_("This criterion is not in the stage's rubric."))
    number = _clean_value(rubric, criterion, value, not_applicable)
    score, _created = Score.objects.get_or_create(sheet=sheet, criterion=criterion)
    score.value, score.not_applicable = number, bool(not_applicable)
    fields = ["value", "not_applicable", "updated_at"]
    if comment is not None:
        score.comment = comment.strip()
        fields.append("comment")
    score.save(update_fields=fields)
    sheet.save(update_fields=["updated_at"])
    return score


def sheet_save(*, actor, assignment: Assignment, values: dict, comment: str | None = None):
    """Save a whole sheet at once (the form without JavaScript, the API): every valid value is
    kept; the errors name the criteria that were refused (their typed values stay on the page).
    Not one transaction: each score saves on its own, so the refusal raised at the end does not
    roll back the valid ones."""
    sheet = _editable_sheet(actor, assignment)
    criteria = {c.pk: c for c in assignment.stage.rubric.criteria.all()}
    errors = {}
    for pk, entry in values.items():
        criterion = criteria.get(int(pk))
        if criterion is None:
            continue
        try:
            score_save(
                actor=actor,
                assignment=assignment,
                criterion=criterion,
                value=entry.get("value"),
                not_applicable=entry.get("not_applicable", False),
                comment=entry.get("comment"),
            )
        except ValidationError as error:
            errors[str(pk)] = error.messages
    if comment is not None:
        sheet.comment = comment.strip()
        sheet.save(update_fields=["comment", "updated_at"])
    if errors:
        raise ValidationError(errors)
    return sheet


def sheet_problems(sheet: Sheet, rubric: Rubric) -> dict[str, str]:
    """What stops the sheet from being submitted, by criterion id ("" for the sheet)."""
    scores = {s.criterion_id: s for s in sheet.scores.all()}
    problems = {}
    for criterion in rubric.criteria.all():
        score = scores.get(criterion.pk)
        if score is None or (score.value is None and not score.not_applicable):
            problems[str(criterion.pk)] = _("Score this criterion.")
        elif (
            score.value is not None
            and not score.comment
            and (
                (
                    rubric.comment_at_or_below is not None
                    and score.value <= rubric.comment_at_or_below
                )
                or (
                    rubric.comment_at_or_above is not None
                    and score.value >= rubric.comment_at_or_above
                )
            )
        ):
            problems[str(criterion.pk)] = _("Explain this score in a comment.")
    return problems


@transaction.atomic
def sheet_submit(*, actor, assignment: Assignment) -> Sheet:
    """Submit and lock the sheet. The activity entry keeps every score: a published ranking can
    be recomputed from the log alone."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("stage__competition__region", "stage__rubric", "proposal")
        .get(pk=assignment.pk)
    )
    sheet = _editable_sheet(actor, assignment)
    problems = sheet_problems(sheet, assignment.stage.rubric)
    if problems:
        raise ValidationError(problems)
    sheet.status, sheet.submitted_at = Sheet.Status.SUBMITTED, timezone.now()
    sheet.save(update_fields=["status", "submitted_at", "updated_at"])
    activity_record(
        actor=actor,
        action="judging.sheet_submitted",
        target=assignment.proposal,
        region=assignment.stage.competition.region,
        data={
            "stage": assignment.stage_id,
            "assignment": assignment.pk,
            "calibration": assignment.calibration,
            "scores": {
                str(s.criterion_id): None if s.not_applicable else str(s.value)
                for s in sheet.scores.all()
            },
        },
    )
    return sheet


@transaction.atomic
def sheet_reopen(*, actor, sheet: Sheet, reason: str) -> Sheet:
    """The secretariat unlocks a submitted sheet for its juror (logged, the juror is told)."""
    sheet = (
        Sheet.objects.select_for_update(of=("self",))
        .select_related(
            "assignment__stage__competition__region", "assignment__proposal", "assignment__juror"
        )
        .get(pk=sheet.pk)
    )
    stage = sheet.assignment.stage
    _require_manager(actor, stage.competition)
    if sheet.status != Sheet.Status.SUBMITTED:
        raise ValidationError(_("This sheet is not submitted."))
    if stage.status != Stage.Status.SCORING:
        raise ValidationError(_("Reopen the stage first: scoring is not open."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the sheet is reopened.")})
    sheet.status, sheet.reopened_at = Sheet.Status.DRAFT, timezone.now()
    sheet.save(update_fields=["status", "reopened_at", "updated_at"])
    activity_record(
        actor=actor,
        action="judging.sheet_reopened",
        target=sheet.assignment.proposal,
        region=stage.competition.region,
        data={"stage": stage.pk, "assignment": sheet.assignment_id, "reason": reason.strip()},
    )
    notify(
        users=[sheet.assignment.juror],
        message=gettext_lazy(
            "Your score sheet for “%(title)s” was reopened by the secretariat: %(reason)s"
        ),
        params={"title": sheet.assignment.proposal.title, "reason": reason.strip()},
        url=reverse("judging:sheet", args=[sheet.assignment_id]),
    )
    return sheet


@transaction.atomic
def recusal_declare(*, actor, assignment: Assignment, reason: str) -> Recusal:
    """The juror declares a conflict of interest: the assignment and its scores go (the log keeps
    the declaration) and the secretariat is told to find another juror."""
    require_perm(actor, "judging.score", assignment)
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the conflict of interest is.")})
    stage, proposal = assignment.stage, assignment.proposal
    recusal, _created = Recusal.objects.get_or_create(
        juror=assignment.juror, proposal=proposal, defaults={"reason": reason.strip()}
    )
    voided = Assignment.objects.filter(juror=assignment.juror, proposal=proposal)
    voided_ids = list(voided.values_list("pk", flat=True))
    voided.delete()
    activity_record(
        actor=actor,
        action="judging.recused",
        target=proposal,
        region=stage.competition.region,
        data={"stage": stage.pk, "reason": reason.strip(), "assignments": voided_ids},
    )
    from siwanda.accounts.models import User

    secretariat = User.objects.filter(
        is_active=True,
        role_assignments__role=Role.SECRETARIAT,
        role_assignments__region=stage.competition.region,
    ).distinct()
    notify(
        users=secretariat,
        message=gettext_lazy(
            "A juror declared a conflict of interest with “%(title)s” in %(stage)s: assign "
            "another juror."
        ),
        params={"title": proposal.title, "stage": stage},
        url=reverse("judging:assignments", args=[stage.pk]),
    )
    return recusal


# --- Calibration ----------------------------------------------------------------------------------


@transaction.atomic
def calibration_start(*, actor, stage: Stage, proposal) -> int:
    """Give a sample proposal to the whole panel (except conflicted members) before the real
    scoring: their scores never count, and the calibration page shows how far apart they are."""
    _require_manager(actor, stage.competition)
    if stage.status == Stage.Status.CLOSED:
        raise ValidationError(_("The stage is closed."))
    if proposal.competition.region_id != stage.competition.region_id:
        raise ValidationError(_("Choose a proposal of this region."))
    members = list(stage.panel.values_list("juror_id", "agency_id"))
    conflicted = conflicts(
        juror_ids=[j for j, _a in members], proposals=[proposal], panel_agencies=dict(members)
    )
    others = stage.assignments.filter(calibration=True).exclude(proposal=proposal)
    if others.filter(sheet__status=Sheet.Status.SUBMITTED).exists():
        raise ValidationError(_("The panel has already scored another sample proposal."))
    others.delete()
    stage.calibration_proposal = proposal
    stage.save(update_fields=["calibration_proposal"])
    pairs = [(j, proposal.pk) for j, _a in members if (j, proposal.pk) not in conflicted]
    Assignment.objects.bulk_create(
        [
            Assignment(
                stage=stage,
                juror_id=j,
                proposal_id=p,
                calibration=True,
                method=Assignment.Method.BULK,
                created_by=actor,
            )
            for j, p in pairs
        ],
        ignore_conflicts=True,
    )
    _log(
        actor,
        "judging.calibration_started",
        stage,
        stage.competition,
        proposal=proposal.pk,
        jurors=len(pairs),
    )
    return len(pairs)


# --- Moderation, advancement, special awards ------------------------------------------------------


@transaction.atomic
def moderation_decide(*, actor, moderation: Moderation, consensus, justification: str):
    """The chair records the panel's consensus on a flagged proposal (or keeps the computed
    score, consensus None), always with a justification. The jurors' scores stay as they were."""
    moderation = (
        Moderation.objects.select_for_update(of=("self",))
        .select_related("stage__competition__region", "proposal")
        .get(pk=moderation.pk)
    )
    stage = moderation.stage
    require_perm(actor, "judging.moderate", stage)
    if in_conflict(actor, stage, moderation.proposal):
        raise PermissionDenied
    if stage.status != Stage.Status.CLOSED:
        raise ValidationError(_("Moderation happens once the stage is closed."))
    if stage.entries.exclude(outcome=Entry.Outcome.PENDING).exists():
        raise ValidationError(_("The outcomes of this stage are applied: it is final."))
    if not justification.strip():
        raise ValidationError({"justification": _("Give the justification.")})
    if consensus is not None and not 0 <= consensus <= 100:
        raise ValidationError({"consensus": _("The consensus score is between 0 and 100.")})
    before = str(moderation.consensus) if moderation.consensus is not None else None
    moderation.consensus = consensus
    moderation.justification = justification.strip()
    moderation.status = Moderation.Status.DECIDED
    moderation.decided_by, moderation.decided_at = actor, timezone.now()
    moderation.save()
    activity_record(
        actor=actor,
        action="judging.moderated",
        target=moderation.proposal,
        region=stage.competition.region,
        changes={
            "consensus": {"before": before, "after": None if consensus is None else str(consensus)}
        },
        data={"stage": stage.pk, "justification": moderation.justification},
    )
    return moderation


def suggested_outcomes(stage: Stage, result=None) -> dict[int, str]:
    """Who goes on by the stage's rule, from its ranking (manual: nobody until chosen)."""
    result = result or stage_result(stage)
    advanced = Entry.Outcome.ADVANCED
    stopped = Entry.Outcome.STOPPED
    outcome = {}
    for row in result.rows:
        if stage.advancement == Stage.Advancement.TOP_N:
            goes = row.rank is not None and row.rank <= (stage.top_n or 0)
        elif stage.advancement == Stage.Advancement.PASSING_GRADE:
            goes = row.score is not None and row.score >= float(stage.passing_grade or 0)
        else:
            goes = False
        outcome[row.proposal] = advanced if goes else stopped
    return outcome


def _require_decidable(stage):
    if stage.status != Stage.Status.CLOSED:
        raise ValidationError(_("Close the stage first."))
    if stage.entries.exclude(outcome=Entry.Outcome.PENDING).exists():
        raise ValidationError(_("The outcomes of this stage are applied: it is final."))


@transaction.atomic
def outcomes_stage(*, actor, stage: Stage, outcomes: dict[int, str] | None = None) -> int:
    """Stage the outcomes (nothing is announced yet): by the stage's rule when `outcomes` is
    None, or as chosen (a manual shortlist, or adjustments). Returns how many go on."""
    stage = _locked(stage)
    _require_manager(actor, stage.competition)
    _require_decidable(stage)
    if outcomes is None:
        outcomes = suggested_outcomes(stage)
    valid = {Entry.Outcome.ADVANCED, Entry.Outcome.STOPPED, ""}
    entries = {e.proposal_id: e for e in stage.entries.select_for_update()}
    for proposal, outcome in outcomes.items():
        if outcome not in valid:
            raise ValidationError(_("Unknown outcome."))
        entry = entries.get(int(proposal))
        if entry is not None and entry.staged != outcome:
            entry.staged = outcome
            entry.save(update_fields=["staged"])
    return sum(1 for e in entries.values() if e.staged == Entry.Outcome.ADVANCED)


@transaction.atomic
def votes_record(*, actor, stage: Stage, votes: dict[int, int | None]) -> None:
    """The panel's votes for proposals still tied (the "panel's vote" tie-break)."""
    stage = _locked(stage)
    _require_manager(actor, stage.competition)
    _require_decidable(stage)
    for entry in stage.entries.filter(proposal_id__in=votes):
        entry.panel_votes = votes[entry.proposal_id]
        entry.save(update_fields=["panel_votes"])
    _log(
        actor,
        "judging.votes_recorded",
        stage,
        stage.competition,
        stage=stage.pk,
        votes={str(k): v for k, v in votes.items()},
    )


def is_last(stage: Stage) -> bool:
    return not stage.competition.stages.filter(order__gt=stage.order).exists()


@transaction.atomic
def outcomes_apply(*, actor, stage: Stage) -> dict:
    """Apply the staged outcomes to every entry at once (an entry left unstaged does not go on),
    open the next stage's entries and tell each agency."""
    stage = _locked(stage)
    _require_manager(actor, stage.competition)
    _require_decidable(stage)
    if stage.moderations.filter(status=Moderation.Status.OPEN).exists():
        raise ValidationError(_("Some flagged proposals still wait for the panel's consensus."))
    entries = list(stage.entries.select_related("proposal__agency"))
    if not any(e.staged == Entry.Outcome.ADVANCED for e in entries):
        raise ValidationError(_("Nobody goes on: stage the outcomes first."))
    now = timezone.now()
    for entry in entries:
        entry.outcome = entry.staged or Entry.Outcome.STOPPED
        entry.decided_at = now
    Entry.objects.bulk_update(entries, ["outcome", "decided_at"])
    advanced = [e for e in entries if e.outcome == Entry.Outcome.ADVANCED]
    following = stage.competition.stages.filter(order__gt=stage.order).order_by("order").first()
    if following is not None:
        entries_sync(stage=following)
    _log(
        actor,
        "judging.outcomes_applied",
        stage,
        stage.competition,
        advanced=[e.proposal_id for e in advanced],
        stopped=[e.proposal_id for e in entries if e.outcome != Entry.Outcome.ADVANCED],
    )
    _tell_outcomes(stage, entries, following)
    return {"advanced": len(advanced), "stopped": len(entries) - len(advanced)}


def _tell_outcomes(stage, entries, following):
    for entry in entries:
        proposal = entry.proposal
        if entry.outcome == Entry.Outcome.ADVANCED and following is not None:
            message = gettext_lazy("“%(title)s” goes on to %(next)s. Congratulations!")
        elif entry.outcome == Entry.Outcome.ADVANCED:
            message = gettext_lazy(
                "“%(title)s” is among the winners of %(competition)s; the results will be "
                "announced soon. Congratulations!"
            )
        else:
            message = gettext_lazy(
                "“%(title)s” does not go on after %(stage)s. Thank you for taking part."
            )
        notify(
            users=agency_people([proposal.agency_id]),
            message=message,
            params={
                "title": proposal.title,
                "next": following or "",
                "stage": stage,
                "competition": stage.competition,
            },
            url=reverse("proposals:detail", args=[proposal.pk]),
        )


# Special categories are chosen while judging; after publication they may still change, and the
# change takes effect through a published correction (which revokes certificates it takes away).
AWARDING = (Competition.Status.JUDGING, Competition.Status.FINISHED)


@transaction.atomic
def special_award_add(*, actor, competition, proposal, name: str, name_en: str, reason: str):
    """A special category (e.g. kategori partisipatif) chosen by the panel, with its reason."""
    competition = Competition.objects.select_related("region").get(pk=competition.pk)
    last = competition.stages.order_by("-order").first()
    if last is None or not actor.has_perm("judging.moderate", last):
        require_perm(actor, "competitions.manage_competition", competition)
    if competition.status not in AWARDING:
        raise ValidationError(_("Special categories are chosen while judging."))
    if proposal.competition_id != competition.pk or proposal.status != Proposal.Status.PASSED:
        raise ValidationError(_("Choose a proposal that passed screening in this competition."))
    errors = {}
    if not name.strip():
        errors["name"] = _("Name the category.")
    if not reason.strip():
        errors["reason"] = _("Give the panel's reason.")
    if errors:
        raise ValidationError(errors)
    if SpecialAward.objects.filter(
        competition=competition, proposal=proposal, name=name.strip()
    ).exists():
        raise ValidationError(_("This proposal already has this category."))
    award = SpecialAward.objects.create(
        competition=competition,
        proposal=proposal,
        name=name.strip(),
        name_en=name_en.strip(),
        reason=reason.strip(),
        chosen_by=actor,
    )
    activity_record(
        actor=actor,
        action="judging.special_award_added",
        target=proposal,
        region=competition.region,
        data={"category": award.name, "reason": award.reason},
    )
    return award


@transaction.atomic
def special_award_remove(*, actor, award: SpecialAward) -> None:
    competition = award.competition
    require_perm(actor, "competitions.manage_competition", competition)
    if competition.status not in AWARDING:
        raise ValidationError(_("Special categories are chosen while judging."))
    activity_record(
        actor=actor,
        action="judging.special_award_removed",
        target=award.proposal,
        region=competition.region,
        data={"category": award.name},
    )
    award.delete()


# --- Reminders ------------------------------------------------------------------------------------


def send_juror_reminders(today=None) -> int:
    """Remind jurors with unsubmitted sheets N days before scores are due (each stage's
    `reminder_days`), once per day count. Run daily by `manage.py send_deadline_reminders`."""
    today = today or timezone.localdate()
    sent = 0
    for stage in Stage.objects.filter(status=Stage.Status.SCORING, ends_on__isnull=False):
        days_left = (stage.ends_on - today).days
        if days_left not in stage.reminder_days or days_left in stage.reminders_sent:
            continue
        open_work = (
            stage.assignments.exclude(sheet__status=Sheet.Status.SUBMITTED)
            .values("juror_id")
            .annotate(n=Count("id"))
        )
        loads = {row["juror_id"]: row["n"] for row in open_work}
        from siwanda.accounts.models import User

        for juror in User.objects.filter(pk__in=loads):
            notify(
                users=[juror],
                message=ngettext_lazy(
                    "Reminder: %(count)d score sheet of %(stage)s is still open; scores are "
                    "due %(due)s.",
                    "Reminder: %(count)d score sheets of %(stage)s are still open; scores are "
                    "due %(due)s.",
                    "count",
                ),
                params={"count": loads[juror.pk], "stage": stage, "due": _due(stage)},
                url=reverse("judging:my_assignments"),
            )
            sent += 1
        stage.reminders_sent = [*stage.reminders_sent, days_left]
        stage.save(update_fields=["reminders_sent"])
    return sent
