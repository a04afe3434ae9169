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
    assert (report["totals"]["meetings_held"], report["totals"]["agreements"]) == (2, 1)

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


def test_report_page_files_and_drill_down(held, client):  # noqa: F811
    import io

    from openpyxl import load_workbook

    (ab, cd, ad), regs, ev = held["meetings"], held["regs"], held["event"]
    for reg, country in zip(regs, ("FR", "TW", "BE", "TW")):
        reg.organisation.country = country
        reg.organisation.save(update_fields=["country"])
    services.meeting_rate(meeting=ab, by=regs[0].person, rating="cooperation_possible")
    services.meeting_rate(meeting=cd, by=regs[2].person, rating="not_held")
    services.meeting_rate(meeting=cd, by=regs[3].person, rating="not_held")
    year = ev.sessions.get().starts_at.year
    q = f"from={year}&to={year}"
    client.force_login(regs[0].person)
    assert client.get(f"/outcomes/report/?{q}").status_code == 403
    assert client.get(f"/outcomes/report/meetings/?{q}").status_code == 403
    client.force_login(held["organiser"])
    page = client.get(f"/outcomes/report/?{q}").content.decode()
    assert "/outcomes/report/meetings/?" in page and "dimension=country_pair&amp;key=TW-FR" in page
    pairs = {row["key"]: row for row in selectors.outcomes_report(year_from=year, year_to=year)["breakdowns"]["country_pair"]}
    assert set(pairs) == {"TW-FR", "TW-BE"}
    assert (pairs["TW-BE"]["meetings_scheduled"], pairs["TW-BE"]["meetings_held"]) == (1, 0)  # cd
    assert (pairs["TW-FR"]["meetings_scheduled"], pairs["TW-FR"]["meetings_held"]) == (2, 2)  # ab, ad

    held_fr = client.get(f"/outcomes/report/meetings/?{q}&dimension=country_pair&key=TW-FR&measure=held")
    assert held_fr.context["count"] == 2 and {m.pk for m, _sides in held_fr.context["rows"]} == {ab.pk, ad.pk}
    not_held = client.get(f"/outcomes/report/meetings/?{q}&event={ev.slug}&measure=not_held")
    assert [m.pk for m, _sides in not_held.context["rows"]] == [cd.pk]
    possible = client.get(f"/outcomes/report/meetings/?{q}&measure=cooperation_possible&dimension=nonsense&key=x")
    assert [m.pk for m, _sides in possible.context["rows"]] == [ab.pk]  # an unknown dimension is ignored

    xlsx = client.get(f"/outcomes/report/?{q}&format=xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    events = list(book.worksheets[0].iter_rows(values_only=True))
    assert events[1][1:4] == (4, 3, 2)  # participants, scheduled, held: the page's numbers
    assert len(book.worksheets) == 6  # events, four breakdowns, totals
    pdf = client.get(f"/outcomes/report/?{q}&format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_report_counts_every_change_at_once_though_it_keeps_figures(held, django_assert_max_num_queries):  # noqa: F811
    (ab, cd, ad), regs, ev = held["meetings"], held["regs"], held["event"]
    year = ev.sessions.get().starts_at.year

    def row():
        return selectors.outcomes_report(year_from=year, year_to=year)["events"][0]

    services.meeting_rate(meeting=ab, by=regs[0].person, rating="cooperation_possible")
    assert row()["ratings"]["cooperation_possible"] == 1
    with django_assert_max_num_queries(12):  # unchanged: the kept figures, no rows read
        assert row()["ratings"]["cooperation_possible"] == 1
    services.meeting_rate(meeting=ab, by=regs[0].person, rating="insufficient_interest")  # changed
    assert row()["ratings"] == {"not_held": 0, "insufficient_interest": 1, "informative_no_cooperation": 0,
                                "cooperation_possible": 0}
    services.meeting_rating_withdraw(meeting=ab, by=regs[0].person)  # removed
    assert row()["ratings"]["insufficient_interest"] == 0
    cd.first_present = False  # the check-in's no-show
    cd.save(update_fields=["first_present"])
    assert row()["meetings_held"] == 2
    agreement = services.agreement_record(by=held["organiser"], kind="joint_rnd", event=ev,
                                          organisations=[regs[0].organisation, regs[1].organisation], summary_en="x")
    assert row()["agreements"] == {"joint_rnd": 1}
    agreement.kind = "commercial"
    agreement.save()
    assert row()["agreements"] == {"commercial": 1}
    regs[3].status = "refused"
    regs[3].save(update_fields=["status"])
    assert row()["participants"] == 3
