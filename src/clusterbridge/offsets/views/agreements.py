"""The ICP home, agreements and their balances, new agreements, the history import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterbridge.accounts.rules import is_officer
from clusterbridge.core.jobs import job_progress
from clusterbridge.core.models import Job
from clusterbridge.core.spreadsheets import xlsx_response

from .. import rules, selectors, services
from ..forms import AgreementForm
from ..models import DemandCall, PromotionGroupMeeting
from .page_tools import _date, _error_text, _officer

LEDGER_ROWS = 40  # the latest entries on the balance page; the whole ledger is in the Excel export


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
