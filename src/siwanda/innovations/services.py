"""Every change to the registry, each with its audit entry."""

import itertools

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from siwanda.activity.services import activity_record, diff, snapshot
from siwanda.core.changes import unchanged_if_refused
from siwanda.core.files import check_upload, clean_name
from siwanda.core.permissions import require_perm

from .models import Award, EvidenceDocument, Innovation, Innovator, Sdg

FIELDS = [
    "title",
    "form",
    "urusan",
    "initiator",
    "is_digital",
    "stage",
    "initiative_date",
    "trial_date",
    "implementation_date",
    "design",
    "goals",
    "benefits",
    "results",
    "budget",
    "budget_source",
    "video_url",
    "is_team",
    "decree_number",
    "source_innovation",
]
EVIDENCE_TYPES = ["pdf", "jpg", "png", "docx", "xlsx", "pptx"]
EVIDENCE_MAX_MB = 20


def _check(innovation: Innovation) -> None:
    errors = {}
    dates = [
        ("initiative_date", innovation.initiative_date),
        ("trial_date", innovation.trial_date),
        ("implementation_date", innovation.implementation_date),
    ]
    known = [(name, day) for name, day in dates if day]
    for (_first, earlier), (name, later) in itertools.pairwise(known):
        if later < earlier:
            errors[name] = _("The stages follow each other: initiative, trial, implementation.")
    if innovation.stage == "implementation" and not innovation.implementation_date:
        errors["implementation_date"] = _("Give the date implementation started.")
    if innovation.stage == "trial" and not innovation.trial_date:
        errors["trial_date"] = _("Give the date the trial started.")
    today = timezone.localdate()
    for name, day in known:
        if day > today:
            errors.setdefault(name, _("This date is in the future."))
    if innovation.source_innovation_id and innovation.source_innovation_id == innovation.pk:
        errors["source_innovation"] = _("An innovation cannot be a replication of itself.")
    if errors:
        raise ValidationError(errors)


def _refresh_catalogue(*innovation_ids) -> None:
    """Keep the public catalogue in step with the registry (published innovations only)."""
    from siwanda.catalogue.indexing import catalogue_refresh

    catalogue_refresh(i for i in innovation_ids if i)


def _set_sdgs(innovation: Innovation, sdgs) -> tuple[list, list]:
    before = sorted(innovation.sdgs.values_list("number", flat=True)) if innovation.pk else []
    after = sorted({int(s.number if isinstance(s, Sdg) else s) for s in sdgs})
    innovation.sdgs.set(after)
    return before, after


@transaction.atomic
def innovation_create(*, actor, agency, sdgs=(), innovators=(), **fields) -> Innovation:
    require_perm(actor, "innovations.add_innovation", agency)
    innovation = Innovation(agency=agency, region=agency.region, created_by=actor, **fields)
    innovation.title = innovation.title.strip()
    _check(innovation)
    innovation.save()
    _set_sdgs(innovation, sdgs)
    _set_innovators(innovation, innovators)
    activity_record(
        actor=actor,
        action="innovation.created",
        target=innovation,
        region=innovation.region,
        changes=diff({}, snapshot(innovation, FIELDS)),
    )
    _refresh_catalogue(innovation.source_innovation_id)
    return innovation


@transaction.atomic
def innovation_update(*, actor, innovation: Innovation, sdgs=None, **fields) -> Innovation:
    require_perm(actor, "innovations.change_innovation", innovation)
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"innovation_update() got unexpected fields {sorted(unknown)}")
    before = snapshot(innovation, list(fields))
    old_source = innovation.source_innovation_id
    with unchanged_if_refused(innovation, fields):
        for name, value in fields.items():
            setattr(innovation, name, value.strip() if isinstance(value, str) else value)
        _check(innovation)
    changes = diff(before, snapshot(innovation, list(fields)))
    if changes:
        innovation.save()
    if sdgs is not None:
        old, new = _set_sdgs(innovation, sdgs)
        if old != new:
            changes["sdgs"] = {"before": old, "after": new}
    if changes:
        activity_record(
            actor=actor,
            action="innovation.updated",
            target=innovation,
            region=innovation.region,
            changes=changes,
        )
        _refresh_catalogue(innovation.pk, old_source, innovation.source_innovation_id)
    return innovation


def _set_innovators(innovation: Innovation, rows) -> None:
    innovation.innovators.all().delete()
    Innovator.objects.bulk_create(
        Innovator(
            innovation=innovation,
            name=row["name"].strip(),
            position=row.get("position", ""),
            is_lead=bool(row.get("is_lead")),
            order=order,
        )
        for order, row in enumerate(rows)
        if row.get("name", "").strip()
    )


@transaction.atomic
def innovation_set_innovators(*, actor, innovation: Innovation, innovators: list[dict]) -> None:
    require_perm(actor, "innovations.change_innovation", innovation)
    before = [f"{i.name} ({i.position})" for i in innovation.innovators.all()]
    _set_innovators(innovation, innovators)
    after = [f"{i.name} ({i.position})" for i in innovation.innovators.all()]
    if before != after:
        activity_record(
            actor=actor,
            action="innovation.updated",
            target=innovation,
            region=innovation.region,
            changes={"innovators": {"before": before, "after": after}},
        )


@transaction.atomic
def innovation_set_decree(*, actor, innovation: Innovation, upload, number: str) -> Innovation:
    require_perm(actor, "innovations.change_innovation", innovation)
    check_upload(upload, allowed=["pdf", "jpg", "png"], max_mb=EVIDENCE_MAX_MB)
    upload.name = clean_name(upload.name)
    innovation.decree_file = upload
    innovation.decree_number = number.strip()
    innovation.save(update_fields=["decree_file", "decree_number", "updated_at"])
    activity_record(
        actor=actor,
        action="innovation.decree_uploaded",
        target=innovation,
        region=innovation.region,
        data={"number": innovation.decree_number},
    )
    return innovation


@transaction.atomic
def evidence_add(
    *, actor, innovation: Innovation, kind: str, description: str, upload
) -> EvidenceDocument:
    require_perm(actor, "innovations.change_innovation", innovation)
    detected = check_upload(upload, allowed=EVIDENCE_TYPES, max_mb=EVIDENCE_MAX_MB)
    original = upload.name
    upload.name = clean_name(upload.name)
    document = EvidenceDocument.objects.create(
        innovation=innovation,
        kind=kind,
        description=description.strip(),
        file=upload,
        original_name=original,
        content_type=detected,
        size=upload.size,
        uploaded_by=actor,
    )
    activity_record(
        actor=actor,
        action="evidence.added",
        target=innovation,
        region=innovation.region,
        data={"document": document.description, "file": original},
    )
    return document


@transaction.atomic
def evidence_remove(*, actor, document: EvidenceDocument) -> None:
    innovation = document.innovation
    require_perm(actor, "innovations.change_innovation", innovation)
    if document.status == EvidenceDocument.Status.VERIFIED:
        raise ValidationError(_("A verified document cannot be removed; ask the secretariat."))
    activity_record(
        actor=actor,
        action="evidence.removed",
        target=innovation,
        region=innovation.region,
        data={"document": document.description, "file": document.original_name},
    )
    document.file.delete(save=False)
    document.delete()


@transaction.atomic
def evidence_verify(*, actor, document: EvidenceDocument, status: str, note: str = ""):
    innovation = document.innovation
    require_perm(actor, "innovations.verify_evidence", innovation)
    if status == EvidenceDocument.Status.REJECTED and not note.strip():
        raise ValidationError({"note": _("Say why the document is rejected.")})
    before = document.status
    document.status = status
    document.verification_note = note.strip()
    document.verified_by = actor
    document.verified_at = timezone.now()
    # Only verified documents are shown in the public catalogue.
    document.is_public = document.is_public and status == EvidenceDocument.Status.VERIFIED
    document.save(
        update_fields=["status", "verification_note", "verified_by", "verified_at", "is_public"]
    )
    activity_record(
        actor=actor,
        action="evidence.verified",
        target=innovation,
        region=innovation.region,
        changes={"status": {"before": before, "after": status}},
        data={"document": document.description, "note": document.verification_note},
    )
    return document


@transaction.atomic
def award_add(
    *, actor, innovation: Innovation, year: int, level: str, title: str, is_top: bool = True
) -> Award:
    """An award from before Siwanda (later, competition results write these themselves)."""
    require_perm(actor, "innovations.verify_evidence", innovation)
    award = Award.objects.create(
        innovation=innovation, year=year, level=level, title=title.strip(), is_top=is_top
    )
    activity_record(
        actor=actor,
        action="innovation.award_added",
        target=innovation,
        region=innovation.region,
        data={"award": str(award), "level": level},
    )
    _refresh_catalogue(innovation.pk)
    return award
