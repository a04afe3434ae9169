"""Execution of a case: quarterly progress reports, checkpoints, site visits and feedback fees (回饋金)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction

from .. import credits as cr
from ..models import CasePlan, Checkpoint, FeedbackFee, FeedbackFeePayment, ProgressReport, SiteVisit
from .refusals import refuse, save_checked


def progress_report_file(*, case: CasePlan, year: int, quarter: int, percent_complete: int, text: str,
                         by) -> ProgressReport:
    from ..rules import can_file_progress

    case = CasePlan.objects.get(pk=case.pk)  # its status as the database has it now
    if not can_file_progress(by, case):
        raise PermissionDenied("contractors file reports on their own cases only")
    if case.status not in (cr.CaseStatus.PRE_APPROVED, cr.CaseStatus.IN_EXECUTION):
        refuse(f"case {case.number} is {case.get_status_display().lower()}; reports are for cases in execution")
    if not text.strip():
        refuse("the report is empty: say what was done this quarter")
    if not 1 <= quarter <= 4 or not 0 <= percent_complete <= 100:
        refuse("quarter must be 1–4 and completion 0–100 %")
    if ProgressReport.objects.filter(case=case, year=year, quarter=quarter).exists():
        refuse(f"case {case.number} already has a report for {year} Q{quarter}")
    return save_checked(ProgressReport(case=case, year=year, quarter=quarter, percent_complete=percent_complete,
                                text=text.strip(), filed_by=by))


def checkpoint_add(*, case: CasePlan, due_on: dt.date, description: str) -> Checkpoint:
    return save_checked(Checkpoint(case=case, due_on=due_on, description=description))


def checkpoint_done(*, checkpoint: Checkpoint, on: dt.date) -> Checkpoint:
    checkpoint.done_on = on
    checkpoint.save(update_fields=["done_on"])
    return checkpoint


def site_visit_record(*, case: CasePlan, visited_on: dt.date, recipient: str, notes: str, by) -> SiteVisit:
    return save_checked(SiteVisit(case=case, visited_on=visited_on, recipient=recipient, notes=notes, by=by))


def feedback_fee_commit(*, case: CasePlan, recipient: str, committed_twd, notarised_on=None) -> FeedbackFee:
    try:
        amount = cr.points(committed_twd, what="feedback fee")
    except cr.CreditRuleError as error:
        refuse(str(error))
    if amount <= 0:
        refuse("the feedback fee must be above zero")
    return save_checked(FeedbackFee(case=case, recipient=recipient, committed_twd=amount, notarised_on=notarised_on))


@transaction.atomic
def feedback_fee_pay(*, fee: FeedbackFee, paid_on: dt.date, amount_twd) -> FeedbackFeePayment:
    fee = FeedbackFee.objects.select_for_update().get(pk=fee.pk)
    try:
        amount = cr.points(amount_twd, what="payment")
    except cr.CreditRuleError as error:
        refuse(str(error))
    paid = sum((p.amount_twd for p in fee.payments.all()), Decimal(0))
    if amount <= 0 or paid + amount > fee.committed_twd:
        refuse(f"a payment of {amount:,} would exceed the commitment ({fee.committed_twd:,}, {paid:,} paid)")
    return save_checked(FeedbackFeePayment(fee=fee, paid_on=paid_on, amount_twd=amount))
