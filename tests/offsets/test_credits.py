"""The credit arithmetic, without a database."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from clusterbridge.offsets import credits as cr

D = Decimal


def test_points_accepts_text_with_separators():
    assert cr.points("1,234,567.5") == D("1234567.50")


@pytest.mark.parametrize("raw, message", [
    (1.5, "a float cannot carry points exactly"), ("abc", "'abc' is not a number"), ("", "amount is empty"),
    ("1.234", "more than two decimal places"), ("NaN", "is not a number"), ("1e20", "is larger than"),
    ("1e400", "is larger than"), ("-1e400", "is larger than"),
])
def test_points_refuses_what_it_cannot_hold_exactly(raw, message):
    with pytest.raises(cr.CreditRuleError) as error:
        cr.points(raw)
    assert message in str(error.value)


def test_line_credits_are_value_times_multiplier_to_the_cent():
    assert cr.line_credits(D("1000.05"), D("1.5")) == D("1500.08")


def test_pre_approval_above_the_claim_is_refused_with_the_figures():
    case = cr.CaseCredits(claimed=D("100.00"), pre_approved=D("60.00"), status=cr.CaseStatus.PRE_APPROVED)
    with pytest.raises(cr.CreditRuleError) as error:
        cr.decide(case, cr.DecisionKind.PRE_APPROVAL, D("50.00"))
    assert str(error.value) == ("pre-approving 50.00 would exceed the claim: 100.00 claimed, "
                                "60.00 already pre-approved or approved")


def test_actual_approval_releases_the_pre_approval_it_earns():
    case = cr.CaseCredits(claimed=D("100.00"), pre_approved=D("80.00"), status=cr.CaseStatus.PRE_APPROVED)
    outcome = cr.decide(case, cr.DecisionKind.ACTUAL_APPROVAL, D("50.00"))
    assert [(m.kind, m.amount) for m in outcome.moves] == [(cr.EntryKind.APPROVED, D("50.00")),
                                                            (cr.EntryKind.RELEASED, D("50.00"))]
    after = cr.apply(case, outcome.moves)
    assert (after.pre_approved, after.approved) == (D("30.00"), D("50.00"))
    assert outcome.status == cr.CaseStatus.IN_EXECUTION


def test_closure_releases_what_is_left_and_retention_needs_approved_credits():
    case = cr.CaseCredits(claimed=D("100.00"), pre_approved=D("30.00"), approved=D("50.00"),
                          status=cr.CaseStatus.IN_EXECUTION)
    outcome = cr.decide(case, cr.DecisionKind.CLOSURE_WITH_RETENTION, D("20.00"))
    after = cr.apply(case, outcome.moves)
    assert (after.pre_approved, after.approved, after.retained, outcome.status) == (
        D("0.00"), D("50.00"), D("20.00"), cr.CaseStatus.CLOSED)
    with pytest.raises(cr.CreditRuleError) as error:
        cr.decide(case, cr.DecisionKind.CREDIT_RETENTION, D("60.00"))
    assert str(error.value) == "retaining 60.00 exceeds the 50.00 approved credits not yet retained"


@pytest.mark.parametrize("kind", [cr.DecisionKind.EXTENSION, cr.DecisionKind.FOR_THE_RECORD])
def test_decisions_without_credits_refuse_an_amount(kind):
    case = cr.CaseCredits(claimed=D("1.00"), status=cr.CaseStatus.PRE_APPROVED)
    assert cr.decide(case, kind).moves == []
    with pytest.raises(cr.CreditRuleError):
        cr.decide(case, kind, D("1.00"))


def test_a_closed_case_takes_no_further_decision_but_retention():
    case = cr.CaseCredits(claimed=D("10.00"), approved=D("10.00"), status=cr.CaseStatus.CLOSED)
    with pytest.raises(cr.CreditRuleError) as error:
        cr.decide(case, cr.DecisionKind.ACTUAL_APPROVAL, D("1.00"))
    assert str(error.value) == "the case is closed; no actual approval decision can follow"
    assert cr.decide(case, cr.DecisionKind.CREDIT_RETENTION, D("1.00")).moves[0].kind == cr.EntryKind.RETAINED


def test_a_reversal_undoes_its_entry_and_cannot_be_reversed():
    pre = cr.movement(cr.EntryKind.PRE_APPROVED, D("5.00"))
    back = cr.movement(cr.EntryKind.REVERSED, D("5.00"), reverses=pre)
    assert cr.apply(cr.CaseCredits(claimed=D("5.00")), [pre, back]).pre_approved == D("0.00")
    with pytest.raises(cr.CreditRuleError):
        cr.movement(cr.EntryKind.REVERSED, D("5.00"), reverses=back)


def test_balance_counts_approved_minus_retained_against_the_obligation():
    b = cr.balance(cr.Unit.USD, D("100.00"), {cr.Bucket.APPROVED: D("130.00"), cr.Bucket.RETAINED: D("20.00")})
    assert (b.counted, b.remaining, b.surplus, b.fulfilled_share) == (D("110.00"), D("0.00"), D("10.00"), 1.0)


amounts = st.integers(min_value=1, max_value=10**9).map(lambda c: D(c) / 100)


class CaseMachine(RuleBasedStateMachine):
    """Any sequence of decisions the rules accept keeps every invariant; refused ones change nothing."""

    def __init__(self):
        super().__init__()
        self.case = cr.CaseCredits(claimed=D("1000000.00"))
        self.history: list[cr.Movement] = []

    @rule(kind=st.sampled_from(list(cr.DecisionKind)), amount=st.one_of(st.none(), amounts))
    def decide(self, kind, amount):
        try:
            outcome = cr.decide(self.case, kind, amount)
        except cr.CreditRuleError:
            return
        self.case = cr.apply(self.case, outcome.moves)
        if outcome.status:
            self.case = cr.CaseCredits(self.case.claimed, self.case.pre_approved, self.case.approved,
                                       self.case.retained, outcome.status)
        self.history += outcome.moves

    @precondition(lambda self: self.history)
    @rule(data=st.data())
    def reverse(self, data):
        target = data.draw(st.sampled_from(self.history))
        if target.kind is cr.EntryKind.REVERSED:
            return
        move = cr.movement(cr.EntryKind.REVERSED, target.amount, reverses=target)
        try:
            self.case = cr.apply(self.case, [move])
        except cr.CreditRuleError:
            return
        self.history.append(move)

    @invariant()
    def balances_hold(self):
        assert self.case.problems() == []
        totals = {b: D(0) for b in cr.Bucket}
        for m in self.history:
            totals[m.bucket] += m.sign * m.amount
        assert (totals[cr.Bucket.PRE_APPROVED], totals[cr.Bucket.APPROVED], totals[cr.Bucket.RETAINED]) == (
            self.case.pre_approved, self.case.approved, self.case.retained)


TestCaseMachine = CaseMachine.TestCase
TestCaseMachine.settings = settings(max_examples=60, stateful_step_count=25, deadline=None)


@given(amount=amounts, claimed=amounts)
def test_pre_approval_is_accepted_exactly_up_to_the_claim(amount, claimed):
    case = cr.CaseCredits(claimed=claimed)
    if amount <= claimed:
        assert cr.apply(case, cr.decide(case, cr.DecisionKind.PRE_APPROVAL, amount).moves).pre_approved == amount
    else:
        with pytest.raises(cr.CreditRuleError):
            cr.decide(case, cr.DecisionKind.PRE_APPROVAL, amount)
