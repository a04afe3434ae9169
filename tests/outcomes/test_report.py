"""Follow-ups, agreements and the results report against hand-counted figures, and the results API."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clusterbridge.outcomes import selectors, services
from clusterbridge.outcomes.models import CooperationAgreement
from tests.outcomes.test_ratings import held  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_follow_up_agreement_and_report(held, client):  # noqa: F811
    (ab, cd, ad), regs, ev = held["meetings"], held["regs"], held["event"]
    for reg in (regs[1], regs[3]):  # TPCA and TTRI are Taiwanese
        reg.organisation.country = "TW"
        reg.organisation.save(update_fields=["country"])
    services.meeting_rate(meeting=ab, by=regs[0].person, rating="cooperation_possible")
    services.meeting_rate(meeting=cd, by=regs[2].person, rating="not_held")
    services.meeting_rate(meeting=cd, by=regs[3].person, rating="not_held")
    later = services.follow_up_open(event=ev, by=held["organiser"])
    assert later.opens_on > dt.date.today()
    with pytest.raises(ValidationError, match="this follow-up opens on"):
        services.follow_up_answer(round=later, meeting=ab, by=regs[0].person, answer="valuable_contact")
    now = services.follow_up_open(event=ev, by=held["organiser"], opens_on=dt.date.today())
    with pytest.raises(PermissionDenied):
        services.follow_up_open(event=ev, by=regs[0].person)
    with pytest.raises(ValidationError, match="give its kind and a summary"):
        services.follow_up_answer(round=now, meeting=ab, by=regs[0].person, answer="agreement_reached")
    with pytest.raises(ValidationError) as bad:
        services.follow_up_answer(round=now, meeting=ab, by=regs[0].person, answer="agreement_reached",
                                  agreement={"kind": "cluster_mou", "amount": "12,000", "summary_en": ""})
    assert set(bad.value.message_dict) == {"currency", "summary_en"}
    assert not CooperationAgreement.objects.exists()  # nothing half-written
    services.follow_up_answer(round=now, meeting=ab, by=regs[0].person, answer="agreement_reached",
                              agreement={"kind": "cluster_mou", "signed_on": dt.date(2026, 11, 3),
                                         "amount": "12000", "currency": "eur", "summary_en": "Smart textiles MoU",
                                         "public": True})
    services.follow_up_answer(round=now, meeting=ab, by=regs[1].person, answer="negotiation_started")
    services.follow_up_answer(round=now, meeting=ad, by=regs[3].person, answer="no_further_contact")
    agreement = CooperationAgreement.objects.get()
    assert (agreement.amount, agreement.currency, agreement.meeting) == (Decimal("12000.00"), "EUR", ab)
    year = ev.sessions.get().starts_at.year
    report = selectors.outcomes_report(year_from=year, year_to=year)
    (row,) = report["events"]
    assert (row["participants"], row["meetings_scheduled"], row["meetings_held"]) == (4, 3, 2)
    assert row["ratings"] == {"not_held": 1, "insufficient_interest": 0, "informative_no_cooperation": 0,
                              "cooperation_possible": 1}
    assert row["follow_up"]["responses"] == 3 and row["follow_up"]["agreement_reached"] == 1
    assert row["agreements"] == {"cluster_mou": 1}
    assert row["response_rate"] == {"TW": 1.0, "EU": 0.5}  # TPCA and TTRI answered; Techtera, not Fedustria
    assert report["totals"] == {"meetings_held": 2, "agreements": 1}

    assert client.get(f"/api/v1/outcomes/report?from={year}&to={year}").status_code == 401
    client.force_login(regs[0].person)
    assert client.get(f"/api/v1/outcomes/report?from={year}&to={year}").status_code == 403
    assert [a["kind"] for a in client.get("/api/v1/outcomes/agreements").json()] == ["cluster_mou"]  # public
    client.force_login(held["organiser"])
    body = client.get(f"/api/v1/outcomes/report?from={year}&to={year}").json()
    assert body == report | {"events": [row | {"date": row["date"]}]}
    assert client.get("/api/v1/outcomes/report?from=2020&to=2010").status_code == 422
    listed = client.get(f"/api/v1/outcomes/agreements?event={ev.slug}").json()
    assert listed[0]["value"] == {"amount": "12000.00", "currency": "EUR"} and len(listed[0]["organisations"]) == 2
