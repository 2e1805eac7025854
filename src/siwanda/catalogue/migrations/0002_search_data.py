"""Search data kept by the database itself, so that every way of writing an entry (services,
bulk loads, flushes between tests) keeps it in step.

PostgreSQL: `search_vector` = the title (weight A) and the body (B) under the `indonesian`
configuration OR-ed with `simple`, plus the Sastrawi stems; a GIN index on it; `pg_trgm` with a
trigram index on the vocabulary for typo correction.
SQLite: an FTS5 table over the same three texts (external content: the entry table), kept in
step by triggers.
"""

from django.db import migrations

_COLUMNS = "title, body, stems"
_NEW = "new.innovation_id, new.title, new.body, new.stems"
_OLD = "'delete', old.innovation_id, old.title, old.body, old.stems"

# (forward, backward) statement pairs, one statement each.
STATEMENTS = {
    "postgresql": [
        ("CREATE EXTENSION IF NOT EXISTS pg_trgm", None),
        (
            """CREATE FUNCTION catalogue_entry_vector() RETURNS trigger AS $$
            BEGIN
              NEW.search_vector :=
                setweight(to_tsvector('indonesian', NEW.title)
                          || to_tsvector('simple', NEW.title), 'A')
                || setweight(to_tsvector('indonesian', NEW.body)
                          || to_tsvector('simple', NEW.body)
                          || to_tsvector('simple', NEW.stems), 'B');
              RETURN NEW;
            END $$ LANGUAGE plpgsql""",
            "DROP FUNCTION catalogue_entry_vector()",
        ),
        (
            """CREATE TRIGGER catalogue_entry_vector
              BEFORE INSERT OR UPDATE OF title, body, stems ON catalogue_catalogueentry
              FOR EACH ROW EXECUTE FUNCTION catalogue_entry_vector()""",
            "DROP TRIGGER catalogue_entry_vector ON catalogue_catalogueentry",
        ),
        (
            "CREATE INDEX catalogue_entry_vector_gin "
            "ON catalogue_catalogueentry USING gin (search_vector)",
            "DROP INDEX catalogue_entry_vector_gin",
        ),
        (
            "CREATE INDEX catalogue_searchword_trgm "
            "ON catalogue_searchword USING gin (word gin_trgm_ops)",
            "DROP INDEX catalogue_searchword_trgm",
        ),
    ],
    "sqlite": [
        (
            f"""CREATE VIRTUAL TABLE catalogue_fts USING fts5(
              {_COLUMNS}, content='catalogue_catalogueentry', content_rowid='innovation_id',
              tokenize='unicode61 remove_diacritics 2')""",
            "DROP TABLE catalogue_fts",
        ),
        (
            f"""CREATE TRIGGER catalogue_fts_insert AFTER INSERT ON catalogue_catalogueentry
            BEGIN INSERT INTO catalogue_fts(rowid, {_COLUMNS}) VALUES ({_NEW}); END""",
            "DROP TRIGGER catalogue_fts_insert",
        ),
        (
            f"""CREATE TRIGGER catalogue_fts_delete AFTER DELETE ON catalogue_catalogueentry
            BEGIN INSERT INTO catalogue_fts(catalogue_fts, rowid, {_COLUMNS}) VALUES ({_OLD}); END""",
            "DROP TRIGGER catalogue_fts_delete",
        ),
        (
            f"""CREATE TRIGGER catalogue_fts_update AFTER UPDATE ON catalogue_catalogueentry
            BEGIN
              INSERT INTO catalogue_fts(catalogue_fts, rowid, {_COLUMNS}) VALUES ({_OLD});
              INSERT INTO catalogue_fts(rowid, {_COLUMNS}) VALUES ({_NEW});
            END""",
            "DROP TRIGGER catalogue_fts_update",
        ),
    ],
}


def create(apps, schema_editor):
    for forward, _backward in STATEMENTS.get(schema_editor.connection.vendor, []):
        schema_editor.execute(forward)


def remove(apps, schema_editor):
    for _forward, backward in reversed(STATEMENTS.get(schema_editor.connection.vendor, [])):
        if backward:
            schema_editor.execute(backward)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
