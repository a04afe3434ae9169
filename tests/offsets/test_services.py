"""Services of the ICP against the database: ledger, decisions, reviews, progress."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, ProgrammingError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterbridge.accounts.models import Role
from clusterbridge.offsets import selectors as sel
from clusterbridge.offsets import services as s
from clusterbridge.offsets.models import CreditEntry, DemandItem

from tests.factories import offsets as f

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return f.user("icp-officer")


def test_case_plan_claims_the_sum_of_value_times_multiplier(officer):
    a = f.agreement()
    c = s.case_plan_create(agreement=a, number="C-x", field="industry", recipients="AIDC", title_en="x",
                           submitted_on=dt.date(2011, 1, 1),
                           lines=[{"category": "technology_transfer", "value": "1000.00", "multiplier": "2"},
                                  {"category": "training", "value": "333.33", "multiplier": "1.5"}])
    assert c.claimed == D("2500.00")
    assert [line.credits for line in c.lines.all()] == [D("2000.00"), D("500.00")]


def test_case_plan_with_a_bad_line_writes_nothing():
    a = f.agreement()
    with pytest.raises(s.OffsetsError) as error:
        s.case_plan_create(agreement=a, number="C-bad", field="industry", recipients="AIDC", title_en="x",
                           submitted_on=dt.date(2011, 1, 1),
                           lines=[{"category": "training", "value": "10", "multiplier": "1"},
                                  {"category": "training", "value": 1.5, "multiplier": "1"}])
    assert error.value.messages == ["case C-bad, line 2 value: a float cannot carry points exactly; "
                                    "give a string or Decimal"]
    assert a.cases.count() == 0


def test_pre_approval_needs_the_checklist_and_a_subcommittee(officer):
    c = f.case(f.agreement(), category="technology_transfer")
    meeting = s.meeting_create(held_on=dt.date(2011, 3, 17))
    with pytest.raises(s.OffsetsError) as error:
        s.decision_record(meeting=meeting, case=c, kind="pre_approval", amount="500", by=officer)
    message = error.value.messages[0]
    assert message.startswith(f"case {c.number} cannot be pre-approved: check not recorded: Application and plan")
    assert "Export-control commitment" in message and message.endswith("no subcommittee has passed or forwarded it")


def test_decisions_move_credits_only_when_applied_after_the_minutes(officer):
    c = f.case(f.agreement(), ready_by=officer)
    meeting = s.meeting_create(held_on=dt.date(2011, 3, 17))
    s.decision_record(meeting=meeting, case=c, kind="pre_approval", amount="800", by=officer)
    assert CreditEntry.objects.count() == 0
    with pytest.raises(s.OffsetsError) as error:
        s.meeting_decisions_apply(meeting=meeting, on=dt.date(2011, 3, 30), by=officer)
    assert error.value.messages == ["approve the minutes of 2011-03-17 before updating the credit database"]
    s.meeting_minutes_approve(meeting=meeting, on=dt.date(2011, 3, 25))
    assert s.meeting_decisions_apply(meeting=meeting, on=dt.date(2011, 3, 30), by=officer) == 1
    c.refresh_from_db()
    entry = CreditEntry.objects.get()
    assert (c.status, entry.kind, entry.amount, entry.recorded_by, entry.effective_on) == (
        "pre_approved", "pre_approved", D("800.00"), officer, dt.date(2011, 3, 30))


def test_a_meeting_checks_later_decisions_against_its_earlier_ones(officer):
    c = f.case(f.agreement(), value="1000", ready_by=officer)
    meeting = s.meeting_create(held_on=dt.date(2011, 3, 17))
    s.decision_record(meeting=meeting, case=c, kind="pre_approval", amount="900", by=officer)
    with pytest.raises(s.OffsetsError) as error:
        s.decision_record(meeting=meeting, case=c, kind="closure_with_retention", amount="200", by=officer)
    assert error.value.messages == [f"case {c.number}: retaining 200.00 exceeds the 0.00 approved credits "
                                    "not yet retained"]
    s.decision_record(meeting=meeting, case=c, kind="actual_approval", amount="200", by=officer)
    with pytest.raises(s.OffsetsError) as error:
        s.decision_record(meeting=meeting, case=c, kind="credit_retention", amount="250", by=officer)
    assert error.value.messages == [f"case {c.number}: retaining 250.00 exceeds the 200.00 approved credits "
                                    "not yet retained"]


def test_approval_above_the_claim_is_refused_and_nothing_moves(officer):
    c = f.case(f.agreement(), value="1000", ready_by=officer)
    f.decide(c, "pre_approval", "1000", by=officer)
    meeting = s.meeting_create(held_on=dt.date(2012, 1, 5))
    with pytest.raises(s.OffsetsError) as error:
        s.decision_record(meeting=meeting, case=c, kind="actual_approval", amount="1000.01", by=officer)
    assert error.value.messages == [f"case {c.number}: approving 1,000.01 would exceed the claim: 1,000.00 claimed, "
                                    "0.00 already approved"]
    assert CreditEntry.objects.filter(case=c).count() == 1


def test_balances_follow_each_decision(officer):
    a = f.agreement(obligation="5000")
    c = f.case(a, value="3000", ready_by=officer)
    f.decide(c, "pre_approval", "2500", by=officer)
    f.decide(c, "actual_approval", "2000", by=officer)
    f.decide(c, "closure_with_retention", "300", by=officer)
    b = sel.agreement_balance(a)
    assert (b.obligation, b.pre_approved, b.approved, b.retained, b.remaining) == (
        D("5000.00"), D("0.00"), D("2000.00"), D("300.00"), D("3300.00"))
    c.refresh_from_db()
    assert c.status == "closed"
    assert [(e.kind, e.signed) for e in sel.ledger(case=c)] == [
        ("pre_approved", D("2500.00")), ("approved", D("2000.00")), ("released", D("-2000.00")),
        ("released", D("-500.00")), ("retained", D("300.00"))]


def test_extension_needs_a_later_deadline(officer):
    c = f.case(f.agreement(), ready_by=officer, deadline=dt.date(2012, 12, 31))
    f.decide(c, "pre_approval", "100", by=officer)
    meeting = s.meeting_create(held_on=dt.date(2012, 6, 1))
    with pytest.raises(s.OffsetsError) as error:
        s.decision_record(meeting=meeting, case=c, kind="extension", new_deadline=dt.date(2012, 1, 1), by=officer)
    assert error.value.messages == [f"case {c.number}: the new deadline 2012-01-01 is not after 2012-12-31"]
    s.decision_record(meeting=meeting, case=c, kind="extension", new_deadline=dt.date(2013, 12, 31), by=officer)
    s.meeting_minutes_approve(meeting=meeting, on=dt.date(2012, 6, 10))
    s.meeting_decisions_apply(meeting=meeting, on=dt.date(2012, 6, 12), by=officer)
    c.refresh_from_db()
    assert c.deadline == dt.date(2013, 12, 31)


def test_entries_are_immutable_in_the_model_and_the_database(officer):
    c = f.case(f.agreement(), ready_by=officer)
    f.decide(c, "pre_approval", "100", by=officer)
    entry = CreditEntry.objects.get()
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()
    with pytest.raises(Exception) as error, transaction.atomic():
        CreditEntry.objects.filter(pk=entry.pk).update(amount=D("1"))
    assert "immutable" in str(error.value)
    if connection.vendor == "postgresql":
        with pytest.raises(Exception) as error, transaction.atomic():
            CreditEntry.objects.filter(pk=entry.pk).delete()
        assert "immutable" in str(error.value)
    assert CreditEntry.objects.get().amount == D("100.00")


def test_a_negative_balance_is_refused_by_the_database_itself(officer):
    c = f.case(f.agreement(), ready_by=officer)
    f.decide(c, "pre_approval", "100", by=officer)
    first = CreditEntry.objects.get()
    # A check constraint (SQLite, PostgreSQL) or PostgreSQL's insert check (the next number) refuses.
    with pytest.raises((IntegrityError, ProgrammingError)), transaction.atomic():
        CreditEntry.objects.create(case=c, agreement=c.agreement, contractor=c.agreement.contractor, seq=2,
                                   kind="released", bucket="pre_approved", amount=D("150"), signed=D("-150"),
                                   unit="USD", pre_approved_after=D("-50"), approved_after=0, retained_after=0,
                                   effective_on=dt.date(2011, 5, 1), recorded_by=officer, decision=first.decision)
    with pytest.raises((IntegrityError, ProgrammingError)), transaction.atomic():  # the same place in the case's ledger twice
        CreditEntry.objects.create(case=c, agreement=c.agreement, contractor=c.agreement.contractor, seq=first.seq,
                                   kind="released", bucket="pre_approved", amount=D("10"), signed=D("-10"),
                                   unit="USD", pre_approved_after=D("90"), approved_after=0, retained_after=0,
                                   effective_on=dt.date(2011, 5, 1), recorded_by=officer, decision=first.decision)


def test_reversal_corrects_by_a_new_entry_and_refuses_what_would_go_below_zero(officer):
    c = f.case(f.agreement(), value="1000", ready_by=officer)
    f.decide(c, "pre_approval", "1000", by=officer)
    f.decide(c, "actual_approval", "400", by=officer)
    pre = CreditEntry.objects.get(case=c, kind="pre_approved")
    with pytest.raises(s.OffsetsError) as error:
        s.credit_entry_reverse(entry=pre, reason="typo", by=officer)
    assert error.value.messages == [f"case {c.number}: reversing entry 1 is refused: "
                                    "pre-approved credits would fall below zero"]
    approved = CreditEntry.objects.get(case=c, kind="approved")
    back = s.credit_entry_reverse(entry=approved, reason="approved in error", by=officer)
    assert (back.kind, back.signed, back.approved_after, back.reverses) == ("reversed", D("-400.00"), D("0.00"),
                                                                             approved)
    with pytest.raises(s.OffsetsError):
        s.credit_entry_reverse(entry=approved, reason="again", by=officer)


def test_applying_is_all_or_nothing(officer):
    good = f.case(f.agreement(), value="100", ready_by=officer)
    other = f.case(f.agreement(), value="100", ready_by=officer)
    meeting = s.meeting_create(held_on=dt.date(2011, 3, 17))
    s.decision_record(meeting=meeting, case=good, kind="pre_approval", amount="100", by=officer)
    s.decision_record(meeting=meeting, case=other, kind="pre_approval", amount="100", by=officer)
    # Between the meeting and the update, another meeting pre-approves `other` in full.
    f.decide(other, "pre_approval", "50", by=officer, held_on=dt.date(2011, 3, 20))
    s.meeting_minutes_approve(meeting=meeting, on=dt.date(2011, 3, 25))
    with pytest.raises(s.OffsetsError) as error:
        s.meeting_decisions_apply(meeting=meeting, on=dt.date(2011, 3, 28), by=officer)
    assert error.value.messages[0].startswith(f"case {other.number}, Pre-approval: pre-approving 100.00 would exceed")
    assert CreditEntry.objects.filter(case=good).count() == 0
    meeting.refresh_from_db()
    assert meeting.database_updated_on is None


def test_subcommittee_composition_and_conflicts_are_enforced(officer):
    c = f.case(f.agreement())
    experts = [s.expert_create(name=f"Expert {i}") for i in range(3)]
    officials = [s.expert_create(name=f"Official {i}", is_expert=False) for i in range(3)]
    with pytest.raises(s.OffsetsError) as error:
        s.subcommittee_review_create(case=c, sector="rail", held_on=dt.date(2011, 2, 1), experts=experts + officials)
    assert error.value.messages == [f"case {c.number}: 3 of 6 reviewers are from the expert database; "
                                    "experts must be more than half"]
    extra = s.expert_create(name="Dr Lin")
    s.conflict_declare(expert=extra, case=c, reason="advises the recipient")
    with pytest.raises(s.OffsetsError) as error:
        s.subcommittee_review_create(case=c, sector="rail", held_on=dt.date(2011, 2, 1),
                                     experts=experts + [extra] + officials[:1])
    assert error.value.messages == [f"case {c.number}: Dr Lin declared a conflict of interest with this case "
                                    "and cannot review it"]


def _panel(call):
    seats = (["industrial_development_bureau", "department_of_industrial_technology"] + ["research_institute"] * 3
             + ["academic"] * 2)
    users = []
    for aff in seats:
        u = f.user(role=Role.REVIEWER)
        s.panel_seat_assign(call=call, reviewer=u, affiliation=aff)
        users.append(u)
    return users


def _item(call, n):
    return s.demand_item_submit(call=call, number=f"DI-{n}", proposer_name="ITRI", proposer_kind="foundation",
                                basis="ministry", field="industry", title_en=f"Need {n}")


def test_panel_composition_is_enforced_when_seating():
    call = s.demand_call_open(year=2011, quarter=1)
    _panel(call)
    with pytest.raises(s.OffsetsError) as error:
        s.panel_seat_assign(call=call, reviewer=f.user(role=Role.REVIEWER), affiliation="academic")
    assert error.value.messages == ["the 2011 Q1 panel already has its 2 from academic"]


def test_review_classes_items_and_carries_reserved_ones_over_with_history(officer):
    call = s.demand_call_open(year=2011, quarter=4)
    panel = _panel(call)
    a, b, r = _item(call, 1), _item(call, 2), _item(call, 3)
    for u, score in zip(panel, [80, 81, 79, 80, 80, 80, 80]):
        s.demand_score_record(item=a, reviewer=u, score=score)
    for u in panel:
        s.demand_score_record(item=b, reviewer=u, score="59.9")
    with pytest.raises(s.OffsetsError) as error:
        s.demand_review_close(call=call, by=officer)
    assert error.value.messages == ["the review of 2011 Q4 cannot close: DI-3 has 0 of 7 scores "
                                    "(reserve or withdraw an item to settle it otherwise)"]
    counts = s.demand_review_close(call=call, by=officer, reserved=[r])
    assert counts == {"priority": 1, "general": 0, "excluded": 1, "reserved": 1, "withdrawn": 0}
    r.refresh_from_db()
    assert str(r.call) == "2012 Q1"
    assert [(e.what, str(e.from_call), str(e.to_call)) for e in r.events.all()] == [
        ("submitted", "None", "2011 Q4"), ("reserved", "2011 Q4", "2012 Q1")]
    assert sel.demand_call_summary(call) == {"priority": 1, "general": 0, "excluded": 1, "reserved": 1,
                                             "withdrawn": 0, "carried_in": 0, "reviewed": 3}
    meeting = s.meeting_create(held_on=dt.date(2011, 12, 1))
    s.demand_item_decide(item=a, meeting=meeting, approve=True, by=officer)
    with pytest.raises(s.OffsetsError):
        s.demand_item_decide(item=b, meeting=meeting, approve=True, by=officer)
    assert [i.number for i in sel.demand_items_published()] == ["DI-1"]


def test_only_panellists_score_and_others_scores_stay_hidden_until_closed(officer):
    call = s.demand_call_open(year=2011, quarter=2)
    panel = _panel(call)
    item = _item(call, 9)
    with pytest.raises(PermissionDenied):
        s.demand_score_record(item=item, reviewer=f.user(role=Role.REVIEWER), score=70)
    s.demand_score_record(item=item, reviewer=panel[0], score=70)
    s.demand_score_record(item=item, reviewer=panel[1], score=90)
    assert [x.score for x in sel.demand_scores_visible(item=item, user=panel[0])] == [D("70.0")]
    assert len(sel.demand_scores_visible(item=item, user=officer)) == 2
    with pytest.raises(s.OffsetsError) as error:
        s.demand_score_record(item=item, reviewer=panel[2], score=101)
    assert error.value.messages == ["demand item DI-9: score 101 is outside 0–100"]
    assert item.status == DemandItem.Status.IN_REVIEW


def test_contractors_file_reports_on_their_own_cases_only(officer):
    mine, theirs = f.agreement(), f.agreement()
    contractor_user = f.user("acme", role=Role.CONTRACTOR)
    mine.contractor.users.add(contractor_user)
    case_mine = f.case(mine, ready_by=officer)
    case_theirs = f.case(theirs, ready_by=officer)
    f.decide(case_mine, "pre_approval", "500", by=officer)
    f.decide(case_theirs, "pre_approval", "500", by=officer)
    report = s.progress_report_file(case=case_mine, year=2011, quarter=2, percent_complete=40, text="Tooling done",
                                    by=contractor_user)
    assert (report.filed_by, report.percent_complete) == (contractor_user, 40)
    with pytest.raises(PermissionDenied):
        s.progress_report_file(case=case_theirs, year=2011, quarter=2, percent_complete=40, text="x",
                               by=contractor_user)
    with pytest.raises(s.OffsetsError) as error:
        s.progress_report_file(case=case_mine, year=2011, quarter=2, percent_complete=50, text="again",
                               by=contractor_user)
    assert error.value.messages == [f"case {case_mine.number} already has a report for 2011 Q2"]
    assert list(sel.cases_visible_to(contractor_user)) == [case_mine]


def test_feedback_fee_payments_stay_within_the_commitment(officer):
    c = f.case(f.agreement())
    fee = s.feedback_fee_commit(case=c, recipient="AIDC", committed_twd="1000000")
    s.feedback_fee_pay(fee=fee, paid_on=dt.date(2012, 1, 1), amount_twd="600000")
    with pytest.raises(s.OffsetsError) as error:
        s.feedback_fee_pay(fee=fee, paid_on=dt.date(2012, 6, 1), amount_twd="400000.01")
    assert error.value.messages == ["a payment of 400,000.01 would exceed the commitment (1,000,000.00, 600,000.00 paid)"]


def test_overdue_meetings_briefings_and_reports(officer):
    a = f.agreement(signed_on=dt.date(2011, 1, 10))
    c = f.case(a, ready_by=officer)
    f.decide(c, "pre_approval", "100", by=officer, held_on=dt.date(2011, 2, 1))
    meeting = s.meeting_create(held_on=dt.date(2011, 6, 2))
    s.meeting_minutes_approve(meeting=meeting, on=dt.date(2011, 6, 16))
    late = sel.overdue(today=dt.date(2011, 7, 15))
    assert late.meetings == [meeting]
    assert late.briefings == [a]
    assert late.reports == [c]
    assert sel.overdue(today=dt.date(2011, 6, 20)).meetings == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(st.sampled_from(["pre_approval", "actual_approval", "closure", "credit_retention",
                                                 "withdrawal", "for_the_record", "reverse"]),
                                st.integers(min_value=1, max_value=1200)), min_size=1, max_size=12))
def test_ledger_balances_equal_the_replayed_rules_under_random_decisions(officer, steps):
    """Random decision sequences through the services: refused ones change nothing, and the stored
    balances always equal both the sums of the entries and the pure rules' replay."""
    from clusterbridge.offsets import credits as cr

    a = f.agreement(obligation="5000")
    c = f.case(a, value="1000", ready_by=officer)
    model = cr.CaseCredits(claimed=D("1000.00"))
    for kind, amount in steps:
        if kind == "reverse":
            entry = CreditEntry.objects.filter(case=c, reversed_by__isnull=True).exclude(kind="reversed").last()
            if entry is None:
                continue
            try:
                s.credit_entry_reverse(entry=entry, reason="test", by=officer)
                model = model.after(cr.Bucket(entry.bucket), -entry.signed)
            except s.OffsetsError:
                pass
            continue
        value = D(amount) if kind in ("pre_approval", "actual_approval", "credit_retention") else None
        try:
            outcome = cr.decide(model, cr.DecisionKind(kind), value)
            expected = cr.apply(model, outcome.moves)
        except cr.CreditRuleError:
            with pytest.raises(s.OffsetsError):
                f.decide(c, kind, value, by=officer)
            continue
        f.decide(c, kind, value, by=officer)
        model = cr.CaseCredits(expected.claimed, expected.pre_approved, expected.approved, expected.retained,
                               outcome.status or model.status)
    stored = sel.case_credits(c)
    summed = sel.case_balances([c])[c.pk]
    assert (stored.pre_approved, stored.approved, stored.retained) == (model.pre_approved, model.approved,
                                                                       model.retained)
    assert (summed.pre_approved, summed.approved, summed.retained) == (model.pre_approved, model.approved,
                                                                       model.retained)
    assert stored.problems() == []
