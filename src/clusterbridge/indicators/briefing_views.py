"""The one-page briefing a staff officer takes to a minister: for one indicator, where Taiwan stands
among the chosen countries and how it has moved, in the reader's language; as a page to print and as
a PDF."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from clusterbridge.core.bilingual import visitor_is_chinese

from . import selectors
from .charts import line_chart
from .figures import briefing_facts
from .views import chosen, country_label, latest_bars, number_text, view_unit


def briefing(request):
    codes, countries, start, end, view = chosen(request)
    countries = ["TW", *(c for c in countries if c != "TW")]  # the briefing is about Taiwan, always among them
    item = selectors.comparison(codes[:1], countries, start, end, view)["indicators"][0]
    indicator = item["indicator"]
    title = indicator.name_zh if visitor_is_chinese() else indicator.name_en
    unit = view_unit(indicator, item["view"])
    names = {c: country_label(c) for c in countries}
    plain = {c: {p["year"]: p["value"] for p in ps} for c, ps in item["series"].items()}
    facts = briefing_facts(plain, higher_is_better=indicator.higher_is_better)
    points = []
    if facts:
        points = _points(facts, names, unit, indicator.higher_is_better)
    context = {
        "indicator": indicator, "title": title, "unit": unit, "facts": facts, "points": points,
        "question": _("Where does Taiwan stand on %(name)s, and how has it moved?") % {"name": title},
        "ranks": [(y, r, n) for y, (r, n) in sorted((facts or {}).get("ranks_by_year", {}).items())],
        "line": mark_safe(line_chart(item["series"], names=names, label=title,
                                     reverse=not indicator.higher_is_better)),
        "bars": latest_bars(item, names, title) if facts else "",
        "flags": sorted({f for ps in item["series"].values() for p in ps for f in (p["flag"] or "")}),
        "generated": any(p["generated"] for ps in item["series"].values() for p in ps),
        "sources": sorted({p["source"] for ps in item["series"].values() for p in ps if p["source"]})[:8],
        "countries": [names[c] for c in countries], "start": start, "end": end, "today": timezone.localdate(),
        "query": request.GET.urlencode(),
    }
    if request.GET.get("format") == "pdf":
        from clusterbridge.core.pdf import pdf_response

        return pdf_response(request, "indicators/briefing_print.html", context, f"briefing-{indicator.code}.pdf")
    return render(request, "indicators/briefing.html", context)


def _points(facts: dict, names: dict, unit: str, higher_is_better: bool) -> list[str]:
    """The briefing's sentences, in the reader's language; every number comes from `facts`."""
    tw = names.get("TW", "TW")
    points = [_("In %(year)s %(tw)s stood at %(value)s %(unit)s, rank %(rank)s of %(of)s among the countries "
                "with a value that year.") % {
        "year": facts["latest_year"], "tw": tw, "value": number_text(facts["value"]), "unit": unit,
        "rank": facts["rank"], "of": facts["of"]}]
    if facts["first_year"] != facts["latest_year"]:
        first_rank = facts["ranks_by_year"][facts["first_year"]][0]
        moved = (_("an improvement") if facts["improved"] else _("a decline")) if facts["improved"] is not None \
            else _("no change")
        change = number_text(facts["change"])
        if facts["change"] > 0:
            change = "+" + change
        if facts["change_pct"] is not None:
            change += f" ({facts['change_pct']:+.1f}%)"
        points.append(_("Since %(year)s (%(value)s, rank %(rank)s) it has moved by %(change)s: %(moved)s.") % {
            "year": facts["first_year"], "value": number_text(facts["first_value"]), "rank": first_rank,
            "change": change, "moved": moved})
    if facts["eu"] is not None:
        gap = facts["gap_to_eu"]
        ahead = (gap > 0) == higher_is_better
        points.append((_("The EU stood at %(eu)s; %(tw)s is %(gap)s ahead of it.") if ahead and gap else
                       _("The EU stood at %(eu)s; %(tw)s is %(gap)s behind it.") if gap else
                       _("The EU stood at %(eu)s, the same as %(tw)s.")) % {
            "eu": number_text(facts["eu"]), "tw": tw, "gap": number_text(abs(gap))})
    (lead, lead_value), (trail, trail_value) = facts["leader"], facts["trailer"]
    if lead != trail:
        points.append(_("First among the chosen countries: %(lead)s (%(lead_value)s); last: %(trail)s "
                        "(%(trail_value)s).") % {
            "lead": names.get(lead, lead), "lead_value": number_text(lead_value),
            "trail": names.get(trail, trail), "trail_value": number_text(trail_value)})
    return points
