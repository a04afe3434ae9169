"""Every write of the events app, one transaction each.

The scheduler (`clusterbridge.scheduling`, no Django) is fed a problem built
from the database and its schedule is written back only when the organiser
publishes it, in one transaction that also books each participant's slots.
"""

from __future__ import annotations

import datetime as dt
import threading
import zoneinfo

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from clusterbridge.accounts.models import Membership
from clusterbridge.accounts.selectors import user_is_officer
from clusterbridge.accounts.services import inbox_notify
from clusterbridge.scheduling import Problem, SolveOptions, solve
from clusterbridge.scheduling.problem import Meeting as PMeeting
from clusterbridge.scheduling.problem import Participant as PParticipant
from clusterbridge.scheduling.problem import Slot as PSlot
from clusterbridge.scheduling.schedule import Assignment

from .models import Booking, Event, Meeting, MeetingRequest, Registration, ScheduleRun, Session, Slot, Table


class EventError(ValidationError):
    """A write the event's rules refuse; the message says what and why."""


def _refuse(message: str):
    raise EventError(message)


def _name(registration: Registration) -> str:
    org = registration.organisation
    return org.name_en or org.name_zh


def user_organises(user, event: Event) -> bool:
    return user_is_officer(user) or event.organisers.filter(pk=getattr(user, "pk", None)).exists()


# ------------------------------------------------------------ events

@transaction.atomic
def event_create(*, slug: str, title_en: str, title_zh: str = "", kinds: list[str], registration_opens: dt.datetime,
                 registration_closes: dt.datetime, sessions: list[dict], tables: int | list[str],
                 venue: str = "", online: bool = False, time_zone: str = "Asia/Taipei",
                 requests_need_acceptance: bool = True, max_meetings: int | None = None,
                 allowed_kinds: list[str] = (), allowed_countries: list[str] = (), organiser=None) -> Event:
    """An event with its sessions, their slots (slot length plus pause, in order) and its tables."""
    if not sessions:
        _refuse("an event needs at least one session")
    unknown = [k for k in kinds if k not in ("C2C", "C2B", "B2B")]
    if unknown or not kinds:
        _refuse(f"kinds of matchmaking must be among C2C, C2B, B2B (got {', '.join(unknown) or 'none'})")
    event = Event(slug=slug, title_en=title_en, title_zh=title_zh, kinds=list(kinds), venue=venue, online=online,
                  time_zone=time_zone, registration_opens=registration_opens,
                  registration_closes=registration_closes, requests_need_acceptance=requests_need_acceptance,
                  max_meetings=max_meetings, allowed_kinds=list(allowed_kinds),
                  allowed_countries=[c.upper() for c in allowed_countries])
    event.full_clean()
    event.save()
    if organiser is not None:
        event.organisers.add(organiser)
    index = 0
    previous_end = None
    for n, spec in enumerate(sorted(sessions, key=lambda s: s["starts_at"]), 1):
        if spec.get("slot_count", 0) < 1 or spec.get("slot_minutes", 0) < 5:
            _refuse(f"session {n}: give at least one slot of at least 5 minutes")
        session = Session.objects.create(event=event, name=spec["name"], starts_at=spec["starts_at"],
                                         slot_minutes=spec["slot_minutes"], slot_count=spec["slot_count"],
                                         pause_minutes=spec.get("pause_minutes", 0))
        start = session.starts_at
        if previous_end and start < previous_end:
            _refuse(f"session {spec['name']} starts before the previous session ends")
        slots = []
        for a, b in _session_times(start, session.slot_minutes, session.slot_count, session.pause_minutes):
            index += 1
            slots.append(Slot(event=event, session=session, index=index, starts_at=a, ends_at=b))
        Slot.objects.bulk_create(slots)
        previous_end = slots[-1].ends_at
    names = [f"Table {i}" for i in range(1, tables + 1)] if isinstance(tables, int) else list(tables)
    if not names:
        _refuse("an event needs at least one table or room")
    Table.objects.bulk_create([Table(event=event, name=name) for name in names])
    return event


# ------------------------------------------------------------ changing an event after creation

EVENT_DETAILS = ("title_en", "title_zh", "kinds", "venue", "online", "time_zone", "registration_opens",
                 "registration_closes", "requests_need_acceptance", "max_meetings", "allowed_kinds",
                 "allowed_countries")


def _must_organise(by, event: Event) -> None:
    if not user_organises(by, event):
        raise PermissionDenied("only the event's organisers change the event")


@transaction.atomic
def event_update(*, event: Event, by, **details) -> Event:
    """Changes the event's titles, venue, registration window and rules; its sessions and tables
    have services of their own. Meetings already agreed stay, even beyond a lowered maximum."""
    _must_organise(by, event)
    unknown = sorted(set(details) - set(EVENT_DETAILS))
    if unknown:
        raise TypeError(f"not an event detail: {', '.join(unknown)}")
    if "kinds" in details:
        wrong = [k for k in details["kinds"] if k not in ("C2C", "C2B", "B2B")]
        if wrong or not details["kinds"]:
            _refuse(f"kinds of matchmaking must be among C2C, C2B, B2B (got {', '.join(wrong) or 'none'})")
        details["kinds"] = list(details["kinds"])
    if "allowed_countries" in details:
        details["allowed_countries"] = [c.upper() for c in details["allowed_countries"]]
    if "allowed_kinds" in details:
        details["allowed_kinds"] = list(details["allowed_kinds"])
    if "time_zone" in details and details["time_zone"] not in zoneinfo.available_timezones():
        _refuse(f"{details['time_zone']} is not a time zone")
    event = Event.objects.select_for_update().get(pk=event.pk)
    for name, value in details.items():
        setattr(event, name, value)
    event.full_clean()
    event.save()
    return event


def _layout_locked(event: Event) -> Event:
    """Locks the event for a change of its slots or tables; refused while the scheduler works on them."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.runs.filter(status__in=[ScheduleRun.Status.QUEUED, ScheduleRun.Status.RUNNING]).exists():
        _refuse("the scheduler is running on the present slots and tables; wait for it or stop it first")
    return event


def _layout_changed(event: Event) -> None:
    """A finished proposal was made for the old slots or tables: it can no longer be published."""
    event.runs.filter(status=ScheduleRun.Status.DONE).update(status=ScheduleRun.Status.SUPERSEDED)


def _session_times(starts_at: dt.datetime, slot_minutes: int, slot_count: int,
                   pause_minutes: int) -> list[tuple[dt.datetime, dt.datetime]]:
    times, start = [], starts_at
    for _i in range(slot_count):
        end = start + dt.timedelta(minutes=slot_minutes)
        times.append((start, end))
        start = end + dt.timedelta(minutes=pause_minutes)
    return times


def _check_session_rules(*, name: str, slot_minutes: int, slot_count: int, pause_minutes: int) -> None:
    if not name.strip():
        _refuse("a session needs a name")
    if not 1 <= slot_count <= 200:
        _refuse(f"session {name}: 1 to 200 slots")
    if not 5 <= slot_minutes <= 240:
        _refuse(f"session {name}: a slot lasts 5 to 240 minutes")
    if not 0 <= pause_minutes <= 120:
        _refuse(f"session {name}: a pause is 0 to 120 minutes")


def _append_slots(event: Event, session: Session, times: list[tuple[dt.datetime, dt.datetime]]) -> None:
    """New slots numbered after every present one; `_renumber_slots` puts them in order."""
    top = event.slots.aggregate(top=Max("index"))["top"] or 0
    Slot.objects.bulk_create([Slot(event=event, session=session, index=top + i, starts_at=a, ends_at=b)
                              for i, (a, b) in enumerate(times, 1)])


def _renumber_slots(event: Event) -> None:
    """Slots numbered 1, 2, … in time order, sessions must not overlap. The numbers are what the
    scheduler's problem calls the slots, hence a finished proposal goes with any change."""
    sessions = list(event.sessions.order_by("starts_at").prefetch_related("slots"))
    for before, after in zip(sessions, sessions[1:]):
        last = max(s.ends_at for s in before.slots.all())
        if after.starts_at < last:
            _refuse(f"session {after.name} starts before session {before.name} ends "
                    f"({timezone.localtime(last, zoneinfo.ZoneInfo(event.time_zone)):%Y-%m-%d %H:%M})")
    slots = list(event.slots.order_by("starts_at", "index"))
    Slot.objects.filter(event=event).update(index=F("index") + 100_000)  # clear of the unique numbers first
    for n, slot in enumerate(slots, 1):
        slot.index = n
    Slot.objects.bulk_update(slots, ["index"], batch_size=500)


@transaction.atomic
def session_add(*, event: Event, name: str, starts_at: dt.datetime, slot_count: int, by, slot_minutes: int = 20,
                pause_minutes: int = 0) -> Session:
    """A further session with its slots; the event's slots are numbered again in time order."""
    _must_organise(by, event)
    event = _layout_locked(event)
    name = name.strip()
    _check_session_rules(name=name, slot_minutes=slot_minutes, slot_count=slot_count, pause_minutes=pause_minutes)
    if event.sessions.filter(name=name).exists():
        _refuse(f"{event} already has a session called {name}")
    session = Session.objects.create(event=event, name=name, starts_at=starts_at, slot_minutes=slot_minutes,
                                     slot_count=slot_count, pause_minutes=pause_minutes)
    _append_slots(event, session, _session_times(starts_at, slot_minutes, slot_count, pause_minutes))
    _renumber_slots(event)
    _layout_changed(event)
    return session


@transaction.atomic
def session_update(*, session: Session, starts_at: dt.datetime, slot_minutes: int, slot_count: int,
                   pause_minutes: int, by) -> dict[str, int]:
    """New times or a new number of slots for a session. The n-th slot of the session stays its n-th
    slot, with the participants' unavailability and the meetings held in it; slots beyond a smaller
    number go, refused while one of them holds a scheduled meeting. Participants whose scheduled
    meetings change time are told. Returns counts."""
    event = session.event
    _must_organise(by, event)
    event = _layout_locked(event)
    session = Session.objects.select_for_update().get(pk=session.pk, event=event)
    _check_session_rules(name=session.name, slot_minutes=slot_minutes, slot_count=slot_count,
                         pause_minutes=pause_minutes)
    slots = list(session.slots.order_by("index"))
    dropped = slots[slot_count:]
    held = Meeting.objects.filter(slot__in=dropped, status=Meeting.Status.SCHEDULED).count()
    if held:
        _refuse(f"slots {slot_count + 1}–{len(slots)} of session {session.name} hold {held} scheduled meeting(s); "
                f"cancel them or re-schedule into fewer slots first")
    times = _session_times(starts_at, slot_minutes, slot_count, pause_minutes)
    retimed = [slot for slot, (a, b) in zip(slots, times) if (slot.starts_at, slot.ends_at) != (a, b)]
    for slot, (a, b) in zip(slots, times):
        slot.starts_at, slot.ends_at = a, b
    Slot.objects.bulk_update(slots[:slot_count], ["starts_at", "ends_at"], batch_size=500)
    Slot.objects.filter(pk__in=[x.pk for x in dropped]).delete()
    _append_slots(event, session, times[len(slots):])
    session.starts_at, session.slot_minutes, session.slot_count, session.pause_minutes = (
        starts_at, slot_minutes, slot_count, pause_minutes)
    session.save(update_fields=["starts_at", "slot_minutes", "slot_count", "pause_minutes"])
    _renumber_slots(event)
    _layout_changed(event)
    people = list(Registration.objects.filter(bookings__slot__in=retimed).distinct().select_related("person"))
    inbox_notify(recipients=[r.person for r in people], subject=f"{event}: your meeting times changed",
                 body=f"Session {session.name} now starts at "
                      f"{timezone.localtime(starts_at, zoneinfo.ZoneInfo(event.time_zone)):%Y-%m-%d %H:%M}; "
                      f"your agenda shows the new times.",
                 link=f"/events/{event.slug}/agenda/")
    return {"slots": slot_count, "retimed_slots": len(retimed), "notified": len(people)}


@transaction.atomic
def session_delete(*, session: Session, by) -> None:
    """Removes a session and its slots, refused while one of them holds a scheduled meeting."""
    event = session.event
    _must_organise(by, event)
    event = _layout_locked(event)
    session = Session.objects.select_for_update().get(pk=session.pk, event=event)
    if event.sessions.count() == 1:
        _refuse("an event needs at least one session")
    held = Meeting.objects.filter(slot__session=session, status=Meeting.Status.SCHEDULED).count()
    if held:
        _refuse(f"session {session.name} holds {held} scheduled meeting(s); cancel them or re-schedule first")
    session.delete()
    _renumber_slots(event)
    _layout_changed(event)


@transaction.atomic
def tables_add(*, event: Event, tables: int | list[str], by) -> list[Table]:
    """More tables or rooms: a number (named Table n after the highest such name) or a list of names."""
    _must_organise(by, event)
    event = _layout_locked(event)
    existing = set(event.tables.values_list("name", flat=True))
    if isinstance(tables, int):
        if not 1 <= tables <= 2000:
            _refuse("add 1 to 2,000 tables at a time")
        numbers = [int(n[6:]) for n in existing if n.startswith("Table ") and n[6:].isdigit()]
        first = max(numbers, default=0) + 1
        names = [f"Table {i}" for i in range(first, first + tables)]
    else:
        names = [n.strip() for n in tables if n.strip()]
        if not names:
            _refuse("give the names of the tables or rooms to add")
    taken = sorted(set(names) & existing) + sorted({n for n in names if names.count(n) > 1})
    if taken:
        _refuse(f"{event} already has a table or room called {', '.join(dict.fromkeys(taken))}")
    too_long = [n for n in names if len(n) > 60]
    if too_long:
        _refuse(f"a table's name has at most 60 characters: {too_long[0][:60]}…")
    made = Table.objects.bulk_create([Table(event=event, name=n) for n in names])
    _layout_changed(event)
    return made


@transaction.atomic
def table_update(*, table: Table, name: str, link: str = "", by) -> Table:
    """Renames a table or room, or sets its meeting link; those with meetings at it are told."""
    event = table.event
    _must_organise(by, event)
    event = _layout_locked(event)
    table = Table.objects.select_for_update().get(pk=table.pk, event=event)
    name = name.strip()
    if not name:
        _refuse("a table or room needs a name")
    if event.tables.filter(name=name).exclude(pk=table.pk).exists():
        _refuse(f"{event} already has a table or room called {name}")
    changed = (table.name, table.link) != (name, link)
    old = table.name
    table.name, table.link = name, link
    table.full_clean(exclude=["event", "booth_of"])
    table.save(update_fields=["name", "link"])
    if changed:
        people = list(Registration.objects.filter(bookings__meeting__table=table,
                                                  bookings__meeting__status=Meeting.Status.SCHEDULED)
                      .distinct().select_related("person"))
        inbox_notify(recipients=[r.person for r in people], subject=f"{event}: your meeting place changed",
                     body=f"{old} is now {name}{' (' + link + ')' if link else ''}.",
                     link=f"/events/{event.slug}/agenda/")
    return table


@transaction.atomic
def table_delete(*, table: Table, by) -> None:
    """Removes a table or room, refused while a scheduled meeting is held at it or it is the last one."""
    event = table.event
    _must_organise(by, event)
    event = _layout_locked(event)
    table = Table.objects.select_for_update().get(pk=table.pk, event=event)
    if event.tables.count() == 1:
        _refuse("an event needs at least one table or room")
    held = Meeting.objects.filter(table=table, status=Meeting.Status.SCHEDULED).count()
    if held:
        _refuse(f"{table.name} holds {held} scheduled meeting(s); re-schedule or cancel them first")
    table.delete()
    _layout_changed(event)


# ------------------------------------------------------------ registrations

@transaction.atomic
def registration_create(*, event: Event, organisation, person, unavailable: list[Slot] = (),
                        now: dt.datetime | None = None) -> Registration:
    now = now or timezone.now()
    if not (event.registration_opens <= now <= event.registration_closes):
        _refuse(f"registration for {event} is open from {event.registration_opens:%Y-%m-%d %H:%M} "
                f"to {event.registration_closes:%Y-%m-%d %H:%M}")
    if not user_is_officer(person) and not Membership.objects.filter(user=person, organisation=organisation).exists():
        raise PermissionDenied("only a member of the organisation can register it")
    if event.allowed_kinds and organisation.kind not in event.allowed_kinds:
        _refuse(f"{event} is open to {', '.join(event.allowed_kinds)}; this organisation is a {organisation.kind}")
    if event.allowed_countries and organisation.country not in event.allowed_countries:
        _refuse(f"{event} is open to organisations from {', '.join(event.allowed_countries)}")
    if Registration.objects.filter(event=event, organisation=organisation).exists():
        _refuse(f"{organisation.name_en or organisation.name_zh} is already registered for {event}")
    registration = Registration.objects.create(event=event, organisation=organisation, person=person)
    availability_set(registration=registration, unavailable=unavailable)
    inbox_notify(recipients=list(event.organisers.all()), subject=f"{event}: new registration",
                 body=f"{_name(registration)} registered and waits for approval.")
    return registration


def availability_set(*, registration: Registration, unavailable: list[Slot]) -> None:
    wrong = [s for s in unavailable if s.event_id != registration.event_id]
    if wrong:
        _refuse("a slot of another event was given")
    registration.unavailable.set(unavailable)


@transaction.atomic
def registration_decide(*, registration: Registration, approve: bool, by) -> Registration:
    if not user_organises(by, registration.event):
        raise PermissionDenied("only the event's organisers approve registrations")
    registration.status = Registration.Status.APPROVED if approve else Registration.Status.REJECTED
    registration.save(update_fields=["status"])
    inbox_notify(recipients=[registration.person], subject=f"{registration.event}: registration "
                 + ("approved" if approve else "not approved"),
                 body=("You can now request meetings with the other participants." if approve
                       else "The organisers could not accept your registration."))
    return registration


# ------------------------------------------------------------ meeting requests

def _open_meetings(registration: Registration) -> int:
    return Meeting.objects.filter(Q(first=registration) | Q(second=registration)).exclude(
        status=Meeting.Status.CANCELLED).count()


@transaction.atomic
def meeting_request_send(*, sender: Registration, recipient: Registration, by, message: str = "",
                         priority: int = 2, now: dt.datetime | None = None) -> MeetingRequest:
    """A request to meet, refused with the reason when it is to oneself, a duplicate, late, to someone
    not (yet) approved, or beyond the event's maximum of meetings per participant."""
    now = now or timezone.now()
    event = sender.event
    if sender.person_id != by.pk and not user_organises(by, event):
        raise PermissionDenied("you can send requests only for your own registration")
    if recipient.event_id != event.id:
        _refuse(f"{_name(recipient)} is not registered for {event}")
    if sender.pk == recipient.pk:
        _refuse("you cannot request a meeting with yourself")
    if sender.status != Registration.Status.APPROVED:
        _refuse("your registration is not approved yet")
    if recipient.status != Registration.Status.APPROVED:
        _refuse(f"{_name(recipient)} is not an approved participant of {event}")
    if now > event.registration_closes:
        _refuse(f"requests closed on {event.registration_closes:%Y-%m-%d %H:%M}")
    if not 1 <= priority <= 3:
        _refuse("priority is 1 (low) to 3 (high)")
    if MeetingRequest.objects.filter(Q(sender=sender, recipient=recipient) | Q(sender=recipient, recipient=sender),
                                     status__in=["pending", "accepted"]).exists():
        _refuse(f"a request between you and {_name(recipient)} is already open")
    if event.max_meetings is not None:
        for who in (sender, recipient):
            if _open_meetings(who) >= event.max_meetings:
                _refuse(f"{_name(who)} already has the maximum of {event.max_meetings} meetings")
    request = MeetingRequest.objects.create(event=event, sender=sender, recipient=recipient, message=message[:2000],
                                            priority=priority)
    if not event.requests_need_acceptance:
        return _accept(request)
    inbox_notify(recipients=[recipient.person], subject=f"{event}: {_name(sender)} asks to meet you",
                 body=message or "A meeting request waits for your answer.")
    return request


def _accept(request: MeetingRequest) -> MeetingRequest:
    request.status = MeetingRequest.Status.ACCEPTED
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_at"])
    Meeting.objects.create(event=request.event, request=request, first=request.sender, second=request.recipient,
                           weight=request.priority)
    inbox_notify(recipients=[request.sender.person, request.recipient.person],
                 subject=f"{request.event}: meeting {_name(request.sender)} – {_name(request.recipient)} agreed",
                 body="The meeting will be placed in the schedule.")
    return request


@transaction.atomic
def meeting_request_answer(*, request: MeetingRequest, accept: bool, by) -> MeetingRequest:
    request = MeetingRequest.objects.select_for_update().select_related("event", "sender", "recipient").get(
        pk=request.pk)
    if request.recipient.person_id != by.pk:
        raise PermissionDenied("only the person asked can answer")
    if request.status != MeetingRequest.Status.PENDING:
        _refuse(f"this request is already {request.get_status_display().lower()}")
    if not accept:
        request.status = MeetingRequest.Status.DECLINED
        request.answered_at = timezone.now()
        request.save(update_fields=["status", "answered_at"])
        inbox_notify(recipients=[request.sender.person], subject=f"{request.event}: request declined",
                     body=f"{_name(request.recipient)} declined the meeting.")
        return request
    event = request.event
    if event.max_meetings is not None:
        # Locks both registrations so that two acceptances cannot both take the last place.
        for reg in Registration.objects.select_for_update().filter(pk__in=[request.sender_id, request.recipient_id]):
            if _open_meetings(reg) >= event.max_meetings:
                _refuse(f"{_name(reg)} already has the maximum of {event.max_meetings} meetings")
    return _accept(request)


@transaction.atomic
def meeting_request_cancel(*, request: MeetingRequest, by) -> MeetingRequest:
    request = MeetingRequest.objects.select_for_update().select_related("event").get(pk=request.pk)
    if by.pk not in (request.sender.person_id, request.recipient.person_id) and not user_organises(by, request.event):
        raise PermissionDenied("only the two parties or the organisers can cancel")
    if request.status not in (MeetingRequest.Status.PENDING, MeetingRequest.Status.ACCEPTED):
        _refuse(f"this request is already {request.get_status_display().lower()}")
    request.status = MeetingRequest.Status.CANCELLED
    request.save(update_fields=["status"])
    meeting = Meeting.objects.filter(request=request).first()
    if meeting:
        meeting_cancel(meeting=meeting, by=by)
    return request


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by) -> Meeting:
    was_scheduled = meeting.status == Meeting.Status.SCHEDULED
    meeting.bookings.all().delete()
    meeting.status, meeting.slot, meeting.table = Meeting.Status.CANCELLED, None, None
    meeting.save(update_fields=["status", "slot", "table"])
    if was_scheduled:
        inbox_notify(recipients=[meeting.first.person, meeting.second.person],
                     subject=f"{meeting.event}: meeting cancelled",
                     body=f"The meeting {_name(meeting.first)} – {_name(meeting.second)} is cancelled.")
    return meeting


@transaction.atomic
def meeting_create(*, event: Event, first: Registration, second: Registration, by, required: bool = False,
                   weight: int = 2) -> Meeting:
    """The organiser puts a meeting on the list directly (no request)."""
    if not user_organises(by, event):
        raise PermissionDenied("only the event's organisers create meetings directly")
    if first.pk == second.pk:
        _refuse("a meeting needs two different participants")
    if Meeting.objects.filter(Q(first=first, second=second) | Q(first=second, second=first)).exclude(
            status=Meeting.Status.CANCELLED).exists():
        _refuse(f"{_name(first)} and {_name(second)} already have a meeting")
    return Meeting.objects.create(event=event, first=first, second=second, required=required, weight=weight)


# ------------------------------------------------------------ scheduling

def scheduling_problem(event: Event, *, keep_confirmed: bool) -> tuple[Problem, list[Assignment]]:
    """The event as a `clusterbridge.scheduling` problem, with the published schedule as the start.

    Participants are the approved registrations; a confirmed (published) meeting is pinned
    to its slot when `keep_confirmed`; a participant's own booth is their location."""
    slots = list(event.slots.select_related("session"))
    tables = list(event.tables.all())
    regs = list(event.registrations.filter(status=Registration.Status.APPROVED).select_related("booth")
                .prefetch_related("unavailable"))
    approved = {r.pk for r in regs}
    meetings = list(event.meetings.exclude(status=Meeting.Status.CANCELLED).filter(
        first__in=approved, second__in=approved).select_related("slot", "table"))
    participants = [PParticipant(id=f"r{r.pk}", unavailable=frozenset(str(s.index) for s in r.unavailable.all()),
                                 max_meetings=event.max_meetings,
                                 location=str(r.booth.pk) if getattr(r, "booth", None) else None)
                    for r in regs]
    pmeetings, start = [], []
    for m in meetings:
        fixed = str(m.slot.index) if keep_confirmed and m.confirmed and m.slot else None
        pmeetings.append(PMeeting(id=f"m{m.pk}", participants=(f"r{m.first_id}", f"r{m.second_id}"),
                                  required=m.required or fixed is not None, weight=m.weight, fixed_slot=fixed))
        if m.slot:
            start.append(Assignment(meeting=f"m{m.pk}", slot=str(m.slot.index),
                                    location=str(m.table_id) if m.table_id else None))
    problem = Problem(slots=[PSlot(id=str(s.index), session=s.session.name) for s in slots],
                      locations=[str(t.pk) for t in tables], participants=participants, meetings=pmeetings,
                      name=str(event))
    return problem, start


def schedule_progress_key(run_id: int) -> str:
    return f"clusterbridge:schedule-run:{run_id}:progress"


def schedule_cancel_key(run_id: int) -> str:
    return f"clusterbridge:schedule-run:{run_id}:cancel"


def schedule_run_create(*, event: Event, by, time_limit: int = 30) -> ScheduleRun:
    from .tasks import schedule_run_execute

    if not user_organises(by, event):
        raise PermissionDenied("only the event's organisers run the scheduler")
    if not 1 <= time_limit <= 600:
        _refuse("the time limit is 1 to 600 seconds")
    with transaction.atomic():
        run = ScheduleRun.objects.create(event=event, time_limit=time_limit, created_by=by,
                                         keep_published=event.meetings.filter(confirmed=True).exists())
        transaction.on_commit(lambda: schedule_run_execute.enqueue(run_id=run.id))
    return run


def schedule_run_cancel(*, run: ScheduleRun) -> None:
    cache.set(schedule_cancel_key(run.id), True, 3600)


def schedule_run_execute(*, run_id: int) -> ScheduleRun:
    """Solves the event's problem with progress through the cache; stores the proposal, writes no meeting."""
    run = ScheduleRun.objects.select_related("event").get(pk=run_id)
    if run.status != ScheduleRun.Status.QUEUED:
        return run
    ScheduleRun.objects.filter(pk=run.pk).update(status=ScheduleRun.Status.RUNNING)
    cancel = threading.Event()

    def progress(fraction: float, best: dict) -> None:
        cache.set(schedule_progress_key(run.id), {"fraction": round(fraction, 3), **best}, 3600)
        if cache.get(schedule_cancel_key(run.id)):
            cancel.set()

    try:
        problem, start = scheduling_problem(run.event, keep_confirmed=run.keep_published)
        if not problem.meetings:
            raise EventError("there are no agreed meetings to schedule yet")
        schedule = solve(problem, SolveOptions(time_limit=run.time_limit, workers=2, seed=0, start=start or None,
                                               progress=progress, cancel=cancel))
    except EventError as error:
        ScheduleRun.objects.filter(pk=run.pk).update(status=ScheduleRun.Status.FAILED, finished_at=timezone.now(),
                                                     result={"reason": " ".join(error.messages)})
        return ScheduleRun.objects.get(pk=run.pk)
    except Exception as error:  # a bug must not leave the run "running" for ever
        ScheduleRun.objects.filter(pk=run.pk).update(status=ScheduleRun.Status.FAILED, finished_at=timezone.now(),
                                                     result={"reason": f"internal error: {type(error).__name__}"})
        raise
    result = schedule.to_dict()
    result["reason"] = schedule.reason or ""
    ok = schedule.status in ("OPTIMAL", "FEASIBLE")
    ScheduleRun.objects.filter(pk=run.pk).update(status=ScheduleRun.Status.DONE if ok else ScheduleRun.Status.FAILED,
                                                 finished_at=timezone.now(), result=result)
    cache.set(schedule_progress_key(run.id), {"fraction": 1.0}, 3600)
    return ScheduleRun.objects.get(pk=run.pk)


@transaction.atomic
def schedule_publish(*, run: ScheduleRun, by) -> dict[str, int]:
    """Writes the reviewed proposal to the meetings and bookings, all or nothing, and tells each
    participant whose agenda changed (only them). Returns counts."""
    event = Event.objects.select_for_update().get(pk=run.event_id)
    run = ScheduleRun.objects.select_for_update().get(pk=run.pk)
    if not user_organises(by, event):
        raise PermissionDenied("only the event's organisers publish the schedule")
    if run.status != ScheduleRun.Status.DONE:
        _refuse(f"this run is {run.get_status_display().lower()}; only a finished run can be published")
    if event.runs.filter(created_at__gt=run.created_at).exclude(status=ScheduleRun.Status.FAILED).exists():
        _refuse("a newer scheduler run exists; publish that one")
    placed = {a["meeting"]: a for a in run.result.get("assignments", [])}
    reasons = {u["meeting"]: u.get("reason", "") for u in run.result.get("unscheduled", [])}
    slots = {str(s.index): s for s in event.slots.all()}
    meetings = list(event.meetings.exclude(status=Meeting.Status.CANCELLED).select_related("first", "second"))
    before = _agendas(meetings)
    # The meetings of the proposal must still be the event's meetings (nothing cancelled since).
    current = {f"m{m.pk}" for m in meetings}
    missing = [mid for mid in placed if mid not in current]
    if missing:
        _refuse(f"{len(missing)} meeting(s) of this run were cancelled since; run the scheduler again")
    ids = [m.pk for m in meetings]
    for start in range(0, len(ids), 5000):  # a plain IN list on the indexed column: no join to plan badly
        Booking.objects.filter(meeting_id__in=ids[start:start + 5000]).delete()
    # Clear first, so that the unique (slot, table) never sees a half-moved state; then one UPDATE … FROM
    # (VALUES …) per few thousand meetings (Django's bulk_update writes a CASE per row: minutes at 20,000).
    event.meetings.exclude(status=Meeting.Status.CANCELLED).update(status=Meeting.Status.TO_SCHEDULE, slot=None,
                                                                   table=None)
    bookings, scheduled, unscheduled = [], [], []
    for m in meetings:
        a = placed.get(f"m{m.pk}")
        if a is None:
            m.status, m.slot, m.table_id, m.confirmed = Meeting.Status.TO_SCHEDULE, None, None, False
            m.unscheduled_reason = reasons.get(f"m{m.pk}", "not in this run")[:300]
            unscheduled.append((m.pk, m.unscheduled_reason))
            continue
        m.status, m.slot, m.table_id, m.confirmed, m.unscheduled_reason = (
            Meeting.Status.SCHEDULED, slots[a["slot"]], int(a["location"]), True, "")
        scheduled.append((m.pk, m.slot.pk, m.table_id))
        bookings += [Booking(meeting=m, registration_id=m.first_id, slot=m.slot),
                     Booking(meeting=m, registration_id=m.second_id, slot=m.slot)]
    try:
        _update_from_values("status = 'scheduled', slot_id = v.slot, table_id = v.tbl, confirmed = %s, "
                            "unscheduled_reason = ''", [("id", "bigint"), ("slot", "bigint"), ("tbl", "bigint")],
                            scheduled, (True,))
        _update_from_values("confirmed = %s, unscheduled_reason = v.reason", [("id", "bigint"), ("reason", "text")],
                            unscheduled, (False,))
        Booking.objects.bulk_create(bookings, batch_size=5000)
    except IntegrityError:
        _refuse("the schedule would put someone in two meetings at once or two meetings at one table; "
                "nothing was published")
    after = _agendas(meetings)
    changed = [reg for reg in set(before) | set(after) if before.get(reg) != after.get(reg)]
    regs = {r.pk: r for r in Registration.objects.filter(pk__in=changed).select_related("person")}
    first_time = event.status != Event.Status.PUBLISHED
    inbox_notify(recipients=[regs[pk].person for pk in sorted(regs)],
                 subject=f"{event}: your agenda is {'ready' if first_time else 'changed'}",
                 body="Your meetings and their times are on your agenda page.",
                 link=f"/events/{event.slug}/agenda/")
    event.status = Event.Status.PUBLISHED
    event.save(update_fields=["status"])
    event.runs.filter(status=ScheduleRun.Status.PUBLISHED).update(status=ScheduleRun.Status.SUPERSEDED)
    run.status = ScheduleRun.Status.PUBLISHED
    run.save(update_fields=["status"])
    return {"scheduled": len(bookings) // 2, "unscheduled": len(meetings) - len(bookings) // 2,
            "notified": len(regs)}


def _update_from_values(assignments: str, columns: list[tuple[str, str]], rows: list[tuple], params: tuple = (),
                        chunk: int = 4000) -> None:
    """UPDATE events_meeting SET … FROM (VALUES …) AS v: one statement per chunk of rows
    (PostgreSQL, SQLite ≥ 3.33). `columns` are (name, SQL type); the first is the meeting id."""
    from django.db import connection

    table = Meeting._meta.db_table
    select = ", ".join(f"CAST(column{i + 1} AS {kind}) AS {name}" for i, (name, kind) in enumerate(columns))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), chunk):
            part = rows[start:start + chunk]
            values = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(part))
            if connection.vendor == "postgresql":  # PostgreSQL names VALUES columns column1, column2 …
                source = f"(SELECT {select} FROM (VALUES {values}) AS t) AS v"
            else:
                source = f"(SELECT {select} FROM (VALUES {values})) AS v"
            cursor.execute(f"UPDATE {table} SET {assignments} FROM {source} WHERE {table}.id = v.id",
                           list(params) + [x for row in part for x in row])


def _agendas(meetings) -> dict[int, frozenset]:
    out: dict[int, set] = {}
    for m in meetings:
        if m.status == Meeting.Status.SCHEDULED:
            entry = (m.pk, m.slot_id, m.table_id)
            out.setdefault(m.first_id, set()).add(entry)
            out.setdefault(m.second_id, set()).add(entry)
    return {k: frozenset(v) for k, v in out.items()}


@transaction.atomic
def participant_withdraw(*, registration: Registration, by) -> int:
    """A participant drops out: their meetings are cancelled (the others keep theirs until re-scheduling)."""
    if registration.person_id != by.pk and not user_organises(by, registration.event):
        raise PermissionDenied("only the participant or the organisers can withdraw a registration")
    registration.status = Registration.Status.WITHDRAWN
    registration.save(update_fields=["status"])
    n = 0
    for m in Meeting.objects.filter(Q(first=registration) | Q(second=registration)).exclude(
            status=Meeting.Status.CANCELLED):
        meeting_cancel(meeting=m, by=by)
        n += 1
    MeetingRequest.objects.filter(Q(sender=registration) | Q(recipient=registration),
                                  status=MeetingRequest.Status.PENDING).update(status=MeetingRequest.Status.CANCELLED)
    return n


@transaction.atomic
def check_in(*, registration: Registration, present: bool, by) -> Registration:
    if not user_organises(by, registration.event):
        raise PermissionDenied("only the event's organisers check people in")
    registration.checked_in_at = timezone.now() if present else None
    registration.save(update_fields=["checked_in_at"])
    return registration
