"""Event pages. Thin: read with selectors, write with services."""

from __future__ import annotations

import logging
import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterbridge.accounts.models import Membership
from clusterbridge.core.jobs import job_progress
from clusterbridge.core.spreadsheets import xlsx_response

from . import rules, selectors, services
from .models import Event, MeetingRequest, Registration, ScheduleRun


logger = logging.getLogger(__name__)


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def event_list(request):
    return render(request, "events/list.html", {"events": Event.objects.exclude(status=Event.Status.DRAFT)})


def event_detail(request, slug: str):
    event = get_object_or_404(Event, slug=slug)
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
                                             unavailable=unavailable)
                messages.success(request, _("Registered. The organisers will confirm your place."))
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, _errors(error) if isinstance(error, ValidationError) else str(error))
        return redirect("events:detail", slug=slug)
    return render(request, "events/detail.html", {
        "event": event, "mine": mine, "organisations": organisations,
        "sessions": event.sessions.prefetch_related("slots"), "organiser": rules.can_organise_event(request.user, event),
        "open": event.registration_opens <= timezone.now() <= event.registration_closes,
        "unavailable": set(mine.unavailable.values_list("pk", flat=True)) if mine else set(),
    })


def _registration_or_403(event, user) -> Registration:
    mine = selectors.my_registration(event, user)
    if mine is None or mine.status != Registration.Status.APPROVED:
        raise PermissionDenied(_("This page is for the event's approved participants."))
    return mine


@login_required
def participant_list(request, slug: str):
    event = get_object_or_404(Event, slug=slug)
    organiser = rules.can_organise_event(request.user, event)
    mine = selectors.my_registration(event, request.user)
    if not organiser:
        mine = _registration_or_403(event, request.user)
    if request.method == "POST" and mine is not None:
        recipient = get_object_or_404(event.registrations, pk=request.POST.get("recipient"))
        try:
            services.meeting_request_send(sender=mine, recipient=recipient, by=request.user,
                                          message=request.POST.get("message", "").strip(),
                                          priority=int(request.POST.get("priority") or 2))
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
        for s, r in MeetingRequest.objects.filter(event=event, status__in=["pending", "accepted"]).filter(
                sender=mine).values_list("sender", "recipient"):
            open_with.add(r)
        for s, r in MeetingRequest.objects.filter(event=event, status__in=["pending", "accepted"]).filter(
                recipient=mine).values_list("sender", "recipient"):
            open_with.add(s)
    return render(request, "events/participants.html", {
        "event": event, "people": people, "page": page, "mine": mine, "open_with": open_with, "suggested": suggested,
        "countries": sorted(set(event.registrations.values_list("organisation__country", flat=True))),
    })


@login_required
def request_list(request, slug: str):
    event = get_object_or_404(Event, slug=slug)
    mine = _registration_or_403(event, request.user)
    if request.method == "POST":
        req = get_object_or_404(MeetingRequest, pk=request.POST.get("request"), event=event)
        try:
            action = request.POST.get("action")
            if action in ("accept", "decline"):
                services.meeting_request_answer(request=req, accept=action == "accept", by=request.user)
            elif action == "cancel":
                services.meeting_request_cancel(request=req, by=request.user)
        except ValidationError as error:
            messages.error(request, _errors(error))
        return redirect("events:requests", slug=slug)
    return render(request, "events/requests.html", {
        "event": event, "mine": mine,
        "incoming": mine.received_requests.select_related("sender__organisation"),
        "outgoing": mine.sent_requests.select_related("recipient__organisation")})


@login_required
def agenda(request, slug: str, fmt: str = "html"):
    event = get_object_or_404(Event, slug=slug)
    mine = _registration_or_403(event, request.user)
    tz = zoneinfo.ZoneInfo(event.time_zone)
    rows = [(slot, m, selectors.other_party(m, mine) if m else None) for slot, m in selectors.agenda(mine)]
    if fmt == "pdf":
        from weasyprint import HTML

        from django.template.loader import render_to_string

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
        item.add("location", meeting.table.link or f"{meeting.table.name}, {event.venue}".strip(", "))
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


@login_required
def organise(request, slug: str):
    event = get_object_or_404(Event, slug=slug)
    if not rules.can_organise_event(request.user, event):
        raise PermissionDenied(_("Only the event's organisers see this page."))
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("approve", "reject"):
                reg = get_object_or_404(event.registrations, pk=request.POST.get("registration"))
                services.registration_decide(registration=reg, approve=action == "approve", by=request.user)
            elif action == "meeting":
                first = get_object_or_404(event.registrations, pk=request.POST.get("first"))
                second = get_object_or_404(event.registrations, pk=request.POST.get("second"))
                services.meeting_create(event=event, first=first, second=second, by=request.user,
                                        required=bool(request.POST.get("required")))
                messages.success(request, _("Meeting added; run the scheduler to place it."))
            elif action == "schedule":
                run = services.schedule_run_create(event=event, by=request.user,
                                                   time_limit=int(request.POST.get("time_limit") or 30))
                return redirect("events:run", slug=slug, run_id=run.id)
        except ValidationError as error:
            messages.error(request, _errors(error))
        return redirect("events:organise", slug=slug)
    return render(request, "events/organise.html", {
        "event": event, "dashboard": selectors.dashboard(event),
        "pending": event.registrations.filter(status=Registration.Status.PENDING).select_related("organisation",
                                                                                                 "person"),
        "runs": event.runs.all()[:5],
        "approved": event.registrations.filter(status=Registration.Status.APPROVED).select_related("organisation")})


@login_required
def run_detail(request, slug: str, run_id: int):
    event = get_object_or_404(Event, slug=slug)
    if not rules.can_organise_event(request.user, event):
        raise PermissionDenied(_("Only the event's organisers see this page."))
    run = get_object_or_404(ScheduleRun.objects.select_related("job"), pk=run_id, event=event)
    if request.method == "POST":
        try:
            counts = services.schedule_publish(run=run, by=request.user)
            messages.success(request, _("Published: %(s)s meetings scheduled; %(n)s participants notified.")
                             % {"s": counts["scheduled"], "n": counts["notified"]})
            return redirect("events:organise", slug=slug)
        except ValidationError as error:
            messages.error(request, _errors(error))
        return redirect("events:run", slug=slug, run_id=run.id)
    review = selectors.run_review(run) if run.status != ScheduleRun.Status.PENDING else {}
    return render(request, "events/run.html", {
        "event": event, "run": run, "job": run.job, "progress": job_progress(run.job) if run.job else {},
        **review})


@login_required
def check_in_page(request, slug: str):
    """The check-in desk on a phone: find by name, mark present; meetings whose other party is absent are flagged."""
    event = get_object_or_404(Event, slug=slug)
    if not rules.can_organise_event(request.user, event):
        raise PermissionDenied(_("Only the event's organisers see this page."))
    if request.method == "POST":
        reg = get_object_or_404(event.registrations, pk=request.POST.get("registration"))
        services.check_in(registration=reg, present=request.POST.get("present") == "1", by=request.user)
        return redirect(f"{request.path}?q={request.POST.get('q', '')}")
    q = request.GET.get("q", "").strip()[:100]
    people = selectors.participants(event, q=q)
    return render(request, "events/check_in.html", {
        "event": event, "q": q, "people": people[:50] if q else people[:20],
        "flagged": selectors.flagged_meetings(event), "dashboard": selectors.dashboard(event)})


@login_required
def export(request, slug: str):
    event = get_object_or_404(Event, slug=slug)
    if not rules.can_organise_event(request.user, event):
        raise PermissionDenied
    regs = event.registrations.select_related("organisation", "person")
    meetings = event.meetings.select_related("first__organisation", "second__organisation", "slot", "table")
    return xlsx_response({
        "registrations": (["organisation", "country", "kind", "status", "person", "checked_in"],
                          [[str(r), r.organisation.country, r.organisation.kind, r.status, r.person.username,
                            r.checked_in_at.isoformat(timespec="minutes") if r.checked_in_at else ""] for r in regs]),
        "requests": (["from", "to", "priority", "status", "sent"],
                     [[str(r.sender), str(r.recipient), r.priority, r.status, r.created_at.isoformat(timespec="minutes")]
                      for r in event.requests.select_related("sender__organisation", "recipient__organisation")]),
        "meetings": (["first", "second", "status", "slot", "starts_at", "table", "not scheduled because"],
                     [[str(m.first), str(m.second), m.status, m.slot.index if m.slot else "",
                       m.slot.starts_at.isoformat(timespec="minutes") if m.slot else "", m.table.name if m.table else "",
                       m.unscheduled_reason] for m in meetings]),
    }, f"{event.slug}.xlsx")


@login_required
def event_new(request):
    """Programme officers create an event with its sessions (the slots follow) and tables."""
    from clusterbridge.accounts.rules import is_officer

    from .forms import EventForm, SessionFormSet

    if not is_officer(request.user):
        raise PermissionDenied(_("Only programme officers create events."))
    tz_name = request.POST.get("time_zone") or "Asia/Taipei"
    with timezone.override(zoneinfo.ZoneInfo(tz_name if tz_name in zoneinfo.available_timezones() else "UTC")):
        form = EventForm(request.POST or None, initial={"time_zone": "Asia/Taipei", "requests_need_acceptance": True})
        sessions = SessionFormSet(request.POST or None, prefix="sessions")
        if request.method == "POST" and form.is_valid() and sessions.is_valid():
            rows = [s for s in sessions.cleaned_data if s.get("starts_at")]
            incomplete = [i + 1 for i, s in enumerate(rows) if not (s.get("name") and s.get("slot_count"))]
            if not rows or incomplete:
                form.add_error(None, _("Give at least one session with its name, start and number of slots."))
            else:
                data = form.cleaned_data
                try:
                    event = services.event_create(
                        slug=data["slug"], title_en=data["title_en"], title_zh=data["title_zh"], kinds=data["kinds"],
                        venue=data["venue"], online=data["online"], time_zone=data["time_zone"],
                        registration_opens=data["registration_opens"], registration_closes=data["registration_closes"],
                        requests_need_acceptance=data["requests_need_acceptance"], max_meetings=data["max_meetings"],
                        allowed_kinds=data["allowed_kinds"], allowed_countries=data["allowed_countries"],
                        tables=data["tables"], organiser=request.user,
                        sessions=[{"name": s["name"], "starts_at": s["starts_at"],
                                   "slot_minutes": s.get("slot_minutes") or 20, "slot_count": s["slot_count"],
                                   "pause_minutes": s.get("pause_minutes") or 0} for s in rows])
                    messages.success(request, _("Event created with %(n)s slots.") % {"n": event.slots.count()})
                    return redirect("events:organise", slug=event.slug)
                except ValidationError as error:
                    form.add_error(None, _errors(error))
        return render(request, "events/new.html", {"form": form, "sessions": sessions})


@login_required
def availability(request, slug: str, registration_id: int):
    """Organisers see and edit a participant's availability."""
    event = get_object_or_404(Event, slug=slug)
    if not rules.can_organise_event(request.user, event):
        raise PermissionDenied(_("Only the event's organisers see this page."))
    registration = get_object_or_404(event.registrations.select_related("organisation"), pk=registration_id)
    if request.method == "POST":
        available = {int(v) for v in request.POST.getlist("available") if v.isdigit()}
        services.availability_set(registration=registration,
                                  unavailable=[x for x in event.slots.all() if x.pk not in available])
        messages.success(request, _("Availability saved; it counts from the next scheduler run."))
        return redirect("events:organise", slug=slug)
    return render(request, "events/availability.html", {
        "event": event, "registration": registration, "sessions": event.sessions.prefetch_related("slots"),
        "unavailable": set(registration.unavailable.values_list("pk", flat=True))})


def _local_input(value, tz) -> str:
    return timezone.localtime(value, tz).strftime("%Y-%m-%dT%H:%M")


@login_required
def setup(request, slug: str):
    """Organisers change the event after creation: details and rules, sessions (their slots follow),
    tables or rooms. Every change is one service call; what cannot change says why."""
    from .forms import EventDetailsForm, SessionForm, TablesForm

    event = get_object_or_404(Event, slug=slug)
    if not rules.can_organise_event(request.user, event):
        raise PermissionDenied(_("Only the event's organisers see this page."))
    tz = zoneinfo.ZoneInfo(event.time_zone)
    details = EventDetailsForm(initial={
        **{name: getattr(event, name) for name in services.EVENT_DETAILS},
        "registration_opens": _local_input(event.registration_opens, tz),
        "registration_closes": _local_input(event.registration_closes, tz),
        "allowed_countries": ", ".join(event.allowed_countries)})
    new_session, new_tables = SessionForm(prefix="new"), TablesForm(prefix="tables")
    if request.method == "POST":
        action = request.POST.get("action", "")
        with timezone.override(tz):
            try:
                if action == "details":
                    details = EventDetailsForm(request.POST)
                    if details.is_valid():
                        services.event_update(event=event, by=request.user,
                                              **{k: details.cleaned_data[k] for k in services.EVENT_DETAILS})
                        messages.success(request, _("Event details saved."))
                        return redirect("events:setup", slug=slug)
                elif action == "session_add":
                    new_session = SessionForm(request.POST, prefix="new")
                    if new_session.is_valid():
                        d = new_session.cleaned_data
                        if not (d.get("name") and d.get("starts_at") and d.get("slot_count")):
                            new_session.add_error(None, _("Give the session's name, start and number of slots."))
                        else:
                            services.session_add(event=event, name=d["name"], starts_at=d["starts_at"],
                                                 slot_count=d["slot_count"], slot_minutes=d.get("slot_minutes") or 20,
                                                 pause_minutes=d.get("pause_minutes") or 0, by=request.user)
                            messages.success(request, _("Session added."))
                            return redirect("events:setup", slug=slug)
                elif action in ("session_save", "session_delete"):
                    session = get_object_or_404(event.sessions, pk=request.POST.get("session"))
                    if action == "session_delete":
                        services.session_delete(session=session, by=request.user)
                        messages.success(request, _("Session removed."))
                    else:
                        form = SessionForm(request.POST, prefix=f"s{session.pk}")
                        if not form.is_valid() or not form.cleaned_data.get("starts_at") \
                                or not form.cleaned_data.get("slot_count"):
                            messages.error(request, _("Session %(n)s: give its start and number of slots.")
                                           % {"n": session.name})
                        else:
                            d = form.cleaned_data
                            counts = services.session_update(
                                session=session, starts_at=d["starts_at"], slot_count=d["slot_count"],
                                slot_minutes=d.get("slot_minutes") or session.slot_minutes,
                                pause_minutes=d.get("pause_minutes") or 0, by=request.user)
                            messages.success(request, _("Session %(n)s saved; %(p)s participants told of new times.")
                                             % {"n": session.name, "p": counts["notified"]})
                    return redirect("events:setup", slug=slug)
                elif action == "tables_add":
                    new_tables = TablesForm(request.POST, prefix="tables")
                    if new_tables.is_valid():
                        made = services.tables_add(event=event, tables=new_tables.cleaned_data["tables"],
                                                   by=request.user)
                        messages.success(request, _("%(n)s tables or rooms added.") % {"n": len(made)})
                        return redirect("events:setup", slug=slug)
                elif action in ("table_save", "table_delete"):
                    table = get_object_or_404(event.tables, pk=request.POST.get("table"))
                    if action == "table_delete":
                        services.table_delete(table=table, by=request.user)
                        messages.success(request, _("%(t)s removed.") % {"t": table.name})
                    else:
                        services.table_update(table=table, name=request.POST.get("name", ""),
                                              link=request.POST.get("link", "").strip(), by=request.user)
                        messages.success(request, _("%(t)s saved.") % {"t": request.POST.get("name", "").strip()})
                    return redirect("events:setup", slug=slug)
            except ValidationError as error:
                messages.error(request, _errors(error))
                if action not in ("details", "session_add", "tables_add"):
                    return redirect("events:setup", slug=slug)
    sessions = []
    held = selectors.scheduled_per_slot(event)
    for session in event.sessions.prefetch_related("slots"):
        form = SessionForm(prefix=f"s{session.pk}", initial={
            "name": session.name, "starts_at": _local_input(session.starts_at, tz),
            "slot_minutes": session.slot_minutes, "slot_count": session.slot_count,
            "pause_minutes": session.pause_minutes})
        slots = list(session.slots.all())
        sessions.append({"session": session, "form": form, "slots": slots,
                         "held": sum(held.get(x.pk, 0) for x in slots)})
    tables = list(event.tables.all())
    per_table = selectors.scheduled_per_table(event)
    return render(request, "events/setup.html", {
        "event": event, "details": details, "sessions": sessions, "new_session": new_session,
        "new_tables": new_tables, "tables": [(t, per_table.get(t.pk, 0)) for t in tables], "organiser": True})
