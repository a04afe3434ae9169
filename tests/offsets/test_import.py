"""Importing ICP history from Excel: all or nothing, errors named by sheet, row and column."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from clusterbridge.offsets import selectors as sel
from clusterbridge.offsets import services as s
from clusterbridge.core.models import Job
from clusterbridge.offsets.models import Agreement, CasePlan, CreditEntry

from tests.factories import offsets as f

pytestmark = pytest.mark.django_db

AGREEMENT_COLUMNS = ["number", "contractor", "contractor_country", "procuring_agency", "obligation", "unit",
                     "signed_on", "purchase_en"]
CASE_COLUMNS = ["number", "agreement", "field", "recipients", "submitted_on", "category", "value", "multiplier",
                "title_en"]
DECISION_COLUMNS = ["meeting", "case", "decision", "amount", "minutes_approved_on", "database_updated_on"]


def workbook(agreements=None, cases=None, decisions=None) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, columns, rows in (("agreements", AGREEMENT_COLUMNS, agreements), ("cases", CASE_COLUMNS, cases),
                                ("decisions", DECISION_COLUMNS, decisions)):
        if rows is None:
            continue
        sheet = book.create_sheet(name)
        sheet.append(columns)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD = dict(
    agreements=[["A-1998-01", "Nordhavn Rail", "DE", "TRA", 5_000_000, "USD", dt.date(1998, 5, 4), "Trains"],
                ["A-1999-02", "Lumière Aéro", "FR", "CAA", "2,000,000", "twd", "1999-02-01", "Radar"]],
    cases=[["C-1", "A-1998-01", "industry", "AIDC", dt.date(1998, 9, 1), "technology_transfer", 1_000_000, 2, "Jigs"],
           ["C-1", "A-1998-01", "industry", "AIDC", dt.date(1998, 9, 1), "training", 250_000.5, 1, "Jigs"],
           ["C-2", "A-1999-02", "defence", "NCSIST", dt.date(1999, 3, 1), "domestic_procurement", 900_000, 1, "Parts"]],
    decisions=[[dt.date(1998, 12, 3), "C-1", "pre_approval", 2_000_000, dt.date(1998, 12, 10), dt.date(1998, 12, 14)],
               [dt.date(2001, 6, 7), "C-1", "actual_approval", 1_500_000, None, None],
               [dt.date(2001, 6, 7), "C-2", "pre_approval", 900_000, None, None]],
)


def test_a_good_workbook_imports_agreements_cases_and_replays_decisions_into_the_ledger():
    officer = f.user("icp")
    result = s.history_import(data=workbook(**GOOD), by=officer)
    assert (result.errors, result.counts) == ([], {"agreements": 2, "cases": 2, "decisions": 3, "meetings": 2})
    assert Agreement.objects.get(number="A-1999-02").unit == "TWD"
    c1 = CasePlan.objects.get(number="C-1")
    assert (c1.claimed, c1.status) == (Decimal("2250000.50"), "in_execution")
    b = sel.agreement_balance(Agreement.objects.get(number="A-1998-01"))
    assert (b.pre_approved, b.approved, b.remaining) == (Decimal("500000.00"), Decimal("1500000.00"),
                                                         Decimal("3500000.00"))
    assert [e.effective_on for e in CreditEntry.objects.filter(case=c1)] == [
        dt.date(1998, 12, 14), dt.date(2001, 6, 7), dt.date(2001, 6, 7)]


def test_row_errors_are_all_listed_and_nothing_is_written():
    officer = f.user("icp")
    bad = dict(GOOD)
    bad["agreements"] = [GOOD["agreements"][0][:4] + ["lots", "EUR", "someday", "Trains"], GOOD["agreements"][1]]
    bad["cases"] = GOOD["cases"] + [["C-3", "A-404", "space", "X", dt.date(2000, 1, 1), "bribes", 0, 1, "x"]]
    result = s.history_import(data=workbook(**bad), by=officer)
    assert result.errors == [
        "agreements row 2, column obligation: 'lots' is not a number",
        "agreements row 2, column signed_on: 'someday' is not a date (YYYY-MM-DD)",
        "agreements row 2, column unit: 'EUR' is not USD or TWD",
        "cases row 5, column field: 'space' is not defence or industry",
        "cases row 5, column category: 'bribes' is not one of domestic_investment, domestic_procurement, "
        "international_certification, international_marketing, joint_contracting, research_and_development, "
        "technology_transfer, training",
        "cases row 5, column value: must be above zero",
        "cases row 5, column agreement: no agreement A-404 in the file or the database",
    ]
    assert (Agreement.objects.count(), CasePlan.objects.count()) == (0, 0)


def test_a_decision_the_rules_refuse_rolls_back_the_whole_import():
    officer = f.user("icp")
    bad = dict(GOOD)
    bad["decisions"] = GOOD["decisions"] + [[dt.date(2002, 1, 9), "C-2", "actual_approval", 900_000.01, None, None]]
    result = s.history_import(data=workbook(**bad), by=officer)
    assert result.errors == ["decisions row 5: case C-2: approving 900,000.01 would exceed the claim: "
                             "900,000.00 claimed, 0.00 already approved"]
    assert (Agreement.objects.count(), CreditEntry.objects.count()) == (0, 0)


def test_a_dry_run_checks_the_decisions_too_and_writes_nothing():
    officer = f.user("icp")
    result = s.history_import(data=workbook(**GOOD), by=officer, dry_run=True)
    assert (result.ok, result.counts["decisions"]) == (True, 3)
    assert (Agreement.objects.count(), CreditEntry.objects.count()) == (0, 0)


def test_missing_sheet_and_columns_are_named():
    officer = f.user("icp")
    result = s.history_import(data=workbook(agreements=[]), by=officer)
    assert result.errors == ["cases: the sheet is missing (sheets needed: agreements, cases)"]
    assert s.history_import(data=b"not a workbook", by=officer).errors == [
        "the file is not an Excel workbook (.xlsx)"]


def test_command_line_import_and_its_errors(tmp_path, capsys):
    f.user("icp")
    path = tmp_path / "history.xlsx"
    path.write_bytes(workbook(**GOOD))
    call_command("import_icp_history", str(path), "--user", "icp")
    assert capsys.readouterr().out == "imported: 2 agreements, 2 cases, 3 decisions, 2 meetings\n"
    with pytest.raises(CommandError) as error:
        call_command("import_icp_history", str(path), "--user", "icp")
    assert str(error.value) == "4 error(s); nothing was written"


def test_import_page_runs_the_job_and_shows_the_result(client, django_capture_on_commit_callbacks):
    client.force_login(f.user("icp"))
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("history.xlsx", workbook(**GOOD))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/icp/import/", {"file": upload})
    job = Job.objects.get(kind="offsets.history_import")
    assert response["Location"] == f"/icp/import/{job.id}/"
    assert (job.kind, job.status, job.result["counts"]["cases"], bytes(job.data)) == (
        "offsets.history_import", "done", 2, b"")
    html = client.get(response["Location"]).content.decode()
    assert "2 agreements, 2 case plans, 3 decisions at 2 meetings." in html
    assert client.get(f"/jobs/{job.id}/progress/").json() == {"status": "done", "done": 7, "total": 7,
                                                               "percent": 100, "waiting_for_queue": False}
