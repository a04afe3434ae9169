"""Reads of the indicators: the catalogue, series, and the comparison a page shows."""

from __future__ import annotations

from collections import defaultdict

from .figures import composite, rank
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


def comparison(codes: list[str], countries: list[str], start: int, end: int) -> dict:
    """What the comparison page shows: per indicator its series, latest values with ranks, the years;
    and the composite index of the chosen indicators."""
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    out = {"indicators": [], "years": list(range(start, end + 1)), "countries": countries}
    for_index = {}
    for code in codes:
        indicator = indicators.get(code)
        if indicator is None:
            continue
        data = series(code, countries=countries, start=start, end=end)
        plain = {c: {p["year"]: p["value"] for p in points} for c, points in data.items()}
        latest_year = max((p["year"] for points in data.values() for p in points), default=None)
        latest = {c: plain[c][latest_year] for c in plain if latest_year in plain[c]}
        out["indicators"].append({"indicator": indicator, "series": data, "latest_year": latest_year,
                                  "latest": latest, "ranks": rank(latest, higher_is_better=indicator.higher_is_better)
                                  if latest else {}})
        for_index[code] = (plain, indicator.higher_is_better)
    out["composite"] = composite(for_index) if for_index else {"score": {}, "relative": {}, "base": "mean"}
    return out
