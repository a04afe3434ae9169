"""The multi-year results report for officers: the page, its Excel and PDF files, and the drill-down
from any figure to the meetings and agreements behind it. Same numbers as the results API."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterbridge.accounts.rules import is_officer
from clusterbridge.core.bilingual import pick
from clusterbridge.core.countries import country_name
from clusterbridge.core.errors import Refused

from . import selectors
from .figures import DIMENSIONS, FOLLOW_UP, IMMEDIATE
from .models import AgreementKind, FollowUpRating, ImmediateRating

MEASURES = ["scheduled", "held", "not_held", "disputed", *IMMEDIATE, "responses", *FOLLOW_UP, "agreements"]


def _officer_only(request):
    if not is_officer(request.user):
        raise Refused(_("The results report is for programme officers."))


def _years(request) -> tuple[int, int]:
    this_year = timezone.localdate().year
    try:
        year_to = int(request.GET.get("to") or this_year)
        year_from = int(request.GET.get("from") or year_to - 3)
    except ValueError:
        year_from, year_to = this_year - 3, this_year
    year_from, year_to = sorted((max(1990, min(year_from, 2200)), max(1990, min(year_to, 2200))))
    return year_from, min(year_to, year_from + 30)


def _dimension_titles() -> dict[str, str]:
    return {"year": _("Per year"), "country_pair": _("Per country pair (Taiwan and a European country)"),
            "sector": _("Per sector (NACE section)"), "ecosystem": _("Per industrial ecosystem")}


def _labels() -> dict[str, dict[str, str]]:
    """Each dimension's keys named in the reader's language."""
    from clusterbridge.directory.models import Ecosystem, Sector

    return {
        "sector": {s.code: f"{s.code} {pick(s.label_en, s.label_zh)}" for s in Sector.objects.filter(level="section")},
        "ecosystem": {e.code: str(pick(e.label_en, e.label_zh)) for e in Ecosystem.objects.all()},
    }


def _label(dimension: str, key: str, labels: dict) -> str:
    if dimension == "country_pair":
        return f"{country_name('TW')} – {country_name(key.split('-', 1)[1])}"
    return labels.get(dimension, {}).get(key, key)


def _labelled(report: dict) -> dict:
    """The report with what the page needs beside the figures: names, drill-down queries."""
    base = {"from": report["from"], "to": report["to"]}
    for row in [*report["events"], *(r for rows in report["breakdowns"].values() for r in rows)]:
        row["agreements_total"] = sum(row["agreements"].values())
    for e in report["events"]:
        e["label"] = str(pick(e["title_en"] or e["slug"], e["title_zh"]))
        e["q"] = urlencode(base | {"event": e["slug"]})
    labels = _labels()
    sections = []
    for dimension in DIMENSIONS:
        rows = report["breakdowns"][dimension]
        for row in rows:
            row["label"] = _label(dimension, row["key"], labels)
            row["q"] = urlencode(base | {"dimension": dimension, "key": row["key"]})
        if dimension != "year":
            rows.sort(key=lambda r: (-r["meetings_scheduled"], r["label"]))
        sections.append((dimension, _dimension_titles()[dimension], rows))
    report["sections"] = sections
    report["totals"]["q"] = urlencode(base)
    return report


def _sheet(rows: list[dict], first: str) -> tuple[list[str], list[list]]:
    header = [first, _("Participants"), _("Meetings scheduled"), _("Held"), _("Disputed"),
              *[str(label) for _c, label in ImmediateRating.choices], _("Follow-up answers"),
              *[str(label) for _c, label in FollowUpRating.choices], _("Agreements"),
              *[str(label) for _c, label in AgreementKind.choices], _("Value"),
              _("Answered: Taiwan"), _("Answered: Europe")]
    body = []
    for r in rows:
        rate = r["response_rate"]
        body.append([r["label"], r["participants"], r["meetings_scheduled"], r["meetings_held"],
                     r["meetings_disputed"], *[r["ratings"][c] for c in IMMEDIATE], r["follow_up"]["responses"],
                     *[r["follow_up"][c] for c in FOLLOW_UP], sum(r["agreements"].values()),
                     *[r["agreements"].get(c, 0) for c in AgreementKind.values],
                     "; ".join(f"{amount} {currency}" for currency, amount in r["value"].items()),
                     rate["TW"], rate["EU"]])
    return header, body


@login_required
def report(request):
    _officer_only(request)
    year_from, year_to = _years(request)
    data = _labelled(selectors.outcomes_report(year_from=year_from, year_to=year_to))
    fmt = request.GET.get("format")
    name = f"results-{year_from}-{year_to}"
    if fmt == "xlsx":
        from clusterbridge.core.spreadsheets import xlsx_response

        sheets = {_("Events"): _sheet(data["events"], _("Event"))}
        for dimension, title, rows in data["sections"]:
            sheets[title.split(" (")[0]] = _sheet(rows, title)
        totals = data["totals"] | {"label": _("All events"), "agreements": data["totals"]["agreements_by_kind"]}
        sheets[_("Totals")] = _sheet([totals], "")
        return xlsx_response(sheets, f"{name}.xlsx")
    totals = data["totals"]
    context = {
        "report": data, "top": max([e["meetings_scheduled"] for e in data["events"]] or [1]),
        "rating_rows": [(code, label, totals["ratings"][code]) for code, label in ImmediateRating.choices],
        "rating_top": max(list(totals["ratings"].values()) + [1]),
        "follow_up_rows": [(code, label, totals["follow_up"][code]) for code, label in FollowUpRating.choices],
        "follow_up_top": max([totals["follow_up"][c] for c in FOLLOW_UP] + [1]),
        "kind_rows": [(code, label, totals["agreements_by_kind"].get(code, 0)) for code, label in AgreementKind.choices],
        "kind_top": max(list(totals["agreements_by_kind"].values()) + [1]),
    }
    if fmt == "pdf":
        from clusterbridge.core.pdf import pdf_response

        return pdf_response(request, "outcomes/report_print.html", context, f"{name}.pdf")
    return render(request, "outcomes/report.html", context)


@login_required
def report_meetings(request):
    """The meetings (and agreements) behind one figure of the report."""
    _officer_only(request)
    year_from, year_to = _years(request)
    dimension = request.GET.get("dimension", "")
    dimension = dimension if dimension in DIMENSIONS else ""
    key = request.GET.get("key", "")[:40] if dimension else ""
    measure = request.GET.get("measure", "scheduled")
    measure = measure if measure in MEASURES else "scheduled"
    event = request.GET.get("event", "")[:80]
    found = selectors.report_drill_down(year_from=year_from, year_to=year_to, event=event, dimension=dimension,
                                        key=key, measure=measure)
    page = Paginator(found["meetings"], 50).get_page(request.GET.get("page"))
    labels = dict(ImmediateRating.choices) | dict(FollowUpRating.choices)
    rows = []
    for m in page:
        ratings, answers = found["ratings"].get(m.pk, {}), found["answers"].get(m.pk, {})
        rows.append((m, [(side, labels.get(ratings.get(side.pk)), labels.get(answers.get(side.pk)))
                         for side in (m.first, m.second)]))
    measure_labels = {"scheduled": _("Meetings scheduled"), "held": _("Held"), "not_held": labels["not_held"],
                      "disputed": _("Disputed"), "responses": _("Follow-up answers"), "agreements": _("Agreements")}
    what = [measure_labels.get(measure) or labels.get(measure)]
    if event:
        what.append(event)
    if dimension:
        what.append(_label(dimension, key, _labels()) if dimension != "year" else key)
    return render(request, "outcomes/report_meetings.html", {
        "rows": rows, "page": page, "count": found["count"], "agreements": found["agreements"],
        "what": " · ".join(str(w) for w in what if w), "year_from": year_from, "year_to": year_to,
        "kind_labels": dict(AgreementKind.choices),
        "back": "?" + urlencode({"from": year_from, "to": year_to})})
