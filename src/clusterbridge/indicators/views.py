"""The comparison page: choose indicators, countries and years; charts, tables, Taiwan's rank, the
composite index with its method, the briefing sentence, and an Excel download."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from clusterbridge.core.bilingual import visitor_is_chinese
from clusterbridge.core.countries import country_name

from . import selectors
from .charts import line_chart

FIRST_YEAR, LAST_YEAR = 1990, 2100



def _name(code: str) -> str:
    if code == "EU":
        return "歐盟" if visitor_is_chinese() else "EU"
    return country_name(code)


def _choice(request) -> tuple[list[str], list[str], int, int]:
    known = [i.code for i in selectors.catalogue()]
    codes = [c for c in request.GET.getlist("indicator") if c in known][:6] or ["GERD_PCT_GDP"]
    countries = [c.strip().upper()[:2] for c in request.GET.getlist("country") if c.strip()][:20]
    countries = [c for c in countries if c == "EU" or country_name(c) != c] or selectors.DEFAULT_COUNTRIES
    try:
        start = int(request.GET.get("from") or 2012)
        end = int(request.GET.get("to") or 2024)
    except ValueError:
        start, end = 2012, 2024
    start, end = max(FIRST_YEAR, min(start, end)), min(LAST_YEAR, max(start, end))
    return codes, countries, start, end


def compare(request):
    codes, countries, start, end = _choice(request)
    data = selectors.comparison(codes, countries, start, end)
    names = {c: _name(c) for c in countries}
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
        blocks.append({"indicator": indicator, "title": title, "years": years, "table": table,
                       "chart": mark_safe(line_chart(item["series"], names=names, label=title,
                                                     reverse=not indicator.higher_is_better)),
                       "briefing": _briefing(indicator, title, item, names),
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
        "start": start, "end": end, "names": names,
        "index_chart": mark_safe(line_chart(index_series, names=names, label=_("Composite index"))) if len(codes) > 1
        else "", "relative": relative, "index_years": index_years, "index_base": index["base"],
        "country_choices": [(c, _name(c), c in countries) for c in sorted(held)],
    }
    if request.GET.get("format") == "pdf":
        from clusterbridge.core.pdf import pdf_response

        return pdf_response(request, "indicators/compare_print.html", context, "indicators.pdf")
    return render(request, "indicators/compare.html", context)


def _briefing(indicator, title, item, names) -> str:
    """The sentence a staff officer reads to a minister: where Taiwan stands and how it has moved."""
    tw = {p["year"]: p["value"] for p in item["series"].get("TW", [])}
    if not tw:
        return _("No value for Taiwan in these years.")
    first, last = min(tw), max(tw)
    text = _("In %(year)s Taiwan's %(name)s was %(value)s %(unit)s") % {
        "year": last, "name": title, "value": f"{tw[last]:,.2f}".rstrip("0").rstrip("."), "unit": indicator.unit}
    if item["latest_year"] == last and "TW" in item["ranks"]:
        text += _(", rank %(rank)s of %(n)s among the countries chosen") % {"rank": item["ranks"]["TW"],
                                                                            "n": len(item["ranks"])}
    if first != last:
        text += _("; in %(year)s it was %(value)s") % {"year": first,
                                                        "value": f"{tw[first]:,.2f}".rstrip("0").rstrip(".")}
    return text + "."


def _xlsx(blocks, index_series, names):
    from clusterbridge.core.spreadsheets import xlsx_response

    sheets = {}
    for block in blocks:
        header = [_("Country"), *[str(y) for y in block["years"]]]
        rows = [[name, *[(p or {}).get("value") for p in points]] for name, points in block["table"]]
        sheets[block["indicator"].code[:31]] = (header, rows)
    if index_series:
        years = sorted({p["year"] for ps in index_series.values() for p in ps})
        sheets[_("Composite index")[:31]] = ([_("Country"), *map(str, years)], [  # 0–100
            [names.get(c, c), *[next((p["value"] for p in ps if p["year"] == y), None) for y in years]]
            for c, ps in index_series.items()])
    return xlsx_response(sheets, "indicators.xlsx")
