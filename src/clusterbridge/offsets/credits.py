"""Credit arithmetic of the Industrial Cooperation Programme (工業合作計畫).

Plain Python, no Django: what each promotion-group decision does to a case's
credits, and the balances that follow from a list of ledger entries. The
Django layer stores the entries and holds the same invariants with database
constraints; this module is where the rules are written once.

Amounts are `Decimal` with two places, in one unit per agreement (USD points
or TWD points): a float or a mixed unit is refused, never rounded away.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

CENT = Decimal("0.01")
MAX_POINTS = Decimal("9999999999999.99")  # what the database column holds


class Unit(StrEnum):
    USD = "USD"
    TWD = "TWD"


class Category(StrEnum):
    """The eight cooperation categories, in programme-facts order."""

    DOMESTIC_INVESTMENT = "domestic_investment"
    TECHNOLOGY_TRANSFER = "technology_transfer"
    DOMESTIC_PROCUREMENT = "domestic_procurement"
    RESEARCH_AND_DEVELOPMENT = "research_and_development"
    TRAINING = "training"
    INTERNATIONAL_MARKETING = "international_marketing"
    INTERNATIONAL_CERTIFICATION = "international_certification"
    JOINT_CONTRACTING = "joint_contracting"


class EntryKind(StrEnum):
    PRE_APPROVED = "pre_approved"   # 預核: credits promised for a case plan
    APPROVED = "approved"           # 實核: credits earned, counted against the obligation
    RETAINED = "retained"           # 保留: earned credits kept for the contractor's later agreements
    RELEASED = "released"           # a pre-approval that will not be earned (approved, closed, withdrawn)
    REVERSED = "reversed"           # correction: undoes one earlier entry


class Bucket(StrEnum):
    PRE_APPROVED = "pre_approved"
    APPROVED = "approved"
    RETAINED = "retained"


# Which balance each kind of entry moves, and which way.
EFFECT: dict[EntryKind, tuple[Bucket, int]] = {
    EntryKind.PRE_APPROVED: (Bucket.PRE_APPROVED, +1),
    EntryKind.APPROVED: (Bucket.APPROVED, +1),
    EntryKind.RETAINED: (Bucket.RETAINED, +1),
    EntryKind.RELEASED: (Bucket.PRE_APPROVED, -1),
}


class DecisionKind(StrEnum):
    """The promotion group's decisions on a case (programme-facts order)."""

    PRE_APPROVAL = "pre_approval"
    PRE_APPROVAL_REJECTED = "pre_approval_rejected"
    ACTUAL_APPROVAL = "actual_approval"
    FOR_THE_RECORD = "for_the_record"
    CLOSURE = "closure"
    CLOSURE_WITH_RETENTION = "closure_with_retention"
    CREDIT_RETENTION = "credit_retention"
    EXTENSION = "extension"
    WITHDRAWAL = "withdrawal"


NEEDS_AMOUNT = {DecisionKind.PRE_APPROVAL, DecisionKind.ACTUAL_APPROVAL, DecisionKind.CLOSURE_WITH_RETENTION,
                DecisionKind.CREDIT_RETENTION}


class CaseStatus(StrEnum):
    SUBMITTED = "submitted"
    PRE_APPROVED = "pre_approved"
    REJECTED = "rejected"
    IN_EXECUTION = "in_execution"   # at least partly approved, not closed
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


OPEN = {CaseStatus.SUBMITTED, CaseStatus.PRE_APPROVED, CaseStatus.IN_EXECUTION}


class CreditRuleError(ValueError):
    """A decision or entry the rules refuse; the message says why, for the officer."""


def points(value, *, what: str = "amount") -> Decimal:
    """A points amount from user or file input: Decimal, two places, never a float."""
    if isinstance(value, float):
        raise CreditRuleError(f"{what}: a float cannot carry points exactly; give a string or Decimal")
    if isinstance(value, str):
        value = value.strip().replace(",", "").replace("_", "")
        if not value:
            raise CreditRuleError(f"{what} is empty")
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise CreditRuleError(f"{what}: {value!r} is not a number") from None
    if not amount.is_finite():
        raise CreditRuleError(f"{what}: {value!r} is not a number")
    if abs(amount) > MAX_POINTS:  # before quantize, which cannot hold 1e400 to the cent
        raise CreditRuleError(f"{what}: {value} is larger than {MAX_POINTS:,}")
    if amount != amount.quantize(CENT):
        raise CreditRuleError(f"{what}: {value} has more than two decimal places")
    return amount.quantize(CENT)


def line_credits(value: Decimal, multiplier: Decimal) -> Decimal:
    """Credits claimed by one case-plan line: value × multiplier (乘數), to the cent, half up."""
    return (value * multiplier).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CaseCredits:
    """A case's credits as its ledger entries leave them."""

    claimed: Decimal
    pre_approved: Decimal = Decimal("0.00")
    approved: Decimal = Decimal("0.00")
    retained: Decimal = Decimal("0.00")
    status: CaseStatus = CaseStatus.SUBMITTED

    def after(self, bucket: Bucket, delta: Decimal) -> CaseCredits:
        return replace(self, **{bucket.value: getattr(self, bucket.value) + delta})

    def problems(self) -> list[str]:
        """Broken invariants, in words (an empty list when the case is sound)."""
        out = []
        for bucket in Bucket:
            if getattr(self, bucket.value) < 0:
                out.append(f"{bucket.value.replace('_', '-')} credits would fall below zero")
        if self.approved > self.claimed:
            out.append(f"approved credits ({self.approved:,}) would exceed the {self.claimed:,} claimed")
        if self.pre_approved + self.approved > self.claimed:
            out.append(f"pre-approved and approved credits ({self.pre_approved + self.approved:,}) "
                       f"would exceed the {self.claimed:,} claimed")
        if self.retained > self.approved:
            out.append(f"retained credits ({self.retained:,}) would exceed the {self.approved:,} approved")
        return out


@dataclass(frozen=True)
class Movement:
    kind: EntryKind
    amount: Decimal
    bucket: Bucket
    sign: int


def movement(kind: EntryKind, amount: Decimal, *, reverses: Movement | None = None) -> Movement:
    if amount <= 0:
        raise CreditRuleError("a ledger entry's amount must be above zero")
    if kind is EntryKind.REVERSED:
        if reverses is None:
            raise CreditRuleError("a reversal must name the entry it reverses")
        if reverses.kind is EntryKind.REVERSED:
            raise CreditRuleError("a reversal cannot itself be reversed; record the entry again instead")
        return Movement(kind, amount, reverses.bucket, -reverses.sign)
    bucket, sign = EFFECT[kind]
    return Movement(kind, amount, bucket, sign)


def apply(case: CaseCredits, moves: list[Movement]) -> CaseCredits:
    """The case after the movements, or CreditRuleError naming the broken invariant."""
    for m in moves:
        case = case.after(m.bucket, m.sign * m.amount)
    problems = case.problems()
    if problems:
        raise CreditRuleError("; ".join(problems))
    return case


@dataclass(frozen=True)
class DecisionOutcome:
    moves: list[Movement] = field(default_factory=list)
    status: CaseStatus | None = None


def decide(case: CaseCredits, kind: DecisionKind, amount: Decimal | None = None) -> DecisionOutcome:
    """What a promotion-group decision writes to the ledger and does to the case's status.

    Refuses (CreditRuleError, with the reason) a decision the case's state does
    not allow, an amount that is missing or not needed, a pre-approval or
    approval above what the case plan claims, a retention above the approved
    credits, and anything that would drive a balance below zero.
    """
    kind = DecisionKind(kind)
    if kind in NEEDS_AMOUNT:
        if amount is None or amount <= 0:
            raise CreditRuleError(f"a {kind.value.replace('_', ' ')} decision needs an amount above zero")
    elif amount:
        raise CreditRuleError(f"a {kind.value.replace('_', ' ')} decision takes no amount")
    if case.status not in OPEN and kind is not DecisionKind.CREDIT_RETENTION:
        raise CreditRuleError(f"the case is {case.status.value.replace('_', ' ')}; "
                              f"no {kind.value.replace('_', ' ')} decision can follow")
    moves: list[Movement] = []
    status = None
    if kind is DecisionKind.PRE_APPROVAL:
        headroom = case.claimed - case.pre_approved - case.approved
        if amount > headroom:
            raise CreditRuleError(f"pre-approving {amount:,} would exceed the claim: {case.claimed:,} claimed, "
                                  f"{case.pre_approved + case.approved:,} already pre-approved or approved")
        moves = [movement(EntryKind.PRE_APPROVED, amount)]
        status = CaseStatus.PRE_APPROVED if case.status is CaseStatus.SUBMITTED else None
    elif kind is DecisionKind.PRE_APPROVAL_REJECTED:
        if case.status is not CaseStatus.SUBMITTED:
            raise CreditRuleError("only a case not yet pre-approved can have its pre-approval rejected")
        status = CaseStatus.REJECTED
    elif kind is DecisionKind.ACTUAL_APPROVAL:
        if case.approved + amount > case.claimed:
            raise CreditRuleError(f"approving {amount:,} would exceed the claim: {case.claimed:,} claimed, "
                                  f"{case.approved:,} already approved")
        moves = [movement(EntryKind.APPROVED, amount)]
        release = min(amount, case.pre_approved)
        if release:
            moves.append(movement(EntryKind.RELEASED, release))
        status = CaseStatus.IN_EXECUTION
    elif kind in (DecisionKind.CLOSURE, DecisionKind.WITHDRAWAL, DecisionKind.CLOSURE_WITH_RETENTION):
        if case.pre_approved:
            moves.append(movement(EntryKind.RELEASED, case.pre_approved))
        if kind is DecisionKind.CLOSURE_WITH_RETENTION:
            moves.append(_retention(case, amount))
        status = CaseStatus.WITHDRAWN if kind is DecisionKind.WITHDRAWAL else CaseStatus.CLOSED
    elif kind is DecisionKind.CREDIT_RETENTION:
        moves = [_retention(case, amount)]
    # FOR_THE_RECORD and EXTENSION move no credits (an extension moves the deadline).
    apply(case, moves)
    return DecisionOutcome(moves=moves, status=status)


def _retention(case: CaseCredits, amount: Decimal) -> Movement:
    free = case.approved - case.retained
    if amount > free:
        raise CreditRuleError(f"retaining {amount:,} exceeds the {free:,} approved credits not yet retained")
    return movement(EntryKind.RETAINED, amount)


@dataclass(frozen=True)
class Balance:
    """An agreement's (or a contractor's) standing, computed from the entries."""

    unit: Unit
    obligation: Decimal
    pre_approved: Decimal
    approved: Decimal
    retained: Decimal

    @property
    def counted(self) -> Decimal:
        """Approved credits that count against this obligation (retained ones are kept for later)."""
        return self.approved - self.retained

    @property
    def remaining(self) -> Decimal:
        return max(self.obligation - self.counted, Decimal("0.00"))

    @property
    def surplus(self) -> Decimal:
        return max(self.counted - self.obligation, Decimal("0.00"))

    @property
    def fulfilled_share(self) -> float:
        """For progress bars only (never stored): counted / obligation, capped at 1."""
        if self.obligation <= 0:
            return 1.0
        return float(min(self.counted / self.obligation, Decimal(1)))


def balance(unit: Unit, obligation: Decimal, signed_sums: dict[Bucket, Decimal]) -> Balance:
    zero = Decimal("0.00")
    return Balance(unit=unit, obligation=obligation, pre_approved=signed_sums.get(Bucket.PRE_APPROVED, zero),
                   approved=signed_sums.get(Bucket.APPROVED, zero), retained=signed_sums.get(Bucket.RETAINED, zero))
