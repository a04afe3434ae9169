"""The organisers pages: dashboard, scheduler runs with their review, check-in, availability, export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from clusterbridge.core.jobs import job_progress
from clusterbridge.core.params import id_param, int_param
from clusterbridge.core.spreadsheets import xlsx_response

from .. import rules, selectors, services
from ..models import Event, Registration, ScheduleRun
from .participants import _errors


@login_required
def organise(request, slug: str):
    event = get_object_or_404(Event, slug=slug)
    if not rules.can_organise_event(request.user, event):
        raise PermissionDenied(_("Only the event's organisers see this page."))
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("approve", "reject"):
                reg = get_object_or_404(event.registrations, pk=id_param(request.POST, "registration"))
                services.registration_decide(registration=reg, approve=action == "approve", by=request.user)
            elif action in ("approve_ticked", "reject_ticked"):
                ids = [int(v) for v in request.POST.getlist("ticked") if v.isdigit()]
                chosen = list(event.registrations.filter(pk__in=ids))
                if not chosen:
                    messages.error(request, _("Tick the registrations to decide on first."))
                else:
                    counts = services.registrations_decide(registrations=chosen, approve=action == "approve_ticked",
                                                           by=request.user)
                    messages.success(request, _("%(a)s approved, %(w)s on the waiting list, %(r)s rejected.") % {
                        "a": counts["approved"], "w": counts["waitlisted"], "r": counts["rejected"]})
            elif action == "publish_event":
                services.event_publish(event=event, by=request.user)
                messages.success(request, _("The event is published: it is listed and open for registration."))
            elif action == "meeting":
                first = get_object_or_404(event.registrations, pk=id_param(request.POST, "first"))
                second = get_object_or_404(event.registrations, pk=id_param(request.POST, "second"))
                services.meeting_create(event=event, first=first, second=second, by=request.user,
                                        required=bool(request.POST.get("required")))
                messages.success(request, _("Meeting added; run the scheduler to place it."))
            elif action == "schedule":
                run = services.schedule_run_create(event=event, by=request.user,
                                                   time_limit=int_param(request.POST, "time_limit", default=30, minimum=1, maximum=3600))
                return redirect("events:run", slug=slug, run_id=run.id)
        except ValidationError as error:
            messages.error(request, _errors(error))
        return redirect("events:organise", slug=slug)
    return render(request, "events/organise.html", {
        "event": event, "dashboard": selectors.dashboard(event),
        "pending": event.registrations.filter(status=Registration.Status.PENDING).select_related("organisation",
                                                                                                 "person"),
        "waiting": event.registrations.filter(status=Registration.Status.WAITLISTED).select_related("organisation")
                                      .order_by("created_at", "pk"),
        "runs": event.runs.all()[:5],
        "approved": event.registrations.filter(status=Registration.Status.APPROVED).select_related("organisation")})


@login_required
def run_detail(request, slug: str, run_id: int):
    event = get_object_or_404(Event, slug=slug)
    if not rules.can_organise_event(request.user, event):
        raise PermissionDenied(_("Only the event's organisers see this page."))
    run = get_object_or_404(ScheduleRun.objects.select_related("job"), pk=run_id, event=event)
    if request.method == "POST":
        if not request.POST.get("confirm"):
            messages.error(request, _("Tick the box to confirm: publishing notifies every participant whose agenda "
                                      "changes."))
            return redirect("events:run", slug=slug, run_id=run.id)
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
        reg = get_object_or_404(event.registrations, pk=id_param(request.POST, "registration"))
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
