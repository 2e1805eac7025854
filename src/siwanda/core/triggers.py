"""Tables whose rows may never change, enforced by the database itself (SQLite and PostgreSQL),
so that no code path, shell or admin can rewrite history."""

from django.db import migrations


def refuse_updates(table: str, message: str, name: str = "") -> migrations.RunPython:
    """A migration operation adding a BEFORE UPDATE trigger (`name`, by default
    "<table>_immutable") on `table` that aborts with `message`. DELETE stays possible for the
    database owner (retention purges, test flushes)."""
    name = name or f"{table}_immutable"
    sql = {
        "sqlite": f"CREATE TRIGGER {name} BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END;",
        "postgresql": f"CREATE FUNCTION {name}() RETURNS trigger AS $$ "
        f"BEGIN RAISE EXCEPTION '{message}'; END; $$ LANGUAGE plpgsql; "
        f"CREATE TRIGGER {name} BEFORE UPDATE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {name}();",
    }
    drop = {
        "sqlite": f"DROP TRIGGER IF EXISTS {name};",
        "postgresql": f"DROP TRIGGER IF EXISTS {name} ON {table}; "
        f"DROP FUNCTION IF EXISTS {name}();",
    }

    def create(apps, schema_editor):
        statement = sql.get(schema_editor.connection.vendor)
        if statement:
            schema_editor.execute(statement)

    def remove(apps, schema_editor):
        statement = drop.get(schema_editor.connection.vendor)
        if statement:
            schema_editor.execute(statement)

    return migrations.RunPython(create, remove)
