"""The comparison page: choose indicators, countries and years; charts, tables, Taiwan's rank, the
composite index with its method, the briefing sentence, and an Excel download."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusterbridge.core.bilingual import visitor_is_chinese
from clusterbridge.core.countries import country_name

from . import selectors
from .charts import bar_chart, line_chart
from .figures import VIEWS

FIRST_YEAR, LAST_YEAR = 1990, 2100



def country_label(code: str) -> str:
    if code == "EU":
        return "歐盟" if visitor_is_chinese() else "EU"
    return country_name(code)


UNITS = {  # the catalogue's units, as readers of either language read them
    "% of GDP": gettext_lazy("% of GDP"), "per 1,000 employed": gettext_lazy("per 1,000 employed"),
    "national currency, millions": gettext_lazy("national currency, millions"),
    "applications": gettext_lazy("applications"), "rank": gettext_lazy("rank"), "persons": gettext_lazy("persons"),
    "per million population": gettext_lazy("per million population"),
    "% of product exports": gettext_lazy("% of product exports"),
    "% of services exports": gettext_lazy("% of services exports"),
    "per billion GDP (PPS)": gettext_lazy("per billion GDP (PPS)"),
    "per 1,000 population aged 25-34": gettext_lazy("per 1,000 population aged 25-34"),
    "% of population aged 25-34": gettext_lazy("% of population aged 25-34"),
}


def view_choices() -> list[tuple[str, str]]:
    return [("published", _("As published")), ("per_capita", _("Per inhabitant")),
            ("gdp", _("As a share of GDP")), ("share", _("As a share of the chosen countries' total"))]


def view_unit(indicator, view: str) -> str:
    if view == "per_capita":
        return _("per million inhabitants") if indicator.measure == "count" else _("national currency per inhabitant")
    if view == "gdp":
        return _("% of GDP")
    if view == "share":
        return _("% of the chosen countries' total")
    return UNITS.get(indicator.unit, indicator.unit)


def chosen(request) -> tuple[list[str], list[str], int, int, str]:
    """The indicators, countries, years and view a comparison or briefing asks for (defaults filled)."""
    known = [i.code for i in selectors.catalogue()]
    codes = [c for c in request.GET.getlist("indicator") if c in known][:6] or ["GERD_PCT_GDP"]
    countries = [c.strip().upper()[:2] for c in request.GET.getlist("country") if c.strip()][:20]
    countries = [c for c in countries if c == "EU" or country_name(c) != c] or selectors.DEFAULT_COUNTRIES
    this_year = timezone.localdate().year  # the latest figures (IMD's) carry this year's date
    try:
        start = int(request.GET.get("from") or this_year - 12)
        end = int(request.GET.get("to") or this_year)
    except ValueError:
        start, end = this_year - 12, this_year
    start, end = max(FIRST_YEAR, min(start, end)), min(LAST_YEAR, max(start, end))
    view = request.GET.get("view") if request.GET.get("view") in VIEWS else "published"
    return codes, countries, start, end, view


def latest_bars(item: dict, names: dict, label: str) -> str:
    """The bar chart of an indicator's latest year, from a comparison item (selectors.comparison)."""
    latest = {c: p for c, ps in item["series"].items() for p in ps if p["year"] == item["latest_year"]}
    return mark_safe(bar_chart({c: p["value"] for c, p in latest.items()}, names=names, label=label,
                               higher_is_better=item["indicator"].higher_is_better,
                               flags={c: p["flag"] for c, p in latest.items() if p["flag"]}))


def compare(request):
    codes, countries, start, end, view = chosen(request)
    data = selectors.comparison(codes, countries, start, end, view)
    names = {c: country_label(c) for c in countries}
    blocks = []
    for item in data["indicators"]:
        indicator = item["indicator"]
        title = indicator.name_zh if visitor_is_chinese() else indicator.name_en
        years = sorted({p["year"] for points in item["series"].values() for p in points})
        table = []  # (country name, [the point of each year or None]): cells ready for the template
        for c in countries:
            if c in item["series"]:
                by_year = {p["year"]: p for p in item["series"][c]}
                table.append((names.get(c, c), [by_year.get(y) for y in years]))
        unit = view_unit(indicator, item["view"])
        blocks.append({"indicator": indicator, "title": title, "years": years, "table": table, "unit": unit,
                       "view": item["view"], "view_refused": view != item["view"], "left_out": item["left_out"],
                       "latest_year": item["latest_year"],
                       "chart": mark_safe(line_chart(item["series"], names=names, label=title,
                                                     reverse=not indicator.higher_is_better)),
                       "bars": latest_bars(item, names, f"{title} {item['latest_year']}"),
                       "briefing": _briefing(indicator, title, item, unit),
                       "generated": any(p["generated"] for ps in item["series"].values() for p in ps)})
    index = data["composite"]
    index_series = {c: [{"year": y, "value": round(v, 1)} for y, v in sorted(ys.items())]
                    for c, ys in index["score"].items()}
    index_years = sorted({y for ys in index["relative"].values() for y in ys})
    relative = [(names.get(c, c), [round(ys[y]) if y in ys else None for y in index_years])
                for c, ys in index["relative"].items()]
    if request.GET.get("format") == "xlsx":
        return _xlsx(blocks, index_series, names)
    held = set(selectors.DEFAULT_COUNTRIES) | set(selectors.countries_held())
    context = {
        "blocks": blocks, "catalogue": selectors.catalogue(), "codes": codes, "countries": countries,
        "start": start, "end": end, "names": names, "view": view, "view_choices": view_choices(),
        "index_chart": mark_safe(line_chart(index_series, names=names, label=_("Composite index"))) if len(codes) > 1
        else "", "relative": relative, "index_years": index_years, "index_base": index["base"],
        "country_choices": [(c, country_label(c), c in countries) for c in sorted(held)],
    }
    if request.GET.get("format") == "pdf":
        from clusterbridge.core.pdf import pdf_response

        return pdf_response(request, "indicators/compare_print.html", context, "indicators.pdf")
    return render(request, "indicators/compare.html", context)


def _briefing(indicator, title, item, unit) -> str:
    """The sentence a staff officer reads to a minister: where Taiwan stands and how it has moved."""
    tw = {p["year"]: p["value"] for p in item["series"].get("TW", [])}
    if not tw:
        return _("No value for Taiwan in these years.")
    first, last = min(tw), max(tw)
    text = _("In %(year)s Taiwan's %(name)s was %(value)s %(unit)s") % {
        "year": last, "name": title, "value": number_text(tw[last]), "unit": unit}
    if item["latest_year"] == last and "TW" in item["ranks"]:
        text += _(", rank %(rank)s of %(n)s among the countries chosen") % {"rank": item["ranks"]["TW"],
                                                                            "n": len(item["ranks"])}
    if first != last:
        text += _("; in %(year)s it was %(value)s") % {"year": first,
                                                        "value": number_text(tw[first])}
    return text + "."


def number_text(value: float) -> str:
    text = f"{value:,.2f}" if abs(value) >= 1 else f"{value:.3g}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _xlsx(blocks, index_series, names):
    from clusterbridge.core.spreadsheets import xlsx_response

    sheets = {}
    for block in blocks:
        header = [f'{_("Country")} ({block["unit"]})', *[str(y) for y in block["years"]]]
        rows = [[name, *[(p or {}).get("value") for p in points]] for name, points in block["table"]]
        sheets[block["indicator"].code[:31]] = (header, rows)
    if index_series:
        years = sorted({p["year"] for ps in index_series.values() for p in ps})
        sheets[_("Composite index")[:31]] = ([_("Country"), *map(str, years)], [  # 0–100
            [names.get(c, c), *[next((p["value"] for p in ps if p["year"] == y), None) for y in years]]
            for c, ps in index_series.items()])
    return xlsx_response(sheets, "indicators.xlsx")
