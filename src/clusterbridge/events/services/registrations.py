"""Registrations: taking part, availability, approval, withdrawal, check-in."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from clusterbridge.accounts.services import inbox_notify

from .. import notices as n
from ..models import Event, Meeting, MeetingRequest, Registration, Slot
from ..rules import can_act_for_registration, can_register_organisation
from .refusals import refuse, require_organiser
from .requests import meeting_cancel


@transaction.atomic
def registration_create(*, event: Event, organisation, person, unavailable: list[Slot] = (),
                        now: dt.datetime | None = None, attendee_role: str = "", seeking: str = "") -> Registration:
    now = now or timezone.now()
    if event.status == Event.Status.DRAFT:
        refuse(f"{event} is not published yet")
    if not (event.registration_opens <= now <= event.registration_closes):
        refuse(f"registration for {event} is open from {event.registration_opens:%Y-%m-%d %H:%M} "
                f"to {event.registration_closes:%Y-%m-%d %H:%M}")
    if not can_register_organisation(person, organisation):
        raise PermissionDenied("only a member of the organisation can register it")
    if event.allowed_kinds and organisation.kind not in event.allowed_kinds:
        refuse(f"{event} is open to {', '.join(event.allowed_kinds)}; this organisation is a {organisation.kind}")
    if event.allowed_countries and organisation.country not in event.allowed_countries:
        refuse(f"{event} is open to organisations from {', '.join(event.allowed_countries)}")
    if Registration.objects.filter(event=event, organisation=organisation).exists():
        refuse(f"{organisation.name_en or organisation.name_zh} is already registered for {event}")
    registration = Registration.objects.create(event=event, organisation=organisation, person=person,
                                               attendee_role=attendee_role.strip()[:200], seeking=seeking.strip())
    availability_set(registration=registration, unavailable=unavailable)
    inbox_notify(recipients=list(event.organisers.all()), kind=n.REGISTRATION_NEW,
                 params={"event": n.event_title(event), "organisation": n.org_name(registration)},
                 link=f"/events/{event.slug}/organise/check-in/")
    return registration


def availability_set(*, registration: Registration, unavailable: list[Slot]) -> None:
    wrong = [s for s in unavailable if s.event_id != registration.event_id]
    if wrong:
        refuse("a slot of another event was given")
    registration.unavailable.set(unavailable)


@transaction.atomic
def registration_decide(*, registration: Registration, approve: bool, by) -> Registration:
    """Approve or reject. With the event full (its capacity of approved participants reached), an
    approval puts the registration on the waiting list; a place that frees up goes to the first
    waiting."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)  # one decision at a time
    require_organiser(by, event, "approve registrations")
    registration.refresh_from_db(fields=["status"])  # the caller's object follows the decision
    was_approved = registration.status == Registration.Status.APPROVED
    if approve and not was_approved and _is_full(event):
        registration.status = Registration.Status.WAITLISTED
    else:
        registration.status = Registration.Status.APPROVED if approve else Registration.Status.REJECTED
    registration.save(update_fields=["status"])
    kind = {Registration.Status.APPROVED: n.REGISTRATION_APPROVED, Registration.Status.REJECTED: n.REGISTRATION_REJECTED,
            Registration.Status.WAITLISTED: n.REGISTRATION_WAITLISTED}[registration.status]
    inbox_notify(recipients=[registration.person], kind=kind, link=f"/events/{event.slug}/",
                 params={"event": n.event_title(event), "organisation": n.org_name(registration)})
    if was_approved and not approve:
        _promote_waiting(event)
    return registration


@transaction.atomic
def registrations_decide(*, registrations, approve: bool, by) -> dict[str, int]:
    """Many decisions at once (the organiser ticks several), all or none; oldest registrations first,
    so that the waiting list keeps the order people registered in."""
    counts = {"approved": 0, "rejected": 0, "waitlisted": 0}
    for registration in sorted(registrations, key=lambda r: (r.created_at, r.pk)):
        counts[registration_decide(registration=registration, approve=approve, by=by).status] += 1
    return counts


def _is_full(event: Event) -> bool:
    return (event.capacity is not None
            and event.registrations.filter(status=Registration.Status.APPROVED).count() >= event.capacity)


def _promote_waiting(event: Event) -> Registration | None:
    """The first on the waiting list takes a place that freed up."""
    if _is_full(event):
        return None
    first = (event.registrations.filter(status=Registration.Status.WAITLISTED).select_related("organisation", "person")
             .order_by("created_at", "pk").first())
    if first is None:
        return None
    first.status = Registration.Status.APPROVED
    first.save(update_fields=["status"])
    inbox_notify(recipients=[first.person], kind=n.REGISTRATION_FROM_WAITING_LIST, link=f"/events/{event.slug}/",
                 params={"event": n.event_title(event), "organisation": n.org_name(first)})
    return first


@transaction.atomic
def participant_withdraw(*, registration: Registration, by) -> int:
    """A participant drops out: their meetings are cancelled (the others keep theirs until re-scheduling)."""
    if not can_act_for_registration(by, registration):
        raise PermissionDenied("only the participant or the organisers can withdraw a registration")
    was_approved = registration.status == Registration.Status.APPROVED
    registration.status = Registration.Status.WITHDRAWN
    registration.save(update_fields=["status"])
    if was_approved:
        _promote_waiting(Event.objects.select_for_update().get(pk=registration.event_id))
    cancelled = 0
    for m in Meeting.objects.filter(Q(first=registration) | Q(second=registration)).exclude(
            status=Meeting.Status.CANCELLED):
        meeting_cancel(meeting=m, by=by)
        cancelled += 1
    MeetingRequest.objects.filter(Q(sender=registration) | Q(recipient=registration),
                                  status=MeetingRequest.Status.PENDING).update(status=MeetingRequest.Status.CANCELLED)
    return cancelled


@transaction.atomic
def check_in(*, registration: Registration, present: bool, by) -> Registration:
    require_organiser(by, registration.event, "check people in")
    registration.checked_in_at = timezone.now() if present else None
    registration.save(update_fields=["checked_in_at"])
    return registration
