"""The ledger's chain for the entries written before it (offsets/chain.py), and PostgreSQL's check
on every new entry: the next number of its case, the case's own agreement and contractor, and a
decision of that case (or, for a reversal, an entry of that case to reverse).

Filling the chain changes existing rows once, so the append-only triggers are set aside for the
length of this migration (it runs as the owner of the tables); SQLite's trigger is put back in case
adding the column rebuilt the table."""

import hashlib

from django.conf import settings
from django.db import migrations

from clusterbridge.offsets import chain

MESSAGE = "credit entries are immutable: record a reversal instead"


def _key() -> bytes:
    return settings.LEDGER_KEY.encode() if settings.LEDGER_KEY else hashlib.sha256(
        b"clusterbridge-ledger\x1f" + settings.SECRET_KEY.encode()).digest()


def fill(apps, schema_editor):
    Entry = apps.get_model("offsets", "CreditEntry")
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE offsets_creditentry DISABLE TRIGGER offsets_creditentry_immutable")
    else:
        schema_editor.execute("DROP TRIGGER IF EXISTS offsets_creditentry_no_update")
    key, previous, case = _key(), "", None
    for entry in Entry.objects.order_by("case_id", "seq").iterator(chunk_size=2000):
        if entry.case_id != case:
            case, previous = entry.case_id, ""
        previous = chain.link(key, previous, {f: getattr(entry, f) for f in chain.FIELDS})
        Entry.objects.filter(pk=entry.pk).update(chain=previous)
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE offsets_creditentry ENABLE TRIGGER offsets_creditentry_immutable")
        schema_editor.execute("""
CREATE FUNCTION offsets_creditentry_checked_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE expected_seq integer; case_agreement bigint; agreement_contractor bigint;
BEGIN
  SELECT a.id, a.contractor_id INTO case_agreement, agreement_contractor
    FROM offsets_caseplan c JOIN offsets_agreement a ON a.id = c.agreement_id WHERE c.id = NEW.case_id;
  IF NEW.agreement_id IS DISTINCT FROM case_agreement OR NEW.contractor_id IS DISTINCT FROM agreement_contractor THEN
    RAISE EXCEPTION 'credit entry refused: its agreement and contractor must be those of case %', NEW.case_id;
  END IF;
  SELECT COALESCE(MAX(seq), 0) + 1 INTO expected_seq FROM offsets_creditentry WHERE case_id = NEW.case_id;
  IF NEW.seq <> expected_seq THEN
    RAISE EXCEPTION 'credit entry refused: case % takes entry number % next, not %', NEW.case_id, expected_seq, NEW.seq;
  END IF;
  IF NEW.reverses_id IS NOT NULL THEN
    IF NOT EXISTS (SELECT 1 FROM offsets_creditentry WHERE id = NEW.reverses_id AND case_id = NEW.case_id) THEN
      RAISE EXCEPTION 'credit entry refused: a reversal names an entry of its own case';
    END IF;
  ELSIF NEW.decision_id IS NULL OR NOT EXISTS (
      SELECT 1 FROM offsets_decision WHERE id = NEW.decision_id AND case_id = NEW.case_id) THEN
    RAISE EXCEPTION 'credit entry refused: it needs a decision of case %', NEW.case_id;
  END IF;
  RETURN NEW;
END $$""", params=None)  # no placeholders: the % are plpgsql's
        schema_editor.execute("CREATE TRIGGER offsets_creditentry_checked_insert BEFORE INSERT ON offsets_creditentry "
                              "FOR EACH ROW EXECUTE FUNCTION offsets_creditentry_checked_insert()")
    else:
        schema_editor.execute("CREATE TRIGGER offsets_creditentry_no_update BEFORE UPDATE ON offsets_creditentry "
                              f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")


def unfill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS offsets_creditentry_checked_insert ON offsets_creditentry")
        schema_editor.execute("DROP FUNCTION IF EXISTS offsets_creditentry_checked_insert()")


class Migration(migrations.Migration):
    dependencies = [("offsets", "0005_ledger_chain")]
    operations = [migrations.RunPython(fill, unfill)]
