"""An ICP officer records a promotion-group meeting, and a contractor files a progress report,
in a real browser."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from clusterbridge.accounts.models import Profile, Role
from clusterbridge.offsets.models import CreditEntry, ProgressReport
from tests.browser.pages import login
from tests.factories import offsets as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _person(name, role):
    user = get_user_model().objects.create_user(name, password="a-long-password-1")
    Profile.objects.create(user=user, role=role)
    return user


def test_officer_records_a_promotion_group_meeting(page, live_server):
    officer = _person("icp", Role.PROGRAMME_OFFICER)
    case = f.case(f.agreement(obligation="5000000"), value="2000000", ready_by=officer)
    login(page, live_server, "icp", "/icp/meetings/")
    page.get_by_label("Meeting date").fill("2011-03-17")
    page.get_by_role("button", name="Record a meeting").click()
    assert page.locator("h1").inner_text() == "Promotion group meeting 2011-03-17"
    assert case.number in page.locator("#decision-form").inner_text()  # offered as ready for pre-approval
    page.get_by_label("Case number").fill(case.number)
    page.get_by_label("Decision").select_option("pre_approval")
    page.get_by_label("Credits (points)").fill("2,500,000")
    page.get_by_role("button", name="Record decision").click()
    assert "would exceed the claim: 2,000,000.00 claimed" in page.get_by_role("alert").inner_text()
    page.get_by_label("Credits (points)").fill("1,800,000")
    page.get_by_role("button", name="Record decision").click()
    assert page.locator(".message").inner_text() == f"Decision recorded for {case.number}."
    assert "1,800,000" in page.locator("#decisions").inner_text()
    page.get_by_label("Minutes approved on").fill("2011-03-25")
    page.get_by_role("button", name="Minutes approved").click()
    page.get_by_label("Credit database updated on").fill("2011-03-30")
    page.get_by_role("button", name="Apply decisions").click()
    assert page.locator(".message").inner_text() == "Credit database updated: 1 ledger entries."
    page.get_by_role("link", name=case.number).click()
    assert page.locator(".tag").inner_text() == "Pre-approved"
    ledger = page.locator("table").nth(1).inner_text()
    assert "2011-03-30" in ledger and "+1,800,000" in ledger
    entry = CreditEntry.objects.get()
    assert (entry.recorded_by, entry.effective_on) == (officer, dt.date(2011, 3, 30))


def test_contractor_files_a_progress_report_in_chinese(page, live_server):
    officer = _person("icp", Role.PROGRAMME_OFFICER)
    contractor = _person("acme", Role.CONTRACTOR)
    agreement = f.agreement()
    agreement.contractor.users.add(contractor)
    case = f.case(agreement, ready_by=officer)
    f.decide(case, "pre_approval", "800", by=officer)
    other = f.case(f.agreement(), ready_by=officer)
    login(page, live_server, "acme", "/icp/")
    page.get_by_role("button", name="中文").click()
    assert page.locator("h1").inner_text().startswith("工業合作計畫")
    page.get_by_role("link", name=agreement.number).first.click()
    assert other.number not in page.content()
    page.get_by_role("link", name=case.number, exact=True).first.click()
    page.get_by_label("年度").fill("2011")
    page.get_by_label("季", exact=True).select_option("2")
    page.get_by_label("完成度（%）").fill("45")
    page.get_by_label("本季執行內容").fill("治具已交付，完成第一批技術移轉訓練。")
    page.get_by_role("button", name="提交報告").click()
    assert page.locator(".message").inner_text() == "進度報告已提交。"
    assert "2011 Q2 · 45 %" in page.locator(".cards").inner_text()
    report = ProgressReport.objects.get()
    assert (report.case, report.filed_by, report.percent_complete) == (case, contractor, 45)
    assert page.goto(f"{live_server.url}/zh-hant/icp/cases/{other.number}/").status == 404
