"""Outcomes in the REST API (mounted under /api/v1/outcomes), as specs/outcomes.md has them: the
results report and the recorded cooperation agreements. The report is for officers (a session or
a key with `outcomes:read`); private agreements only reach officers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from clusterbridge.accounts.api_auth import key_or_session
from clusterbridge.accounts.rules import is_officer
from clusterbridge.core.api_errors import ErrorOut

from . import selectors
from .models import CooperationAgreement

router = Router(tags=["outcomes"])
READ = key_or_session("outcomes:read")


class AgreementValueOut(Schema):
    amount: Decimal
    currency: str


class CooperationAgreementOut(Schema):
    id: int
    kind: str
    organisations: list[str]
    event: str | None
    meeting: int | None
    signed_on: date | None
    value: AgreementValueOut | None
    summary_en: str
    summary_zh: str
    public: bool
    case_plan: str | None = None  # kind icp_case: the ICP case plan's number


def _agreement(a: CooperationAgreement) -> dict:
    return {"id": a.pk, "kind": a.kind, "organisations": sorted(o.external_id for o in a.organisations.all()),
            "event": a.event.slug if a.event else None, "meeting": a.meeting_id, "signed_on": a.signed_on,
            "value": {"amount": a.amount, "currency": a.currency} if a.amount is not None else None,
            "summary_en": a.summary_en, "summary_zh": a.summary_zh, "public": a.public,
            "case_plan": a.case_plan.number if a.case_plan_id else None}


@router.get("/report", auth=READ, response={200: dict, 403: ErrorOut, 422: ErrorOut},
            summary="The results report, per event, from the records")
def report(request, year_from: int = Query(None, alias="from", ge=1990, le=2200),
           year_to: int = Query(None, alias="to", ge=1990, le=2200)):
    """Per event whose first session falls in the years: participants, meetings scheduled and held,
    ratings, follow-up answers, agreements by kind and the follow-up response rate per side."""
    if not is_officer(request.auth):
        raise HttpError(403, "the results report is for programme officers")
    this_year = timezone.localdate().year
    year_to = year_to if year_to is not None else this_year
    year_from = year_from if year_from is not None else year_to - 3
    if year_to < year_from or year_to - year_from > 30:
        raise HttpError(422, "to is a year from `from` on, at most 30 years later")
    return selectors.outcomes_report(year_from=year_from, year_to=year_to)


@router.get("/agreements", response=list[CooperationAgreementOut], auth=READ, summary="Recorded cooperation agreements")
def agreements(request, event: str = ""):
    qs = CooperationAgreement.objects.select_related("event", "case_plan").prefetch_related("organisations")
    if event:
        qs = qs.filter(event__slug=event)
    if not is_officer(request.auth):
        qs = qs.filter(public=True)
    return [_agreement(a) for a in qs[:1000]]
