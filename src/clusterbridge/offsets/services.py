"""Every write of the ICP, one transaction each. Views, the import, the demo
and the tests all come through here; the rules themselves live in the pure
modules `credits` and `review`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import credits as cr
from . import review as rv
from .models import (Agreement, CaseLine, CasePlan, CheckRecord, ChecklistItem, Checkpoint, Conflict, Contractor,
                     CreditEntry, Decision, DemandCall, DemandItem, DemandItemEvent, DemandScore, Expert, FeedbackFee,
                     FeedbackFeePayment, PanelSeat, ProgressReport, PromotionGroupMeeting, SiteVisit,
                     SubcommitteeReview, SubcommitteeSeat)


class OffsetsError(ValidationError):
    """A write the programme's rules refuse; the message names what and where."""


def _refuse(message: str):
    raise OffsetsError(message)


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


# ------------------------------------------------------------ contractors and agreements

def contractor_create(*, name: str, country: str, name_zh: str = "", bad_record: bool = False) -> Contractor:
    return _save(Contractor(name=name.strip(), name_zh=name_zh.strip(), country=country.upper(),
                            bad_record=bad_record))


def agreement_create(*, number: str, contractor: Contractor, procuring_agency: str, obligation,
                     unit: str, signed_on: dt.date, purchase_en: str = "", purchase_zh: str = "",
                     defence_share_target: int = 50, briefing_held_on: dt.date | None = None,
                     planned_items: list[DemandItem] = ()) -> Agreement:
    try:
        amount = cr.points(obligation, what="obligation")
        unit = cr.Unit(unit).value
    except (cr.CreditRuleError, ValueError) as error:
        _refuse(f"agreement {number}: {error}")
    if amount <= 0:
        _refuse(f"agreement {number}: the obligation must be above zero")
    if not (purchase_en or purchase_zh):
        _refuse(f"agreement {number}: name the purchase case (English or Chinese)")
    with transaction.atomic():
        agreement = _save(Agreement(number=number.strip(), contractor=contractor, procuring_agency=procuring_agency,
                                    obligation=amount, unit=unit, signed_on=signed_on, purchase_en=purchase_en,
                                    purchase_zh=purchase_zh, defence_share_target=defence_share_target,
                                    briefing_held_on=briefing_held_on))
        if planned_items:
            agreement.planned_items.set(planned_items)
    return agreement


def agreement_briefing_record(*, agreement: Agreement, held_on: dt.date) -> Agreement:
    if held_on < agreement.signed_on:
        _refuse(f"agreement {agreement.number}: the briefing cannot precede the signing ({agreement.signed_on})")
    agreement.briefing_held_on = held_on
    agreement.save(update_fields=["briefing_held_on"])
    return agreement


# ------------------------------------------------------------ case plans

@transaction.atomic
def case_plan_create(*, agreement: Agreement, number: str, field: str, recipients: str, submitted_on: dt.date,
                     lines: list[dict], title_en: str = "", title_zh: str = "",
                     deadline: dt.date | None = None) -> CasePlan:
    """A case plan with its lines; claimed credits = Σ value × multiplier. All or nothing."""
    if not lines:
        _refuse(f"case {number}: a case plan needs at least one cooperation line")
    if not (title_en or title_zh):
        _refuse(f"case {number}: give a title (English or Chinese)")
    case = _save(CasePlan(agreement=agreement, number=number.strip(), field=field, recipients=recipients.strip(),
                          submitted_on=submitted_on, title_en=title_en, title_zh=title_zh, deadline=deadline,
                          unit=agreement.unit))
    total = Decimal("0.00")
    for n, line in enumerate(lines, 1):
        try:
            value = cr.points(line.get("value"), what=f"line {n} value")
            multiplier = cr.points(line.get("multiplier", "1"), what=f"line {n} multiplier")
            category = cr.Category(line.get("category")).value
        except (cr.CreditRuleError, ValueError) as error:
            _refuse(f"case {number}, {error}")
        if value <= 0 or multiplier <= 0:
            _refuse(f"case {number}, line {n}: value and multiplier must be above zero")
        credits = cr.line_credits(value, multiplier)
        _save(CaseLine(case=case, category=category, description=line.get("description", "")[:300], value=value,
                       multiplier=multiplier, credits=credits))
        total += credits
    case.claimed = total
    case.save(update_fields=["claimed"])
    return case


def case_check_record(*, case: CasePlan, item: str, passed: bool, evidence: str, by) -> CheckRecord:
    """Records one pre-approval check with its evidence (a document reference or note)."""
    if not evidence.strip():
        _refuse(f"case {case.number}: the check '{ChecklistItem(item).label}' needs its evidence")
    record, _created = CheckRecord.objects.update_or_create(
        case=case, item=ChecklistItem(item).value,
        defaults={"passed": passed, "evidence": evidence.strip()[:300], "by": by})
    return record


def checklist_problems(case: CasePlan) -> list[str]:
    """What still stands between the case and a pre-approval decision."""
    needed = {ChecklistItem.FORMAT, ChecklistItem.FEEDBACK_FEE, ChecklistItem.NO_BAD_RECORD,
              ChecklistItem.MATCHES_PLAN}
    if case.lines.filter(category=cr.Category.TECHNOLOGY_TRANSFER.value).exists():
        needed.add(ChecklistItem.EXPORT_CONTROL)
    records = {r.item: r for r in case.checks.all()}
    out = []
    for item in ChecklistItem:
        if item not in needed:
            continue
        record = records.get(item.value)
        if record is None:
            out.append(f"check not recorded: {item.label}")
        elif not record.passed:
            out.append(f"check failed: {item.label}")
    if case.agreement.contractor.bad_record:
        out.append("the contractor has a bad record")
    return out


def expert_create(*, name: str, affiliation: str = "", is_expert: bool = True, sectors: str = "") -> Expert:
    return _save(Expert(name=name, affiliation=affiliation, is_expert=is_expert, sectors=sectors))


def conflict_declare(*, expert: Expert, case: CasePlan, reason: str) -> Conflict:
    if SubcommitteeSeat.objects.filter(expert=expert, review__case=case,
                                       review__outcome=SubcommitteeReview.Outcome.PENDING).exists():
        _refuse(f"{expert.name} sits on a pending review of case {case.number}; replace them there first")
    return _save(Conflict(expert=expert, case=case, reason=reason.strip() or "declared"))


@transaction.atomic
def subcommittee_review_create(*, case: CasePlan, sector: str, held_on: dt.date,
                               experts: list[Expert]) -> SubcommitteeReview:
    """A sector subcommittee of 5–7, experts more than half, nobody with a declared conflict."""
    conflicted = set(Conflict.objects.filter(case=case).values_list("expert_id", flat=True))
    if len({e.pk for e in experts}) != len(experts):
        _refuse(f"case {case.number}: the same reviewer is named twice")
    problems = rv.subcommittee_problems([rv.Reviewer(e.name, e.is_expert, e.pk in conflicted) for e in experts])
    if problems:
        _refuse(f"case {case.number}: " + "; ".join(problems))
    review = _save(SubcommitteeReview(case=case, sector=sector, held_on=held_on))
    SubcommitteeSeat.objects.bulk_create([SubcommitteeSeat(review=review, expert=e) for e in experts])
    return review


def subcommittee_outcome_set(*, review: SubcommitteeReview, outcome: str) -> SubcommitteeReview:
    review.outcome = SubcommitteeReview.Outcome(outcome).value
    review.save(update_fields=["outcome"])
    return review


# ------------------------------------------------------------ promotion group and ledger

def meeting_create(*, held_on: dt.date) -> PromotionGroupMeeting:
    if PromotionGroupMeeting.objects.filter(held_on=held_on).exists():
        _refuse(f"a promotion group meeting on {held_on} is already recorded")
    return _save(PromotionGroupMeeting(held_on=held_on))


def case_credits(case: CasePlan) -> cr.CaseCredits:
    """The case's credits from its latest ledger entry (balances are carried on each entry)."""
    last = case.entries.order_by("-seq").first()
    zero = Decimal("0.00")
    return cr.CaseCredits(claimed=case.claimed, status=cr.CaseStatus(case.status),
                          pre_approved=last.pre_approved_after if last else zero,
                          approved=last.approved_after if last else zero,
                          retained=last.retained_after if last else zero)


def _projected(case: CasePlan, meeting: PromotionGroupMeeting) -> cr.CaseCredits:
    """The case as it will be once this meeting's decisions recorded so far are applied."""
    state = case_credits(case)
    for d in meeting.decisions.filter(case=case, applied=False).order_by("id"):
        outcome = cr.decide(state, cr.DecisionKind(d.kind), d.amount)
        state = cr.apply(state, outcome.moves)
        if outcome.status:
            state = cr.CaseCredits(state.claimed, state.pre_approved, state.approved, state.retained, outcome.status)
    return state


@transaction.atomic
def decision_record(*, meeting: PromotionGroupMeeting, case: CasePlan, kind: str, by, amount=None,
                    new_deadline: dt.date | None = None, note: str = "", historical: bool = False) -> Decision:
    """Records a decision of the meeting. The rules are checked now, against the case as the
    meeting's earlier decisions will leave it, so a refused decision is refused at the table;
    credits move when the decisions are applied after the minutes are approved.

    `historical` (the import of past records) skips the procedural checks of a pre-approval
    (checklist, subcommittee), whose papers predate the system; the credit rules still hold."""
    if meeting.database_updated_on:
        _refuse(f"the decisions of {meeting} are already in the credit database; record a new meeting")
    case = CasePlan.objects.select_for_update().get(pk=case.pk)
    try:
        kind = cr.DecisionKind(kind)
        value = cr.points(amount, what="amount") if amount not in (None, "") else None
    except (cr.CreditRuleError, ValueError) as error:
        _refuse(f"case {case.number}: {error}")
    if kind is cr.DecisionKind.PRE_APPROVAL and not historical:
        problems = checklist_problems(case)
        if not case.reviews.filter(outcome__in=[SubcommitteeReview.Outcome.PASSED,
                                                SubcommitteeReview.Outcome.TO_GROUP]).exists():
            problems.append("no subcommittee has passed or forwarded it")
        if problems:
            _refuse(f"case {case.number} cannot be pre-approved: " + "; ".join(problems))
    if kind is cr.DecisionKind.EXTENSION:
        if new_deadline is None:
            _refuse(f"case {case.number}: an extension needs the new deadline")
        if case.deadline and new_deadline <= case.deadline:
            _refuse(f"case {case.number}: the new deadline {new_deadline} is not after {case.deadline}")
    try:
        cr.decide(_projected(case, meeting), kind, value)
    except cr.CreditRuleError as error:
        _refuse(f"case {case.number}: {error}")
    if meeting.decisions.filter(case=case, kind=kind.value).exists():
        _refuse(f"case {case.number} already has a {kind.value.replace('_', ' ')} decision at {meeting}")
    return _save(Decision(meeting=meeting, case=case, kind=kind.value, amount=value, new_deadline=new_deadline,
                          note=note[:300], recorded_by=by))


def decision_delete(*, decision: Decision) -> None:
    if decision.applied:
        _refuse("an applied decision has moved credits; correct it with a reversal")
    decision.delete()


def meeting_minutes_approve(*, meeting: PromotionGroupMeeting, on: dt.date) -> PromotionGroupMeeting:
    if on < meeting.held_on:
        _refuse(f"the minutes of {meeting} cannot be approved before the meeting")
    meeting.minutes_approved_on = on
    meeting.save(update_fields=["minutes_approved_on"])
    return meeting


def _write(case: CasePlan, moves: list[cr.Movement], *, by, on: dt.date, decision: Decision | None = None,
           reverses: CreditEntry | None = None, reason: str = "") -> list[CreditEntry]:
    """Appends movements to a locked case's ledger; the check constraints are the last guard."""
    state = case_credits(case)
    new = cr.apply(state, moves)  # raises before anything is written
    entries = []
    for m in moves:
        state = state.after(m.bucket, m.sign * m.amount)
        case.ledger_seq += 1
        entry = CreditEntry(case=case, agreement_id=case.agreement_id, contractor_id=case.agreement.contractor_id,
                            seq=case.ledger_seq, kind=m.kind.value, bucket=m.bucket.value, amount=m.amount,
                            signed=m.sign * m.amount, unit=case.unit, pre_approved_after=state.pre_approved,
                            approved_after=state.approved, retained_after=state.retained, decision=decision,
                            reverses=reverses, reason=reason[:300], effective_on=on, recorded_by=by)
        entry.save()
        entries.append(entry)
    assert (state.pre_approved, state.approved, state.retained) == (new.pre_approved, new.approved, new.retained)
    case.save(update_fields=["ledger_seq"])
    return entries


@transaction.atomic
def meeting_decisions_apply(*, meeting: PromotionGroupMeeting, on: dt.date, by) -> int:
    """Writes the meeting's decisions to the credit database, all of them or none.

    Needs approved minutes; `on` is the update date (the programme's rule is
    within 5 days of the minutes' approval; later is allowed and shown as late).
    Returns the number of ledger entries written."""
    meeting = PromotionGroupMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_approved_on is None:
        _refuse(f"approve the minutes of {meeting} before updating the credit database")
    if meeting.database_updated_on:
        _refuse(f"the decisions of {meeting} are already in the credit database")
    if on < meeting.minutes_approved_on:
        _refuse(f"the credit database cannot be updated ({on}) before the minutes are approved "
                f"({meeting.minutes_approved_on})")
    written = 0
    decisions = list(meeting.decisions.filter(applied=False).select_related("case__agreement").order_by("id"))
    for case_id in sorted({d.case_id for d in decisions}):
        CasePlan.objects.select_for_update().filter(pk=case_id).first()
    for d in decisions:
        case = CasePlan.objects.select_related("agreement").get(pk=d.case_id)
        try:
            outcome = cr.decide(case_credits(case), cr.DecisionKind(d.kind), d.amount)
            written += len(_write(case, outcome.moves, by=by, on=on, decision=d))
        except cr.CreditRuleError as error:
            _refuse(f"case {case.number}, {d.get_kind_display()}: {error}")
        fields = []
        if outcome.status:
            case.status = outcome.status.value
            fields.append("status")
        if d.kind == cr.DecisionKind.EXTENSION and d.new_deadline:
            case.deadline = d.new_deadline
            fields.append("deadline")
        if fields:
            case.save(update_fields=fields)
        d.applied = True
        d.save(update_fields=["applied"])
    meeting.database_updated_on = on
    meeting.save(update_fields=["database_updated_on"])
    return written


@transaction.atomic
def credit_entry_reverse(*, entry: CreditEntry, reason: str, by, on: dt.date | None = None) -> CreditEntry:
    """Corrects a wrong entry by a reversing one (never an edit); refused if the balances would break."""
    if not reason.strip():
        _refuse("say why the entry is reversed")
    case = CasePlan.objects.select_for_update().select_related("agreement").get(pk=entry.case_id)
    entry = CreditEntry.objects.get(pk=entry.pk)
    if entry.kind == cr.EntryKind.REVERSED:
        _refuse("a reversal cannot be reversed; record the movement again instead")
    if CreditEntry.objects.filter(reverses=entry).exists():
        _refuse(f"entry {entry.seq} of case {case.number} is already reversed")
    original = cr.movement(cr.EntryKind(entry.kind), entry.amount)
    try:
        (written,) = _write(case, [cr.movement(cr.EntryKind.REVERSED, entry.amount, reverses=original)], by=by,
                            on=on or timezone.localdate(), reverses=entry, reason=reason.strip())
    except cr.CreditRuleError as error:
        _refuse(f"case {case.number}: reversing entry {entry.seq} is refused: {error}")
    return written


# ------------------------------------------------------------ demand items

def demand_call_open(*, year: int, quarter: int) -> DemandCall:
    if not 1 <= quarter <= 4:
        _refuse(f"quarter {quarter} is not 1–4")
    call, _created = DemandCall.objects.get_or_create(year=year, quarter=quarter)
    return call


def _next_call(call: DemandCall) -> DemandCall:
    year, quarter = (call.year, call.quarter + 1) if call.quarter < 4 else (call.year + 1, 1)
    return demand_call_open(year=year, quarter=quarter)


def panel_seat_assign(*, call: DemandCall, reviewer, affiliation: str) -> PanelSeat:
    if call.review_closed_at:
        _refuse(f"the review of {call} is closed")
    affiliation = rv.Affiliation(affiliation).value
    wanted = rv.PANEL_COMPOSITION[rv.Affiliation(affiliation)]
    if call.seats.filter(affiliation=affiliation).count() >= wanted:
        _refuse(f"the {call} panel already has its {wanted} from {affiliation.replace('_', ' ')}")
    try:
        with transaction.atomic():
            return _save(PanelSeat(call=call, reviewer=reviewer, affiliation=affiliation))
    except (IntegrityError, ValidationError):
        _refuse(f"{reviewer} already sits on the {call} panel")


def panel_problems(call: DemandCall) -> list[str]:
    return rv.panel_problems(list(call.seats.values_list("affiliation", flat=True)))


@transaction.atomic
def demand_item_submit(*, call: DemandCall, number: str, proposer_name: str, proposer_kind: str, basis: str,
                       field: str, title_en: str = "", title_zh: str = "", description_en: str = "",
                       description_zh: str = "", sector: str = "", benefits: list[str] = (), by=None) -> DemandItem:
    if call.review_closed_at:
        _refuse(f"the review of {call} is closed; submit to the next quarter")
    if not (title_en.strip() or title_zh.strip()):
        _refuse(f"demand item {number}: give a title (English or Chinese)")
    unknown = [b for b in benefits if b not in BENEFITS]
    if unknown:
        _refuse(f"demand item {number}: unknown benefit {', '.join(unknown)}")
    item = _save(DemandItem(call=call, first_call=call, number=number, proposer_name=proposer_name,
                            proposer_kind=proposer_kind, basis=basis, field=field, title_en=title_en,
                            title_zh=title_zh, description_en=description_en, description_zh=description_zh,
                            sector=sector, benefits=list(benefits)))
    DemandItemEvent.objects.create(item=item, by=by, what="submitted", to_call=call)
    return item


BENEFITS = ["technology_transfer", "joint_rd_centre", "investment", "training", "international_marketing",
            "domestic_procurement"]


def demand_score_record(*, item: DemandItem, reviewer, score, comment: str = "") -> DemandScore:
    """A panellist's score for an item of their quarter's call; they may revise it until the review closes."""
    item = DemandItem.objects.select_related("call").get(pk=item.pk)  # the caller's copy may predate a carry-over
    call = item.call
    if call.review_closed_at:
        _refuse(f"the review of {call} is closed")
    if not call.seats.filter(reviewer=reviewer).exists():
        raise PermissionDenied(f"{reviewer} is not on the {call} panel")
    if item.status != DemandItem.Status.IN_REVIEW:
        _refuse(f"demand item {item.number} is not in review")
    problems = panel_problems(call)
    if problems:
        _refuse(f"the {call} panel is not complete: " + "; ".join(problems))
    try:
        value = rv.score_value(score)
    except rv.ReviewRuleError as error:
        _refuse(f"demand item {item.number}: {error}")
    record, _created = DemandScore.objects.update_or_create(item=item, call=call, reviewer=reviewer,
                                                            defaults={"score": value, "comment": comment})
    return record


@transaction.atomic
def demand_review_close(*, call: DemandCall, by, reserved: list[DemandItem] = (),
                        withdrawn: dict[int, str] | None = None) -> dict[str, int]:
    """Closes a quarter's first review: each item is classed from its 7 scores, reserved
    to the next quarter (carried over explicitly, with its history) or withdrawn.
    Nothing changes unless every item can be settled."""
    call = DemandCall.objects.select_for_update().get(pk=call.pk)
    if call.review_closed_at:
        _refuse(f"the review of {call} is already closed")
    problems = panel_problems(call)
    if problems:
        _refuse(f"the {call} panel is not complete: " + "; ".join(problems))
    withdrawn = withdrawn or {}
    reserved_ids = {i.pk for i in reserved}
    counts = {"priority": 0, "general": 0, "excluded": 0, "reserved": 0, "withdrawn": 0}
    missing = []
    nxt = None
    for item in call.items.filter(status=DemandItem.Status.IN_REVIEW).order_by("number"):
        if item.pk in withdrawn:
            item.status = DemandItem.Status.WITHDRAWN
            item.save(update_fields=["status"])
            DemandItemEvent.objects.create(item=item, by=by, what="withdrawn", from_call=call, note=withdrawn[item.pk])
            counts["withdrawn"] += 1
            continue
        if item.pk in reserved_ids:
            nxt = nxt or _next_call(call)
            item.call = nxt
            item.save(update_fields=["call"])
            DemandItemEvent.objects.create(item=item, by=by, what="reserved", from_call=call, to_call=nxt,
                                           note=f"reserved in {call}, carried over to {nxt}")
            counts["reserved"] += 1
            continue
        scores = list(item.scores.filter(call=call).values_list("score", flat=True))
        if len(scores) != rv.PANEL_SIZE:
            missing.append(f"{item.number} has {len(scores)} of {rv.PANEL_SIZE} scores")
            continue
        item.score = rv.item_score(scores)
        item.item_class = rv.item_class(item.score).value
        item.status = (DemandItem.Status.EXCLUDED if item.item_class == rv.ItemClass.EXCLUDED
                       else DemandItem.Status.CLASSED)
        item.save(update_fields=["score", "item_class", "status"])
        DemandItemEvent.objects.create(item=item, by=by, what="classed", from_call=call,
                                       note=f"score {item.score}: {item.item_class}")
        counts[item.item_class] += 1
    if missing:
        _refuse(f"the review of {call} cannot close: " + "; ".join(missing)
                + " (reserve or withdraw an item to settle it otherwise)")
    call.review_closed_at = timezone.now()
    call.save(update_fields=["review_closed_at"])
    return counts


@transaction.atomic
def demand_item_decide(*, item: DemandItem, meeting: PromotionGroupMeeting, approve: bool, by) -> DemandItem:
    """The promotion group's second review: approved items enter the database and the published list."""
    item = DemandItem.objects.select_for_update().get(pk=item.pk)
    if item.status != DemandItem.Status.CLASSED:
        _refuse(f"demand item {item.number} is {item.get_status_display().lower()}; only a classed item "
                "goes to the promotion group")
    item.status = DemandItem.Status.APPROVED if approve else DemandItem.Status.REJECTED
    item.decided_at = meeting
    item.save(update_fields=["status", "decided_at"])
    DemandItemEvent.objects.create(item=item, by=by, what="approved" if approve else "rejected",
                                   note=f"promotion group {meeting}")
    return item


# ------------------------------------------------------------ progress

def progress_report_file(*, case: CasePlan, year: int, quarter: int, percent_complete: int, text: str,
                         by) -> ProgressReport:
    from .selectors import user_may_see_case

    case = CasePlan.objects.get(pk=case.pk)  # its status as the database has it now
    if not user_may_see_case(by, case):
        raise PermissionDenied("contractors file reports on their own cases only")
    if case.status not in (cr.CaseStatus.PRE_APPROVED, cr.CaseStatus.IN_EXECUTION):
        _refuse(f"case {case.number} is {case.get_status_display().lower()}; reports are for cases in execution")
    if not text.strip():
        _refuse("the report is empty: say what was done this quarter")
    if not 1 <= quarter <= 4 or not 0 <= percent_complete <= 100:
        _refuse("quarter must be 1–4 and completion 0–100 %")
    if ProgressReport.objects.filter(case=case, year=year, quarter=quarter).exists():
        _refuse(f"case {case.number} already has a report for {year} Q{quarter}")
    return _save(ProgressReport(case=case, year=year, quarter=quarter, percent_complete=percent_complete,
                                text=text.strip(), filed_by=by))


def checkpoint_add(*, case: CasePlan, due_on: dt.date, description: str) -> Checkpoint:
    return _save(Checkpoint(case=case, due_on=due_on, description=description))


def checkpoint_done(*, checkpoint: Checkpoint, on: dt.date) -> Checkpoint:
    checkpoint.done_on = on
    checkpoint.save(update_fields=["done_on"])
    return checkpoint


def site_visit_record(*, case: CasePlan, visited_on: dt.date, recipient: str, notes: str, by) -> SiteVisit:
    return _save(SiteVisit(case=case, visited_on=visited_on, recipient=recipient, notes=notes, by=by))


def feedback_fee_commit(*, case: CasePlan, recipient: str, committed_twd, notarised_on=None) -> FeedbackFee:
    try:
        amount = cr.points(committed_twd, what="feedback fee")
    except cr.CreditRuleError as error:
        _refuse(str(error))
    if amount <= 0:
        _refuse("the feedback fee must be above zero")
    return _save(FeedbackFee(case=case, recipient=recipient, committed_twd=amount, notarised_on=notarised_on))


@transaction.atomic
def feedback_fee_pay(*, fee: FeedbackFee, paid_on: dt.date, amount_twd) -> FeedbackFeePayment:
    fee = FeedbackFee.objects.select_for_update().get(pk=fee.pk)
    try:
        amount = cr.points(amount_twd, what="payment")
    except cr.CreditRuleError as error:
        _refuse(str(error))
    paid = sum((p.amount_twd for p in fee.payments.all()), Decimal(0))
    if amount <= 0 or paid + amount > fee.committed_twd:
        _refuse(f"a payment of {amount:,} would exceed the commitment ({fee.committed_twd:,}, {paid:,} paid)")
    return _save(FeedbackFeePayment(fee=fee, paid_on=paid_on, amount_twd=amount))


# ------------------------------------------------------------ historical records

@dataclass
class HistoryResult:
    counts: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class _Rollback(Exception):
    pass


def history_import(*, data: bytes, by, dry_run: bool = False, progress=None) -> HistoryResult:
    """Imports past agreements, case plans and promotion-group decisions from a workbook
    (`offsets.exchange`). All or nothing: any row-level error, or any decision the credit
    rules refuse, leaves the database as it was and is reported with its sheet and row.
    A dry run does the whole import and rolls it back, so it finds every refusal too."""
    from .exchange import parse_history

    parsed = parse_history(data)
    result = HistoryResult(dry_run=dry_run, errors=list(parsed.errors))
    numbers = {a["number"] for a in parsed.agreements}
    known = set(Agreement.objects.filter(number__in=numbers).values_list("number", flat=True))
    for a in parsed.agreements:
        if a["number"] in known:
            result.errors.append(f"agreements row {a['_row']}, column number: {a['number']} is already recorded")
    in_file = numbers | set(Agreement.objects.filter(
        number__in={c["agreement"] for c in parsed.cases}).values_list("number", flat=True))
    for c in parsed.cases:
        if c["agreement"] and c["agreement"] not in in_file:
            result.errors.append(f"cases row {c['_row']}, column agreement: no agreement {c['agreement']} "
                                 "in the file or the database")
    existing_cases = set(CasePlan.objects.filter(number__in={c["number"] for c in parsed.cases})
                         .values_list("number", flat=True))
    for c in parsed.cases:
        if c["number"] in existing_cases:
            result.errors.append(f"cases row {c['_row']}, column number: {c['number']} is already recorded")
    case_numbers = {c["number"] for c in parsed.cases}
    case_numbers |= set(CasePlan.objects.filter(number__in={d["case"] for d in parsed.decisions})
                        .values_list("number", flat=True))
    for d in parsed.decisions:
        if d["case"] and d["case"] not in case_numbers:
            result.errors.append(f"decisions row {d['_row']}, column case: no case {d['case']} in the file "
                                 "or the database")
    if result.errors:
        return result
    total, done = parsed.rows, 0

    def step():
        nonlocal done
        done += 1
        if progress and (done % 200 == 0 or done == total):
            progress(done, total)

    try:
        with transaction.atomic():
            contractors = {c.name: c for c in Contractor.objects.all()}
            agreements = {}
            for a in parsed.agreements:
                where = f"agreements row {a['_row']}"
                contractor = contractors.get(a["contractor"])
                if contractor is None:
                    contractor = contractors[a["contractor"]] = contractor_create(
                        name=a["contractor"], country=a["contractor_country"])
                agreements[a["number"]] = _row(where, agreement_create, number=a["number"], contractor=contractor,
                                               procuring_agency=a["procuring_agency"], obligation=a["obligation"],
                                               unit=a["unit"].upper(), signed_on=a["signed_on"],
                                               purchase_en=a.get("purchase_en") or "",
                                               purchase_zh=a.get("purchase_zh") or "",
                                               briefing_held_on=a.get("briefing_held_on"),
                                               defence_share_target=int(a.get("defence_share_target") or 50))
                step()
            missing = {c["agreement"] for c in parsed.cases} - set(agreements)
            agreements.update({a.number: a for a in Agreement.objects.filter(number__in=missing)})
            cases = {}
            for c in parsed.cases:
                cases[c["number"]] = _row(
                    f"cases row {c['_row']}", case_plan_create, agreement=agreements[c["agreement"]],
                    number=c["number"], field=c["field"].lower(), recipients=c["recipients"],
                    submitted_on=c["submitted_on"], title_en=c.get("title_en") or "", title_zh=c.get("title_zh") or "",
                    deadline=c.get("deadline"), lines=[{k: v for k, v in line.items() if k != "_row"}
                                                       for line in c["lines"]])
                step()
            missing = {d["case"] for d in parsed.decisions} - set(cases)
            cases.update({c.number: c for c in CasePlan.objects.filter(number__in=missing)})
            by_meeting: dict[dt.date, list[dict]] = {}
            for d in parsed.decisions:
                by_meeting.setdefault(d["meeting"], []).append(d)
            for day in sorted(by_meeting):
                rows = by_meeting[day]
                meeting = PromotionGroupMeeting.objects.filter(held_on=day).first() or meeting_create(held_on=day)
                for d in rows:
                    _row(f"decisions row {d['_row']}", decision_record, meeting=meeting, case=cases[d["case"]],
                         kind=d["decision"], amount=d.get("amount"), new_deadline=d.get("new_deadline"),
                         note=d.get("note") or "", by=by, historical=True)
                    step()
                minutes = next((d["minutes_approved_on"] for d in rows if d.get("minutes_approved_on")), day)
                updated = next((d["database_updated_on"] for d in rows if d.get("database_updated_on")), minutes)
                where = f"decisions row {rows[0]['_row']}"
                if meeting.minutes_approved_on is None:
                    _row(where, meeting_minutes_approve, meeting=meeting, on=minutes)
                _row(where, meeting_decisions_apply, meeting=meeting, on=updated, by=by)
            result.counts = {"agreements": len(parsed.agreements), "cases": len(parsed.cases),
                             "decisions": len(parsed.decisions), "meetings": len(by_meeting)}
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    except OffsetsError as error:
        result.errors.append(" ".join(error.messages))
        result.counts = {}
    return result


def _row(where: str, service, **kwargs):
    try:
        with transaction.atomic():
            return service(**kwargs)
    except ValidationError as error:
        messages = error.messages if hasattr(error, "messages") else [str(error)]
        raise OffsetsError(f"{where}: {' '.join(messages)}") from None


def history_progress_key(job_id: int) -> str:
    return f"clusterbridge:icp-history:{job_id}:progress"


def history_import_create(*, data: bytes, filename: str, dry_run: bool, by):
    """Stores the upload and queues its import once this transaction commits."""
    from .models import HistoryImport
    from .tasks import history_import_run

    with transaction.atomic():
        job = HistoryImport.objects.create(data=data, filename=filename[:255], dry_run=dry_run, created_by=by)
        transaction.on_commit(lambda: history_import_run.enqueue(job_id=job.id))
    return job


def history_import_run(*, job_id: int):
    from django.core.cache import cache

    from .models import HistoryImport

    job = HistoryImport.objects.get(id=job_id)
    if job.status != HistoryImport.Status.QUEUED:
        return job
    HistoryImport.objects.filter(id=job.id).update(status=HistoryImport.Status.RUNNING)
    try:
        result = history_import(data=bytes(job.data), by=job.created_by, dry_run=job.dry_run,
                                progress=lambda done, total: cache.set(history_progress_key(job.id), (done, total), 3600))
    except Exception as exc:  # a bug must not leave the job "running" for ever
        HistoryImport.objects.filter(id=job.id).update(status=HistoryImport.Status.FAILED,
                                                       errors=[f"internal error: {type(exc).__name__}"])
        raise
    HistoryImport.objects.filter(id=job.id).update(
        status=HistoryImport.Status.DONE if result.ok else HistoryImport.Status.FAILED, counts=result.counts,
        errors=result.errors[:1000], data=b"")
    job.refresh_from_db()
    return job
