"""Demand items: the published list, the panel review, new items."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterbridge.accounts.rules import is_officer
from clusterbridge.core.params import id_param, ids_param
from clusterbridge.core.spreadsheets import xlsx_response

from .. import selectors, services
from ..forms import DemandItemForm, PanelSeatForm, ScoreForm
from ..models import DemandCall, DemandItem
from .page_tools import _error_text, _officer, _pdf


def demand_list(request, fmt: str = "html"):
    """The published bilingual list of approved demand items (public)."""
    if fmt not in ("html", "xlsx", "pdf"):
        raise Http404
    items = list(selectors.demand_items_published())
    if fmt == "xlsx":
        header = ["number", "class", "title_zh", "title_en", "field", "proposer", "benefits", "approved_at"]
        data = [[i.number, i.item_class, i.title_zh, i.title_en, i.field, i.proposer_name, ", ".join(i.benefits),
                 i.decided_at.held_on.isoformat() if i.decided_at else ""] for i in items]
        return xlsx_response({"demand items": (header, data)}, "icp-demand-items.xlsx")
    if fmt == "pdf":
        return _pdf(request, "offsets/demand_print.html", {"items": items}, "icp-demand-items.pdf")
    return render(request, "offsets/demand.html", {"items": items})


@login_required
def demand_review(request):
    """Reviewers score the items of their panel's quarter; officers follow and close the review."""
    officer = is_officer(request.user)
    items = selectors.demand_items_for_reviewer(request.user)
    if not officer and not items.exists():
        raise PermissionDenied(_("You sit on no demand-item panel."))
    call_id = request.GET.get("call") or request.POST.get("call")
    calls = (DemandCall.objects.order_by("-year", "-quarter") if officer
             else DemandCall.objects.filter(seats__reviewer=request.user).distinct().order_by("-year", "-quarter"))
    call = get_object_or_404(calls, pk=id_param({"call": call_id}, "call")) if call_id else calls.first()
    if call is None:
        return render(request, "offsets/demand_review.html", {"call": None, "calls": [], "officer": officer})
    if request.method == "POST":
        try:
            if request.POST.get("action") == "score":
                item = get_object_or_404(items, pk=id_param(request.POST, "item"))
                form = ScoreForm(request.POST)
                if form.is_valid():
                    services.demand_score_record(item=item, reviewer=request.user, score=form.cleaned_data["score"],
                                                 comment=form.cleaned_data["comment"])
                    messages.success(request, _("Score saved for %(n)s.") % {"n": item.number})
                else:
                    messages.error(request, _("%(n)s: give a score from 0 to 100.") % {"n": item.number})
            elif request.POST.get("action") == "seat" and officer:
                form = PanelSeatForm(request.POST)
                if form.is_valid():
                    services.panel_seat_assign(call=call, **form.cleaned_data)
                else:
                    messages.error(request, _("Choose a reviewer and an affiliation."))
            elif request.POST.get("action") == "close" and officer:
                reserved = list(call.items.filter(pk__in=ids_param(request.POST, "reserved")))
                counts = services.demand_review_close(call=call, by=request.user, reserved=reserved)
                messages.success(request, _("Review closed: %(p)s priority, %(g)s general, %(e)s excluded, "
                                            "%(r)s reserved to the next quarter.") % {
                    "p": counts["priority"], "g": counts["general"], "e": counts["excluded"], "r": counts["reserved"]})
            else:
                raise PermissionDenied
        except ValidationError as error:
            messages.error(request, _error_text(error))
        return redirect(f"{request.path}?call={call.pk}")
    rows = []
    listed = (items.filter(call=call) if not call.review_closed_at
              else DemandItem.objects.filter(events__from_call=call).distinct())
    for item in listed.order_by("number").prefetch_related("events__from_call", "events__to_call"):
        scores = selectors.demand_scores_visible(item=item, user=request.user)
        mine = next((s for s in scores if s.reviewer_id == request.user.pk and s.call_id == call.pk), None)
        rows.append((item, [s for s in scores if s.call_id == call.pk], mine))
    return render(request, "offsets/demand_review.html", {
        "call": call, "calls": calls, "rows": rows, "officer": officer,
        "panel_problems": selectors.panel_problems(call), "summary": selectors.demand_call_summary(call),
        "seats": call.seats.select_related("reviewer"),
        "seat_form": PanelSeatForm() if officer and not call.review_closed_at else None})


@login_required
def demand_item_new(request):
    _officer(request)
    today = timezone.localdate()
    form = DemandItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        call = services.demand_call_open(year=today.year, quarter=(today.month - 1) // 3 + 1)
        try:
            item = services.demand_item_submit(call=call, by=request.user, **form.cleaned_data)
            messages.success(request, _("Demand item %(n)s submitted to the %(q)s review.") % {"n": item.number,
                                                                                             "q": call})
            return redirect(f"{reverse('offsets:demand_review')}?call={call.pk}")
        except ValidationError as error:
            form.add_error(None, _error_text(error))
    return render(request, "offsets/form.html", {"form": form, "title": _("New demand item"),
                                                 "submit": _("Submit to this quarter's review")})
