"""Every change to a competition and its configuration, each with its audit entry.

A competition is built from a ready template (data files under data/) or copied from an earlier
one, adjusted step by step while it is being set up, then opened: opening publishes its forms,
invites every eligible agency and starts the clock.
"""

import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from siwanda.accounts.models import Role, RoleAssignment
from siwanda.activity.services import activity_record, diff, snapshot
from siwanda.core.changes import unchanged_if_refused
from siwanda.core.notify import notify
from siwanda.core.permissions import require_perm
from siwanda.regions.models import Agency

from .deadlines import end_of_day, start_of_day
from .models import (
    CallRecipient,
    Category,
    ChecklistItem,
    Competition,
    DeadlineExtension,
    FieldType,
    FormField,
    FormSection,
    FormVersion,
    Group,
    Milestone,
    ProposalForm,
)

DATA = Path(__file__).with_name("data")
SETTINGS_FIELDS = [
    "name",
    "name_en",
    "year",
    "level",
    "legal_basis",
    "participant_kinds",
    "max_entries_per_agency",
    "opens_at",
    "deadline_at",
    "grace_minutes",
    "screening_ends_at",
    "objection_days",
    "reminder_days",
    "min_implementation_months",
    "exclude_top_winners",
    "title_similarity",
    "require_sdg",
    "video_max_seconds",
    "min_answer_words",
]
SECTION_FIELDS = [
    "name",
    "name_en",
    "prompt",
    "prompt_en",
    "help_text",
    "help_text_en",
    "weight",
    "word_limit",
]
FIELD_FIELDS = [
    "key",
    "type",
    "name",
    "name_en",
    "help_text",
    "help_text_en",
    "required",
    "word_limit",
    "min_words",
    "choices",
    "registry_source",
    "allowed_types",
    "max_size_mb",
    "max_files",
    "is_video_duration",
]


# --- Templates -----------------------------------------------------------------------------------


def templates() -> dict[str, dict]:
    """The ready competition templates, by key."""
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((DATA / "templates").glob("*.json"))
    }


def _form_data(key: str) -> dict:
    return json.loads((DATA / "forms" / f"{key}.json").read_text(encoding="utf-8"))


def _build_form(competition: Competition, data: dict) -> ProposalForm:
    form = ProposalForm.objects.create(
        competition=competition, name=data["name"], name_en=data.get("name_en", "")
    )
    version = FormVersion.objects.create(form=form, number=1)
    for s_order, section_data in enumerate(data["sections"]):
        section = FormSection.objects.create(
            version=version,
            order=s_order,
            **{k: section_data.get(k) or _empty(k) for k in SECTION_FIELDS},
        )
        for f_order, field_data in enumerate(section_data["fields"]):
            FormField.objects.create(
                section=section,
                order=f_order,
                **{k: field_data[k] for k in FIELD_FIELDS if k in field_data},
            )
    return form


def _empty(field_name: str):
    return {"weight": Decimal("0"), "word_limit": None}.get(field_name, "")


def _check_year(region, year, name, exclude=None):
    clash = Competition.objects.filter(region=region, year=year, name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise ValidationError(
            {"name": _("This region already has a competition of this name in that year.")}
        )


@transaction.atomic
def competition_create_from_template(
    *, actor, region, template_key: str, year: int, name: str, opens_on
) -> Competition:
    require_perm(actor, "competitions.manage_competition", Competition(region=region))
    data = templates().get(template_key)
    if data is None:
        raise ValidationError({"template": _("Choose one of the templates.")})
    _check_year(region, year, name)
    timeline = data["timeline"]
    opens_at = start_of_day(opens_on, region)
    deadline_on = opens_on + timedelta(days=timeline["deadline_days"])
    rules = data["rules"]
    competition = Competition.objects.create(
        region=region,
        name=name,
        # Left empty: the competition's own name shows in both languages until the secretariat
        # gives it an English one (the template's English name is generic).
        name_en="",
        year=year,
        level=data["level"],
        legal_basis=data.get("legal_basis", ""),
        participant_kinds=data["participant_kinds"],
        max_entries_per_agency=data.get("max_entries_per_agency"),
        opens_at=opens_at,
        deadline_at=end_of_day(deadline_on, region),
        grace_minutes=timeline.get("grace_minutes", 0),
        screening_ends_at=end_of_day(
            deadline_on + timedelta(days=timeline["screening_days"]), region
        ),
        objection_days=timeline.get("objection_days", 0),
        reminder_days=timeline.get("reminder_days", []),
        min_implementation_months=rules["min_implementation_months"],
        exclude_top_winners=rules["exclude_top_winners"],
        title_similarity=Decimal(rules["title_similarity"]),
        require_sdg=rules["require_sdg"],
        video_max_seconds=rules.get("video_max_seconds"),
        min_answer_words=rules.get("min_answer_words", 5),
        created_by=actor,
    )
    forms = {}
    for order, group in enumerate(data["groups"]):
        if group["form"] not in forms:
            forms[group["form"]] = _build_form(competition, _form_data(group["form"]))
        Group.objects.create(
            competition=competition,
            name=group["name"],
            name_en=group.get("name_en", ""),
            form=forms[group["form"]],
            max_entries_per_agency=group.get("max_entries_per_agency"),
            order=order,
        )
    for order, category in enumerate(data.get("categories", [])):
        Category.objects.create(competition=competition, order=order, **category)
    for milestone in data.get("milestones", []):
        Milestone.objects.create(
            competition=competition,
            name=milestone["name"],
            name_en=milestone.get("name_en", ""),
            date=opens_on + timedelta(days=milestone["days"]),
        )
    for order, item in enumerate(data.get("checklist", [])):
        ChecklistItem.objects.create(competition=competition, order=order, **item)
    activity_record(
        actor=actor,
        action="competition.created",
        target=competition,
        region=region,
        data={"template": template_key},
    )
    return competition


def _copy_version(version: FormVersion, form: ProposalForm, number: int) -> FormVersion:
    copy = FormVersion.objects.create(form=form, number=number)
    for section in version.sections.prefetch_related("fields"):
        new_section = FormSection.objects.create(
            version=copy,
            order=section.order,
            **{k: getattr(section, k) for k in SECTION_FIELDS},
        )
        FormField.objects.bulk_create(
            FormField(
                section=new_section,
                order=field.order,
                **{k: getattr(field, k) for k in FIELD_FIELDS},
            )
            for field in section.fields.all()
        )
    return copy


def _shift(moment, years: int):
    if moment is None:
        return None
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


@transaction.atomic
def competition_copy(*, actor, source: Competition, year: int, name: str) -> Competition:
    """Last year's competition, again: settings, groups, categories, checklist and the latest
    version of each form (as a new draft), with every date moved to the new year."""
    require_perm(actor, "competitions.manage_competition", source)
    _check_year(source.region, year, name)
    years = year - source.year
    competition = Competition.objects.create(
        region=source.region,
        created_from=source,
        created_by=actor,
        status=Competition.Status.SETUP,
        **{
            k: getattr(source, k)
            for k in SETTINGS_FIELDS
            if k not in {"name", "name_en", "year", "opens_at", "deadline_at", "screening_ends_at"}
        },
        name=name,
        year=year,
        opens_at=_shift(source.opens_at, years),
        deadline_at=_shift(source.deadline_at, years),
        screening_ends_at=_shift(source.screening_ends_at, years),
    )
    forms = {}
    for group in source.groups.select_related("form"):
        if group.form_id not in forms:
            form = ProposalForm.objects.create(
                competition=competition, name=group.form.name, name_en=group.form.name_en
            )
            latest = group.form.versions.order_by("-number").first()
            _copy_version(latest, form, 1)
            forms[group.form_id] = form
        Group.objects.create(
            competition=competition,
            name=group.name,
            name_en=group.name_en,
            form=forms[group.form_id],
            max_entries_per_agency=group.max_entries_per_agency,
            order=group.order,
        )
    for category in source.categories.all():
        Category.objects.create(
            competition=competition,
            name=category.name,
            name_en=category.name_en,
            order=category.order,
        )
    for item in source.checklist.all():
        ChecklistItem.objects.create(
            competition=competition, name=item.name, name_en=item.name_en, order=item.order
        )
    for milestone in source.milestones.all():
        Milestone.objects.create(
            competition=competition,
            name=milestone.name,
            name_en=milestone.name_en,
            date=_shift(milestone.date, years),
        )
    activity_record(
        actor=actor,
        action="competition.created",
        target=competition,
        region=source.region,
        data={"copied_from": source.pk},
    )
    return competition


# --- Settings ------------------------------------------------------------------------------------


def _check_timeline(competition: Competition) -> None:
    errors = {}
    if (
        competition.opens_at
        and competition.deadline_at
        and competition.deadline_at <= competition.opens_at
    ):
        errors["deadline_on"] = _("The deadline must come after the opening.")
    if (
        competition.screening_ends_at
        and competition.deadline_at
        and competition.screening_ends_at < competition.deadline_at
    ):
        errors["screening_ends_on"] = _("Screening must end after the proposal deadline.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def competition_update(*, actor, competition: Competition, **fields) -> Competition:
    """Change settings, timeline or rules. Once the competition is open, the people taking part
    are told about a changed deadline."""
    require_perm(actor, "competitions.manage_competition", competition)
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"competition_update() got unexpected fields {sorted(unknown)}")
    if competition.status == Competition.Status.FINISHED:
        raise ValidationError(_("A finished competition cannot be changed."))
    before = snapshot(competition, list(fields))
    with unchanged_if_refused(competition, fields):
        for name, value in fields.items():
            setattr(competition, name, value)
        if "name" in fields or "year" in fields:
            _check_year(competition.region, competition.year, competition.name, exclude=competition)
        _check_timeline(competition)
    changes = diff(before, snapshot(competition, list(fields)))
    if changes:
        competition.save(update_fields=list(fields))
        activity_record(
            actor=actor,
            action="competition.updated",
            target=competition,
            region=competition.region,
            changes=changes,
        )
        if "deadline_at" in changes and competition.status == Competition.Status.OPEN:
            _notify_recipients(
                competition,
                gettext_lazy(
                    "The deadline of %(competition)s has changed: it is now %(deadline)s."
                ),
                {"deadline": _deadline_text(competition)},
            )
    return competition


def _deadline_text(competition: Competition) -> str:
    from siwanda.core.templatetags.siwanda import when

    return when(competition.deadline_at, competition.region)


CHILD_MODELS = {
    "groups": (Group, ["name", "name_en", "form", "max_entries_per_agency"]),
    "categories": (Category, ["name", "name_en"]),
    "milestones": (Milestone, ["name", "name_en", "date"]),
    "checklist": (ChecklistItem, ["name", "name_en"]),
}


@transaction.atomic
def competition_set_list(*, actor, competition: Competition, kind: str, rows: list[dict]) -> None:
    """Make the groups, categories, milestones or checklist items exactly `rows` (in order).

    A row with an `id` updates that item, one without creates an item, items missing from the
    rows are deleted, unless proposals use them.
    """
    require_perm(actor, "competitions.manage_competition", competition)
    model, fields = CHILD_MODELS[kind]
    existing = {item.pk: item for item in model.objects.filter(competition=competition)}
    before = [snapshot(item, fields) for item in existing.values()]
    keep = set()
    for order, row in enumerate(rows):
        values = {
            k: row[k] if row.get(k) is not None else model._meta.get_field(k).get_default()
            for k in fields
        }
        if hasattr(model, "order"):
            values["order"] = order
        item = existing.get(row.get("id"))
        if item is None:
            item = model.objects.create(competition=competition, **values)
        else:
            for name, value in values.items():
                setattr(item, name, value)
            item.save()
        keep.add(item.pk)
    for pk, item in existing.items():
        if pk not in keep:
            if kind in ("groups", "categories") and item.proposals.exists():
                raise ValidationError(
                    _("“%(name)s” has proposals and cannot be removed.") % {"name": item}
                )
            item.delete()
    after = [snapshot(item, fields) for item in model.objects.filter(competition=competition)]
    if before != after:
        activity_record(
            actor=actor,
            action="competition.updated",
            target=competition,
            region=competition.region,
            changes={kind: {"before": before, "after": after}},
        )


# --- Forms ---------------------------------------------------------------------------------------


def _editable(version: FormVersion) -> None:
    if version.is_published:
        raise ValidationError(
            _("This version is published and frozen. Make a new version to change the form.")
        )


def _check_field_key(version: FormVersion, key: str, pk=None) -> None:
    clash = FormField.objects.filter(section__version=version, key=key).exclude(pk=pk)
    if clash.exists():
        raise ValidationError({"key": _("Another question of this form has this key.")})


@transaction.atomic
def form_section_save(
    *, actor, version: FormVersion, section: FormSection | None = None, **fields
) -> FormSection:
    competition = version.form.competition
    require_perm(actor, "competitions.manage_competition", competition)
    _editable(version)
    if section is None:
        order = (version.sections.aggregate(Max("order"))["order__max"] or 0) + 1
        section = FormSection.objects.create(version=version, order=order, **fields)
        action = "form.section_added"
    else:
        for name, value in fields.items():
            setattr(section, name, value)
        section.save()
        action = "form.section_changed"
    activity_record(
        actor=actor,
        action=action,
        target=version.form,
        region=competition.region,
        data={"version": version.number, "section": section.name},
    )
    return section


@transaction.atomic
def form_field_save(
    *, actor, section: FormSection, field: FormField | None = None, **fields
) -> FormField:
    version = section.version
    competition = version.form.competition
    require_perm(actor, "competitions.manage_competition", competition)
    _editable(version)
    _check_field_key(
        version, fields.get("key", field.key if field else ""), pk=field.pk if field else None
    )
    if fields.get("type") in (
        FieldType.SINGLE_CHOICE,
        FieldType.MULTIPLE_CHOICE,
    ) and not fields.get("choices"):
        raise ValidationError({"choices": _("A choice question needs at least one choice.")})
    if fields.get("type") == FieldType.FILE and not fields.get("allowed_types"):
        raise ValidationError({"allowed_types": _("Choose the file types that are allowed.")})
    if field is None:
        order = (section.fields.aggregate(Max("order"))["order__max"] or 0) + 1
        field = FormField.objects.create(section=section, order=order, **fields)
        action = "form.question_added"
    else:
        for name, value in fields.items():
            setattr(field, name, value)
        field.save()
        action = "form.question_changed"
    activity_record(
        actor=actor,
        action=action,
        target=version.form,
        region=competition.region,
        data={"version": version.number, "question": field.key},
    )
    return field


@transaction.atomic
def form_item_delete(*, actor, item: FormSection | FormField) -> None:
    version = item.version if isinstance(item, FormSection) else item.section.version
    competition = version.form.competition
    require_perm(actor, "competitions.manage_competition", competition)
    _editable(version)
    activity_record(
        actor=actor,
        action="form.item_removed",
        target=version.form,
        region=competition.region,
        data={"version": version.number, "item": str(item)},
    )
    item.delete()


@transaction.atomic
def form_item_move(*, actor, item: FormSection | FormField, up: bool) -> None:
    """Swap the item with its neighbour above or below."""
    version = item.version if isinstance(item, FormSection) else item.section.version
    require_perm(actor, "competitions.manage_competition", version.form.competition)
    _editable(version)
    siblings = list(
        version.sections.all() if isinstance(item, FormSection) else item.section.fields.all()
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for order, sibling in enumerate(siblings):
            if sibling.order != order:
                sibling.order = order
                sibling.save(update_fields=["order"])


def _version_problems(version: FormVersion) -> list[str]:
    problems = []
    sections = list(version.sections.prefetch_related("fields"))
    if not sections:
        problems.append(_("The form has no section."))
    for section in sections:
        if not section.fields.all():
            problems.append(_("Section “%(name)s” has no question.") % {"name": section.name})
    return problems


@transaction.atomic
def form_version_publish(*, actor, version: FormVersion) -> FormVersion:
    competition = version.form.competition
    require_perm(actor, "competitions.manage_competition", competition)
    _editable(version)
    problems = _version_problems(version)
    if problems:
        raise ValidationError(problems)
    version.published_at = timezone.now()
    version.published_by = actor
    version.save(update_fields=["published_at", "published_by"])
    activity_record(
        actor=actor,
        action="form.published",
        target=version.form,
        region=competition.region,
        data={"version": version.number},
    )
    return version


@transaction.atomic
def form_version_new(*, actor, form: ProposalForm) -> FormVersion:
    """A new draft version, copied from the newest one: proposals keep the version they use."""
    competition = form.competition
    require_perm(actor, "competitions.manage_competition", competition)
    latest = form.versions.order_by("-number").first()
    if not latest.is_published:
        return latest
    version = _copy_version(latest, form, latest.number + 1)
    activity_record(
        actor=actor,
        action="form.version_created",
        target=form,
        region=competition.region,
        data={"version": version.number},
    )
    return version


# --- Opening, the call for entries and reminders -------------------------------------------------


def eligible_agencies(competition: Competition):
    return Agency.objects.filter(
        region=competition.region, is_active=True, kind__in=competition.participant_kinds
    )


def competition_problems(competition: Competition) -> list[str]:
    """What stops the competition from opening; shown on the last step of the set-up."""
    problems = []
    groups = list(competition.groups.select_related("form"))
    if not groups:
        problems.append(_("Add at least one group."))
    if competition.deadline_at is None:
        problems.append(_("Set the proposal deadline."))
    elif competition.deadline_at <= timezone.now():
        problems.append(_("The proposal deadline has already passed."))
    if not competition.participant_kinds:
        problems.append(_("Choose who may take part."))
    elif not eligible_agencies(competition).exists():
        problems.append(_("The region has no active agency of the types that may take part."))
    for form in {group.form for group in groups}:
        latest = form.versions.order_by("-number").first()
        problems += [f"{form}: {problem}" for problem in _version_problems(latest)]
    return problems


def agency_people(agency_ids):
    """The operators and heads of these agencies (who hear about competitions)."""
    from siwanda.accounts.models import User

    return User.objects.filter(
        is_active=True,
        role_assignments__agency_id__in=agency_ids,
        role_assignments__role__in=(Role.OPERATOR, Role.AGENCY_HEAD),
    ).distinct()


def _notify_recipients(competition, message, params=None, agency_ids=None):
    if agency_ids is None:
        agency_ids = competition.recipients.values_list("agency_id", flat=True)
    url = reverse("competitions:detail", args=[competition.pk])
    notify(
        users=agency_people(list(agency_ids)),
        message=message,
        url=url,
        params={"competition": competition, **(params or {})},
    )


@transaction.atomic
def competition_open(*, actor, competition: Competition) -> int:
    """Open for proposals: publish the forms' first versions, invite every eligible agency (a
    notice and an email to its operators and head). Returns the number of agencies invited."""
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    require_perm(actor, "competitions.manage_competition", competition)
    if competition.status != Competition.Status.SETUP:
        raise ValidationError(_("This competition is already open."))
    problems = competition_problems(competition)
    if problems:
        raise ValidationError(problems)
    for form in ProposalForm.objects.filter(groups__competition=competition).distinct():
        latest = form.versions.order_by("-number").first()
        if not latest.is_published:
            form_version_publish(actor=actor, version=latest)
    competition.status = Competition.Status.OPEN
    competition.save(update_fields=["status"])
    agencies = list(eligible_agencies(competition).values_list("pk", flat=True))
    CallRecipient.objects.bulk_create(
        [CallRecipient(competition=competition, agency_id=pk) for pk in agencies],
        ignore_conflicts=True,
    )
    activity_record(
        actor=actor,
        action="competition.opened",
        target=competition,
        region=competition.region,
        data={"agencies_invited": len(agencies)},
    )
    _notify_recipients(
        competition,
        gettext_lazy(
            "%(competition)s is open. Send your agency's innovations before %(deadline)s."
        ),
        {"deadline": _deadline_text(competition)},
    )
    return len(agencies)


@transaction.atomic
def competition_start_screening(*, actor, competition: Competition) -> Competition:
    """Close the call: from now on nothing is accepted or withdrawn; screening begins."""
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    require_perm(actor, "competitions.manage_competition", competition)
    if competition.status != Competition.Status.OPEN:
        raise ValidationError(_("Only an open competition can move to screening."))
    latest = max(
        [
            competition.deadline_at + timedelta(minutes=competition.grace_minutes),
            *competition.extensions.values_list("until", flat=True),
        ]
    )
    if timezone.now() < latest:
        raise ValidationError(
            _("Proposals are still accepted until %(moment)s; screening can start after that.")
            % {"moment": _moment(latest, competition)}
        )
    competition.status = Competition.Status.SCREENING
    competition.save(update_fields=["status"])
    activity_record(
        actor=actor,
        action="competition.screening_started",
        target=competition,
        region=competition.region,
    )
    from siwanda.screening.tasks import refresh_findings  # screening builds on competitions

    transaction.on_commit(lambda: refresh_findings.enqueue(competition_id=competition.pk))
    return competition


def _moment(value, competition):
    from siwanda.core.templatetags.siwanda import when

    return when(value, competition.region)


def _has_nothing_submitted(recipient) -> bool:
    from siwanda.proposals.models import Proposal

    return not Proposal.objects.filter(
        competition=recipient.competition,
        agency=recipient.agency,
        status__in=Proposal.IN_COMPETITION,
    ).exists()


@transaction.atomic
def competition_remind(*, actor, competition: Competition, agency_ids=None) -> int:
    """Remind the agencies that have sent nothing yet (all of them, or those chosen)."""
    require_perm(actor, "competitions.manage_competition", competition)
    if competition.status != Competition.Status.OPEN:
        raise ValidationError(_("Reminders are for open competitions."))
    recipients = competition.recipients.filter(declined_at=None).select_related(
        "agency", "competition"
    )
    if agency_ids is not None:
        recipients = recipients.filter(agency_id__in=agency_ids)
    targets = [r for r in recipients if _has_nothing_submitted(r)]
    now = timezone.now()
    for recipient in targets:
        recipient.last_reminded_at = now
        recipient.reminders_sent += 1
        recipient.save(update_fields=["last_reminded_at", "reminders_sent"])
    if targets:
        _notify_recipients(
            competition,
            gettext_lazy(
                "Reminder: your agency has not submitted a proposal to %(competition)s yet. "
                "The deadline is %(deadline)s."
            ),
            {"deadline": _deadline_text(competition)},
            agency_ids=[r.agency_id for r in targets],
        )
        activity_record(
            actor=actor,
            action="competition.reminded",
            target=competition,
            region=competition.region,
            data={"agencies": [r.agency.name for r in targets]},
        )
    return len(targets)


def send_automatic_reminders(now=None) -> int:
    """Remind, N days before each open competition's deadline (its `reminder_days`), the agencies
    that have sent nothing. Run daily by a timer; sending twice on one day is prevented."""
    now = now or timezone.now()
    sent = 0
    for competition in Competition.objects.filter(status=Competition.Status.OPEN).select_related(
        "region"
    ):
        if not competition.deadline_at or competition.deadline_at < now:
            continue
        local_deadline = competition.deadline_at.astimezone(competition.region.zone)
        days_left = (local_deadline.date() - now.astimezone(competition.region.zone).date()).days
        if days_left not in competition.reminder_days:
            continue
        with transaction.atomic():
            recipients = [
                r
                for r in competition.recipients.filter(declined_at=None).select_related(
                    "agency", "competition"
                )
                if days_left not in r.automatic_reminders and _has_nothing_submitted(r)
            ]
            for recipient in recipients:
                recipient.automatic_reminders = [*recipient.automatic_reminders, days_left]
                recipient.last_reminded_at = now
                recipient.reminders_sent += 1
                recipient.save(
                    update_fields=["automatic_reminders", "last_reminded_at", "reminders_sent"]
                )
            if recipients:
                _notify_recipients(
                    competition,
                    ngettext_lazy(
                        "%(days)s day left: your agency has not submitted a proposal to "
                        "%(competition)s yet. The deadline is %(deadline)s.",
                        "%(days)s days left: your agency has not submitted a proposal to "
                        "%(competition)s yet. The deadline is %(deadline)s.",
                        "days",
                    ),
                    {"days": days_left, "deadline": _deadline_text(competition)},
                    agency_ids=[r.agency_id for r in recipients],
                )
                activity_record(
                    actor=None,
                    action="competition.reminded",
                    target=competition,
                    region=competition.region,
                    data={"automatic": days_left, "agencies": [r.agency.name for r in recipients]},
                )
            sent += len(recipients)
    return sent


@transaction.atomic
def recipient_decline(*, actor, recipient: CallRecipient, reason: str) -> CallRecipient:
    """The agency says it takes no part this year (it can still change its mind)."""
    require_perm(actor, "regions.view_agency", recipient.agency)
    if recipient.agency_id not in _agency_ids_of(actor):
        raise ValidationError(_("Only the agency's own people can answer for it."))
    recipient.declined_at = timezone.now()
    recipient.decline_reason = reason.strip()
    recipient.declined_by = actor
    recipient.save(update_fields=["declined_at", "decline_reason", "declined_by"])
    activity_record(
        actor=actor,
        action="competition.declined",
        target=recipient.competition,
        region=recipient.competition.region,
        data={"agency": recipient.agency.name, "reason": recipient.decline_reason},
    )
    return recipient


def _agency_ids_of(user):
    return set(
        RoleAssignment.objects.filter(
            user=user, role__in=(Role.OPERATOR, Role.AGENCY_HEAD)
        ).values_list("agency_id", flat=True)
    )


@transaction.atomic
def extension_grant(*, actor, competition: Competition, agency, until, reason: str):
    require_perm(actor, "competitions.manage_competition", competition)
    if competition.status != Competition.Status.OPEN:
        raise ValidationError(_("Extensions are for open competitions."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the extension is granted.")})
    if competition.deadline_at and until <= competition.deadline_at:
        raise ValidationError({"until_on": _("An extension must end after the deadline.")})
    if not competition.recipients.filter(agency=agency).exists():
        raise ValidationError({"agency": _("This agency is not invited to the competition.")})
    extension = DeadlineExtension.objects.create(
        competition=competition,
        agency=agency,
        until=until,
        reason=reason.strip(),
        granted_by=actor,
    )
    activity_record(
        actor=actor,
        action="competition.extension_granted",
        target=competition,
        region=competition.region,
        data={"agency": agency.name, "until": until, "reason": extension.reason},
    )
    notify(
        users=agency_people([agency.pk]),
        message=gettext_lazy(
            "Your agency has until %(until)s to send its proposals to %(competition)s."
        ),
        params={"until": _moment(until, competition), "competition": competition},
        url=reverse("competitions:detail", args=[competition.pk]),
    )
    return extension
