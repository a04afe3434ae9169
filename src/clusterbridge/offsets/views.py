"""ICP pages. Thin: read with selectors, write with services, permissions from selectors."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterbridge.accounts.rules import is_officer
from clusterbridge.core.jobs import job_progress
from clusterbridge.core.models import Job
from clusterbridge.core.spreadsheets import xlsx_response

from . import rules, selectors, services
from .credits import DecisionKind
from .forms import (AgreementForm, ApplyForm, CaseLineFormSet, CasePlanForm, CheckForm, DecisionForm,
                    DemandItemForm, MeetingForm, MinutesForm, PanelSeatForm, ProgressReportForm, ReverseForm,
                    ScoreForm, SubcommitteeForm)
from .models import CasePlan, CreditEntry, DemandCall, DemandItem, PromotionGroupMeeting, SubcommitteeReview


LEDGER_ROWS = 40  # the latest entries on the balance page; the whole ledger is in the Excel export


def _officer(request):
    if not rules.can_manage_icp(request.user):
        raise PermissionDenied(_("Only programme officers may do this."))


def _date(raw) -> dt.date | None:
    try:
        return dt.date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def home(request):
    if not rules.can_see_icp(request.user):
        raise PermissionDenied(_("The Industrial Cooperation Programme is open to its officers, reviewers and contractors."))
    today = timezone.localdate()
    contractor = None
    if rules.is_contractor(request.user):
        contractor = request.user.contractors.first()
    agreements = list(selectors.agreements_visible_to(request.user)[:200])
    balances = selectors.agreement_balances(agreements)
    return render(request, "offsets/home.html", {
        "agreements": [(a, balances[a.pk]) for a in agreements[:12]],
        "agreement_count": len(agreements),
        "overdue": selectors.overdue(today=today, contractor=contractor) if (contractor or is_officer(request.user)) else None,
        "meetings": PromotionGroupMeeting.objects.all()[:8] if is_officer(request.user) else [],
        "years": selectors.years_with_records() if is_officer(request.user) else [],
        "calls": DemandCall.objects.filter(seats__reviewer=request.user).distinct() if not is_officer(request.user)
        else DemandCall.objects.order_by("-year", "-quarter")[:8],
        "today": today,
    })


@login_required
def agreement_list(request):
    from django.core.paginator import Paginator
    from django.db.models import Q

    if not rules.can_see_icp(request.user):
        raise PermissionDenied
    agreements = selectors.agreements_visible_to(request.user).order_by("-signed_on", "number")
    q = request.GET.get("q", "").strip()[:100]
    if q:
        agreements = agreements.filter(Q(number__icontains=q) | Q(contractor__name__icontains=q)
                                       | Q(purchase_en__icontains=q) | Q(purchase_zh__icontains=q))
    if request.GET.get("format") == "xlsx":
        agreements = list(agreements)
        balances = selectors.agreement_balances(agreements)
        header = ["number", "contractor", "country", "purchase", "signed_on", "unit", "obligation", "pre_approved",
                  "approved", "retained", "remaining"]
        data = [[a.number, a.contractor.name, a.contractor.country, a.purchase_en or a.purchase_zh,
                 a.signed_on.isoformat(), a.unit, b.obligation, b.pre_approved, b.approved, b.retained, b.remaining]
                for a in agreements for b in [balances[a.pk]]]
        return xlsx_response({"agreements": (header, data)}, "icp-agreements.xlsx")
    page = Paginator(agreements, 50).get_page(request.GET.get("page"))
    balances = selectors.agreement_balances(page.object_list)
    return render(request, "offsets/agreements.html", {"rows": [(a, balances[a.pk]) for a in page.object_list],
                                                       "page": page, "q": q})


@login_required
def agreement_detail(request, number: str):
    agreement = get_object_or_404(selectors.agreements_visible_to(request.user), number=number)
    if request.method == "POST":
        _officer(request)
        held = _date(request.POST.get("briefing_held_on"))
        try:
            if held is None:
                raise ValidationError(_("Give the briefing's date."))
            services.agreement_briefing_record(agreement=agreement, held_on=held)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        return redirect("offsets:agreement", number=agreement.number)
    if request.GET.get("format") == "xlsx":
        header = ["date", "case", "seq", "entry", "points", "unit", "pre_approved_after", "approved_after",
                  "retained_after", "decision", "meeting", "reverses", "reason", "recorded_by", "recorded_at"]
        data = [[e.effective_on.isoformat(), e.case.number, e.seq, e.kind, e.signed, e.unit, e.pre_approved_after,
                 e.approved_after, e.retained_after, e.decision.kind if e.decision else "",
                 e.decision.meeting.held_on.isoformat() if e.decision else "",
                 e.reverses.seq if e.reverses else "", e.reason, str(e.recorded_by),
                 e.recorded_at.isoformat(timespec="seconds")] for e in selectors.ledger(agreement=agreement)]
        return xlsx_response({"ledger": (header, data)}, f"icp-ledger-{agreement.number}.xlsx")
    cases = list(agreement.cases.all())
    case_balances = selectors.case_balances(cases)
    return render(request, "offsets/agreement.html", {
        "agreement": agreement, "balance": selectors.agreement_balance(agreement),
        "cases": [(c, case_balances[c.pk]) for c in cases],
        "entries": list(selectors.ledger(agreement=agreement).reverse()[:LEDGER_ROWS])[::-1],
        "entry_count": selectors.ledger(agreement=agreement).count(),
        "briefing_late": agreement.briefing_held_on is None and agreement.briefing_due < timezone.localdate(),
    })


@login_required
def case_detail(request, number: str):
    case = get_object_or_404(selectors.cases_visible_to(request.user), number=number)
    officer = is_officer(request.user)
    report_form = ProgressReportForm(initial={"year": timezone.localdate().year,
                                              "quarter": (timezone.localdate().month - 1) // 3 + 1})
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "report":
                report_form = ProgressReportForm(request.POST)
                if report_form.is_valid():
                    services.progress_report_file(case=case, by=request.user, **report_form.cleaned_data)
                    messages.success(request, _("Progress report filed."))
                    return redirect("offsets:case", number=case.number)
            elif action == "check" and officer:
                form = CheckForm(request.POST)
                if form.is_valid():
                    services.case_check_record(case=case, by=request.user, **form.cleaned_data)
                    return redirect("offsets:case", number=case.number)
                messages.error(request, _("Give the evidence of the check."))
            elif action == "subcommittee" and officer:
                form = SubcommitteeForm(request.POST)
                if form.is_valid():
                    services.subcommittee_review_create(case=case, sector=form.cleaned_data["sector"],
                                                        held_on=form.cleaned_data["held_on"],
                                                        experts=list(form.cleaned_data["experts"]))
                    return redirect("offsets:case", number=case.number)
                messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            elif action == "outcome" and officer:
                review = get_object_or_404(case.reviews, pk=request.POST.get("review"))
                services.subcommittee_outcome_set(review=review, outcome=request.POST.get("outcome", ""))
                return redirect("offsets:case", number=case.number)
            elif action == "checkpoint":
                due, text = _date(request.POST.get("due_on")), request.POST.get("description", "").strip()[:300]
                if due and text:
                    services.checkpoint_add(case=case, due_on=due, description=text)
                    return redirect("offsets:case", number=case.number)
                messages.error(request, _("Give the checkpoint's date and what is due."))
            elif action == "checkpoint_done":
                checkpoint = get_object_or_404(case.checkpoints, pk=request.POST.get("checkpoint"))
                services.checkpoint_done(checkpoint=checkpoint, on=_date(request.POST.get("on")) or timezone.localdate())
                return redirect("offsets:case", number=case.number)
            elif action == "visit" and officer:
                visited = _date(request.POST.get("visited_on"))
                if visited and request.POST.get("recipient", "").strip():
                    services.site_visit_record(case=case, visited_on=visited, recipient=request.POST["recipient"].strip(),
                                               notes=request.POST.get("notes", "").strip(), by=request.user)
                    return redirect("offsets:case", number=case.number)
                messages.error(request, _("Give the visit's date and the recipient visited."))
            elif action == "fee" and officer:
                services.feedback_fee_commit(case=case, recipient=request.POST.get("recipient", "").strip()[:200],
                                             committed_twd=request.POST.get("committed_twd", ""),
                                             notarised_on=_date(request.POST.get("notarised_on")))
                return redirect("offsets:case", number=case.number)
            elif action == "payment" and officer:
                fee = get_object_or_404(case.feedback_fees, pk=request.POST.get("fee"))
                services.feedback_fee_pay(fee=fee, paid_on=_date(request.POST.get("paid_on")) or timezone.localdate(),
                                          amount_twd=request.POST.get("amount_twd", ""))
                return redirect("offsets:case", number=case.number)
            elif action == "reverse" and officer:
                form = ReverseForm(request.POST)
                if form.is_valid():
                    entry = get_object_or_404(CreditEntry, pk=form.cleaned_data["entry"], case=case)
                    services.credit_entry_reverse(entry=entry, reason=form.cleaned_data["reason"], by=request.user)
                    messages.success(request, _("Entry reversed."))
                    return redirect("offsets:case", number=case.number)
                messages.error(request, _("Say why the entry is reversed."))
            else:
                raise PermissionDenied
        except ValidationError as error:
            messages.error(request, _error_text(error))
    return render(request, "offsets/case.html", {
        "case": case, "credits": selectors.case_credits(case), "officer": officer,
        "lines": case.lines.all(), "checks": case.checks.select_related("by"),
        "checklist_problems": selectors.checklist_problems(case) if officer else [],
        "reviews": case.reviews.prefetch_related("reviewers"),
        "decisions": case.decisions.select_related("meeting", "recorded_by"),
        "entries": selectors.ledger(case=case), "reports": case.reports.select_related("filed_by"),
        "checkpoints": case.checkpoints.all(), "fees": case.feedback_fees.prefetch_related("payments"),
        "visits": case.visits.all() if officer else [], "report_form": report_form,
        "may_report": case.status in ("pre_approved", "in_execution"),
        "check_form": CheckForm() if officer else None, "subcommittee_form": SubcommitteeForm() if officer else None,
        "outcomes": SubcommitteeReview.Outcome.choices,
    })


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
                decision = get_object_or_404(meeting.decisions, pk=request.POST.get("decision"))
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
    ready = (CasePlan.objects.filter(status="submitted", reviews__outcome__in=["passed", "to_group"])
             .exclude(decisions__meeting=meeting).distinct().order_by("number")[:50])
    return render(request, "offsets/meeting.html", {
        "meeting": meeting, "figures": figures,
        "decisions": meeting.decisions.select_related("case", "recorded_by"),
        "decision_form": decision_form, "minutes_form": minutes_form, "apply_form": apply_form,
        "ready": ready, "overdue": meeting.database_overdue(timezone.localdate()),
        "comparison": selectors.published_comparison(
            figures, (selectors.published_figures().get("years", {}).get(meeting.held_on.year) or {})
            .get("meetings", {}).get(meeting.held_on)),
    })


def _report_context(year: int) -> dict:
    report = selectors.year_report(year)
    kinds = [k.value for k in DecisionKind]
    categories_top = max((v for _c, v, _s in report.by_category), default=0) or 1
    return {"report": report, "kinds": kinds, "categories_top": categories_top,
            "published_meetings": (report.published or {}).get("meetings", {})}


@login_required
def year_report(request, year: int, fmt: str = "html"):
    _officer(request)
    if fmt not in ("html", "xlsx", "pdf") or not 1988 <= year <= 2100:
        raise Http404
    context = _report_context(year)
    report = context["report"]
    if fmt == "xlsx":
        meetings = (["meeting", "decision", "cases", "USD points", "TWD points"],
                    [[f.meeting.held_on.isoformat(), kind, n, f.points.get(kind, {}).get("USD", 0),
                      f.points.get(kind, {}).get("TWD", 0)] for f in report.meetings for kind, n in
                     sorted(f.counts.items())])
        categories = (["category", "pre-approved USD points", "share"],
                      [[c, v, round(share, 4)] for c, v, share in report.by_category])
        diffs = (["figure", "computed", "published", "difference"],
                 [[k, mine, theirs, diff] for k, mine, theirs, diff in report.differences])
        return xlsx_response({"meetings": meetings, "categories": categories, "published vs computed": diffs},
                     f"icp-report-{year}.xlsx")
    if fmt == "pdf":
        return _pdf(request, "offsets/report_print.html", context, f"icp-report-{year}.pdf")
    context["years"] = selectors.years_with_records()
    return render(request, "offsets/report.html", context)


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
    call = get_object_or_404(calls, pk=call_id) if call_id else calls.first()
    if call is None:
        return render(request, "offsets/demand_review.html", {"call": None, "calls": [], "officer": officer})
    if request.method == "POST":
        try:
            if request.POST.get("action") == "score":
                item = get_object_or_404(items, pk=request.POST.get("item"))
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
                reserved = list(call.items.filter(pk__in=request.POST.getlist("reserved")))
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


# ------------------------------------------------------------ exports

def _pdf(request, template: str, context: dict, filename: str) -> HttpResponse:
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    response = HttpResponse(HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def history_import(request):
    _officer(request)
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose a workbook (.xlsx) to import.")
        elif upload.size > 50 * 1024 * 1024:
            error = _("The file is larger than 50 MB.")
        else:
            job = services.history_import_create(data=upload.read(), filename=upload.name,
                                                 dry_run=bool(request.POST.get("dry_run")), by=request.user)
            return redirect("offsets:import_job", job_id=job.id)
    return render(request, "offsets/import.html", {"error": error})


@login_required
def history_import_job(request, job_id: int):
    _officer(request)
    job = get_object_or_404(Job.objects.defer("data"), id=job_id, kind=services.HISTORY_JOB)
    return render(request, "offsets/import_job.html", {"job": job, "progress": job_progress(job)})


@login_required
def agreement_new(request):
    _officer(request)
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                contractor = data["contractor"] or services.contractor_create(
                    name=data["new_contractor"], country=data["new_contractor_country"])
                agreement = services.agreement_create(
                    number=data["number"], contractor=contractor, procuring_agency=data["procuring_agency"],
                    obligation=data["obligation"], unit=data["unit"], signed_on=data["signed_on"],
                    purchase_en=data["purchase_en"], purchase_zh=data["purchase_zh"],
                    defence_share_target=data["defence_share_target"], planned_items=list(data["planned_items"]))
            messages.success(request, _("Agreement %(n)s recorded.") % {"n": agreement.number})
            return redirect("offsets:agreement", number=agreement.number)
        except ValidationError as error:
            form.add_error(None, _error_text(error))
    return render(request, "offsets/form.html", {"form": form, "title": _("New agreement"),
                                                 "submit": _("Record agreement")})


@login_required
def case_new(request, number: str):
    """Officers, and the contractor's own people, file a case plan under an agreement."""
    agreement = get_object_or_404(selectors.agreements_visible_to(request.user), number=number)
    form = CasePlanForm(request.POST or None, initial={"submitted_on": timezone.localdate()})
    lines = CaseLineFormSet(request.POST or None, prefix="lines")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        data = form.cleaned_data
        rows = [line for line in lines.cleaned_data if line.get("category") or line.get("value")]
        try:
            case = services.case_plan_create(
                agreement=agreement, number=data["number"], field=data["field"], recipients=data["recipients"],
                submitted_on=data["submitted_on"], deadline=data["deadline"], title_en=data["title_en"],
                title_zh=data["title_zh"],
                lines=[{"category": r.get("category"), "value": r.get("value") or "",
                        "multiplier": r.get("multiplier") or "1", "description": r.get("description", "")}
                       for r in rows])
            messages.success(request, _("Case plan %(n)s filed.") % {"n": case.number})
            return redirect("offsets:case", number=case.number)
        except ValidationError as error:
            form.add_error(None, _error_text(error))
    return render(request, "offsets/case_new.html", {"form": form, "lines": lines, "agreement": agreement})


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
