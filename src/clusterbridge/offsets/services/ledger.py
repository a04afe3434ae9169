"""The credit ledger (額度帳): the one write path for every entry, applying a meeting's decisions
after its minutes are approved, and reversals (the only correction)."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import transaction
from django.utils import timezone

from .. import chain
from .. import credits as cr
from ..models import CasePlan, CreditEntry, Decision, PromotionGroupMeeting
from ..selectors import case_credits
from .refusals import refuse


def ledger_key() -> bytes:
    """The ledger's HMAC key: LEDGER_KEY, else derived from SECRET_KEY (keep it when you change that)."""
    from django.conf import settings

    return settings.LEDGER_KEY.encode() if settings.LEDGER_KEY else hashlib.sha256(
        b"clusterbridge-ledger\x1f" + settings.SECRET_KEY.encode()).digest()


def ledger_write(case: CasePlan, moves: list[cr.Movement], *, by, on: dt.date, decision: Decision | None = None,
           reverses: CreditEntry | None = None, reason: str = "") -> list[CreditEntry]:
    """Appends movements to a locked case's ledger; the check constraints are the last guard."""
    state = case_credits(case)
    new = cr.apply(state, moves)  # raises before anything is written
    previous = (CreditEntry.objects.filter(case=case, seq=case.ledger_seq).values_list("chain", flat=True).first()
                if case.ledger_seq else "") or ""
    key = ledger_key()
    entries = []
    for m in moves:
        state = state.after(m.bucket, m.sign * m.amount)
        case.ledger_seq += 1
        entry = CreditEntry(case=case, agreement_id=case.agreement_id, contractor_id=case.agreement.contractor_id,
                            seq=case.ledger_seq, kind=m.kind.value, bucket=m.bucket.value, amount=m.amount,
                            signed=m.sign * m.amount, unit=case.unit, pre_approved_after=state.pre_approved,
                            approved_after=state.approved, retained_after=state.retained, decision=decision,
                            reverses=reverses, reason=reason[:300], effective_on=on, recorded_by=by)
        entry.chain = previous = chain.link(key, previous, {f: getattr(entry, f) for f in chain.FIELDS})
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
        refuse(f"approve the minutes of {meeting} before updating the credit database")
    if meeting.database_updated_on:
        refuse(f"the decisions of {meeting} are already in the credit database")
    if on < meeting.minutes_approved_on:
        refuse(f"the credit database cannot be updated ({on}) before the minutes are approved "
                f"({meeting.minutes_approved_on})")
    written = 0
    decisions = list(meeting.decisions.filter(applied=False).select_related("case__agreement").order_by("id"))
    for case_id in sorted({d.case_id for d in decisions}):
        CasePlan.objects.select_for_update().filter(pk=case_id).first()
    for d in decisions:
        case = CasePlan.objects.select_related("agreement").get(pk=d.case_id)
        try:
            outcome = cr.decide(case_credits(case), cr.DecisionKind(d.kind), d.amount)
            written += len(ledger_write(case, outcome.moves, by=by, on=on, decision=d))
        except cr.CreditRuleError as error:
            refuse(f"case {case.number}, {d.get_kind_display()}: {error}")
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
        refuse("say why the entry is reversed")
    case = CasePlan.objects.select_for_update().select_related("agreement").get(pk=entry.case_id)
    entry = CreditEntry.objects.get(pk=entry.pk)
    if entry.kind == cr.EntryKind.REVERSED:
        refuse("a reversal cannot be reversed; record the movement again instead")
    if CreditEntry.objects.filter(reverses=entry).exists():
        refuse(f"entry {entry.seq} of case {case.number} is already reversed")
    original = cr.movement(cr.EntryKind(entry.kind), entry.amount)
    try:
        (written,) = ledger_write(case, [cr.movement(cr.EntryKind.REVERSED, entry.amount, reverses=original)], by=by,
                            on=on or timezone.localdate(), reverses=entry, reason=reason.strip())
    except cr.CreditRuleError as error:
        refuse(f"case {case.number}: reversing entry {entry.seq} is refused: {error}")
    return written
