import datetime as dt

import pytest

from clusterbridge.accounts.models import ContactDataView, InboxMessage, Role
from clusterbridge.events import services as es
from clusterbridge.outcomes.services import meeting_rate
from tests.factories import events as ef


@pytest.fixture
def mia(db, mailoutbox):
    """A participant with a bit of everything: a membership, a registration with a met partner and a
    message, a contact entry under her address that someone saw, an inbox notice, a rating."""
    officer = ef.person("olivia", role=Role.PROGRAMME_OFFICER)
    ev = ef.past_event(officer, dt.timedelta(hours=2), slots=3, tables=2)
    mine = ef.participant(ev, officer, "FR", name="Techtera")
    theirs = ef.participant(ev, officer, "TW", name="TPCA")
    user = mine.person
    user.username, user.email, user.first_name, user.last_name = "mia", "mia.dupont@techtera.org", "Mia", "Dupont"
    user.save()
    type(mine).objects.filter(pk=mine.pk).update(attendee_role="Head of projects", seeking="Smart textiles")
    request = es.meeting_request_send(sender=mine, recipient=theirs, by=user)
    es.request_message_post(request=request, by=user, body="Mia here: my mobile is +33 6 12 34 56 78")
    es.meeting_request_answer(request=request, accept=True, by=theirs.person)
    es.schedule_publish(run=ef.schedule(ev, officer), by=officer)
    request.refresh_from_db()
    contact = mine.organisation.contacts.create(name="Mia Dupont", email="MIA.DUPONT@techtera.org", phone="+33 4 00")
    ContactDataView.objects.create(contact=contact, viewer=theirs.person, fields="email,phone", where="/x/")
    meeting_rate(meeting=request.meeting, by=user, rating="cooperation_possible", comment="Good talk")
    InboxMessage.objects.create(recipient=user, subject="Hello", body="A notice")
    mailoutbox.clear()
    return {"user": user, "officer": officer, "registration": mine, "partner": theirs, "request": request,
            "contact": contact}
