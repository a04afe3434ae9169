"""ICP pages: who sees what, forms through the services, query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clusterbridge.accounts.models import Role
from clusterbridge.offsets import services as s
from clusterbridge.offsets.models import CreditEntry, ProgressReport

from tests.factories import offsets as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return f.user("icp-officer")


def test_anonymous_visitors_see_only_the_published_demand_list(client):
    assert client.get("/icp/demand-items/").status_code == 200
    assert client.get("/icp/").status_code == 302
    assert client.get("/icp/demand-items.xlsx").status_code == 200


def test_members_are_kept_out_and_contractors_see_only_their_own(client, officer):
    mine, theirs = f.agreement(), f.agreement()
    contractor = f.user("acme", role=Role.CONTRACTOR)
    mine.contractor.users.add(contractor)
    case_mine, case_theirs = f.case(mine), f.case(theirs)
    client.force_login(f.user("member", role=Role.MEMBER))
    assert client.get("/icp/").status_code == 403
    assert client.get(f"/icp/agreements/{mine.number}/").status_code == 404
    client.force_login(contractor)
    assert client.get("/icp/").status_code == 200
    assert client.get(f"/icp/agreements/{mine.number}/").status_code == 200
    assert client.get(f"/icp/agreements/{theirs.number}/").status_code == 404
    assert client.get(f"/icp/cases/{case_mine.number}/").status_code == 200
    assert client.get(f"/icp/cases/{case_theirs.number}/").status_code == 404
    assert client.get("/icp/meetings/").status_code == 403
    assert client.get("/icp/reports/2011/").status_code == 403
    listing = client.get("/icp/agreements/").content.decode()
    assert mine.number in listing and theirs.number not in listing


def test_officer_records_a_meeting_through_the_page(client, officer):
    c = f.case(f.agreement(), value="1000", ready_by=officer)
    client.force_login(officer)
    response = client.post("/icp/meetings/", {"held_on": "2011-03-17"})
    assert response.status_code == 302 and response["Location"] == "/icp/meetings/2011-03-17/"
    page = "/icp/meetings/2011-03-17/"
    refused = client.post(page, {"action": "decide", "case": c.number, "kind": "pre_approval", "amount": "1000.01"})
    assert refused.status_code == 200
    assert "would exceed the claim: 1,000.00 claimed" in refused.content.decode()
    assert client.post(page, {"action": "decide", "case": "NOPE", "kind": "closure"}).status_code == 200
    client.post(page, {"action": "decide", "case": c.number, "kind": "pre_approval", "amount": "1,000"})
    client.post(page, {"action": "minutes", "on": "2011-03-25"})
    client.post(page, {"action": "apply", "on": "2011-03-30"})
    entry = CreditEntry.objects.get()
    assert (entry.case, entry.amount, entry.recorded_by) == (c, Decimal("1000.00"), officer)
    html = client.get(f"/icp/cases/{c.number}/").content.decode()
    assert "+1,000" in html
    from io import BytesIO

    from openpyxl import load_workbook

    xlsx = client.get(f"/icp/agreements/{c.agreement.number}/?format=xlsx")
    rows = list(load_workbook(BytesIO(xlsx.content))["ledger"].iter_rows(values_only=True))
    assert rows[1][:6] == ("2011-03-30", c.number, 1, "pre_approved", 1000, "USD")


def test_contractor_files_a_progress_report_through_the_page(client, officer):
    a = f.agreement()
    contractor = f.user("acme", role=Role.CONTRACTOR)
    a.contractor.users.add(contractor)
    c = f.case(a, ready_by=officer)
    f.decide(c, "pre_approval", "500", by=officer)
    client.force_login(contractor)
    response = client.post(f"/icp/cases/{c.number}/", {"action": "report", "year": 2011, "quarter": 3,
                                                        "percent_complete": 35, "text": "Jigs delivered"})
    assert response.status_code == 302
    assert ProgressReport.objects.get().text == "Jigs delivered"
    again = client.post(f"/icp/cases/{c.number}/", {"action": "report", "year": 2011, "quarter": 3,
                                                     "percent_complete": 40, "text": "more"}, follow=True)
    assert f"case {c.number} already has a report for 2011 Q3" in again.content.decode()
    assert client.post(f"/icp/cases/{c.number}/", {"action": "reverse", "entry": 1, "reason": "x"}).status_code == 403


def test_reviewer_sees_only_their_panels_items(client, officer):
    call = s.demand_call_open(year=2012, quarter=1)
    seats = (["industrial_development_bureau", "department_of_industrial_technology"] + ["research_institute"] * 3
             + ["academic"] * 2)
    panel = []
    for aff in seats:
        u = f.user(role=Role.REVIEWER)
        s.panel_seat_assign(call=call, reviewer=u, affiliation=aff)
        panel.append(u)
    item = s.demand_item_submit(call=call, number="DI-1", proposer_name="ITRI", proposer_kind="foundation",
                                basis="ministry", field="industry", title_en="Rail inspection", title_zh="軌道檢測")
    client.force_login(panel[0])
    response = client.post("/icp/demand-items/review/", {"action": "score", "call": call.pk, "item": item.pk,
                                                          "score": "77.5"})
    assert response.status_code == 302
    client.force_login(panel[1])
    client.post("/icp/demand-items/review/", {"action": "score", "call": call.pk, "item": item.pk, "score": "90"})
    html = client.get(f"/icp/demand-items/review/?call={call.pk}").content.decode()
    assert "Rail inspection" in html and "77.5" not in html and 'value="90.0"' in html
    client.force_login(f.user(role=Role.REVIEWER))
    assert client.get("/icp/demand-items/review/").status_code == 403


@pytest.mark.parametrize("n", [1, 3])
def test_agreement_list_query_count_does_not_grow_with_rows(client, officer, n):
    for _ in range(n):
        a = f.agreement()
        f.case(a, ready_by=officer)
    client.force_login(officer)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/icp/agreements/").status_code == 200
    assert len(queries) == 7  # session, user, profile, unread count, count, agreements, grouped sums


def test_chinese_page_shows_translated_labels(client, officer):
    client.force_login(officer)
    html = client.get("/zh-hant/icp/", HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    assert "工業合作計畫" in html and "推動小組會議" in html


def test_officer_records_an_agreement_and_files_a_case_plan_with_its_lines(client, officer):
    client.force_login(officer)
    response = client.post("/icp/agreements/new/", {
        "number": "ICP-2026-01", "new_contractor": "Nordhavn Rail", "new_contractor_country": "DE",
        "purchase_en": "Tilting trains", "procuring_agency": "TRA", "obligation": "12,500,000", "unit": "USD",
        "defence_share_target": 34, "signed_on": "2026-01-15"})
    assert response["Location"] == "/icp/agreements/ICP-2026-01/"
    lines = {"lines-TOTAL_FORMS": 4, "lines-INITIAL_FORMS": 0, "lines-MIN_NUM_FORMS": 0, "lines-MAX_NUM_FORMS": 8}
    case = {"number": "IC-2026-001", "title_en": "Bogie plant", "field": "industry", "recipients": "TRSC",
            "submitted_on": "2026-02-01", **lines}
    refused = client.post("/icp/agreements/ICP-2026-01/cases/new/", {**case, "lines-0-category": "training",
                                                                      "lines-0-value": "abc"})
    assert "case IC-2026-001, line 1 value: &#x27;abc&#x27; is not a number" in refused.content.decode()
    response = client.post("/icp/agreements/ICP-2026-01/cases/new/", {
        **case, "lines-0-category": "technology_transfer", "lines-0-value": "1,000,000", "lines-0-multiplier": "3",
        "lines-1-category": "training", "lines-1-value": "200000", "lines-1-multiplier": "1"})
    assert response["Location"] == "/icp/cases/IC-2026-001/"
    from clusterbridge.offsets.models import CasePlan

    plan = CasePlan.objects.get(number="IC-2026-001")
    assert (plan.claimed, plan.lines.count(), plan.agreement.contractor.name) == (Decimal("3200000.00"), 2,
                                                                                 "Nordhavn Rail")
    page = f"/icp/cases/{plan.number}/"
    client.post(page, {"action": "check", "item": "format", "passed": "on", "evidence": "letter 2026-001"})
    assert plan.checks.get().evidence == "letter 2026-001"
    experts = [s.expert_create(name=f"Expert {i}") for i in range(4)]
    few = client.post(page, {"action": "subcommittee", "sector": "rail", "held_on": "2026-03-01",
                             "experts": [e.pk for e in experts]}, follow=True)
    assert "the subcommittee has 4 reviewers; it needs 5 to 7" in few.content.decode()
    experts.append(s.expert_create(name="Official", is_expert=False))
    client.post(page, {"action": "subcommittee", "sector": "rail", "held_on": "2026-03-01",
                       "experts": [e.pk for e in experts]})
    review = plan.reviews.get()
    client.post(page, {"action": "outcome", "review": review.pk, "outcome": "to_group"})
    review.refresh_from_db()
    assert (review.seats.count(), review.outcome) == (5, "to_group")


def test_officer_submits_a_demand_item_and_seats_a_panellist(client, officer):
    client.force_login(officer)
    response = client.post("/icp/demand-items/new/", {
        "number": "DI-2026-001", "proposer_name": "ITRI", "proposer_kind": "foundation", "basis": "ministry",
        "field": "industry", "title_zh": "軌道檢測", "benefits": ["technology_transfer", "training"]})
    assert response.status_code == 302
    from clusterbridge.offsets.models import DemandItem

    item = DemandItem.objects.get()
    assert (item.title_zh, item.benefits, item.status) == ("軌道檢測", ["technology_transfer", "training"],
                                                           "in_review")
    reviewer = f.user("rev", role=Role.REVIEWER)
    client.post(f"/icp/demand-items/review/?call={item.call_id}", {"action": "seat", "call": item.call_id,
                                                                     "reviewer": reviewer.pk, "affiliation": "academic"})
    assert list(item.call.seats.values_list("reviewer__username", "affiliation")) == [("rev", "academic")]


def test_points_use_taiwan_grouping_in_chinese(client, officer):
    a = f.agreement(obligation="12345678.5")
    client.force_login(officer)
    html = client.get(f"/zh-hant/icp/agreements/{a.number}/").content.decode()
    assert "12,345,679" in html  # figures are whole points on every page; the ledger's rows keep the cents
    assert "12,345,678.50" not in html


def test_one_figure_one_format_on_the_agreement_list_and_page(client, officer):
    """The list and the page show the same approved total, whole, in both languages."""
    a = f.agreement(obligation="90000000")
    c = f.case(a, value="70000000.40", ready_by=officer)
    f.decide(c, "pre_approval", "61420017.40", by=officer)
    f.decide(c, "actual_approval", "61420017.40", by=officer)
    f.decide(c, "credit_retention", "500000", by=officer)
    client.force_login(officer)
    for prefix in ("", "/zh-hant"):
        listing = client.get(f"{prefix}/icp/agreements/").content.decode()
        page = client.get(f"{prefix}/icp/agreements/{a.number}/").content.decode()
        stats = page.split('<dl class="stats">')[1].split("</dl>")[0]
        assert "61,420,017" in listing and "61,420,017" in stats
        assert "61,420,017.40" not in listing + stats
        assert "60,920,017" in stats  # counted against the obligation, named as such
        assert "61,420,017.40" in page  # the ledger's row, as recorded


def test_progress_records_checkpoints_visits_fees_and_briefing_through_the_pages(client, officer):
    a = f.agreement(signed_on=dt.date(2026, 1, 5))
    contractor = f.user("acme", role=Role.CONTRACTOR)
    a.contractor.users.add(contractor)
    c = f.case(a, ready_by=officer)
    page = f"/icp/cases/{c.number}/"
    client.force_login(contractor)
    due = timezone.localdate() + dt.timedelta(days=30)
    client.post(page, {"action": "checkpoint", "due_on": due.isoformat(), "description": "Tooling delivered"})
    assert client.post(page, {"action": "visit", "visited_on": "2026-03-01", "recipient": "x"}).status_code == 403
    client.force_login(officer)
    client.post(page, {"action": "checkpoint_done", "checkpoint": c.checkpoints.get().pk, "on": "2026-06-20"})
    assert c.checkpoints.get().verified_by == officer  # an officer's record is verified at once
    client.post(page, {"action": "visit", "visited_on": "2026-03-01", "recipient": "AIDC", "notes": "line running"})
    client.post(page, {"action": "fee", "recipient": "AIDC", "committed_twd": "1,000,000", "notarised_on": "2026-02-01"})
    fee = c.feedback_fees.get()
    over = client.post(page, {"action": "payment", "fee": fee.pk, "amount_twd": "1000000.01", "paid_on": "2026-07-01"},
                       follow=True)
    assert "would exceed the commitment" in over.content.decode()
    client.post(page, {"action": "payment", "fee": fee.pk, "amount_twd": "400000", "paid_on": "2026-07-01"})
    client.post(f"/icp/agreements/{a.number}/", {"briefing_held_on": "2026-03-20"})
    a.refresh_from_db()
    assert (c.checkpoints.get().done_on, c.visits.get().recipient, fee.payments.get().amount_twd,
            a.briefing_held_on) == (dt.date(2026, 6, 20), "AIDC", Decimal("400000.00"), dt.date(2026, 3, 20))
