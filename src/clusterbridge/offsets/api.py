"""The ICP in the REST API (mounted under /api/v1/icp): the published demand-item list is public;
agreements, cases, balances and ledger entries need a key with `icp:read` and show what the
caller may see (officers everything, a contractor's people their own agreements)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Router, Schema
from ninja.errors import HttpError

from clusterbridge.accounts.api_auth import key_or_session
from clusterbridge.core.api_errors import ErrorOut

from . import selectors

router = Router(tags=["icp"])
READ = key_or_session("icp:read")


class DemandItemOut(Schema):
    number: str
    item_class: str
    title_en: str
    title_zh: str
    field: str
    sector: str
    proposer_name: str
    benefits: list[str]
    approved_on: date | None

    @staticmethod
    def resolve_approved_on(obj) -> date | None:
        return obj.decided_at.held_on if obj.decided_at else None


class BalanceOut(Schema):
    unit: str
    obligation: Decimal
    pre_approved: Decimal
    approved: Decimal
    retained: Decimal
    counted: Decimal


class AgreementOut(Schema):
    number: str
    contractor: str
    procuring_agency: str
    purchase_en: str
    purchase_zh: str
    unit: str
    obligation: Decimal
    signed_on: date
    defence_share_target: int

    @staticmethod
    def resolve_contractor(obj) -> str:
        return obj.contractor.name


class AgreementDetailOut(AgreementOut):
    balance: BalanceOut
    cases: list[str]

    @staticmethod
    def resolve_balance(obj) -> dict:
        return _balance(selectors.agreement_balance(obj))

    @staticmethod
    def resolve_cases(obj) -> list[str]:
        return list(obj.cases.order_by("number").values_list("number", flat=True))


class CaseOut(Schema):
    number: str
    agreement: str
    title_en: str
    title_zh: str
    field: str
    unit: str
    status: str
    claimed: Decimal
    pre_approved: Decimal
    approved: Decimal
    retained: Decimal
    submitted_on: date
    deadline: date | None


class EntryOut(Schema):
    seq: int
    kind: str
    bucket: str
    amount: Decimal
    signed: Decimal
    unit: str
    pre_approved_after: Decimal
    approved_after: Decimal
    retained_after: Decimal
    decision: int | None
    reverses: int | None
    reason: str
    effective_on: date
    recorded_at: datetime

    @staticmethod
    def resolve_decision(obj) -> int | None:
        return obj.decision_id

    @staticmethod
    def resolve_reverses(obj) -> int | None:
        return obj.reverses_id


CENTS = Decimal("0.01")


def _balance(balance) -> dict:
    """Points with two places always (sums from SQLite come back without them)."""
    amounts = {name: Decimal(getattr(balance, name)).quantize(CENTS)
               for name in ("obligation", "pre_approved", "approved", "retained", "counted")}
    return {"unit": balance.unit.value if hasattr(balance.unit, "value") else balance.unit, **amounts}


def _case(case) -> dict:
    credits = selectors.case_credits(case)
    return {"number": case.number, "agreement": case.agreement.number, "title_en": case.title_en,
            "title_zh": case.title_zh, "field": case.field, "unit": case.unit, "status": case.status,
            "claimed": case.claimed, "pre_approved": credits.pre_approved, "approved": credits.approved,
            "retained": credits.retained, "submitted_on": case.submitted_on, "deadline": case.deadline}


@router.get("/demand-items", response=list[DemandItemOut])
def demand_items(request):
    """The published list of approved demand items, priority first (public)."""
    return list(selectors.demand_items_published())


@router.get("/agreements", auth=READ, response=list[AgreementOut])
def agreements(request):
    return list(selectors.agreements_visible_to(request.user)[:1000])


@router.get("/agreements/{number}", auth=READ, response={200: AgreementDetailOut, 404: ErrorOut})
def agreement_get(request, number: str):
    agreement = selectors.agreements_visible_to(request.user).filter(number=number[:30]).first()
    if agreement is None:
        raise HttpError(404, f"no agreement {number[:30]} that you may see")
    return agreement


@router.get("/cases/{number}", auth=READ, response={200: CaseOut, 404: ErrorOut})
def case_get(request, number: str):
    case = selectors.cases_visible_to(request.user).filter(number=number[:30]).first()
    if case is None:
        raise HttpError(404, f"no case {number[:30]} that you may see")
    return _case(case)


@router.get("/cases/{number}/ledger", auth=READ, response={200: list[EntryOut], 404: ErrorOut})
def case_ledger(request, number: str):
    """The case's credit entries in order; each carries the case's balances after it."""
    case = selectors.cases_visible_to(request.user).filter(number=number[:30]).first()
    if case is None:
        raise HttpError(404, f"no case {number[:30]} that you may see")
    return list(selectors.ledger(case=case).order_by("seq"))
