"""Writing the audit trail. Every service that changes state calls `activity_record`."""

import datetime
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .context import current_ip
from .models import ActivityEntry


def plain(value):
    """A JSON-safe, human-readable form of a field value for the before/after record."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    return str(value)


def snapshot(instance: models.Model, fields: list[str]) -> dict:
    """The current values of `fields` (foreign keys by their label), for a later `diff`."""
    return {name: plain(getattr(instance, name)) for name in fields}


def diff(before: dict, after: dict) -> dict:
    """{field: {"before": old, "after": new}} for every field whose value changed."""
    return {
        name: {"before": before.get(name), "after": after.get(name)}
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def activity_record(
    *,
    actor,
    action: str,
    target: models.Model,
    region=None,
    changes: dict | None = None,
    data: dict | None = None,
) -> ActivityEntry:
    """Append one entry: `actor` did `action` to `target` (within `region`, for tenancy)."""
    is_person = actor is not None and getattr(actor, "is_authenticated", False)
    return ActivityEntry.objects.create(
        actor=actor if is_person else None,
        actor_label=actor.email if is_person else "",
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        target_label=str(target)[:255],
        region=region,
        ip_address=current_ip.get(),
        changes=changes or {},
        data=plain(data or {}),
    )
