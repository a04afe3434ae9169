"""Changing an event after creation: details, sessions and their slots, tables and rooms."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clusterbridge.accounts.models import InboxMessage, Role
from clusterbridge.events import services as s
from clusterbridge.core.models import Job
from clusterbridge.events.models import Booking, Meeting, ScheduleRun, Slot

from tests.factories import events as f
from .test_services import _schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser():
    return f.person("organiser", role=Role.PROGRAMME_OFFICER)


def _at(hour, minute=0):
    return dt.datetime(2099, 6, 5, hour, minute, tzinfo=f.TAIPEI)


def _slots(ev):
    return [(x.index, x.session.name, x.starts_at.astimezone(f.TAIPEI).strftime("%H:%M"))
            for x in ev.slots.select_related("session").order_by("index")]


def _published(ev, organiser, pairs, n=4):
    regs = [f.participant(ev, organiser) for _ in range(n)]
    for i, j in pairs:
        f.agreed(regs[i], regs[j])
    s.schedule_publish(run=_schedule(ev, organiser), by=organiser)
    InboxMessage.objects.all().delete()
    return regs


def test_a_session_added_before_the_others_numbers_the_slots_again_and_keeps_unavailability(organiser):
    ev = f.event(organiser, slots=2)
    reg = f.participant(ev, organiser)
    second_pm_slot = ev.slots.get(index=2)
    s.availability_set(registration=reg, unavailable=[second_pm_slot])
    s.session_add(event=ev, name="AM", starts_at=_at(9), slot_count=2, slot_minutes=30, pause_minutes=5, by=organiser)
    assert _slots(ev) == [(1, "AM", "09:00"), (2, "AM", "09:35"), (3, "PM", "14:00"), (4, "PM", "14:20")]
    assert [x.index for x in reg.unavailable.all()] == [4]
    assert reg.unavailable.get().pk == second_pm_slot.pk


def test_overlapping_or_duplicate_sessions_are_refused_and_nothing_changes(organiser):
    ev = f.event(organiser, slots=3)  # 14:00-15:00
    with pytest.raises(s.EventError) as error:
        s.session_add(event=ev, name="Late", starts_at=_at(14, 40), slot_count=2, by=organiser)
    assert error.value.messages == ["session Late starts before session PM ends (2099-06-05 15:00)"]
    with pytest.raises(s.EventError) as error:
        s.session_add(event=ev, name="PM", starts_at=_at(17), slot_count=2, by=organiser)
    assert error.value.messages == ["Matchmaking already has a session called PM"]
    with pytest.raises(s.EventError) as error:
        s.session_add(event=ev, name="Eve", starts_at=_at(17), slot_count=0, by=organiser)
    assert error.value.messages == ["session Eve: 1 to 200 slots"]
    assert (ev.sessions.count(), _slots(ev)) == (1, [(1, "PM", "14:00"), (2, "PM", "14:20"), (3, "PM", "14:40")])


def test_moving_a_session_keeps_its_meetings_and_tells_their_participants(organiser):
    ev = f.event(organiser, slots=3, tables=2)
    regs = _published(ev, organiser, [(0, 1)])
    meeting = ev.meetings.get()
    position = meeting.slot.index
    counts = s.session_update(session=ev.sessions.get(), starts_at=_at(15), slot_minutes=25, slot_count=4,
                              pause_minutes=5, by=organiser)
    assert counts == {"slots": 4, "retimed_slots": 3, "notified": 2}
    assert _slots(ev) == [(1, "PM", "15:00"), (2, "PM", "15:30"), (3, "PM", "16:00"), (4, "PM", "16:30")]
    meeting.refresh_from_db()
    assert (meeting.status, meeting.slot.index) == ("scheduled", position)
    assert Booking.objects.filter(slot=meeting.slot).count() == 2
    told = set(InboxMessage.objects.filter(subject="Matchmaking: your meeting times changed")
               .values_list("recipient_id", flat=True))
    assert told == {regs[0].person_id, regs[1].person_id}


def test_slots_holding_meetings_cannot_be_cut_and_the_refusal_changes_nothing(organiser):
    ev = f.event(organiser, slots=3, tables=1)
    _published(ev, organiser, [(0, 1), (2, 3), (0, 2)])  # one table: three meetings fill the three slots
    session = ev.sessions.get()
    with pytest.raises(s.EventError) as error:
        s.session_update(session=session, starts_at=_at(9), slot_minutes=20, slot_count=1, pause_minutes=0,
                         by=organiser)
    assert error.value.messages == ["slots 2–3 of session PM hold 2 scheduled meeting(s); "
                                    "cancel them or re-schedule into fewer slots first"]
    assert _slots(ev) == [(1, "PM", "14:00"), (2, "PM", "14:20"), (3, "PM", "14:40")]
    assert InboxMessage.objects.count() == 0
    with pytest.raises(s.EventError) as error:
        s.session_delete(session=session, by=organiser)
    assert error.value.messages == ["an event needs at least one session"]


def test_removing_a_session_without_meetings(organiser):
    ev = f.event(organiser, slots=2)
    am = s.session_add(event=ev, name="AM", starts_at=_at(9), slot_count=3, by=organiser)
    _published(ev, organiser, [(0, 1)])
    meeting = ev.meetings.get()
    held_in = meeting.slot.session
    other = am if held_in.name == "PM" else ev.sessions.get(name="PM")
    with pytest.raises(s.EventError) as error:
        s.session_delete(session=held_in, by=organiser)
    assert error.value.messages == [f"session {held_in.name} holds 1 scheduled meeting(s); "
                                    "cancel them or re-schedule first"]
    s.session_delete(session=other, by=organiser)
    assert [x.index for x in ev.slots.all()] == list(range(1, held_in.slot_count + 1))
    assert Slot.objects.filter(session=other).count() == 0


def test_tables_are_added_renamed_and_removed_with_reasons(organiser):
    ev = f.event(organiser, slots=2, tables=2)
    made = s.tables_add(event=ev, tables=2, by=organiser)
    assert [t.name for t in made] == ["Table 3", "Table 4"]
    s.tables_add(event=ev, tables=["Room Taipei 101"], by=organiser)
    with pytest.raises(s.EventError) as error:
        s.tables_add(event=ev, tables=["Table 1", "Room Taipei 101"], by=organiser)
    assert error.value.messages == ["Matchmaking already has a table or room called Room Taipei 101, Table 1"]
    regs = _published(ev, organiser, [(0, 1)])
    busy = ev.meetings.get().table
    s.table_update(table=busy, name="Booth A", link="https://meet.example.org/a", by=organiser)
    assert InboxMessage.objects.filter(subject="Matchmaking: your meeting place changed").count() == 2
    assert set(InboxMessage.objects.values_list("recipient_id", flat=True)) == {regs[0].person_id, regs[1].person_id}
    other = ev.tables.exclude(pk=busy.pk).first()
    with pytest.raises(s.EventError) as error:
        s.table_update(table=other, name="Booth A", by=organiser)
    assert error.value.messages == ["Matchmaking already has a table or room called Booth A"]
    with pytest.raises(ValidationError):
        s.table_update(table=other, name="Room 2", link="not a link", by=organiser)
    with pytest.raises(s.EventError) as error:
        s.table_delete(table=busy, by=organiser)
    assert error.value.messages == ["Booth A holds 1 scheduled meeting(s); re-schedule or cancel them first"]
    s.table_delete(table=other, by=organiser)
    assert ev.tables.count() == 4


def test_a_layout_change_supersedes_a_finished_proposal_and_waits_for_a_running_one(organiser):
    ev = f.event(organiser, slots=3, tables=2)
    a, b = f.participant(ev, organiser), f.participant(ev, organiser)
    f.agreed(a, b)
    run = _schedule(ev, organiser)
    s.tables_add(event=ev, tables=1, by=organiser)
    run.refresh_from_db()
    assert run.status == ScheduleRun.Status.SUPERSEDED
    with pytest.raises(s.EventError) as error:
        s.schedule_publish(run=run, by=organiser)
    assert error.value.messages == ["this run is superseded; only a finished run can be published"]
    running = s.schedule_run_create(event=ev, by=organiser, time_limit=5)
    Job.objects.filter(pk=running.job_id).update(status=Job.Status.RUNNING)
    with pytest.raises(s.EventError) as error:
        s.session_add(event=ev, name="Eve", starts_at=_at(18), slot_count=2, by=organiser)
    assert error.value.messages == ["the scheduler is running on the present slots and tables; "
                                    "wait for it or stop it first"]
    assert Meeting.objects.filter(status="scheduled").count() == 0


def test_event_details_change_with_their_rules_checked(organiser):
    ev = f.event(organiser)
    s.event_update(event=ev, by=organiser, venue="TaiNEX 2", max_meetings=6, allowed_countries=["tw", "fr"],
                   registration_closes=dt.datetime(2099, 2, 1, tzinfo=f.TAIPEI))
    ev.refresh_from_db()
    assert (ev.venue, ev.max_meetings, ev.allowed_countries) == ("TaiNEX 2", 6, ["TW", "FR"])
    with pytest.raises(ValidationError):
        s.event_update(event=ev, by=organiser, registration_closes=dt.datetime(2019, 1, 1, tzinfo=f.TAIPEI))
    with pytest.raises(s.EventError) as error:
        s.event_update(event=ev, by=organiser, kinds=["B2X"])
    assert error.value.messages == ["kinds of matchmaking must be among C2C, C2B, B2B (got B2X)"]
    ev.refresh_from_db()
    assert ev.registration_closes == dt.datetime(2099, 2, 1, tzinfo=f.TAIPEI)


def test_only_organisers_change_an_event(organiser):
    ev = f.event(organiser)
    member = f.person()
    with pytest.raises(PermissionDenied):
        s.tables_add(event=ev, tables=1, by=member)
    with pytest.raises(PermissionDenied):
        s.event_update(event=ev, by=member, venue="elsewhere")
    with pytest.raises(PermissionDenied):
        s.session_delete(session=ev.sessions.get(), by=member)
