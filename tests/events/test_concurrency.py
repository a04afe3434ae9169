"""Two people accept the last place of a participant at the same moment (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from clusterbridge.accounts.models import Role
from clusterbridge.events import services as s

from tests.factories import events as f


@pytest.mark.django_db(transaction=True)
def test_concurrent_accepts_cannot_exceed_the_maximum(mailoutbox):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises every writer")
    organiser = f.person("organiser", role=Role.PROGRAMME_OFFICER)
    ev = f.event(organiser, max_meetings=1)
    a, b, c = (f.participant(ev, organiser) for _ in range(3))
    requests = [s.meeting_request_send(sender=a, recipient=other, by=a.person) for other in (b, c)]
    outcomes = _race(*(lambda r=r, who=who: s.meeting_request_answer(request=r, accept=True, by=who.person)
                       for r, who in zip(requests, (b, c))))
    assert outcomes == sorted(["ok", f"{a} already has the maximum of 1 meetings"])
    assert ev.meetings.count() == 1


def _race(*calls):
    """Runs the calls at the same moment, each in its own thread and database connection."""
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except s.EventError as error:
            outcomes.append(error.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("trial", range(3))
def test_two_requests_at_once_cannot_give_one_participant_two_meetings(mailoutbox, trial):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises every writer")
    organiser = f.person("organiser", role=Role.PROGRAMME_OFFICER)
    ev = f.event(organiser, max_meetings=1, requests_need_acceptance=False)
    a, b, c = (f.participant(ev, organiser) for _ in range(3))
    outcomes = _race(lambda: s.meeting_request_send(sender=a, recipient=b, by=a.person),
                     lambda: s.meeting_request_send(sender=a, recipient=c, by=a.person))
    assert outcomes == sorted(["ok", f"{a} already has the maximum of 1 meetings"])
    assert ev.meetings.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("trial", range(3))
def test_a_to_b_and_b_to_a_at_once_make_one_request_and_one_meeting(mailoutbox, trial):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises every writer")
    organiser = f.person("organiser", role=Role.PROGRAMME_OFFICER)
    ev = f.event(organiser, requests_need_acceptance=False)
    a, b = f.participant(ev, organiser), f.participant(ev, organiser)
    outcomes = _race(lambda: s.meeting_request_send(sender=a, recipient=b, by=a.person),
                     lambda: s.meeting_request_send(sender=b, recipient=a, by=b.person))
    assert outcomes[1] == "ok" and outcomes[0].startswith("a request between you and ")
    assert ev.meetings.count() == 1
    assert ev.requests.count() == 1
