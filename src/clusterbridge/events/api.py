"""The events app in the REST API (mounted under /api/v1/events): the same services, selectors
and rules as the pages. Reading events is public; a participant's own requests and agenda need a
key with `events:read`; sending and answering requests, and the organisers' scheduler runs, need
`events:write`."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from clusterbridge.accounts.api_auth import key_or_session
from clusterbridge.core.api_errors import ErrorOut, invalid
from clusterbridge.core.rate_limits import MEETING_REQUESTS, RateLimited, limit_hit, rate_limited_json
from clusterbridge.core.jobs import job_progress

from . import rules, selectors, services
from .models import Event, MeetingRequest, ScheduleRun

router = Router(tags=["events"])
READ, WRITE = key_or_session("events:read"), key_or_session("events:write")
REFUSED = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class SlotOut(Schema):
    index: int
    session: str
    starts_at: datetime
    ends_at: datetime

    @staticmethod
    def resolve_session(obj) -> str:
        return obj.session.name


class EventOut(Schema):
    slug: str
    title_en: str
    title_zh: str
    kinds: list[str]
    venue: str
    online: bool
    time_zone: str
    registration_opens: datetime
    registration_closes: datetime
    status: str


class EventDetailOut(EventOut):
    slots: list[SlotOut]

    @staticmethod
    def resolve_slots(obj) -> list:
        return list(obj.slots.select_related("session"))


class ParticipantOut(Schema):
    registration: int = Field(..., alias="pk")
    organisation: str
    name: str
    country: str
    kind: str

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.external_id

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj)

    @staticmethod
    def resolve_country(obj) -> str:
        return obj.organisation.country

    @staticmethod
    def resolve_kind(obj) -> str:
        return obj.organisation.kind


class RequestOut(Schema):
    id: int
    sender: int = Field(..., alias="sender_id")
    recipient: int = Field(..., alias="recipient_id")
    message: str
    priority: int
    status: str
    created_at: datetime


class RequestIn(Schema):
    recipient: int = Field(..., description="the registration id of the participant to meet", ge=1, lt=2**62)
    message: str = Field("", max_length=2000)
    priority: int = Field(2, ge=1, le=3)


class AgendaItemOut(Schema):
    slot: int
    starts_at: datetime
    ends_at: datetime
    meeting: int | None
    other_party: str | None = None
    table: str | None


class RunIn(Schema):
    time_limit: int = Field(30, ge=1, le=600)


class RunOut(Schema):
    id: int
    state: str
    percent: int
    breaks: int | None = None
    scheduled: int | None = None
    unscheduled: int | None = None
    result_status: str | None = None


class PublishOut(Schema):
    scheduled: int
    unscheduled: int
    notified: int


def _event(slug: str) -> Event:
    return get_object_or_404(Event, slug=slug[:60])


def _mine(event: Event, user):
    registration = selectors.my_registration(event, user)
    if registration is None:
        raise HttpError(403, "you are not registered for this event")
    return registration


def _organised(slug: str, user) -> Event:
    event = _event(slug)
    if not rules.can_organise_event(user, event):
        raise HttpError(403, "only the event's organisers may do this")
    return event


def _run_out(run: ScheduleRun) -> dict:
    progress = job_progress(run.job) if run.job else {"percent": 100}
    result = run.result or {}
    return {"id": run.pk, "state": run.state, "percent": progress["percent"],
            "breaks": (result.get("objective") or {}).get("breaks", progress.get("breaks")),
            "scheduled": len(result["assignments"]) if "assignments" in result else None,
            "unscheduled": len(result["unscheduled"]) if "unscheduled" in result else None,
            "result_status": result.get("status")}


@router.get("", response=list[EventOut])
def events_list(request):
    """The events the public sees (drafts are left out, as on the events page), newest first."""
    return list(Event.objects.exclude(status=Event.Status.DRAFT).order_by("-registration_opens")[:200])


@router.get("/{slug}", response={200: EventDetailOut, 404: ErrorOut})
def event_get(request, slug: str):
    event = _event(slug)
    if event.status == Event.Status.DRAFT and not rules.can_organise_event(request.user, event):
        raise HttpError(404, "no such event")
    return event


@router.get("/{slug}/participants", auth=READ, response={200: list[ParticipantOut], 403: ErrorOut, 404: ErrorOut})
def participants_list(request, slug: str):
    """The approved participants, for the event's participants and organisers."""
    event = _event(slug)
    if not rules.can_see_participant_pages(request.user, event, selectors.my_registration(event, request.user)):
        raise HttpError(403, "the participants are listed for approved participants and organisers")
    return list(selectors.participants(event)[:5000])


@router.get("/{slug}/requests", auth=READ, response={200: list[RequestOut], 403: ErrorOut, 404: ErrorOut})
def my_requests(request, slug: str):
    """Requests I sent and received for this event."""
    mine = _mine(_event(slug), request.user)
    return list(MeetingRequest.objects.filter(sender=mine) | MeetingRequest.objects.filter(recipient=mine))


@router.post("/{slug}/requests", auth=WRITE, response={201: RequestOut, 429: ErrorOut, **REFUSED})
def request_send(request, slug: str, body: RequestIn):
    """Ask another participant for a meeting. Limited per person and per network (429 with Retry-After)."""
    event = _event(slug)
    mine = _mine(event, request.user)
    try:
        limit_hit(request, MEETING_REQUESTS)
    except RateLimited as error:
        return rate_limited_json(error)
    recipient = event.registrations.filter(pk=body.recipient).first()
    if recipient is None:
        raise HttpError(404, f"no participant {body.recipient} in this event")
    try:
        made = services.meeting_request_send(sender=mine, recipient=recipient, by=request.user,
                                             message=body.message, priority=body.priority)
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from None
    except ValidationError as error:
        return invalid(error)
    return Status(201, made)


def _answer(request, slug: str, request_id: int, action: str):
    event = _event(slug)
    asked = event.requests.select_related("sender", "recipient", "event").filter(pk=request_id).first()
    if asked is None:
        raise HttpError(404, f"no request {request_id} in this event")
    try:
        if action == "cancel":
            return services.meeting_request_cancel(request=asked, by=request.user)
        return services.meeting_request_answer(request=asked, accept=action == "accept", by=request.user)
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from None
    except ValidationError as error:
        return invalid(error)


@router.post("/{slug}/requests/{request_id}/accept", auth=WRITE, response={200: RequestOut, **REFUSED})
def request_accept(request, slug: str, request_id: int):
    return _answer(request, slug, request_id, "accept")


@router.post("/{slug}/requests/{request_id}/decline", auth=WRITE, response={200: RequestOut, **REFUSED})
def request_decline(request, slug: str, request_id: int):
    return _answer(request, slug, request_id, "decline")


@router.post("/{slug}/requests/{request_id}/cancel", auth=WRITE, response={200: RequestOut, **REFUSED})
def request_cancel(request, slug: str, request_id: int):
    return _answer(request, slug, request_id, "cancel")


@router.get("/{slug}/agenda", auth=READ, response={200: list[AgendaItemOut], 403: ErrorOut, 404: ErrorOut})
def my_agenda(request, slug: str):
    """Every slot of the event with my meeting in it, if any."""
    mine = _mine(_event(slug), request.user)
    out = []
    for slot, meeting in selectors.agenda(mine):
        other = selectors.other_party(meeting, mine) if meeting else None
        out.append({"slot": slot.index, "starts_at": slot.starts_at, "ends_at": slot.ends_at,
                    "meeting": meeting.pk if meeting else None, "other_party": str(other) if other else None,
                    "table": meeting.table.name if meeting and meeting.table else None})
    return out


@router.post("/{slug}/schedule-runs", auth=WRITE, response={201: RunOut, **REFUSED})
def schedule_run_start(request, slug: str, body: RunIn):
    """Starts the scheduler in the background; poll the run for its progress."""
    event = _organised(slug, request.user)
    try:
        run = services.schedule_run_create(event=event, by=request.user, time_limit=body.time_limit)
    except ValidationError as error:
        return invalid(error)
    return Status(201, _run_out(run))


@router.get("/{slug}/schedule-runs/{run_id}", auth=READ, response={200: RunOut, 403: ErrorOut, 404: ErrorOut})
def schedule_run_get(request, slug: str, run_id: int):
    event = _organised(slug, request.user)
    return _run_out(get_object_or_404(ScheduleRun.objects.select_related("job"), pk=run_id, event=event))


@router.post("/{slug}/schedule-runs/{run_id}/stop", auth=WRITE, response={200: RunOut, **REFUSED})
def schedule_run_stop(request, slug: str, run_id: int):
    event = _organised(slug, request.user)
    run = get_object_or_404(ScheduleRun.objects.select_related("job"), pk=run_id, event=event)
    services.schedule_run_cancel(run=run, by=request.user)
    run.refresh_from_db()
    return _run_out(run)


@router.post("/{slug}/schedule-runs/{run_id}/publish", auth=WRITE, response={200: PublishOut, **REFUSED})
def schedule_run_publish(request, slug: str, run_id: int):
    """Publishes a finished run: meetings and bookings in one transaction, changed agendas notified."""
    event = _organised(slug, request.user)
    run = get_object_or_404(ScheduleRun, pk=run_id, event=event)
    try:
        return services.schedule_publish(run=run, by=request.user)
    except ValidationError as error:
        return invalid(error)
