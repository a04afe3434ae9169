"""The credit ledger is append-only in the database itself, not only in the ORM.

PostgreSQL refuses UPDATE and DELETE of an entry (a row trigger; TRUNCATE, which
only an administrator or a test's flush runs, is not a row event). SQLite
refuses UPDATE; there DELETE is refused by the model and by PROTECT foreign
keys, because the test runner's flush of a SQLite database deletes rows."""

from django.db import migrations

MESSAGE = "credit entries are immutable: record a reversal instead"


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE TRIGGER offsets_creditentry_no_update BEFORE UPDATE ON offsets_creditentry "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")
    elif connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE FUNCTION offsets_creditentry_immutable() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$")
        schema_editor.execute(
            "CREATE TRIGGER offsets_creditentry_immutable BEFORE UPDATE OR DELETE ON offsets_creditentry "
            "FOR EACH ROW EXECUTE FUNCTION offsets_creditentry_immutable()")


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS offsets_creditentry_no_update")
    elif connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS offsets_creditentry_immutable ON offsets_creditentry")
        schema_editor.execute("DROP FUNCTION IF EXISTS offsets_creditentry_immutable()")


class Migration(migrations.Migration):
    dependencies = [("offsets", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
