"""Creating an event and changing it afterwards (details, sessions, tables and rooms)."""

from __future__ import annotations

import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from clusterbridge.core.params import id_param

from .. import rules, selectors, services
from ..models import Event
from .participants import _errors


@login_required
def event_new(request):
    """Programme officers create an event with its sessions (the slots follow) and tables."""
    from clusterbridge.accounts.rules import is_officer

    from ..forms import EventForm, SessionFormSet

    if not is_officer(request.user):
        raise PermissionDenied(_("Only programme officers create events."))
    tz_name = _zone_of_post(request.POST)
    with timezone.override(zoneinfo.ZoneInfo(tz_name)):
        form = EventForm(request.POST or None, request.FILES or None, initial={"requests_need_acceptance": True})
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
                        venue=data["venue"], venue_country=data["venue_country"], online=data["online"],
                        time_zone=data["time_zone"],
                        registration_opens=data["registration_opens"], registration_closes=data["registration_closes"],
                        requests_need_acceptance=data["requests_need_acceptance"], max_meetings=data["max_meetings"],
                        allowed_kinds=data["allowed_kinds"], allowed_countries=data["allowed_countries"],
                        tables=data["tables"], organiser=request.user, status=Event.Status.DRAFT, logo=data["logo"],
                        **{name: data[name] for name in services.EVENT_PAGE},
                        sessions=[{"name": s["name"], "starts_at": s["starts_at"],
                                   "slot_minutes": s.get("slot_minutes") or 20, "slot_count": s["slot_count"],
                                   "pause_minutes": s.get("pause_minutes") or 0} for s in rows])
                    messages.success(request, _("Event created with %(n)s slots, as a draft: publish it when its "
                                                "page is ready.") % {"n": event.slots.count()})
                    if form.zone_warning:
                        messages.warning(request, form.zone_warning)
                    return redirect("events:organise", slug=event.slug)
                except ValidationError as error:
                    form.add_error(None, _errors(error))
        return render(request, "events/new.html", {"form": form, "sessions": sessions})


def _zone_of_post(post) -> str:
    """The zone the form's local times are entered in: the chosen one, else the venue country's."""
    from clusterbridge.core.countries import country_time_zones

    zone = post.get("time_zone") or next(iter(country_time_zones(post.get("venue_country", ""))), "") or "UTC"
    return zone if zone in zoneinfo.available_timezones() else "UTC"


def _local_input(value, tz) -> str:
    return timezone.localtime(value, tz).strftime("%Y-%m-%dT%H:%M")


@login_required
def setup(request, slug: str):
    """Organisers change the event after creation: details and rules, sessions (their slots follow),
    tables or rooms. Every change is one service call; what cannot change says why."""
    from ..forms import EventDetailsForm, SessionForm, TablesForm

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
                    details = EventDetailsForm(request.POST, request.FILES)
                    if details.is_valid():
                        services.event_update(event=event, by=request.user,
                                              **{k: details.cleaned_data[k] for k in services.EVENT_DETAILS})
                        messages.success(request, _("Event details saved."))
                        if details.zone_warning:
                            messages.warning(request, details.zone_warning)
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
                    session = get_object_or_404(event.sessions, pk=id_param(request.POST, "session"))
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
                    table = get_object_or_404(event.tables, pk=id_param(request.POST, "table"))
                    if action == "table_delete":
                        services.table_delete(table=table, by=request.user)
                        messages.success(request, _("%(t)s removed.") % {"t": table.name})
                    else:
                        services.table_update(table=table, name=request.POST.get("name", ""),
                                              link=request.POST.get("link", "").strip(),
                                              place=request.POST.get("place", ""), by=request.user)
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
