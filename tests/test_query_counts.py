"""List pages ask the database the same number of times for 1 item as for 3 (no query per row)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import events as ef
from tests.factories import offsets as of

pytestmark = pytest.mark.django_db


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


def _event_with(n: int):
    organiser = ef.person()
    ev = ef.event(organiser, slots=4, tables=2)
    me = ef.participant(ev, organiser)
    others = [ef.participant(ev, organiser, country="TW") for _ in range(n)]
    for other in others:
        ef.agreed(me, other)
    ef.participant(ev, organiser, approve=False)  # waiting for approval, on the organise page
    return organiser, ev, me


@pytest.mark.parametrize("page", ["participants", "requests", "organise"])
def test_event_pages_query_count_does_not_grow_with_rows(client, page):
    counts = []
    for n in (1, 3):
        organiser, ev, me = _event_with(n)
        client.force_login(organiser if page == "organise" else me.person)
        path = f"/events/{ev.slug}/{page}/"
        _queries(client, path)  # caches and partner search's index warmed (it follows the new
        _queries(client, path)  # profiles on the first request, and their analysis on the next)
        counts.append(_queries(client, path))
    assert counts[0] == counts[1]


def test_icp_case_and_meeting_pages_query_count_does_not_grow_with_rows(client):
    officer = of.user("icp")
    client.force_login(officer)
    case_counts, meeting_counts = [], []
    for n in (1, 3):
        agreement = of.agreement()
        case = of.case(agreement, ready_by=officer)
        held_on = dt.date(2012, 1, 1) + dt.timedelta(days=10 * n)
        meeting = of.decide(case, "pre_approval", "100", by=officer, held_on=held_on)
        for _ in range(n - 1):
            other = of.case(agreement, ready_by=officer)
            of.s.decision_record(meeting=meeting, case=other, kind="pre_approval", amount="100", by=officer)
        for i in range(n):
            of.s.checkpoint_add(case=case, due_on=dt.date(2012, 6, 1) + dt.timedelta(days=i), description=f"step {i}",
                              by=officer)
        case_counts.append(_queries(client, f"/icp/cases/{case.number}/"))
        meeting_counts.append(_queries(client, f"/icp/meetings/{held_on.isoformat()}/"))
    assert case_counts[0] == case_counts[1]
    assert meeting_counts[0] == meeting_counts[1]
