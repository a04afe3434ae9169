"""Reads of the indicators: the catalogue, series, and the comparison a page shows."""

from __future__ import annotations

from collections import defaultdict

from .figures import VIEWS, composite, derived, rank, view_applies
from .models import Indicator, Observation

DEFAULT_COUNTRIES = ["TW", "EU", "DE", "FR", "NL", "BE", "IT", "ES", "PL", "SE", "FI", "AT"]


def catalogue():
    if not Indicator.objects.exists():
        from .catalogue import catalogue_load

        catalogue_load()
    return Indicator.objects.all()


def countries_held() -> list[str]:
    """The countries that have values (a distinct scan: no model ordering in it)."""
    return list(Observation.objects.order_by().values_list("country", flat=True).distinct())


def series(code: str, *, countries: list[str] | None = None, start: int | None = None, end: int | None = None):
    """{country: [{"year", "value", "flag", "source", "generated"}]} for one indicator, years ascending."""
    rows = Observation.objects.filter(indicator__code=code)
    if countries:
        rows = rows.filter(country__in=countries)
    if start:
        rows = rows.filter(year__gte=start)
    if end:
        rows = rows.filter(year__lte=end)
    out: dict[str, list[dict]] = defaultdict(list)
    for country, year, value, flag, source, generated in rows.order_by("country", "year").values_list(
            "country", "year", "value", "flag", "source", "generated"):
        out[country].append({"year": year, "value": value, "flag": flag or None, "source": source,
                             "generated": generated})
    return dict(out)


def viewed(data: dict, indicator: Indicator, view: str, *, countries, start, end) -> tuple[dict, str, int]:
    """The series as `view` shows it (figures.VIEWS), the view applied ("published" when it makes no
    sense for this kind of number) and how many values were left out for want of a denominator. A
    derived value keeps the flags of both numbers and is generated when either is."""
    if view == "published" or not view_applies(view, indicator.measure):
        return data, "published", 0
    below_code = VIEWS[view][1]
    below = series(below_code, countries=countries, start=start, end=end) if below_code else {}
    values = derived({c: {p["year"]: p["value"] for p in ps} for c, ps in data.items()}, view,
                     {c: {p["year"]: p["value"] for p in ps} for c, ps in below.items()})
    out = {}
    for country, years in values.items():
        points = {p["year"]: p for p in data[country]}
        under = {p["year"]: p for p in below.get(country, [])}
        out[country] = [{
            "year": y, "value": v, "source": points[y]["source"],
            "flag": "".join(sorted(set((points[y]["flag"] or "") + (under.get(y, {}).get("flag") or "")))) or None,
            "generated": points[y]["generated"] or under.get(y, {}).get("generated", False),
        } for y, v in sorted(years.items())]
    left_out = sum(map(len, data.values())) - sum(map(len, out.values()))
    return out, view, left_out


def comparison(codes: list[str], countries: list[str], start: int, end: int, view: str = "published") -> dict:
    """What the comparison page shows: per indicator its series (as the view shows them), latest values
    with ranks, the years; and the composite index of the chosen indicators."""
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    out = {"indicators": [], "years": list(range(start, end + 1)), "countries": countries}
    for_index = {}
    for code in codes:
        indicator = indicators.get(code)
        if indicator is None:
            continue
        data, applied, left_out = viewed(series(code, countries=countries, start=start, end=end), indicator, view,
                                         countries=countries, start=start, end=end)
        plain = {c: {p["year"]: p["value"] for p in points} for c, points in data.items()}
        latest_year = max((p["year"] for points in data.values() for p in points), default=None)
        latest = {c: plain[c][latest_year] for c in plain if latest_year in plain[c]}
        out["indicators"].append({
            "indicator": indicator, "series": data, "latest_year": latest_year, "latest": latest, "view": applied,
            "left_out": left_out, "ranks": rank(latest, higher_is_better=indicator.higher_is_better) if latest else {}})
        for_index[code] = (plain, indicator.higher_is_better)
    out["composite"] = composite(for_index) if for_index else {"score": {}, "relative": {}, "base": "mean"}
    return out
