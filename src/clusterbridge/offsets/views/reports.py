"""The year report, computed from the records, on the page and in Excel and PDF."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from clusterbridge.core.spreadsheets import xlsx_response

from .. import selectors
from ..credits import DecisionKind
from .page_tools import _officer, _pdf


def _report_context(year: int) -> dict:
    report = selectors.year_report(year)
    kinds = [k.value for k in DecisionKind]
    categories_top = max((v for _c, v, _s in report.by_category), default=0) or 1
    return {"report": report, "kinds": kinds, "categories_top": categories_top,
            "published_meetings": (report.published or {}).get("meetings", {})}


@login_required
def ledger_check(request):
    """Officers: the ledger's chain verified, with the first break of each case that has one."""
    _officer(request)
    from ..verification import ledger_verify

    check = ledger_verify()
    return render(request, "offsets/ledger_check.html", {"check": check, "breaks": [
        (check.numbers.get(b.case_id, str(b.case_id)), b.seq, _break_text(b)) for b in check.breaks]})


def _break_text(problem) -> str:
    from django.utils.translation import gettext as _

    texts = {
        "missing_entry": _("entry %(number)s is missing (the next one found is %(next)s)"),
        "other_case": _("the entry belongs to another case"),
        "changed": _("the entry was changed, or added without the ledger's key"),
        "balances": _("the balances after the entry do not follow from the entries before it"),
        "missing_range": _("entries %(first)s to %(last)s are missing"),
    }
    return texts[problem.code] % dict(problem.params)


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
                 [[k, mine, theirs, diff] for k, mine, theirs, _rounded, diff in report.differences])
        return xlsx_response({"meetings": meetings, "categories": categories, "published vs computed": diffs},
                     f"icp-report-{year}.xlsx")
    if fmt == "pdf":
        return _pdf(request, "offsets/report_print.html", context, f"icp-report-{year}.pdf")
    context["years"] = selectors.years_with_records()
    return render(request, "offsets/report.html", context)
