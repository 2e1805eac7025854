"""Every change to regions and agencies, each with its audit entry."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from siwanda.activity.services import activity_record, diff, snapshot
from siwanda.core.changes import unchanged_if_refused
from siwanda.core.permissions import require_perm

from .models import Agency, Region

AGENCY_FIELDS = ["name", "short_name", "kind", "code", "parent", "email", "phone"]


def _normalised(fields: dict) -> dict:
    """Text without surrounding spaces, email in lower case: the same for create and update."""
    clean = {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    if "email" in clean:
        clean["email"] = clean["email"].lower()
    return clean


def _check_agency(*, region: Region, name: str, code: str, parent: Agency | None, pk=None):
    errors = {}
    same_name = Agency.objects.filter(region=region).alias(lname=Lower("name"))
    if same_name.filter(lname=name.strip().lower()).exclude(pk=pk).exists():
        errors["name"] = _("This region already has an agency with this name.")
    if code and Agency.objects.filter(region=region, code=code).exclude(pk=pk).exists():
        errors["code"] = _("This region already has an agency with this code.")
    if parent is not None:
        if parent.region_id != region.pk:
            errors["parent"] = _("The parent agency must belong to the same region.")
        elif pk is not None:
            node = parent
            while node is not None:
                if node.pk == pk:
                    errors["parent"] = _("An agency cannot be placed under itself.")
                    break
                node = node.parent
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def agency_create(
    *,
    actor,
    region: Region,
    name: str,
    kind: str,
    parent: Agency | None = None,
    short_name: str = "",
    code: str = "",
    email: str = "",
    phone: str = "",
    action: str = "agency.created",
) -> Agency:
    require_perm(actor, "regions.manage_region", region)
    fields = _normalised(
        {
            "name": name,
            "kind": kind,
            "parent": parent,
            "short_name": short_name,
            "code": code,
            "email": email,
            "phone": phone,
        }
    )
    _check_agency(region=region, name=fields["name"], code=fields["code"], parent=parent)
    agency = Agency.objects.create(region=region, **fields)
    activity_record(
        actor=actor,
        action=action,
        target=agency,
        region=region,
        changes=diff({}, snapshot(agency, AGENCY_FIELDS)),
    )
    return agency


@transaction.atomic
def agency_update(*, actor, agency: Agency, **fields) -> Agency:
    require_perm(actor, "regions.manage_agency", agency)
    unknown = set(fields) - set(AGENCY_FIELDS)
    if unknown:
        raise TypeError(f"agency_update() got unexpected fields {sorted(unknown)}")
    before = snapshot(agency, AGENCY_FIELDS)
    with unchanged_if_refused(agency, fields):
        for name, value in _normalised(fields).items():
            setattr(agency, name, value)
        _check_agency(
            region=agency.region,
            name=agency.name,
            code=agency.code,
            parent=agency.parent,
            pk=agency.pk,
        )
    changes = diff(before, snapshot(agency, AGENCY_FIELDS))
    if changes:
        agency.save(update_fields=[*fields, "updated_at"])
        activity_record(
            actor=actor,
            action="agency.updated",
            target=agency,
            region=agency.region,
            changes=changes,
        )
    return agency


@transaction.atomic
def agency_set_active(*, actor, agency: Agency, active: bool) -> Agency:
    require_perm(actor, "regions.manage_agency", agency)
    if agency.is_active != active:
        agency.is_active = active
        agency.save(update_fields=["is_active", "updated_at"])
        activity_record(
            actor=actor,
            action="agency.reactivated" if active else "agency.deactivated",
            target=agency,
            region=agency.region,
            changes={"is_active": {"before": not active, "after": active}},
        )
    return agency


@transaction.atomic
def agency_import(*, actor, region: Region, rows: list[dict]) -> list[Agency]:
    """Create the agencies of validated spreadsheet rows, in order, so a row may name as its
    parent an agency created by an earlier row."""
    require_perm(actor, "regions.manage_region", region)
    created: list[Agency] = []
    by_name = {a.name.lower(): a for a in Agency.objects.filter(region=region)}
    for row in rows:
        parent = by_name.get(row["parent"].lower()) if row.get("parent") else None
        agency = agency_create(
            actor=actor,
            region=region,
            name=row["name"],
            kind=row["kind"],
            parent=parent,
            short_name=row.get("short_name", ""),
            code=row.get("code", ""),
            email=row.get("email", ""),
            phone=row.get("phone", ""),
            action="agency.imported",
        )
        by_name[agency.name.lower()] = agency
        created.append(agency)
    return created


@transaction.atomic
def region_update_settings(*, actor, region: Region, require_admin_2fa: bool) -> Region:
    require_perm(actor, "regions.manage_region", region)
    if region.require_admin_2fa != require_admin_2fa:
        before = region.require_admin_2fa
        region.require_admin_2fa = require_admin_2fa
        region.save(update_fields=["require_admin_2fa"])
        activity_record(
            actor=actor,
            action="region.settings_changed",
            target=region,
            region=region,
            changes={"require_admin_2fa": {"before": before, "after": require_admin_2fa}},
        )
    return region
