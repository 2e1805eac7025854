import datetime
import decimal

import pytest
from django.db import DatabaseError, connection, transaction

from siwanda.activity.context import current_ip
from siwanda.activity.models import ActivityEntry, AppendOnlyError
from siwanda.activity.services import activity_record, diff, plain, snapshot


def test_plain_values_are_json_safe():
    assert plain(datetime.date(2026, 5, 31)) == "2026-05-31"
    assert plain(decimal.Decimal("85.50")) == "85.50"
    assert plain({"a": (1, {2})}) == {"a": [1, [2]]}


def test_diff_lists_only_changed_fields():
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {
        "b": {"before": 2, "after": 3},
        "c": {"before": None, "after": 4},
    }


def test_snapshot_labels_foreign_keys(people):
    assert snapshot(people["operator"].role_assignments.get(), ["agency", "role"]) == {
        "agency": "Dinas Kesehatan",
        "role": "operator",
    }


def test_the_entry_carries_the_request_ip(people):
    token = current_ip.set("203.0.113.9")
    try:
        entry = activity_record(
            actor=people["secretariat"], action="agency.updated", target=people["agency"]
        )
    finally:
        current_ip.reset(token)
    assert entry.ip_address == "203.0.113.9"
    assert entry.actor_label == people["secretariat"].email


def test_an_entry_by_the_system_has_no_actor(people):
    entry = activity_record(actor=None, action="agency.created", target=people["agency"])
    assert entry.actor is None and entry.actor_label == ""


def test_entries_cannot_be_changed_or_deleted_by_the_application(people):
    entry = activity_record(actor=None, action="agency.created", target=people["agency"])
    entry.action = "forged"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        ActivityEntry.objects.filter(pk=entry.pk).update(action="forged")
    with pytest.raises(AppendOnlyError):
        ActivityEntry.objects.all().delete()


def test_the_database_refuses_an_update_too(people):
    entry = activity_record(actor=None, action="agency.created", target=people["agency"])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE activity_activityentry SET action = 'forged' WHERE id = %s", [entry.pk]
        )
    assert ActivityEntry.objects.get(pk=entry.pk).action == "agency.created"
