"""Two officers apply two meetings' decisions on one case at the same moment (PostgreSQL)."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from clusterbridge.offsets import services as s
from clusterbridge.offsets.models import CreditEntry

from tests.factories import offsets as f


@pytest.mark.django_db(transaction=True)
def test_concurrent_updates_cannot_pre_approve_more_than_claimed():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises every writer")
    officer = f.user("icp-officer")
    case = f.case(f.agreement(), value="1000", ready_by=officer)
    meetings = []
    for day in (17, 18):
        meeting = s.meeting_create(held_on=dt.date(2011, 3, day))
        s.decision_record(meeting=meeting, case=case, kind="pre_approval", amount="700", by=officer)
        s.meeting_minutes_approve(meeting=meeting, on=dt.date(2011, 3, 25))
        meetings.append(meeting)
    barrier = threading.Barrier(2)
    outcomes = []

    def apply(meeting):
        try:
            barrier.wait()
            s.meeting_decisions_apply(meeting=meeting, on=dt.date(2011, 3, 30), by=officer)
            outcomes.append("applied")
        except s.OffsetsError as error:
            outcomes.append(error.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=apply, args=(m,)) for m in meetings]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["applied", f"case {case.number}, Pre-approval: pre-approving 700.00 would exceed "
                                           "the claim: 1,000.00 claimed, 700.00 already pre-approved or approved"]
    assert [e.pre_approved_after for e in CreditEntry.objects.filter(case=case)] == [Decimal("700.00")]
