"""Creating an event and changing its details."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.db import transaction

from ..models import Event, Session, Slot, Table
from .layout import session_rules_check, session_times
from .refusals import refuse, require_organiser


@transaction.atomic
def event_create(*, slug: str, title_en: str, title_zh: str = "", kinds: list[str], registration_opens: dt.datetime,
                 registration_closes: dt.datetime, sessions: list[dict], tables: int | list[str],
                 venue: str = "", venue_country: str = "", online: bool = False, time_zone: str = "Asia/Taipei",
                 requests_need_acceptance: bool = True, max_meetings: int | None = None,
                 allowed_kinds: list[str] = (), allowed_countries: list[str] = (), organiser=None,
                 status: str = Event.Status.OPEN, logo=None, **page: str) -> Event:
    """An event with its sessions, their slots (slot length plus pause, in order) and its tables.
    `status` DRAFT keeps it to its organisers until `event_publish`; `page`: description_en/_zh,
    programme_en/_zh, map_url, organiser_contact, capacity (see EVENT_PAGE)."""
    unknown_page = sorted(set(page) - set(EVENT_PAGE))
    if unknown_page:
        raise TypeError(f"not an event detail: {', '.join(unknown_page)}")
    if not sessions:
        refuse("an event needs at least one session")
    unknown = [k for k in kinds if k not in ("C2C", "C2B", "B2B")]
    if unknown or not kinds:
        refuse(f"kinds of matchmaking must be among C2C, C2B, B2B (got {', '.join(unknown) or 'none'})")
    event = Event(slug=slug, title_en=title_en, title_zh=title_zh, kinds=list(kinds), venue=venue,
                  venue_country=(venue_country or "").upper(), online=online,
                  time_zone=time_zone, registration_opens=registration_opens,
                  registration_closes=registration_closes, requests_need_acceptance=requests_need_acceptance,
                  max_meetings=max_meetings, allowed_kinds=list(allowed_kinds),
                  allowed_countries=[c.upper() for c in allowed_countries], status=status, **page)
    if logo is not None:
        event.logo.save(logo.name, logo, save=False)
    event.full_clean()
    event.save()
    if organiser is not None:
        event.organisers.add(organiser)
    index = 0
    previous_end = None
    for n, spec in enumerate(sorted(sessions, key=lambda s: s["starts_at"]), 1):
        session_rules_check(name=str(spec.get("name", "")), slot_minutes=spec.get("slot_minutes", 0),
                            slot_count=spec.get("slot_count", 0), pause_minutes=spec.get("pause_minutes", 0))
        session = Session.objects.create(event=event, name=spec["name"], starts_at=spec["starts_at"],
                                         slot_minutes=spec["slot_minutes"], slot_count=spec["slot_count"],
                                         pause_minutes=spec.get("pause_minutes", 0))
        start = session.starts_at
        if previous_end and start < previous_end:
            refuse(f"session {spec['name']} starts before the previous session ends")
        slots = []
        for a, b in session_times(start, session.slot_minutes, session.slot_count, session.pause_minutes):
            index += 1
            slots.append(Slot(event=event, session=session, index=index, starts_at=a, ends_at=b))
        Slot.objects.bulk_create(slots)
        previous_end = slots[-1].ends_at
    names = [f"Table {i}" for i in range(1, tables + 1)] if isinstance(tables, int) else list(tables)
    if not names:
        refuse("an event needs at least one table or room")
    Table.objects.bulk_create([Table(event=event, name=name) for name in names])
    return event


EVENT_PAGE = ("description_en", "description_zh", "programme_en", "programme_zh", "map_url", "organiser_contact",
              "capacity")
EVENT_DETAILS = ("title_en", "title_zh", "kinds", "venue", "venue_country", "online", "time_zone",
                 "registration_opens", "registration_closes", "requests_need_acceptance", "max_meetings",
                 "allowed_kinds", "allowed_countries", "logo") + EVENT_PAGE


@transaction.atomic
def event_publish(*, event: Event, by) -> Event:
    """A draft event opens: the public sees it and people register."""
    require_organiser(by, event, "publish the event")
    if event.status != Event.Status.DRAFT:
        refuse(f"{event} is already published")
    event.status = Event.Status.OPEN
    event.save(update_fields=["status"])
    return event


@transaction.atomic
def event_update(*, event: Event, by, **details) -> Event:
    """Changes the event's titles, venue, registration window and rules; its sessions and tables
    have services of their own. Meetings already agreed stay, even beyond a lowered maximum."""
    require_organiser(by, event)
    unknown = sorted(set(details) - set(EVENT_DETAILS))
    if unknown:
        raise TypeError(f"not an event detail: {', '.join(unknown)}")
    if "kinds" in details:
        wrong = [k for k in details["kinds"] if k not in ("C2C", "C2B", "B2B")]
        if wrong or not details["kinds"]:
            refuse(f"kinds of matchmaking must be among C2C, C2B, B2B (got {', '.join(wrong) or 'none'})")
        details["kinds"] = list(details["kinds"])
    if "allowed_countries" in details:
        details["allowed_countries"] = [c.upper() for c in details["allowed_countries"]]
    if "allowed_kinds" in details:
        details["allowed_kinds"] = list(details["allowed_kinds"])
    if "time_zone" in details and details["time_zone"] not in zoneinfo.available_timezones():
        refuse(f"{details['time_zone']} is not a time zone")
    event = Event.objects.select_for_update().get(pk=event.pk)
    logo = details.pop("logo", None)
    for name, value in details.items():
        setattr(event, name, value)
    if logo is not None:
        event.logo.delete(save=False)
        event.logo.save(logo.name, logo, save=False)
    event.full_clean()
    event.save()
    if "capacity" in details:  # more places: the waiting list moves up
        from .registrations import _promote_waiting

        while _promote_waiting(event) is not None:
            pass
    return event
