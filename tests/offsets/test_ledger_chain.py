"""The ledger is tamper-evident: a chain of HMACs per case (offsets/chain.py) that `verify-ledger`
walks; on PostgreSQL a forged INSERT is refused at the door, and what gets past the application's
rights (an administrator's TRUNCATE, a disabled trigger) is found by the verification."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from clusterbridge.offsets.models import CreditEntry
from clusterbridge.offsets.verification import ledger_verify
from tests.factories import offsets as of

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger():
    officer = of.user()
    case = of.case(of.agreement(), value="5000", ready_by=officer)
    of.decide(case, "pre_approval", "3000", by=officer)
    of.decide(case, "actual_approval", "2500", by=officer)
    other = of.case(of.agreement(), value="900", ready_by=officer)
    of.decide(other, "pre_approval", "900", by=officer)
    return case, other


def _verify() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify_ledger", stdout=out)
        return 0, out.getvalue().strip()
    except SystemExit as exit_:
        return exit_.code, out.getvalue().strip()


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")  # what an administrator can do
        else:
            cursor.execute("DROP TRIGGER IF EXISTS offsets_creditentry_no_update")
        cursor.execute(sql, params)


def test_an_untouched_ledger_verifies(ledger):
    entries = CreditEntry.objects.count()
    assert _verify() == (0, f"ledger intact: {entries} entries of 2 cases verified")
    assert all(len(e.chain) == 64 for e in CreditEntry.objects.all())


def test_a_changed_amount_is_found_at_its_entry(ledger):
    case, _ = ledger
    _raw("UPDATE offsets_creditentry SET amount = 30000, signed = 30000, pre_approved_after = 30000 "
         "WHERE case_id = %s AND seq = 1", [case.pk])
    code, text = _verify()
    assert code == 1
    assert text.splitlines() == [f"case {case.number}, entry 1: the entry was changed, or added without the ledger's key",
                                 f"1 case(s) of 2 broken; {CreditEntry.objects.count()} entries read"]


def test_a_deleted_entry_is_found(ledger):
    case, _ = ledger
    last = CreditEntry.objects.filter(case=case).order_by("seq").last()
    _raw("DELETE FROM offsets_creditentry WHERE id = %s", [last.pk])
    code, text = _verify()
    assert code == 1
    assert text.splitlines()[0] == f"case {case.number}, entry {last.seq}: entries {last.seq} to {last.seq} are missing"
    first = CreditEntry.objects.filter(case=case).order_by("seq").first()
    _raw("DELETE FROM offsets_creditentry WHERE id = %s", [first.pk])
    assert ledger_verify().breaks[0].problem == f"entry 1 is missing (the next one found is {first.seq + 1})"


def test_a_forged_entry_with_a_made_up_chain_is_found(ledger):
    case, other = ledger
    template = CreditEntry.objects.filter(case=other).order_by("seq").last()
    _raw("INSERT INTO offsets_creditentry (case_id, agreement_id, contractor_id, seq, kind, bucket, amount, signed, unit, "
         "pre_approved_after, approved_after, retained_after, decision_id, reason, effective_on, recorded_by_id, "
         "recorded_at, chain) SELECT case_id, agreement_id, contractor_id, seq + 1, kind, bucket, 1000000, 1000000, "
         "unit, pre_approved_after + 1000000, approved_after, retained_after, decision_id, reason, effective_on, "
         "recorded_by_id, recorded_at, %s FROM offsets_creditentry WHERE id = %s", ["0" * 64, template.pk])
    check = ledger_verify()
    assert [(b.case_id, b.seq, b.problem) for b in check.breaks] == [
        (other.pk, template.seq + 1, "the entry was changed, or added without the ledger's key")]


def test_postgresql_refuses_a_forged_insert_at_the_door(ledger):
    if connection.vendor != "postgresql":
        pytest.skip("the insert check is a PostgreSQL trigger")
    from django.db import DataError, IntegrityError, InternalError, ProgrammingError, transaction

    case, other = ledger
    template = CreditEntry.objects.filter(case=case).order_by("seq").last()
    attempts = {
        "seq 9999": ("seq", 9999, "case %s takes entry number" % case.pk),
        "another agreement": ("agreement_id", other.agreement_id, "its agreement and contractor must be those of case"),
        "no decision": ("decision_id", None, "it needs a decision of case"),
    }
    for name, (column, value, message) in attempts.items():
        values = {"seq": template.seq + 1, "agreement_id": template.agreement_id, "decision_id": template.decision_id}
        values[column] = value
        with pytest.raises((InternalError, IntegrityError, DataError, ProgrammingError)) as refused, transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO offsets_creditentry (case_id, agreement_id, contractor_id, seq, kind, bucket, amount, "
                    "signed, unit, pre_approved_after, approved_after, retained_after, decision_id, reason, effective_on, "
                    "recorded_by_id, recorded_at, chain) SELECT case_id, %s, contractor_id, %s, kind, bucket, 1000000, "
                    "1000000, unit, 0, 0, 0, %s, reason, effective_on, recorded_by_id, recorded_at, '' "
                    "FROM offsets_creditentry WHERE id = %s",
                    [values["agreement_id"], values["seq"], values["decision_id"], template.pk])
        assert message in str(refused.value), name


def test_officers_see_the_check_on_a_page_and_others_do_not(client, ledger):
    case, _ = ledger
    officer = of.user("checker")
    client.force_login(officer)
    page = client.get("/icp/ledger/check/")
    assert page.status_code == 200
    assert f"The ledger is intact: {CreditEntry.objects.count()} entries of 2 cases verified." in page.content.decode()
    _raw("UPDATE offsets_creditentry SET reason = 'moved by hand' WHERE case_id = %s AND seq = 2", [case.pk])
    page = client.get("/zh-hant/icp/ledger/check/")
    assert page.context["breaks"] == [(case.number, 2, "此分錄遭到變更，或未經帳冊金鑰而新增")]
    client.force_login(of.user("member1", role="member"))
    assert client.get("/icp/ledger/check/").status_code == 403
