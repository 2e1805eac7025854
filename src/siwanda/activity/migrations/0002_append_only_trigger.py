"""Refuse UPDATE of activity entries in the database itself, on SQLite and PostgreSQL.

DELETE is left to the database owner (retention purges, test database flushes); the application
refuses it in the model and queryset.
"""

from django.db import migrations

from siwanda.core.triggers import refuse_updates


class Migration(migrations.Migration):
    dependencies = [("activity", "0001_initial")]
    operations = [
        refuse_updates(
            "activity_activityentry",
            "activity entries are append-only",
            name="activity_entry_append_only",
        )
    ]
