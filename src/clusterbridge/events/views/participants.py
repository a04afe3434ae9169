"""Pages for the public and the participants: events, an event, participants, requests, the agenda."""

from __future__ import annotations

import logging
import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterbridge.accounts.models import Membership
from clusterbridge.core.errors import Refused
from clusterbridge.core.params import id_param, int_param
from clusterbridge.core.rate_limits import MEETING_REQUESTS, limited_posts

from .. import rules, selectors, services
from ..models import Event, MeetingRequest, Registration

logger = logging.getLogger(__name__)


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def event_list(request):
    return render(request, "events/list.html", {"events": selectors.events_listed()})


def event_detail(request, slug: str):
    event = get_object_or_404(Event, slug=slug)
    if event.status == Event.Status.DRAFT and not rules.can_organise_event(request.user, event):
        raise Http404(_("No such event"))
    mine = selectors.my_registration(event, request.user)
    organisations = []
    if request.user.is_authenticated and mine is None:
        organisations = [m.organisation for m in Membership.objects.filter(user=request.user)
                         .select_related("organisation")]
    if request.method == "POST" and mine is not None:
        try:
            if request.POST.get("action") == "withdraw":
                services.participant_withdraw(registration=mine, by=request.user)
                messages.success(request, _("Your registration is withdrawn; your meetings are cancelled."))
            elif request.POST.get("action") == "availability":
                available = {int(v) for v in request.POST.getlist("available") if v.isdigit()}
                services.availability_set(registration=mine,
                                          unavailable=[x for x in event.slots.all() if x.pk not in available])
                messages.success(request, _("Availability saved; it counts from the next scheduler run."))
        except ValidationError as error:
            messages.error(request, _errors(error))
        return redirect("events:detail", slug=slug)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        org = next((o for o in organisations if str(o.pk) == request.POST.get("organisation")), None)
        if org is None:
            messages.error(request, _("Choose the organisation you register."))
        else:
            try:
                available = {int(v) for v in request.POST.getlist("available") if v.isdigit()}
                unavailable = [slot for slot in event.slots.all() if slot.pk not in available]
                services.registration_create(event=event, organisation=org, person=request.user,
                                             unavailable=unavailable,
                                             attendee_role=request.POST.get("attendee_role", "")[:200],
                                             seeking=request.POST.get("seeking", "")[:2000])
                messages.success(request, _("Registered. The organisers will confirm your place."))
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, _errors(error) if isinstance(error, ValidationError) else str(error))
        return redirect("events:detail", slug=slug)
    return render(request, "events/detail.html", {
        "event": event, "mine": mine, "organisations": organisations,
        "sessions": event.sessions.prefetch_related("slots"), "organiser": rules.can_organise_event(request.user, event),
        "open": event.registration_opens <= timezone.now() <= event.registration_closes,
        "unavailable": set(mine.unavailable.values_list("pk", flat=True)) if mine else set(),
        "places_left": (max(0, event.capacity - event.registrations.filter(status=Registration.Status.APPROVED).count())
                        if event.capacity is not None else None),
    })


def event_logo(request, slug: str):
    event = get_object_or_404(Event, slug=slug)
    if not event.logo or (event.status == Event.Status.DRAFT and not rules.can_organise_event(request.user, event)):
        raise Http404(_("No such logo"))
    response = FileResponse(event.logo.open("rb"), content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _registration_or_403(event, user) -> Registration:
    mine = selectors.my_registration(event, user)
    if mine is not None and mine.status == Registration.Status.APPROVED:
        return mine
    back = reverse("events:detail", args=[event.slug])
    if mine is None:
        raise Refused(_("This page is for the event's approved participants, and you have not registered. "
                        "Register on the event's page; the organisers then confirm your place."),
                      next_url=back, next_label=_("Register for the event"))
    if mine.status == Registration.Status.PENDING:
        raise Refused(_("Your registration is waiting for the organisers' approval. This page opens as soon as "
                        "they confirm your place; you will get a notice in your inbox."),
                      next_url=back, next_label=_("Back to the event"))
    if mine.status == Registration.Status.REJECTED:
        reason = _("The organisers did not approve your registration, so the participants' pages are closed to you. "
                   "Write to them if you think this is a mistake.")
    else:
        reason = _("You withdrew your registration, so the participants' pages are closed to you. "
                   "Register again on the event's page while registration is open.")
    raise Refused(reason, next_url=back, next_label=_("Back to the event"))


@login_required
@limited_posts(MEETING_REQUESTS)
def participant_list(request, slug: str):
    event = get_object_or_404(Event, slug=slug)
    organiser = rules.can_organise_event(request.user, event)
    mine = selectors.my_registration(event, request.user)
    if not organiser:
        mine = _registration_or_403(event, request.user)
    if request.method == "POST" and mine is not None:
        recipient = get_object_or_404(event.registrations, pk=id_param(request.POST, "recipient"))
        try:
            services.meeting_request_send(sender=mine, recipient=recipient, by=request.user,
                                          message=request.POST.get("message", "").strip(),
                                          priority=int_param(request.POST, "priority", default=2))
            messages.success(request, _("Request sent to %(n)s.") % {"n": str(recipient)})
        except ValidationError as error:
            messages.error(request, _errors(error))
        return redirect(request.get_full_path())
    from django.core.paginator import Paginator

    g = request.GET
    page = Paginator(selectors.participants(event, q=g.get("q", "").strip()[:100], country=g.get("country", "")[:2],
                                            kind=g.get("kind", "")[:32]), 40).get_page(g.get("page"))
    people = list(page.object_list)
    suggested = []
    if mine is not None:
        try:
            from clusterbridge.matching.selectors import recommendations

            others = {org: pk for pk, org in event.registrations.filter(status=Registration.Status.APPROVED)
                      .exclude(pk=mine.pk).values_list("pk", "organisation_id")}
            recs = recommendations(organisation=mine.organisation, among=list(others), limit=5)
            regs = {r.organisation_id: r for r in Registration.objects.filter(
                pk__in=[others[rec.organisation.pk] for rec in recs]).select_related("organisation")}
            suggested = [(regs[rec.organisation.pk], rec) for rec in recs]
        except Exception:  # suggestions are a help, never a reason for the page to fail
            logger.exception("partner suggestions failed for registration %s", mine.pk)
            suggested = []
    open_with = set()
    if mine is not None:
        for s, r in MeetingRequest.objects.filter(event=event, status__in=[MeetingRequest.Status.PENDING, MeetingRequest.Status.ACCEPTED]).filter(
                sender=mine).values_list("sender", "recipient"):
            open_with.add(r)
        for s, r in MeetingRequest.objects.filter(event=event, status__in=[MeetingRequest.Status.PENDING, MeetingRequest.Status.ACCEPTED]).filter(
                recipient=mine).values_list("sender", "recipient"):
            open_with.add(s)
    return render(request, "events/participants.html", {
        "event": event, "people": people, "page": page, "mine": mine, "open_with": open_with, "suggested": suggested,
        "countries": sorted(set(event.registrations.values_list("organisation__country", flat=True))),
    })


@login_required
@limited_posts(MEETING_REQUESTS)
def request_list(request, slug: str):
    event = get_object_or_404(Event, slug=slug)
    mine = _registration_or_403(event, request.user)
    if request.method == "POST":
        req = get_object_or_404(MeetingRequest, pk=id_param(request.POST, "request"), event=event)
        try:
            action = request.POST.get("action")
            if action in ("accept", "decline"):
                services.meeting_request_answer(request=req, accept=action == "accept", by=request.user)
            elif action == "cancel":
                services.meeting_request_cancel(request=req, by=request.user)
            elif action == "message":
                services.request_message_post(request=req, by=request.user, body=request.POST.get("body", ""))
                messages.success(request, _("Message sent."))
                return redirect(f"{request.path}#r{req.pk}")
        except ValidationError as error:
            messages.error(request, _errors(error))
        return redirect("events:requests", slug=slug)
    return render(request, "events/requests.html", {
        "event": event, "mine": mine,
        "incoming": mine.received_requests.select_related("sender__organisation")
                        .prefetch_related("thread__side__organisation"),
        "outgoing": mine.sent_requests.select_related("recipient__organisation")
                        .prefetch_related("thread__side__organisation")})


@login_required
def agenda(request, slug: str, fmt: str = "html"):
    event = get_object_or_404(Event, slug=slug)
    mine = _registration_or_403(event, request.user)
    tz = zoneinfo.ZoneInfo(event.time_zone)
    away = set(mine.unavailable.values_list("pk", flat=True))
    rows = [(slot, m, selectors.other_party(m, mine) if m else None, slot.pk in away and m is None)
            for slot, m in selectors.agenda(mine)]
    if fmt == "pdf":
        from django.template.loader import render_to_string
        from weasyprint import HTML

        html = render_to_string("events/agenda_print.html", {"event": event, "mine": mine, "rows": rows},
                                request=request)
        response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{event.slug}-agenda.pdf"'
        return response
    return render(request, "events/agenda.html", {
        "event": event, "mine": mine, "rows": rows, "tz": tz,
        "feed_url": request.build_absolute_uri(f"/events/feed/{mine.feed_token}.ics")})


def _ics(registration: Registration) -> bytes:
    from icalendar import Calendar
    from icalendar import Event as VEvent

    event = registration.event
    cal = Calendar()
    cal.add("prodid", "-//ClusterBridge//matchmaking agenda//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{event} – {registration}")
    for slot, meeting in selectors.agenda(registration):
        if meeting is None:
            continue
        other = selectors.other_party(meeting, registration)
        item = VEvent()
        item.add("uid", f"meeting-{meeting.pk}@clusterbridge")
        item.add("dtstamp", timezone.now())
        item.add("dtstart", slot.starts_at)
        item.add("dtend", slot.ends_at)
        item.add("summary", f"{other} – {event}")
        place = ", ".join(x for x in (meeting.table.name, meeting.table.place, event.venue) if x)
        item.add("location", meeting.table.link or place)
        cal.add_component(item)
    return cal.to_ical()


@login_required
def agenda_ics(request, slug: str):
    event = get_object_or_404(Event, slug=slug)
    mine = _registration_or_403(event, request.user)
    response = HttpResponse(_ics(mine), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-agenda.ics"'
    return response


def agenda_feed(request, token: str):
    """A private subscription URL (the token is the secret) that follows schedule changes."""
    registration = get_object_or_404(Registration, feed_token=token, status=Registration.Status.APPROVED)
    return HttpResponse(_ics(registration), content_type="text/calendar; charset=utf-8")
