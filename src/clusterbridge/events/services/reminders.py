"""Reminders, started every hour by the job sweep: before requests close (to those with requests
waiting for their answer) and the day before one's meetings (with the first time and table).
Each goes to a registration once."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterbridge.accounts.services import inbox_notify
from clusterbridge.core.jobs import job_kind

from .. import notices as n
from ..models import Booking, Event, Meeting, MeetingRequest, Registration, Reminder

REMINDER_JOB = "events.reminders"
BEFORE_CLOSING = dt.timedelta(hours=48)
BEFORE_MEETINGS = dt.timedelta(hours=24)


def _once(registration: Registration, key: str) -> bool:
    """Claims the reminder; False when it was sent already."""
    try:
        with transaction.atomic():
            Reminder.objects.create(registration=registration, key=key)
        return True
    except IntegrityError:
        return False


def reminders_send(*, now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    counts = {"requests_closing": 0, "meetings_tomorrow": 0}
    closing = Event.objects.filter(status=Event.Status.OPEN, registration_closes__gt=now,
                                   registration_closes__lte=now + BEFORE_CLOSING)
    for event in closing:
        waiting = (Registration.objects.filter(event=event, status=Registration.Status.APPROVED,
                                               received_requests__status=MeetingRequest.Status.PENDING)
                   .select_related("person", "organisation").distinct())
        for registration in waiting:
            if not _once(registration, "requests_closing"):
                continue
            pending = registration.received_requests.filter(status=MeetingRequest.Status.PENDING).count()
            local = timezone.localtime(event.registration_closes, zoneinfo.ZoneInfo(event.time_zone))
            inbox_notify(recipients=[registration.person], kind=n.REQUESTS_CLOSING, link=f"/events/{event.slug}/requests/",
                         params={"event": n.event_title(event), "n": pending,
                                 "closes": f"{local:%Y-%m-%d %H:%M} ({event.time_zone})"})
            counts["requests_closing"] += 1
    soon = (Booking.objects.filter(meeting__status=Meeting.Status.SCHEDULED, slot__starts_at__gt=now,
                                   slot__starts_at__lte=now + BEFORE_MEETINGS)
            .select_related("registration__person", "registration__organisation", "registration__event", "slot",
                            "meeting__table").order_by("registration_id", "slot__starts_at"))
    firsts: dict[int, Booking] = {}
    for booking in soon:
        firsts.setdefault(booking.registration_id, booking)
    for booking in firsts.values():
        registration, event = booking.registration, booking.registration.event
        if not _once(registration, "meetings_tomorrow"):
            continue
        total = registration.bookings.filter(meeting__status=Meeting.Status.SCHEDULED).count()
        local = timezone.localtime(booking.slot.starts_at, zoneinfo.ZoneInfo(event.time_zone))
        table = booking.meeting.table
        inbox_notify(recipients=[registration.person], kind=n.MEETINGS_TOMORROW, link=f"/events/{event.slug}/agenda/",
                     params={"event": n.event_title(event), "n": total, "first": f"{local:%H:%M} ({event.time_zone})",
                             "table": table.name + (f", {table.place}" if table.place else "") if table else ""})
        counts["meetings_tomorrow"] += 1
    return counts


@job_kind(REMINDER_JOB, label=_("Event reminders"), every=3600)
def reminders_job(job, context) -> dict:
    return reminders_send()
