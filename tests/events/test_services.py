"""Events: registrations, requests, the event → problem → schedule → meetings round trip."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from clusterbridge.accounts.models import InboxMessage, Role
from clusterbridge.events import selectors as sel
from clusterbridge.events import services as s
from clusterbridge.events.selectors import scheduling_problem
from clusterbridge.events.models import Booking, Meeting, Registration
from clusterbridge.scheduling import check_schedule
from clusterbridge.scheduling.schedule import assignments_from_dict

from tests.factories import events as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser():
    return f.person("organiser", role=Role.PROGRAMME_OFFICER)


def test_event_slots_follow_the_sessions_with_their_pauses(organiser):
    ev = f.event(organiser, sessions=[
        {"name": "AM", "starts_at": dt.datetime(2099, 6, 5, 9, 0, tzinfo=f.TAIPEI), "slot_minutes": 20,
         "slot_count": 2, "pause_minutes": 10},
        {"name": "PM", "starts_at": dt.datetime(2099, 6, 5, 14, 0, tzinfo=f.TAIPEI), "slot_minutes": 30,
         "slot_count": 1}])
    assert [(s.index, s.session.name, s.starts_at.astimezone(f.TAIPEI).strftime("%H:%M"),
             s.ends_at.astimezone(f.TAIPEI).strftime("%H:%M")) for s in ev.slots.all()] == [
        (1, "AM", "09:00", "09:20"), (2, "AM", "09:30", "09:50"), (3, "PM", "14:00", "14:30")]


def test_registration_rules(organiser):
    ev = f.event(organiser, allowed_countries=["TW", "FR"])
    reg = f.participant(ev, organiser, country="FR")
    with pytest.raises(s.EventError) as error:
        s.registration_create(event=ev, organisation=reg.organisation, person=reg.person)
    assert error.value.messages == [f"{reg} is already registered for Matchmaking"]
    with pytest.raises(s.EventError) as error:
        f.participant(ev, organiser, country="DE")
    assert error.value.messages == ["Matchmaking is open to organisations from TW, FR"]
    from tests.factories.directory import make_org

    stranger = f.person()
    with pytest.raises(PermissionDenied):
        s.registration_create(event=ev, organisation=make_org("x-1", country="TW"), person=stranger)


def test_requests_refused_with_reasons(organiser):
    ev = f.event(organiser, max_meetings=1)
    a, b, c = (f.participant(ev, organiser) for _ in range(3))
    pending = f.participant(ev, organiser, approve=False)
    with pytest.raises(s.EventError) as error:
        s.meeting_request_send(sender=a, recipient=a, by=a.person)
    assert error.value.messages == ["you cannot request a meeting with yourself"]
    with pytest.raises(s.EventError) as error:
        s.meeting_request_send(sender=a, recipient=pending, by=a.person)
    assert error.value.messages == [f"{pending} is not an approved participant of Matchmaking"]
    s.meeting_request_send(sender=a, recipient=b, by=a.person)
    with pytest.raises(s.EventError) as error:
        s.meeting_request_send(sender=b, recipient=a, by=b.person)
    assert error.value.messages == [f"a request between you and {a} is already open"]
    with pytest.raises(s.EventError) as error:
        s.meeting_request_send(sender=a, recipient=c, by=a.person, now=dt.datetime(2100, 1, 1, tzinfo=f.TAIPEI))
    assert error.value.messages[0].startswith("requests closed on 2099-01-01")
    request = ev.requests.get()
    s.meeting_request_answer(request=request, accept=True, by=b.person)
    with pytest.raises(s.EventError) as error:
        s.meeting_request_send(sender=c, recipient=a, by=c.person)
    assert error.value.messages == [f"{a} already has the maximum of 1 meetings"]
    with pytest.raises(PermissionDenied):
        s.meeting_request_send(sender=a, recipient=c, by=c.person)
    assert InboxMessage.objects.filter(recipient=b.person, subject__contains="asks to meet you").count() == 1


def test_only_the_person_asked_answers_and_declining_makes_no_meeting(organiser):
    ev = f.event(organiser)
    a, b = f.participant(ev, organiser), f.participant(ev, organiser)
    request = s.meeting_request_send(sender=a, recipient=b, by=a.person, message="Smart textiles?")
    with pytest.raises(PermissionDenied):
        s.meeting_request_answer(request=request, accept=True, by=a.person)
    s.meeting_request_answer(request=request, accept=False, by=b.person)
    assert (ev.meetings.count(), InboxMessage.objects.filter(recipient=a.person, subject__contains="declined").count()
            ) == (0, 1)


def _schedule(ev, organiser, time_limit=5):
    return f.schedule(ev, organiser, time_limit=time_limit)


def test_round_trip_event_problem_schedule_meetings(organiser):
    ev = f.event(organiser, slots=4, tables=2)
    regs = [f.participant(ev, organiser) for _ in range(5)]
    unavailable = list(ev.slots.filter(index__in=[1, 2]))
    s.availability_set(registration=regs[0], unavailable=unavailable)
    pairs = [(0, 1), (0, 2), (1, 2), (3, 4), (2, 3)]
    for i, j in pairs:
        f.agreed(regs[i], regs[j])
    run = _schedule(ev, organiser)
    assert run.status == "done" and run.result["status"] == "OPTIMAL"
    problem, _start = scheduling_problem(ev, keep_confirmed=False)
    assert check_schedule(problem, assignments_from_dict(run.result)).violations == []
    counts = s.schedule_publish(run=run, by=organiser)
    assert counts["scheduled"] == 5
    meetings = list(ev.meetings.select_related("slot"))
    assert all(m.status == "scheduled" and m.confirmed for m in meetings)
    assert all(m.slot.index in (3, 4) for m in meetings if regs[0].pk in (m.first_id, m.second_id))
    assert Booking.objects.count() == 10
    agenda = sel.agenda(regs[0])
    assert [slot.index for slot, m in agenda if m] == [3, 4]
    assert InboxMessage.objects.filter(subject="Matchmaking: your agenda is ready").count() == 5


def test_the_database_refuses_double_bookings_and_shared_tables(organiser):
    ev = f.event(organiser, slots=2, tables=2)
    a, b, c = (f.participant(ev, organiser) for _ in range(3))
    m1, m2 = f.agreed(a, b), f.agreed(a, c)
    slot, t1 = ev.slots.first(), ev.tables.first()
    Meeting.objects.filter(pk=m1.pk).update(status="scheduled", slot=slot, table=t1)
    Booking.objects.create(meeting=m1, registration=a, slot=slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(meeting=m2, registration=a, slot=slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=m2.pk).update(status="scheduled", slot=slot, table=t1)


def test_rescheduling_keeps_published_meetings_and_notifies_only_changed_agendas(organiser):
    ev = f.event(organiser, slots=4, tables=2)
    regs = [f.participant(ev, organiser) for _ in range(6)]
    for i, j in [(0, 1), (2, 3), (4, 5), (0, 2)]:
        f.agreed(regs[i], regs[j])
    s.schedule_publish(run=_schedule(ev, organiser), by=organiser)
    before = {m.pk: m.slot_id for m in ev.meetings.all()}
    InboxMessage.objects.all().delete()
    s.meeting_request_cancel(request=Meeting.objects.get(first=regs[4]).request, by=regs[4].person)
    f.agreed(regs[1], regs[3])
    run = _schedule(ev, organiser)
    assert run.keep_published is True
    s.schedule_publish(run=run, by=organiser)
    after = {m.pk: m.slot_id for m in ev.meetings.filter(status="scheduled")}
    assert all(after[pk] == before[pk] for pk in after if pk in before)
    notified = set(InboxMessage.objects.filter(subject="Matchmaking: your agenda is changed")
                   .values_list("recipient__username", flat=True))
    assert notified == {regs[1].person.username, regs[3].person.username}
    cancelled = set(InboxMessage.objects.filter(subject="Matchmaking: meeting cancelled")
                    .values_list("recipient__username", flat=True))
    assert cancelled == {regs[4].person.username, regs[5].person.username}


def test_publishing_a_stale_run_changes_nothing(organiser):
    ev = f.event(organiser, slots=3, tables=2)
    a, b, c = (f.participant(ev, organiser) for _ in range(3))
    m = f.agreed(a, b)
    f.agreed(b, c)
    run = _schedule(ev, organiser)
    s.meeting_cancel(meeting=m, by=organiser)
    with pytest.raises(s.EventError) as error:
        s.schedule_publish(run=run, by=organiser)
    assert error.value.messages == ["1 meeting(s) of this run were cancelled since; run the scheduler again"]
    assert (Booking.objects.count(), ev.meetings.filter(status="scheduled").count()) == (0, 0)


def test_impossible_required_meetings_are_explained(organiser):
    ev = f.event(organiser, slots=1, tables=2)
    a, b, c = (f.participant(ev, organiser) for _ in range(3))
    for other in (b, c):
        s.meeting_create(event=ev, first=a, second=other, by=organiser, required=True)
    run = _schedule(ev, organiser)
    assert run.status == "failed"
    assert "2 required meetings" in run.result["reason"] and "1 available slot" in run.result["reason"]


def test_ics_agenda_is_valid_icalendar(organiser, client):
    from icalendar import Calendar

    ev = f.event(organiser, slots=2, tables=1, venue="Taipei")
    a, b = f.participant(ev, organiser, name="Techtera"), f.participant(ev, organiser, name="TPCA")
    f.agreed(a, b)
    s.schedule_publish(run=_schedule(ev, organiser), by=organiser)
    body = client.get(f"/events/feed/{a.feed_token}.ics").content
    cal = Calendar.from_ical(body)
    (item,) = [c for c in cal.walk("VEVENT")]
    assert str(item["summary"]) == "TPCA – Matchmaking"
    assert item.decoded("dtend") - item.decoded("dtstart") == dt.timedelta(minutes=20)
    assert client.get("/events/feed/not-a-token.ics").status_code == 404


def test_withdrawal_cancels_the_participants_meetings(organiser):
    ev = f.event(organiser)
    a, b, c = (f.participant(ev, organiser) for _ in range(3))
    f.agreed(a, b)
    s.meeting_request_send(sender=c, recipient=a, by=c.person)
    assert s.participant_withdraw(registration=a, by=a.person) == 1
    assert (Registration.objects.get(pk=a.pk).status, ev.meetings.get().status,
            ev.requests.get(sender=c).status) == ("withdrawn", "cancelled", "cancelled")


def test_a_participant_with_an_own_booth_meets_everyone_there(organiser):
    ev = f.event(organiser, slots=3, tables=3)
    host, a, b = (f.participant(ev, organiser) for _ in range(3))
    booth = ev.tables.last()
    booth.booth_of = host
    booth.save()
    f.agreed(a, host)
    f.agreed(host, b)
    problem, _start = scheduling_problem(ev, keep_confirmed=False)
    assert [p.location for p in problem.participants] == [str(booth.pk), None, None]
    s.schedule_publish(run=_schedule(ev, organiser), by=organiser)
    assert set(ev.meetings.values_list("table", flat=True)) == {booth.pk}


def test_capacity_waiting_list_and_drafts(organiser):
    ev = f.event(organiser, capacity=1)
    first, second, third = (f.participant(ev, organiser, approve=False) for _ in range(3))
    counts = s.registrations_decide(registrations=[third, second, first], approve=True, by=organiser)
    assert counts == {"approved": 1, "waitlisted": 2, "rejected": 0}
    assert [r.status for r in (first, second, third)] == ["approved", "waitlisted", "waitlisted"]  # oldest first
    s.registration_decide(registration=first, approve=False, by=organiser)  # a place frees up
    second.refresh_from_db()
    assert second.status == "approved"
    s.event_update(event=ev, by=organiser, capacity=2)  # more places: the list moves up
    third.refresh_from_db()
    assert third.status == "approved"
    draft = f.event(organiser, status="draft")
    with pytest.raises(s.EventError, match="not published yet"):
        f.participant(draft, organiser)
    s.event_publish(event=draft, by=organiser)
    assert f.participant(draft, organiser).status == "approved"


def test_request_threads_and_reminders_go_once(organiser, django_capture_on_commit_callbacks):
    from clusterbridge.core.jobs import KINDS, periodic_jobs_start

    ev = f.event(organiser, slots=3, tables=2, registration_closes=dt.datetime.now(dt.timezone.utc)
                 + dt.timedelta(hours=30))
    a, b, c = (f.participant(ev, organiser, name=name) for name in ("Techtera", "TPCA", "Fedustria"))
    request = s.meeting_request_send(sender=a, recipient=b, by=a.person, message="Smart textiles?")
    s.request_message_post(request=request, by=b.person, body="Which fibres do you work with?")
    s.request_message_post(request=request, by=a.person, body="Conductive yarns, mostly.")
    assert [m.side for m in request.thread.all()] == [b, a]
    with pytest.raises(PermissionDenied):
        s.request_message_post(request=request, by=c.person, body="me too")
    with pytest.raises(s.EventError, match="write a message first"):
        s.request_message_post(request=request, by=a.person, body="  ")
    assert InboxMessage.objects.filter(recipient=a.person, kind="events.request_message").count() == 1
    assert s.reminders_send() == {"requests_closing": 1, "meetings_tomorrow": 0}  # b has a request to answer
    assert s.reminders_send() == {"requests_closing": 0, "meetings_tomorrow": 0}  # once
    notice = InboxMessage.objects.get(recipient=b.person, kind="events.requests_closing")
    assert "1 meeting requests wait for your answer" in notice.body
    assert KINDS["events.reminders"].every == 3600
    assert periodic_jobs_start() >= 1 and periodic_jobs_start() == 0  # not again within the hour


def test_the_day_before_each_participant_hears_of_their_first_meeting(organiser):
    soon = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) + dt.timedelta(hours=3)
    ev = f.event(organiser, slots=2, tables=1, sessions=[{"name": "PM", "starts_at": soon, "slot_minutes": 20,
                                                          "slot_count": 2}])
    a, b = f.participant(ev, organiser, name="Techtera"), f.participant(ev, organiser, name="TPCA")
    f.agreed(a, b)
    s.schedule_publish(run=f.schedule(ev, organiser), by=organiser)
    assert s.reminders_send() == {"requests_closing": 0, "meetings_tomorrow": 2}
    assert s.reminders_send()["meetings_tomorrow"] == 0
    body = InboxMessage.objects.get(recipient=a.person, kind="events.meetings_tomorrow").body
    assert body.startswith("You have 1 meetings; the first at ") and "table Table 1" in body
