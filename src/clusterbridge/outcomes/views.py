"""Outcome pages: participants rate their meetings; organisers see the ratings combined."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterbridge.core.errors import Refused
from clusterbridge.events import rules as event_rules
from clusterbridge.events import selectors as event_selectors
from clusterbridge.events.models import Event, Meeting

from . import selectors, services
from .models import ImmediateRating


@login_required
def rate_meetings(request, slug: str):
    event = get_object_or_404(Event, slug=slug)
    mine = event_selectors.my_registration(event, request.user)
    organiser = event_rules.can_organise_event(request.user, event)
    if mine is None or not mine.is_approved:
        if organiser:
            return render(request, "outcomes/ratings_summary.html", {"event": event,
                                                                     "summary": selectors.event_ratings(event)})
        raise Refused(_("Only the event's participants rate their meetings."),
                      next_url=reverse("events:detail", args=[slug]), next_label=_("Back to the event"))
    if request.method == "POST":
        meeting = get_object_or_404(Meeting, pk=request.POST.get("meeting"), event=event)
        try:
            services.meeting_rate(meeting=meeting, by=request.user, rating=request.POST.get("rating", ""),
                                  comment=request.POST.get("comment", ""))
            messages.success(request, _("Thank you: your rating is saved (only the organisers see it)."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(f"{request.path}#m{meeting.pk}")
    now = timezone.now()
    rows = [(m, rating, event_selectors.other_party(m, mine), m.slot.starts_at <= now)
            for m, rating in selectors.meetings_to_rate(mine)]
    return render(request, "outcomes/rate.html", {
        "event": event, "mine": mine, "rows": rows, "scale": ImmediateRating.choices, "organiser": organiser,
        "summary": selectors.event_ratings(event) if organiser else None})
