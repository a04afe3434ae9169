"""Acceptance: the 2011 records of programme-facts, entered through the services, give the
published per-meeting figures exactly, and the year report shows the difference from the
published annual totals."""

import datetime as dt
from decimal import Decimal

import pytest

from clusterbridge.offsets import selectors as sel
from clusterbridge.offsets.demo import load_demo_icp
from clusterbridge.offsets.models import DemandCall

D = Decimal


@pytest.mark.django_db
def test_2011_year_report_reproduces_the_published_meetings(client):
    assert load_demo_icp() is True
    assert load_demo_icp() is False  # idempotent
    report = sel.year_report(2011)
    assert [f.meeting.held_on for f in report.meetings] == [dt.date(2011, 3, 17), dt.date(2011, 6, 2),
                                                            dt.date(2011, 9, 8), dt.date(2011, 11, 29)]
    for f in report.meetings:
        assert f.published != []
        assert [(k, mine) for k, mine, theirs in f.published if mine != theirs] == []
    pre = [f.points["pre_approval"]["USD"] for f in report.meetings]
    assert pre == [D("26726856"), D("69884223"), D("223250000"), D("147592430")]
    assert sum(pre) == D("467453509")
    assert report.meetings[2].points["actual_approval"] == {"USD": D("13926904"), "TWD": D("199162419")}
    # The fourth meeting updated the database 7 days after the minutes (published dates): shown as late.
    assert [f.days_to_update for f in report.meetings] == [5, 5, 4, 7]
    assert [f.overdue for f in report.meetings] == [False, False, False, True]
    differences = {k: (mine, diff) for k, mine, _theirs, _rounded, diff in report.differences}
    assert differences["pre_approved_usd_points"] == (D("467453509"), D("-3546491"))
    assert differences["actually_approved_usd_points"] == (D("505444067"), D("2444067"))
    assert differences["pre_approved_cases"] == (D("15"), D("-3"))
    assert differences["agreements_signed"] == (D("8"), D("0"))
    # The demand-item quarters as published, with Q2's seventh reserved item withdrawn explicitly.
    summaries = [sel.demand_call_summary(c) for c in DemandCall.objects.filter(year=2011)]
    assert [(x["reviewed"], x["priority"], x["general"], x["reserved"], x["excluded"]) for x in summaries] == [
        (15, 2, 3, 2, 8), (35, 2, 13, 7, 13), (22, 4, 1, 0, 17), (14, 5, 0, 0, 9)]
    assert [x["carried_in"] for x in summaries] == [0, 2, 7, 0]
    assert summaries[2]["withdrawn"] == 1
    assert sel.demand_items_published().count() == 2 + 3 + 2 + 13 + 4 + 1 + 5


@pytest.mark.django_db
def test_2011_report_page_and_exports(client):
    load_demo_icp()
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="officer"))
    page = client.get("/icp/reports/2011/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('title="as published">✔') == 4
    assert "467,453,509" in html and "about 471 million" in html and "-3,546,491" in html
    assert "億" not in html  # the published rounding, in the reader's language
    chinese = client.get("/zh-hant/icp/reports/2011/").content.decode()
    assert "約 4.71 億" in chinese and "about" not in chinese
    xlsx = client.get("/icp/reports/2011.xlsx")
    assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(xlsx.content))
    assert book.sheetnames == ["meetings", "categories", "published vs computed"]
    rows = list(book["meetings"].iter_rows(values_only=True))
    assert ("2011-11-29", "pre_approval", 7, 147592430, 0) in rows
    pdf = client.get("/icp/reports/2011.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert client.get("/icp/reports/2011.doc").status_code == 404
