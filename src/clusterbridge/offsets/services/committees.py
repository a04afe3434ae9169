"""Sector subcommittees and promotion-group meetings (推動小組會議) with their decisions, checked
against the credit rules when recorded (against the case as the meeting's earlier decisions leave it)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from .. import credits as cr
from .. import review as rv
from ..models import CasePlan, Conflict, Decision, Expert, PromotionGroupMeeting, SubcommitteeReview, SubcommitteeSeat
from ..selectors import case_credits, checklist_problems
from .refusals import refuse, save_checked


def expert_create(*, name: str, affiliation: str = "", is_expert: bool = True, sectors: str = "") -> Expert:
    return save_checked(Expert(name=name, affiliation=affiliation, is_expert=is_expert, sectors=sectors))


def conflict_declare(*, expert: Expert, case: CasePlan, reason: str) -> Conflict:
    if SubcommitteeSeat.objects.filter(expert=expert, review__case=case,
                                       review__outcome=SubcommitteeReview.Outcome.PENDING).exists():
        refuse(f"{expert.name} sits on a pending review of case {case.number}; replace them there first")
    return save_checked(Conflict(expert=expert, case=case, reason=reason.strip() or "declared"))


@transaction.atomic
def subcommittee_review_create(*, case: CasePlan, sector: str, held_on: dt.date,
                               experts: list[Expert]) -> SubcommitteeReview:
    """A sector subcommittee of 5–7, experts more than half, nobody with a declared conflict."""
    conflicted = set(Conflict.objects.filter(case=case).values_list("expert_id", flat=True))
    if len({e.pk for e in experts}) != len(experts):
        refuse(f"case {case.number}: the same reviewer is named twice")
    problems = rv.subcommittee_problems([rv.Reviewer(e.name, e.is_expert, e.pk in conflicted) for e in experts])
    if problems:
        refuse(f"case {case.number}: " + "; ".join(problems))
    review = save_checked(SubcommitteeReview(case=case, sector=sector, held_on=held_on))
    SubcommitteeSeat.objects.bulk_create([SubcommitteeSeat(review=review, expert=e) for e in experts])
    return review


def subcommittee_outcome_set(*, review: SubcommitteeReview, outcome: str) -> SubcommitteeReview:
    review.outcome = SubcommitteeReview.Outcome(outcome).value
    review.save(update_fields=["outcome"])
    return review


def meeting_create(*, held_on: dt.date) -> PromotionGroupMeeting:
    if PromotionGroupMeeting.objects.filter(held_on=held_on).exists():
        refuse(f"a promotion group meeting on {held_on} is already recorded")
    return save_checked(PromotionGroupMeeting(held_on=held_on))


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
        refuse(f"the decisions of {meeting} are already in the credit database; record a new meeting")
    case = CasePlan.objects.select_for_update().get(pk=case.pk)
    try:
        kind = cr.DecisionKind(kind)
        value = cr.points(amount, what="amount") if amount not in (None, "") else None
    except (cr.CreditRuleError, ValueError) as error:
        refuse(f"case {case.number}: {error}")
    if kind is cr.DecisionKind.PRE_APPROVAL and not historical:
        problems = checklist_problems(case)
        if not case.reviews.filter(outcome__in=[SubcommitteeReview.Outcome.PASSED,
                                                SubcommitteeReview.Outcome.TO_GROUP]).exists():
            problems.append("no subcommittee has passed or forwarded it")
        if problems:
            refuse(f"case {case.number} cannot be pre-approved: " + "; ".join(problems))
    if kind is cr.DecisionKind.EXTENSION:
        if new_deadline is None:
            refuse(f"case {case.number}: an extension needs the new deadline")
        if case.deadline and new_deadline <= case.deadline:
            refuse(f"case {case.number}: the new deadline {new_deadline} is not after {case.deadline}")
    try:
        cr.decide(_projected(case, meeting), kind, value)
    except cr.CreditRuleError as error:
        refuse(f"case {case.number}: {error}")
    if meeting.decisions.filter(case=case, kind=kind.value).exists():
        refuse(f"case {case.number} already has a {kind.value.replace('_', ' ')} decision at {meeting}")
    return save_checked(Decision(meeting=meeting, case=case, kind=kind.value, amount=value, new_deadline=new_deadline,
                          note=note[:300], recorded_by=by))


def decision_delete(*, decision: Decision) -> None:
    if decision.applied:
        refuse("an applied decision has moved credits; correct it with a reversal")
    decision.delete()


def meeting_minutes_approve(*, meeting: PromotionGroupMeeting, on: dt.date) -> PromotionGroupMeeting:
    if on < meeting.held_on:
        refuse(f"the minutes of {meeting} cannot be approved before the meeting")
    meeting.minutes_approved_on = on
    meeting.save(update_fields=["minutes_approved_on"])
    return meeting
