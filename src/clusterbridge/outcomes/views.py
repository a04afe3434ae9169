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
from clusterbridge.core.params import id_param
from clusterbridge.events import rules as event_rules
from clusterbridge.events import selectors as event_selectors
from clusterbridge.events.models import Event, Meeting

from . import selectors, services
from .models import AgreementKind, FollowUpRating, FollowUpRound, ImmediateRating


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
        meeting = get_object_or_404(Meeting, pk=id_param(request.POST, "meeting"), event=event)
        if request.POST.get("action") == "withdraw":
            services.meeting_rating_withdraw(meeting=meeting, by=request.user)
            messages.success(request, _("Your rating is withdrawn."))
            return redirect(f"{request.path}#m{meeting.pk}")
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


@login_required
def follow_up(request, slug: str):
    """Participants answer the open follow-up meeting by meeting; organisers open one here."""
    event = get_object_or_404(Event, slug=slug)
    organiser = event_rules.can_organise_event(request.user, event)
    mine = event_selectors.my_registration(event, request.user)
    rounds = list(event.follow_ups.all())
    today = timezone.localdate()
    current = next((r for r in reversed(rounds) if r.opens_on <= today), None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "open" and organiser:
                opens_on = request.POST.get("opens_on") or None
                round_ = services.follow_up_open(event=event, by=request.user, opens_on=opens_on,
                                                 kind=request.POST.get("kind") or FollowUpRound.Kind.SIX_MONTHS)
                messages.success(request, _("Follow-up opens on %(d)s; the participants are told that day.")
                                 % {"d": round_.opens_on})
            elif current is not None and request.POST.get("action") == "withdraw":
                meeting = get_object_or_404(Meeting, pk=id_param(request.POST, "meeting"), event=event)
                services.follow_up_answer_withdraw(round=current, meeting=meeting, by=request.user)
                messages.success(request, _("Your answer is withdrawn."))
            elif current is not None:
                meeting = get_object_or_404(Meeting, pk=id_param(request.POST, "meeting"), event=event)
                answer = request.POST.get("answer", "")
                agreement = None
                if answer == FollowUpRating.AGREEMENT_REACHED:
                    agreement = {k: request.POST.get(k, "") for k in ("kind", "currency", "summary_en", "summary_zh",
                                                                         "case_plan")}
                    agreement.update(signed_on=request.POST.get("signed_on") or None,
                                     amount=request.POST.get("amount") or None, public=bool(request.POST.get("public")))
                services.follow_up_answer(round=current, meeting=meeting, by=request.user, answer=answer,
                                          comment=request.POST.get("comment", ""), agreement=agreement)
                messages.success(request, _("Thank you: your answer is saved."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("outcomes:follow_up", slug=slug)
    if not organiser and (mine is None or not mine.is_approved):
        raise Refused(_("Only the event's participants answer its follow-up."),
                      next_url=reverse("events:detail", args=[slug]), next_label=_("Back to the event"))
    rows = []
    if mine is not None and mine.is_approved and current is not None:
        answers = {a.meeting_id: a for a in current.answers.filter(registration=mine)}
        rows = [(m, answers.get(m.pk), event_selectors.other_party(m, mine))
                for m, _rating in selectors.meetings_to_rate(mine)]
    return render(request, "outcomes/follow_up.html", {
        "event": event, "mine": mine, "organiser": organiser, "rounds": rounds, "current": current, "rows": rows,
        "scale": FollowUpRating.choices, "kinds": AgreementKind.choices, "round_kinds": FollowUpRound.Kind.choices})
