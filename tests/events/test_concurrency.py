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
    barrier = threading.Barrier(2)
    outcomes = []

    def accept(request, who):
        try:
            barrier.wait()
            s.meeting_request_answer(request=request, accept=True, by=who.person)
            outcomes.append("accepted")
        except s.EventError as error:
            outcomes.append(error.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(r, who)) for r, who in zip(requests, (b, c))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == sorted(["accepted", f"{a} already has the maximum of 1 meetings"])
    assert ev.meetings.count() == 1
