"""Reading an ICP history workbook (agreements, case plans and their lines, past decisions).

Plain Python (openpyxl), no Django. Every problem is reported as
`<sheet> row N, column C: problem`; the caller writes nothing unless the list is empty.

Sheets (first row = column names; * = required):
  agreements: number*, contractor*, contractor_country*, procuring_agency*, obligation*, unit*, signed_on*,
              purchase_en, purchase_zh, briefing_held_on, defence_share_target
  cases:      one row per cooperation line; number*, agreement*, field*, recipients*, submitted_on*,
              category*, value*, multiplier, title_en, title_zh, deadline, line_description
  decisions:  (optional) meeting*, case*, decision*, amount, new_deadline, minutes_approved_on,
              database_updated_on, note
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

from . import credits as cr

SHEETS = {
    "agreements": (["number", "contractor", "contractor_country", "procuring_agency", "obligation", "unit",
                    "signed_on"], ["purchase_en", "purchase_zh", "briefing_held_on", "defence_share_target"]),
    "cases": (["number", "agreement", "field", "recipients", "submitted_on", "category", "value"],
              ["multiplier", "title_en", "title_zh", "deadline", "line_description"]),
    "decisions": (["meeting", "case", "decision"],
                  ["amount", "new_deadline", "minutes_approved_on", "database_updated_on", "note"]),
}
DATES = {"signed_on", "briefing_held_on", "submitted_on", "deadline", "meeting", "new_deadline",
         "minutes_approved_on", "database_updated_on"}
AMOUNTS = {"obligation", "value", "multiplier", "amount"}
FIELDS = {"defence", "industry"}


@dataclass
class ParsedHistory:
    agreements: list[dict] = field(default_factory=list)
    cases: list[dict] = field(default_factory=list)       # one per case, with its "lines"
    decisions: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.agreements) + len(self.cases) + len(self.decisions)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(_text(value))


def _amount(value, what: str) -> Decimal:
    if isinstance(value, float):  # a spreadsheet number: its shortest decimal form is what was typed
        value = repr(value)
    elif isinstance(value, int):
        value = str(value)
    return cr.points(value, what=what)


def parse_history(data: bytes) -> ParsedHistory:
    from openpyxl import load_workbook

    out = ParsedHistory()
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        out.errors.append("the file is not an Excel workbook (.xlsx)")
        return out
    rows: dict[str, list[tuple[int, dict]]] = {}
    for sheet, (required, optional) in SHEETS.items():
        if sheet not in book.sheetnames:
            if sheet != "decisions":
                out.errors.append(f"{sheet}: the sheet is missing (sheets needed: agreements, cases)")
            rows[sheet] = []
            continue
        it = book[sheet].iter_rows(values_only=True)
        header = [_text(h).lower() for h in next(it, ())]
        while header and not header[-1]:
            header.pop()
        missing = [c for c in required if c not in header]
        unknown = [c for c in header if c not in required + optional]
        if missing:
            out.errors.append(f"{sheet}: missing column(s) {', '.join(missing)}")
        if unknown:
            out.errors.append(f"{sheet}: unknown column(s) {', '.join(unknown)}")
        if missing or unknown:
            rows[sheet] = []
            continue
        rows[sheet] = []
        for n, raw in enumerate(it, start=2):
            values = dict(zip(header, raw))
            if all(v in (None, "") for v in values.values()):
                continue
            rows[sheet].append((n, _clean(sheet, n, values, required, out.errors)))
    book.close()
    _agreements(rows["agreements"], out)
    _cases(rows["cases"], out)
    _decisions(rows["decisions"], out)
    return out


def _clean(sheet: str, n: int, values: dict, required: list[str], errors: list[str]) -> dict:
    row = {"_row": n}
    for column, value in values.items():
        where = f"{sheet} row {n}, column {column}"
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            if column in required:
                errors.append(f"{where}: empty")
            row[column] = None
            continue
        try:
            if column in DATES:
                row[column] = _date(value)
            elif column in AMOUNTS:
                row[column] = _amount(value, column)
            else:
                row[column] = _text(value)
        except (ValueError, TypeError, cr.CreditRuleError) as error:
            if isinstance(error, cr.CreditRuleError):
                reason = str(error).removeprefix(f"{column}: ").removeprefix(f"{column} ")
            else:
                reason = f"{_text(value)!r} is not a date (YYYY-MM-DD)"
            errors.append(f"{where}: {reason}")
            row[column] = None
    return row


def _agreements(rows, out: ParsedHistory) -> None:
    seen = set()
    for n, r in rows:
        where = f"agreements row {n}"
        if r.get("number") in seen:
            out.errors.append(f"{where}, column number: {r['number']} appears twice")
        seen.add(r.get("number"))
        if r.get("unit") and r["unit"].upper() not in {u.value for u in cr.Unit}:
            out.errors.append(f"{where}, column unit: {r['unit']!r} is not USD or TWD")
        if r.get("contractor_country") and len(r["contractor_country"]) != 2:
            out.errors.append(f"{where}, column contractor_country: give the two-letter ISO code")
        if r.get("obligation") is not None and r["obligation"] <= 0:
            out.errors.append(f"{where}, column obligation: must be above zero")
        share = r.get("defence_share_target")
        if share not in (None, "") and not (str(share).isdigit() and int(share) <= 100):
            out.errors.append(f"{where}, column defence_share_target: {share!r} is not a percentage 0–100")
        out.agreements.append(r)


def _cases(rows, out: ParsedHistory) -> None:
    by_number: dict[str, dict] = {}
    shared = ("agreement", "field", "recipients", "submitted_on", "title_en", "title_zh", "deadline")
    categories = {c.value for c in cr.Category}
    for n, r in rows:
        where = f"cases row {n}"
        if r.get("field") and r["field"].lower() not in FIELDS:
            out.errors.append(f"{where}, column field: {r['field']!r} is not defence or industry")
        if r.get("category") and r["category"] not in categories:
            out.errors.append(f"{where}, column category: {r['category']!r} is not one of {', '.join(sorted(categories))}")
        for column in ("value", "multiplier"):
            if r.get(column) is not None and r[column] <= 0:
                out.errors.append(f"{where}, column {column}: must be above zero")
        case = by_number.get(r.get("number"))
        line = {"category": r.get("category"), "value": r.get("value"), "multiplier": r.get("multiplier") or Decimal(1),
                "description": r.get("line_description") or "", "_row": n}
        if case is None:
            case = {k: r.get(k) for k in ("number",) + shared}
            case["_row"], case["lines"] = n, []
            by_number[r.get("number")] = case
            out.cases.append(case)
        else:
            for k in shared:
                if r.get(k) not in (None, case.get(k)):
                    out.errors.append(f"{where}, column {k}: differs from the case's first row ({case['_row']})")
        case["lines"].append(line)


def _decisions(rows, out: ParsedHistory) -> None:
    kinds = {k.value for k in cr.DecisionKind}
    for n, r in rows:
        where = f"decisions row {n}"
        if r.get("decision") and r["decision"] not in kinds:
            out.errors.append(f"{where}, column decision: {r['decision']!r} is not one of {', '.join(sorted(kinds))}")
        out.decisions.append(r)
