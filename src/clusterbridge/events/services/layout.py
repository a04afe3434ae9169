"""Sessions, slots, tables and rooms of an event, changed after its creation. The n-th slot stays
the n-th slot; a finished scheduler proposal made for the old layout is superseded."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from clusterbridge.accounts.services import inbox_notify
from clusterbridge.core.models import Job

from .. import notices as n
from ..models import Event, Meeting, Registration, ScheduleRun, Session, Slot, Table
from .refusals import refuse, require_organiser


def layout_locked(event: Event) -> Event:
    """Locks the event for a change of its slots or tables; refused while the scheduler works on them."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.runs.filter(job__status__in=Job.ACTIVE).exists():
        refuse("the scheduler is running on the present slots and tables; wait for it or stop it first")
    return event


def layout_changed(event: Event) -> None:
    """A finished proposal was made for the old slots or tables: it can no longer be published."""
    event.runs.filter(status=ScheduleRun.Status.DONE).update(status=ScheduleRun.Status.SUPERSEDED)


def session_times(starts_at: dt.datetime, slot_minutes: int, slot_count: int,
                   pause_minutes: int) -> list[tuple[dt.datetime, dt.datetime]]:
    times, start = [], starts_at
    for _i in range(slot_count):
        end = start + dt.timedelta(minutes=slot_minutes)
        times.append((start, end))
        start = end + dt.timedelta(minutes=pause_minutes)
    return times


def session_rules_check(*, name: str, slot_minutes: int, slot_count: int, pause_minutes: int) -> None:
    if not name.strip():
        refuse("a session needs a name")
    if not 1 <= slot_count <= 200:
        refuse(f"session {name}: 1 to 200 slots")
    if not 5 <= slot_minutes <= 240:
        refuse(f"session {name}: a slot lasts 5 to 240 minutes")
    if not 0 <= pause_minutes <= 120:
        refuse(f"session {name}: a pause is 0 to 120 minutes")


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
            refuse(f"session {after.name} starts before session {before.name} ends "
                    f"({timezone.localtime(last, zoneinfo.ZoneInfo(event.time_zone)):%Y-%m-%d %H:%M})")
    slots = list(event.slots.order_by("starts_at", "index"))
    Slot.objects.filter(event=event).update(index=F("index") + 100_000)  # clear of the unique numbers first
    for position, slot in enumerate(slots, 1):
        slot.index = position
    Slot.objects.bulk_update(slots, ["index"], batch_size=500)


@transaction.atomic
def session_add(*, event: Event, name: str, starts_at: dt.datetime, slot_count: int, by, slot_minutes: int = 20,
                pause_minutes: int = 0) -> Session:
    """A further session with its slots; the event's slots are numbered again in time order."""
    require_organiser(by, event)
    event = layout_locked(event)
    name = name.strip()
    session_rules_check(name=name, slot_minutes=slot_minutes, slot_count=slot_count, pause_minutes=pause_minutes)
    if event.sessions.filter(name=name).exists():
        refuse(f"{event} already has a session called {name}")
    session = Session.objects.create(event=event, name=name, starts_at=starts_at, slot_minutes=slot_minutes,
                                     slot_count=slot_count, pause_minutes=pause_minutes)
    _append_slots(event, session, session_times(starts_at, slot_minutes, slot_count, pause_minutes))
    _renumber_slots(event)
    layout_changed(event)
    return session


@transaction.atomic
def session_update(*, session: Session, starts_at: dt.datetime, slot_minutes: int, slot_count: int,
                   pause_minutes: int, by) -> dict[str, int]:
    """New times or a new number of slots for a session. The n-th slot of the session stays its n-th
    slot, with the participants' unavailability and the meetings held in it; slots beyond a smaller
    number go, refused while one of them holds a scheduled meeting. Participants whose scheduled
    meetings change time are told. Returns counts."""
    event = session.event
    require_organiser(by, event)
    event = layout_locked(event)
    session = Session.objects.select_for_update().get(pk=session.pk, event=event)
    session_rules_check(name=session.name, slot_minutes=slot_minutes, slot_count=slot_count,
                         pause_minutes=pause_minutes)
    slots = list(session.slots.order_by("index"))
    dropped = slots[slot_count:]
    held = Meeting.objects.filter(slot__in=dropped, status=Meeting.Status.SCHEDULED).count()
    if held:
        refuse(f"slots {slot_count + 1}–{len(slots)} of session {session.name} hold {held} scheduled meeting(s); "
                f"cancel them or re-schedule into fewer slots first")
    times = session_times(starts_at, slot_minutes, slot_count, pause_minutes)
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
    layout_changed(event)
    people = list(Registration.objects.filter(bookings__slot__in=retimed).distinct().select_related("person"))
    inbox_notify(recipients=[r.person for r in people], kind=n.TIMES_CHANGED, link=f"/events/{event.slug}/agenda/",
                 params={"event": n.event_title(event), "session": session.name, "zone": event.time_zone,
                         "starts": f"{timezone.localtime(starts_at, zoneinfo.ZoneInfo(event.time_zone)):%Y-%m-%d %H:%M}"})
    return {"slots": slot_count, "retimed_slots": len(retimed), "notified": len(people)}


@transaction.atomic
def session_delete(*, session: Session, by) -> None:
    """Removes a session and its slots, refused while one of them holds a scheduled meeting."""
    event = session.event
    require_organiser(by, event)
    event = layout_locked(event)
    session = Session.objects.select_for_update().get(pk=session.pk, event=event)
    if event.sessions.count() == 1:
        refuse("an event needs at least one session")
    held = Meeting.objects.filter(slot__session=session, status=Meeting.Status.SCHEDULED).count()
    if held:
        refuse(f"session {session.name} holds {held} scheduled meeting(s); cancel them or re-schedule first")
    session.delete()
    _renumber_slots(event)
    layout_changed(event)


@transaction.atomic
def tables_add(*, event: Event, tables: int | list[str], by) -> list[Table]:
    """More tables or rooms: a number (named Table n after the highest such name) or a list of names."""
    require_organiser(by, event)
    event = layout_locked(event)
    existing = set(event.tables.values_list("name", flat=True))
    if isinstance(tables, int):
        if not 1 <= tables <= 2000:
            refuse("add 1 to 2,000 tables at a time")
        numbers = [int(n[6:]) for n in existing if n.startswith("Table ") and n[6:].isdigit()]
        first = max(numbers, default=0) + 1
        names = [f"Table {i}" for i in range(first, first + tables)]
    else:
        names = [n.strip() for n in tables if n.strip()]
        if not names:
            refuse("give the names of the tables or rooms to add")
    taken = sorted(set(names) & existing) + sorted({n for n in names if names.count(n) > 1})
    if taken:
        refuse(f"{event} already has a table or room called {', '.join(dict.fromkeys(taken))}")
    too_long = [n for n in names if len(n) > 60]
    if too_long:
        refuse(f"a table's name has at most 60 characters: {too_long[0][:60]}…")
    made = Table.objects.bulk_create([Table(event=event, name=n) for n in names])
    layout_changed(event)
    return made


@transaction.atomic
def table_update(*, table: Table, name: str, link: str = "", place: str | None = None, by) -> Table:
    """Renames a table or room, or sets its meeting link or where it stands (hall, room, stand);
    those with meetings at it are told."""
    event = table.event
    require_organiser(by, event)
    event = layout_locked(event)
    table = Table.objects.select_for_update().get(pk=table.pk, event=event)
    name = name.strip()
    if not name:
        refuse("a table or room needs a name")
    if event.tables.filter(name=name).exclude(pk=table.pk).exists():
        refuse(f"{event} already has a table or room called {name}")
    place = table.place if place is None else place.strip()
    changed = (table.name, table.link, table.place) != (name, link, place)
    old = table.name + (f" ({table.place})" if table.place else "")
    table.name, table.link, table.place = name, link, place
    table.full_clean(exclude=["event", "booth_of"])
    table.save(update_fields=["name", "link", "place"])
    if changed:
        people = list(Registration.objects.filter(bookings__meeting__table=table,
                                                  bookings__meeting__status=Meeting.Status.SCHEDULED)
                      .distinct().select_related("person"))
        inbox_notify(recipients=[r.person for r in people], kind=n.PLACE_CHANGED, link=f"/events/{event.slug}/agenda/",
                     params={"event": n.event_title(event), "old": old,
                             "new": f"{name}{' (' + place + ')' if place else ''}{' ' + link if link else ''}"})
    return table


@transaction.atomic
def table_delete(*, table: Table, by) -> None:
    """Removes a table or room, refused while a scheduled meeting is held at it or it is the last one."""
    event = table.event
    require_organiser(by, event)
    event = layout_locked(event)
    table = Table.objects.select_for_update().get(pk=table.pk, event=event)
    if event.tables.count() == 1:
        refuse("an event needs at least one table or room")
    held = Meeting.objects.filter(table=table, status=Meeting.Status.SCHEDULED).count()
    if held:
        refuse(f"{table.name} holds {held} scheduled meeting(s); re-schedule or cancel them first")
    table.delete()
    layout_changed(event)
