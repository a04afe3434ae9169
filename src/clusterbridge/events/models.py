"""Matchmaking events: sessions and time slots, tables, registrations and their
availability, meeting requests, meetings, scheduler runs.

"Nobody in two meetings in one slot" and "one meeting per table and slot" are
database constraints: a scheduled meeting books each of its two participants
in its slot (`Booking`, unique per participant and slot) and holds its table
(unique per slot and table).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Registration open")
        PUBLISHED = "published", _("Schedule published")
        CLOSED = "closed", _("Closed")

    slug = models.SlugField(max_length=80, unique=True)
    title_en = models.CharField(max_length=200, blank=True)
    title_zh = models.CharField(max_length=200, blank=True)
    kinds = models.JSONField(default=list, help_text="C2C, C2B, B2B")
    description_en = models.TextField(blank=True)
    description_zh = models.TextField(blank=True)
    programme_en = models.TextField(blank=True, help_text="the day's programme, one item per line")
    programme_zh = models.TextField(blank=True)
    organiser_contact = models.CharField(max_length=300, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="approved participants at most; "
                                                                            "more wait on a list")
    venue = models.CharField(max_length=300, blank=True)
    map_url = models.URLField(max_length=500, blank=True)
    logo = models.ImageField(upload_to="event-logos/", blank=True)  # re-encoded PNG (directory/logos.py)
    venue_country = models.CharField(max_length=2, blank=True, help_text="ISO code; the time zone defaults from it")
    online = models.BooleanField(default=False)
    time_zone = models.CharField(max_length=64, default="Asia/Taipei")
    registration_opens = models.DateTimeField()
    registration_closes = models.DateTimeField()
    allowed_kinds = models.JSONField(default=list, blank=True, help_text="organisation kinds; empty = all")
    allowed_countries = models.JSONField(default=list, blank=True, help_text="ISO codes; empty = all")
    requests_need_acceptance = models.BooleanField(default=True)
    max_meetings = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    organisers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="organised_events")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-registration_closes"]
        constraints = [
            models.CheckConstraint(condition=~Q(title_en="", title_zh=""), name="event_has_title"),
            models.CheckConstraint(condition=Q(registration_closes__gt=F("registration_opens")),
                                   name="event_registration_window"),
        ]

    def __str__(self) -> str:
        return self.title_en or self.title_zh

    @property
    def schedule_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def venue_zones(self) -> list[str]:
        from clusterbridge.core.countries import country_time_zones

        return country_time_zones(self.venue_country) if self.venue_country else []

    @property
    def zone_differs_from_venue(self) -> bool:
        """A physical event whose times are kept in a zone that is not its venue's (Lyon in Asia/Taipei
        puts every meeting at night in the participants' calendars)."""
        return bool(not self.online and self.venue_zones and self.time_zone not in self.venue_zones)


class Session(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    name = models.CharField(max_length=60)
    starts_at = models.DateTimeField()
    slot_minutes = models.PositiveSmallIntegerField(default=20)
    slot_count = models.PositiveSmallIntegerField()
    pause_minutes = models.PositiveSmallIntegerField(default=0, help_text="between two slots")

    class Meta:
        ordering = ["starts_at"]
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="session_name_once")]


class Slot(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slots")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="slots")
    index = models.PositiveIntegerField(help_text="position in the event, from 1")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["index"]
        constraints = [models.UniqueConstraint(fields=["event", "index"], name="slot_index_once")]


class Table(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tables")
    name = models.CharField(max_length=60)
    booth_of = models.OneToOneField("Registration", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="booth")
    link = models.URLField(blank=True, help_text="meeting link for online events")
    place = models.CharField(max_length=200, blank=True, help_text="where the table is: hall, room, stand")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="table_name_once")]


def _token() -> str:
    return secrets.token_urlsafe(24)


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        WAITLISTED = "waitlisted", _("On the waiting list")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="registrations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="registrations")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    unavailable = models.ManyToManyField(Slot, blank=True, related_name="+")
    feed_token = models.CharField(max_length=40, unique=True, default=_token)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    # The attendee's profile for this event: who comes and what they seek here.
    attendee_role = models.CharField(max_length=200, blank=True)
    seeking = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["event", "organisation"], name="registration_once")]

    def __str__(self) -> str:
        org = self.organisation
        return org.name_en or org.name_zh

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def takes_part(self) -> bool:
        """Approved or waiting for approval: registered and not withdrawn or refused."""
        return self.status in (self.Status.APPROVED, self.Status.PENDING)


class MeetingRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="requests")
    sender = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="sent_requests")
    recipient = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="received_requests")
    message = models.TextField(blank=True)
    priority = models.PositiveSmallIntegerField(default=2, help_text="1 low … 3 high; the scheduler's weight")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(sender=F("recipient")), name="request_not_to_oneself"),
            models.CheckConstraint(condition=Q(priority__gte=1, priority__lte=3), name="request_priority_1_3"),
            models.UniqueConstraint(fields=["sender", "recipient"], condition=Q(status__in=["pending", "accepted"]),
                                    name="request_once_while_open"),
            # ...and in either direction: A→B and B→A sent at the same moment cannot both stand.
            models.UniqueConstraint(Least("sender", "recipient"), Greatest("sender", "recipient"),
                                    condition=Q(status__in=["pending", "accepted"]),
                                    name="request_once_per_pair_while_open"),
        ]

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED

    @property
    def is_open(self) -> bool:
        """Pending or accepted: it can still be cancelled."""
        return self.status in (self.Status.PENDING, self.Status.ACCEPTED)



class RequestMessage(models.Model):
    """A message between the two parties of a meeting request: the thread on the requests page,
    copied to the other side's inbox and e-mail."""

    request = models.ForeignKey(MeetingRequest, on_delete=models.CASCADE, related_name="thread")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    side = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")  # who wrote, as an organisation
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

class Meeting(models.Model):
    """A one-to-one meeting to hold: from an accepted request or created by the organiser."""

    class Status(models.TextChoices):
        TO_SCHEDULE = "to_schedule", _("To schedule")
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    request = models.OneToOneField(MeetingRequest, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="meeting")
    first = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    weight = models.PositiveSmallIntegerField(default=2)
    required = models.BooleanField(default=False)
    confirmed = models.BooleanField(default=False, help_text="published and kept in place when re-scheduling")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.TO_SCHEDULE)
    slot = models.ForeignKey(Slot, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings")
    table = models.ForeignKey(Table, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings")
    unscheduled_reason = models.CharField(max_length=300, blank=True)
    first_present = models.BooleanField(null=True)
    second_present = models.BooleanField(null=True)

    class Meta:
        ordering = ["slot__index", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(first=F("second")), name="meeting_two_parties"),
            models.CheckConstraint(condition=Q(status="scheduled", slot__isnull=False, table__isnull=False)
                                   | (~Q(status="scheduled") & Q(slot__isnull=True, table__isnull=True)),
                                   name="meeting_scheduled_has_slot_and_table"),
            models.UniqueConstraint(fields=["slot", "table"], condition=Q(status="scheduled"),
                                    name="meeting_one_per_table_and_slot"),
        ]


class Booking(models.Model):
    """A participant's place in a slot: two per scheduled meeting, never two per participant and slot."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="bookings")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="bookings")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "slot"], name="booking_one_per_slot")]


class ScheduleRun(models.Model):
    """One run of the scheduler: a background job (`core.jobs`) while it works, then the proposal
    the organiser reviews and publishes."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the scheduler")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    job = models.OneToOneField("core.Job", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="schedule_run")
    time_limit = models.PositiveIntegerField(default=30)
    keep_published = models.BooleanField(default=False, help_text="re-scheduling: confirmed meetings stay")
    result = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def state(self) -> str:
        """What the run is at, for people: its job's state until the proposal exists (queued,
        running, stopped, failed), then the proposal's (done, published, superseded, failed)."""
        if self.status == self.Status.PENDING and self.job is not None:
            return self.job.status
        return self.status

    @property
    def is_working(self) -> bool:
        return self.status == self.Status.PENDING and self.job is not None and self.job.is_active

    @property
    def state_display(self) -> str:
        if self.status == self.Status.PENDING and self.job is not None:
            return self.job.get_status_display()
        return self.get_status_display()

    @property
    def has_failed(self) -> bool:
        """No proposal came of it: the scheduler failed, or the run was stopped before it began."""
        return self.status == self.Status.FAILED or (
            self.status == self.Status.PENDING and self.job is not None and not self.job.is_active)

    @property
    def can_be_published(self) -> bool:
        return self.status == self.Status.DONE


class Reminder(models.Model):
    """A reminder sent to a registration, kept so that each goes out once."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="reminders")
    key = models.CharField(max_length=40)  # requests_closing, meetings_tomorrow
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "key"], name="reminder_once")]
