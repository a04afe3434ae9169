"""Case plans: the case page with its checklist, subcommittees, reports and ledger; new case plans."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterbridge.accounts.rules import is_officer
from clusterbridge.core.params import id_param

from .. import selectors, services
from ..forms import CaseLineFormSet, CasePlanForm, CheckForm, ProgressReportForm, ReverseForm, SubcommitteeForm
from ..models import CreditEntry, SubcommitteeReview
from .page_tools import _date, _error_text


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
                review = get_object_or_404(case.reviews, pk=id_param(request.POST, "review"))
                services.subcommittee_outcome_set(review=review, outcome=request.POST.get("outcome", ""))
                return redirect("offsets:case", number=case.number)
            elif action == "checkpoint":
                due, text = _date(request.POST.get("due_on")), request.POST.get("description", "").strip()[:300]
                if due and text:
                    services.checkpoint_add(case=case, due_on=due, description=text, by=request.user)
                    return redirect("offsets:case", number=case.number)
                messages.error(request, _("Give the checkpoint's date and what is due."))
            elif action == "checkpoint_done":
                checkpoint = get_object_or_404(case.checkpoints, pk=id_param(request.POST, "checkpoint"))
                services.checkpoint_done(checkpoint=checkpoint, by=request.user,
                                         on=_date(request.POST.get("on")) or timezone.localdate())
                messages.success(request, _("Checkpoint recorded as done.") if officer else
                                 _("Checkpoint reported done; an officer will verify it."))
                return redirect("offsets:case", number=case.number)
            elif action in ("checkpoint_verify", "checkpoint_reopen") and officer:
                checkpoint = get_object_or_404(case.checkpoints, pk=id_param(request.POST, "checkpoint"))
                services.checkpoint_verify(checkpoint=checkpoint, by=request.user,
                                           accept=action == "checkpoint_verify")
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
                fee = get_object_or_404(case.feedback_fees, pk=id_param(request.POST, "fee"))
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
        "checkpoints": case.checkpoints.select_related("added_by", "done_reported_by", "verified_by"), "fees": case.feedback_fees.prefetch_related("payments"),
        "visits": case.visits.all() if officer else [], "report_form": report_form,
        "may_report": case.status in ("pre_approved", "in_execution"),
        "check_form": CheckForm() if officer else None, "subcommittee_form": SubcommitteeForm() if officer else None,
        "outcomes": SubcommitteeReview.Outcome.choices,
    })


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
