import datetime as dt
import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model

from clusterbridge.accounts.models import Profile, Role
from clusterbridge.offsets import services as s
from clusterbridge.offsets.models import ChecklistItem, SubcommitteeReview

_n = itertools.count(1)


def user(name: str | None = None, role: str = Role.PROGRAMME_OFFICER):
    name = name or f"user{next(_n)}"
    u = get_user_model().objects.create_user(username=name, password="pw-12345678", email=f"{name}@example.org")
    Profile.objects.create(user=u, role=role)
    return u


def agreement(*, obligation="1000000", unit="USD", contractor=None, signed_on=dt.date(2011, 1, 10), **extra):
    n = next(_n)
    contractor = contractor or s.contractor_create(name=f"Contractor {n}", country="FR")
    return s.agreement_create(number=f"A-{n}", contractor=contractor, procuring_agency="Agency",
                              obligation=obligation, unit=unit, signed_on=signed_on, purchase_en="Trains", **extra)


def case(agreement_, *, value="1000", multiplier="1", category="domestic_procurement", ready_by=None, **extra):
    c = s.case_plan_create(agreement=agreement_, number=f"C-{next(_n)}", field=extra.pop("field", "industry"),
                           recipients="Taiwan Rolling Stock", submitted_on=dt.date(2011, 2, 1), title_en="Case",
                           lines=[{"category": category, "value": value, "multiplier": multiplier}], **extra)
    if ready_by is not None:
        make_ready(c, ready_by)
    return c


def make_ready(c, by):
    for item in ChecklistItem:
        s.case_check_record(case=c, item=item.value, passed=True, evidence="doc", by=by)
    experts = [s.expert_create(name=f"E{next(_n)}") for _ in range(4)] + [
        s.expert_create(name=f"O{next(_n)}", is_expert=False)]
    review = s.subcommittee_review_create(case=c, sector="rail", held_on=dt.date(2011, 2, 10), experts=experts)
    s.subcommittee_outcome_set(review=review, outcome=SubcommitteeReview.Outcome.PASSED)


def decide(c, kind, amount=None, *, by, held_on=None, **extra):
    """One decision at its own meeting, applied to the ledger."""
    held_on = held_on or dt.date(2011, 3, 1) + dt.timedelta(days=next(_n))
    meeting = s.meeting_create(held_on=held_on)
    s.decision_record(meeting=meeting, case=c, kind=kind, amount=amount, by=by, **extra)
    s.meeting_minutes_approve(meeting=meeting, on=held_on)
    s.meeting_decisions_apply(meeting=meeting, on=held_on + dt.timedelta(days=2), by=by)
    return meeting


D = Decimal
