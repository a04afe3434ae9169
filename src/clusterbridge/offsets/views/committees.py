"""Promotion-group meetings: the list, a meeting with its decisions, minutes and the ledger update."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from clusterbridge.core.params import id_param

from .. import selectors, services
from ..forms import ApplyForm, DecisionForm, MeetingForm, MinutesForm
from ..models import CasePlan, PromotionGroupMeeting
from .page_tools import _error_text, _officer


@login_required
def meeting_list(request):
    _officer(request)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(held_on=form.cleaned_data["held_on"])
            return redirect("offsets:meeting", day=meeting.held_on.isoformat())
        except ValidationError as error:
            form.add_error("held_on", _error_text(error))
    meetings = list(PromotionGroupMeeting.objects.all()[:100])
    return render(request, "offsets/meetings.html", {"form": form,
                                                     "figures": selectors.meeting_figures(meetings)})


@login_required
def meeting_detail(request, day: str):
    _officer(request)
    try:
        held_on = dt.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    meeting = get_object_or_404(PromotionGroupMeeting, held_on=held_on)
    decision_form, minutes_form, apply_form = DecisionForm(), MinutesForm(), ApplyForm(
        initial={"on": timezone.localdate()})
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "decide":
                decision_form = DecisionForm(request.POST)
                if decision_form.is_valid():
                    data = decision_form.cleaned_data
                    case = CasePlan.objects.filter(number=data["case"].strip()).first()
                    if case is None:
                        decision_form.add_error("case", _("No case plan has the number %(n)s.") % {"n": data["case"]})
                    else:
                        services.decision_record(meeting=meeting, case=case, kind=data["kind"],
                                                 amount=data["amount"] or None, new_deadline=data["new_deadline"],
                                                 note=data["note"], by=request.user)
                        messages.success(request, _("Decision recorded for %(n)s.") % {"n": case.number})
                        return redirect("offsets:meeting", day=day)
            elif action == "delete":
                decision = get_object_or_404(meeting.decisions, pk=id_param(request.POST, "decision"))
                services.decision_delete(decision=decision)
                return redirect("offsets:meeting", day=day)
            elif action == "minutes":
                minutes_form = MinutesForm(request.POST)
                if minutes_form.is_valid():
                    services.meeting_minutes_approve(meeting=meeting, on=minutes_form.cleaned_data["on"])
                    return redirect("offsets:meeting", day=day)
            elif action == "apply":
                apply_form = ApplyForm(request.POST)
                if apply_form.is_valid():
                    n = services.meeting_decisions_apply(meeting=meeting, on=apply_form.cleaned_data["on"],
                                                         by=request.user)
                    messages.success(request, _("Credit database updated: %(n)s ledger entries.") % {"n": n})
                    return redirect("offsets:meeting", day=day)
        except ValidationError as error:
            if action == "decide":
                decision_form.add_error(None, _error_text(error))
            else:
                messages.error(request, _error_text(error))
    (figures,) = selectors.meeting_figures([meeting])
    ready = selectors.cases_ready_for(meeting)
    return render(request, "offsets/meeting.html", {
        "meeting": meeting, "figures": figures,
        "decisions": meeting.decisions.select_related("case", "recorded_by"),
        "decision_form": decision_form, "minutes_form": minutes_form, "apply_form": apply_form,
        "ready": ready, "overdue": meeting.database_overdue(timezone.localdate()),
        "comparison": selectors.published_comparison(
            figures, (selectors.published_figures().get("years", {}).get(meeting.held_on.year) or {})
            .get("meetings", {}).get(meeting.held_on)),
    })
