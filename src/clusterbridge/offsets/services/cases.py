"""Case plans (個案計畫) with their lines and the pre-approval checklist."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from .. import credits as cr
from ..models import Agreement, CaseLine, CasePlan, ChecklistItem, CheckRecord
from .refusals import refuse, save_checked


@transaction.atomic
def case_plan_create(*, agreement: Agreement, number: str, field: str, recipients: str, submitted_on: dt.date,
                     lines: list[dict], title_en: str = "", title_zh: str = "",
                     deadline: dt.date | None = None) -> CasePlan:
    """A case plan with its lines; claimed credits = Σ value × multiplier. All or nothing."""
    if not lines:
        refuse(f"case {number}: a case plan needs at least one cooperation line")
    if not (title_en or title_zh):
        refuse(f"case {number}: give a title (English or Chinese)")
    case = save_checked(CasePlan(agreement=agreement, number=number.strip(), field=field, recipients=recipients.strip(),
                          submitted_on=submitted_on, title_en=title_en, title_zh=title_zh, deadline=deadline,
                          unit=agreement.unit))
    total = Decimal("0.00")
    for n, line in enumerate(lines, 1):
        try:
            value = cr.points(line.get("value"), what=f"line {n} value")
            multiplier = cr.points(line.get("multiplier", "1"), what=f"line {n} multiplier")
            category = cr.Category(line.get("category")).value
        except (cr.CreditRuleError, ValueError) as error:
            refuse(f"case {number}, {error}")
        if value <= 0 or multiplier <= 0:
            refuse(f"case {number}, line {n}: value and multiplier must be above zero")
        credits = cr.line_credits(value, multiplier)
        save_checked(CaseLine(case=case, category=category, description=line.get("description", "")[:300], value=value,
                       multiplier=multiplier, credits=credits))
        total += credits
    case.claimed = total
    case.save(update_fields=["claimed"])
    return case


def case_check_record(*, case: CasePlan, item: str, passed: bool, evidence: str, by) -> CheckRecord:
    """Records one pre-approval check with its evidence (a document reference or note)."""
    if not evidence.strip():
        refuse(f"case {case.number}: the check '{ChecklistItem(item).label}' needs its evidence")
    record, _created = CheckRecord.objects.update_or_create(
        case=case, item=ChecklistItem(item).value,
        defaults={"passed": passed, "evidence": evidence.strip()[:300], "by": by})
    return record
