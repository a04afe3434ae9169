"""Execution of a case: quarterly progress reports, checkpoints, site visits and feedback fees (回饋金)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

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


def checkpoint_add(*, case: CasePlan, due_on: dt.date, description: str, by) -> Checkpoint:
    """Officers set a case's checkpoints; the contractor's people may add ones still ahead of them."""
    from clusterbridge.accounts.rules import is_officer

    from ..rules import can_file_progress

    if not can_file_progress(by, case):
        raise PermissionDenied("contractors add checkpoints to their own cases only")
    if not description.strip():
        refuse("say what is due at the checkpoint")
    if due_on < case.submitted_on:
        refuse(f"the checkpoint is due before the case plan was submitted ({case.submitted_on:%Y-%m-%d})")
    if not is_officer(by) and due_on < timezone.localdate():
        refuse("a checkpoint added by the contractor must be due today or later; ask an officer to record past ones")
    return save_checked(Checkpoint(case=case, due_on=due_on, description=description.strip(), added_by=by,
                                   added_at=timezone.now()))


@transaction.atomic
def checkpoint_done(*, checkpoint: Checkpoint, on: dt.date, by) -> Checkpoint:
    """The contractor reports a checkpoint done; when an officer records it, it is verified at once."""
    from clusterbridge.accounts.rules import is_officer

    from ..rules import can_file_progress

    checkpoint = Checkpoint.objects.select_for_update().select_related("case").get(pk=checkpoint.pk)
    officer = is_officer(by)
    if not can_file_progress(by, checkpoint.case):
        raise PermissionDenied("contractors report checkpoints of their own cases only")
    if checkpoint.verified_at is not None:
        refuse("an officer has verified this checkpoint; it can no longer be changed")
    today = timezone.localdate()
    earliest = checkpoint.case.submitted_on
    if not officer and checkpoint.added_at is not None:
        earliest = max(earliest, timezone.localtime(checkpoint.added_at).date())
    if on > today:
        refuse(f"the checkpoint cannot be done on {on:%Y-%m-%d}, a day still to come")
    if on < earliest:
        refuse(f"the checkpoint cannot have been done on {on:%Y-%m-%d}, before {earliest:%Y-%m-%d}"
               + ("" if officer else ", when it was set"))
    now = timezone.now()
    checkpoint.done_on, checkpoint.done_reported_by, checkpoint.done_reported_at = on, by, now
    checkpoint.verified_by, checkpoint.verified_at = (by, now) if officer else (None, None)
    checkpoint.save(update_fields=["done_on", "done_reported_by", "done_reported_at", "verified_by", "verified_at"])
    return checkpoint


@transaction.atomic
def checkpoint_verify(*, checkpoint: Checkpoint, by, accept: bool) -> Checkpoint:
    """An officer confirms a reported checkpoint, or sends it back to open (the report is then cleared)."""
    from clusterbridge.accounts.rules import is_officer

    if not is_officer(by):
        raise PermissionDenied("only officers verify checkpoints")
    checkpoint = Checkpoint.objects.select_for_update().get(pk=checkpoint.pk)
    if checkpoint.done_on is None:
        refuse("nothing to verify: the checkpoint has not been reported done")
    if accept:
        checkpoint.verified_by, checkpoint.verified_at = by, timezone.now()
    else:
        checkpoint.done_on = checkpoint.done_reported_by = checkpoint.done_reported_at = None
        checkpoint.verified_by = checkpoint.verified_at = None
    checkpoint.save(update_fields=["done_on", "done_reported_by", "done_reported_at", "verified_by", "verified_at"])
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
