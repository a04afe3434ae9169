"""Meeting requests and meetings: send, accept, decline, cancel; meetings added by organisers."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from clusterbridge.accounts.services import inbox_notify

from .. import notices as n
from ..models import Event, Meeting, MeetingRequest, Registration, RequestMessage
from ..rules import can_act_for_registration, can_answer_request, can_cancel_request, speaks_for
from .refusals import display_name, refuse, require_organiser


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
    if not can_act_for_registration(by, sender):
        raise PermissionDenied("you can send requests only for your own registration")
    if recipient.event_id != event.id:
        refuse(f"{display_name(recipient)} is not registered for {event}")
    if sender.pk == recipient.pk:
        refuse("you cannot request a meeting with yourself")
    if sender.status != Registration.Status.APPROVED:
        refuse("your registration is not approved yet")
    if recipient.status != Registration.Status.APPROVED:
        refuse(f"{display_name(recipient)} is not an approved participant of {event}")
    if now > event.registration_closes:
        refuse(f"requests closed on {event.registration_closes:%Y-%m-%d %H:%M}")
    if not 1 <= priority <= 3:
        refuse("priority is 1 (low) to 3 (high)")
    # Both participants' rows locked, in one order whichever side asks: two requests of the same
    # person, or A→B and B→A at the same moment, are checked one after the other.
    list(Registration.objects.select_for_update().filter(pk__in=[sender.pk, recipient.pk]).order_by("pk"))
    if MeetingRequest.objects.filter(Q(sender=sender, recipient=recipient) | Q(sender=recipient, recipient=sender),
                                     status__in=[MeetingRequest.Status.PENDING, MeetingRequest.Status.ACCEPTED]).exists():
        refuse(f"a request between you and {display_name(recipient)} is already open")
    if event.max_meetings is not None:
        for who in (sender, recipient):
            if _open_meetings(who) >= event.max_meetings:
                refuse(f"{display_name(who)} already has the maximum of {event.max_meetings} meetings")
    try:
        with transaction.atomic():  # the database's word on a pair, should a writer get past the locks
            request = MeetingRequest.objects.create(event=event, sender=sender, recipient=recipient,
                                                    message=message[:2000], priority=priority)
    except IntegrityError:
        refuse(f"a request between you and {display_name(recipient)} is already open")
    if not event.requests_need_acceptance:
        return _accept(request)
    inbox_notify(recipients=[recipient.person], kind=n.REQUEST_RECEIVED, link=f"/events/{event.slug}/requests/",
                 params={"event": n.event_title(event), "sender": n.org_name(sender),
                         "recipient": n.org_name(recipient), "message": message})
    return request


def _accept(request: MeetingRequest) -> MeetingRequest:
    request.status = MeetingRequest.Status.ACCEPTED
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_at"])
    Meeting.objects.create(event=request.event, request=request, first=request.sender, second=request.recipient,
                           weight=request.priority)
    inbox_notify(recipients=[request.sender.person, request.recipient.person], kind=n.MEETING_AGREED,
                 params={"event": n.event_title(request.event), "first": n.org_name(request.sender),
                         "second": n.org_name(request.recipient)}, link=f"/events/{request.event.slug}/requests/")
    return request


@transaction.atomic
def meeting_request_answer(*, request: MeetingRequest, accept: bool, by) -> MeetingRequest:
    request = MeetingRequest.objects.select_for_update().select_related("event", "sender", "recipient").get(
        pk=request.pk)
    if not can_answer_request(by, request):
        raise PermissionDenied("only the person asked can answer")
    if request.status != MeetingRequest.Status.PENDING:
        refuse(f"this request is already {request.get_status_display().lower()}")
    if not accept:
        request.status = MeetingRequest.Status.DECLINED
        request.answered_at = timezone.now()
        request.save(update_fields=["status", "answered_at"])
        inbox_notify(recipients=[request.sender.person], kind=n.REQUEST_DECLINED,
                     params={"event": n.event_title(request.event), "recipient": n.org_name(request.recipient)},
                     link=f"/events/{request.event.slug}/requests/")
        return request
    event = request.event
    if event.max_meetings is not None:
        # Locks both registrations so that two acceptances cannot both take the last place.
        for reg in Registration.objects.select_for_update().filter(
                pk__in=[request.sender_id, request.recipient_id]).order_by("pk"):
            if _open_meetings(reg) >= event.max_meetings:
                refuse(f"{display_name(reg)} already has the maximum of {event.max_meetings} meetings")
    return _accept(request)


@transaction.atomic
def meeting_request_cancel(*, request: MeetingRequest, by) -> MeetingRequest:
    request = MeetingRequest.objects.select_for_update().select_related("event").get(pk=request.pk)
    if not can_cancel_request(by, request):
        raise PermissionDenied("only the two parties or the organisers can cancel")
    if request.status not in (MeetingRequest.Status.PENDING, MeetingRequest.Status.ACCEPTED):
        refuse(f"this request is already {request.get_status_display().lower()}")
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
        inbox_notify(recipients=[meeting.first.person, meeting.second.person], kind=n.MEETING_CANCELLED,
                     params={"event": n.event_title(meeting.event), "first": n.org_name(meeting.first),
                             "second": n.org_name(meeting.second)}, link=f"/events/{meeting.event.slug}/agenda/")
    return meeting


@transaction.atomic
def meeting_create(*, event: Event, first: Registration, second: Registration, by, required: bool = False,
                   weight: int = 2) -> Meeting:
    """The organiser puts a meeting on the list directly (no request)."""
    require_organiser(by, event, "create meetings directly")
    if first.pk == second.pk:
        refuse("a meeting needs two different participants")
    if Meeting.objects.filter(Q(first=first, second=second) | Q(first=second, second=first)).exclude(
            status=Meeting.Status.CANCELLED).exists():
        refuse(f"{display_name(first)} and {display_name(second)} already have a meeting")
    return Meeting.objects.create(event=event, first=first, second=second, required=required, weight=weight)


MESSAGE_LIMIT = 2000


@transaction.atomic
def request_message_post(*, request: MeetingRequest, by, body: str) -> RequestMessage:
    """A message in the request's thread, from whichever side `by` speaks for; the other side is told
    in their inbox and by e-mail. Open to both parties while the request is not cancelled."""
    body = (body or "").strip()
    if not body:
        refuse("write a message first")
    if len(body) > MESSAGE_LIMIT:
        refuse(f"a message holds at most {MESSAGE_LIMIT} characters ({len(body)} given)")
    if speaks_for(by, request.sender):
        side, other = request.sender, request.recipient
    elif speaks_for(by, request.recipient):
        side, other = request.recipient, request.sender
    else:
        raise PermissionDenied("only the two parties write in a request's thread")
    if request.status == MeetingRequest.Status.CANCELLED:
        refuse("this request is cancelled")
    message = RequestMessage.objects.create(request=request, author=by, side=side, body=body)
    inbox_notify(recipients=[other.person], kind=n.REQUEST_MESSAGE, link=f"/events/{request.event.slug}/requests/",
                 params={"event": n.event_title(request.event), "sender": n.org_name(side), "message": body})
    return message
