"""Checkpoints: the contractor reports, an officer verifies; who and when are kept (issue 17, defect 7)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from clusterbridge.accounts.models import Role
from clusterbridge.offsets import services as s
from tests.factories import offsets as f


@pytest.fixture
def setting(db):
    officer = f.user("officer-cp", role=Role.PROGRAMME_OFFICER)
    contractor = f.user("acme-cp", role=Role.CONTRACTOR)
    stranger = f.user("other-cp", role=Role.CONTRACTOR)
    agreement = f.agreement()
    agreement.contractor.users.add(contractor)
    return officer, contractor, stranger, f.case(agreement, ready_by=officer)


def test_a_contractor_cannot_add_a_past_checkpoint_nor_claim_it_done_before_it_was_set(setting):
    officer, contractor, _, case = setting
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="due today or later"):
        s.checkpoint_add(case=case, due_on=today - dt.timedelta(days=200), description="Tooling", by=contractor)
    point = s.checkpoint_add(case=case, due_on=today + dt.timedelta(days=30), description="Tooling", by=contractor)
    assert (point.added_by, point.added_at is not None) == (contractor, True)
    with pytest.raises(ValidationError, match="before"):
        s.checkpoint_done(checkpoint=point, on=today - dt.timedelta(days=200), by=contractor)
    with pytest.raises(ValidationError, match="still to come"):
        s.checkpoint_done(checkpoint=point, on=today + dt.timedelta(days=1), by=contractor)
    point.refresh_from_db()
    assert point.done_on is None


def test_a_contractors_report_stays_unverified_until_an_officer_verifies_it(setting):
    officer, contractor, _, case = setting
    today = timezone.localdate()
    point = s.checkpoint_add(case=case, due_on=today, description="Line running", by=contractor)
    point = s.checkpoint_done(checkpoint=point, on=today, by=contractor)
    assert point.unverified and point.done_reported_by == contractor and point.done_reported_at is not None
    with pytest.raises(PermissionDenied):
        s.checkpoint_verify(checkpoint=point, by=contractor, accept=True)
    point = s.checkpoint_verify(checkpoint=point, by=officer, accept=True)
    assert (point.unverified, point.verified_by) == (False, officer)
    with pytest.raises(ValidationError, match="verified"):
        s.checkpoint_done(checkpoint=point, on=today, by=contractor)


def test_an_officer_may_record_the_past_and_send_a_report_back(setting):
    officer, contractor, stranger, case = setting
    point = s.checkpoint_add(case=case, due_on=dt.date(2011, 6, 1), description="Kick-off", by=officer)
    with pytest.raises(PermissionDenied):
        s.checkpoint_done(checkpoint=point, on=dt.date(2011, 6, 1), by=stranger)
    with pytest.raises(ValidationError, match="submitted"):
        s.checkpoint_add(case=case, due_on=dt.date(2010, 1, 1), description="Before the case", by=officer)
    with pytest.raises(ValidationError, match="when it was set"):
        s.checkpoint_done(checkpoint=point, on=dt.date(2011, 6, 1), by=contractor)
    s.checkpoint_done(checkpoint=point, on=timezone.localdate(), by=contractor)
    point = s.checkpoint_verify(checkpoint=point, by=officer, accept=False)
    assert (point.done_on, point.done_reported_by, point.verified_at) == (None, None, None)
    point = s.checkpoint_done(checkpoint=point, on=dt.date(2011, 6, 1), by=officer)
    assert point.verified_by == officer and not point.unverified


def test_the_case_page_shows_unverified_reports_as_such(client, setting):
    officer, contractor, _, case = setting
    today = timezone.localdate()
    page = f"/icp/cases/{case.number}/"
    client.force_login(contractor)
    client.post(page, {"action": "checkpoint", "due_on": today.isoformat(), "description": "Jig delivered"})
    point = case.checkpoints.get()
    answer = client.post(page, {"action": "checkpoint_done", "checkpoint": point.pk, "on": today.isoformat()},
                         follow=True).content.decode()
    assert "not verified" in answer and "Verify</button>" not in answer
    client.force_login(officer)
    html = client.get(page).content.decode()
    assert "not verified" in html and 'value="checkpoint_verify"' in html
    client.post(page, {"action": "checkpoint_verify", "checkpoint": point.pk})
    html = client.get(page).content.decode()
    assert "verified by" in html and "not verified" not in html


def test_reported_checkpoints_wait_on_the_officers_list(client, setting):
    officer, contractor, _, case = setting
    today = timezone.localdate()
    point = s.checkpoint_add(case=case, due_on=today, description="Jig delivered", by=contractor)
    s.checkpoint_done(checkpoint=point, on=today, by=contractor)
    client.force_login(officer)
    assert f"#checkpoint-{point.pk}" in client.get("/icp/").content.decode()
    s.checkpoint_verify(checkpoint=point, by=officer, accept=True)
    assert f"#checkpoint-{point.pk}" not in client.get("/icp/").content.decode()
