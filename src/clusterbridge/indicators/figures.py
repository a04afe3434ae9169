"""Comparisons, in plain Python: series per country, Taiwan's rank among the chosen countries, and a
composite index computed the European Innovation Scoreboard's way (its methodology report):

1. each indicator is re-scaled across all the chosen countries and years to 0–1:
   (x − min) / (max − min), turned round (1 − score) when lower is better;
2. a country-year's index is the unweighted mean of its re-scaled scores (indicators it has);
3. the score is shown on 0–100 and, as the scoreboard reports it, relative to the EU in the same year
   (EU = 100) when the EU aggregate is among the countries and its score is not near the bottom of
   the scale (below 0.1 a ratio to it says nothing), else relative to the chosen countries' mean."""

from __future__ import annotations

from collections import defaultdict


def rank(values: dict[str, float], *, higher_is_better: bool) -> dict[str, int]:
    """1 = best; equal values share a rank."""
    ordered = sorted(values.values(), reverse=higher_is_better)
    return {country: ordered.index(value) + 1 for country, value in values.items()}


def rescaled(series: dict[str, dict[int, float]], *, higher_is_better: bool) -> dict[str, dict[int, float]]:
    values = [v for years in series.values() for v in years.values()]
    if not values:
        return {}
    low, high = min(values), max(values)
    span = high - low
    out = {}
    for country, years in series.items():
        out[country] = {}
        for year, value in years.items():
            score = 0.5 if span == 0 else (value - low) / span
            out[country][year] = score if higher_is_better else 1 - score
    return out


def composite(indicators: dict[str, tuple[dict[str, dict[int, float]], bool]]) -> dict[str, dict]:
    """{code: (series, higher_is_better)} → {"score": {country: {year: 0–100}}, "relative": {country: {year:
    index, base = 100}}, "base": "EU" or "mean"}."""
    scores: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    for series, higher in indicators.values():
        for country, years in rescaled(series, higher_is_better=higher).items():
            for year, score in years.items():
                scores[country][year].append(score)
    raw = {c: {y: sum(s) / len(s) for y, s in years.items()} for c, years in scores.items()}
    relative: dict[str, dict[int, float]] = {}
    eu_base = all(ys.get(y, 0) >= 0.1 for ys in [raw.get("EU", {})] for y in ys) and bool(raw.get("EU"))
    for year in sorted({y for ys in raw.values() for y in ys}):
        present = {c: ys[year] for c, ys in raw.items() if year in ys}
        base = present.get("EU") if eu_base else sum(present.values()) / len(present)
        if not base:
            continue
        for country, value in present.items():
            relative.setdefault(country, {})[year] = 100 * value / base
    return {"score": {c: {y: 100 * v for y, v in ys.items()} for c, ys in raw.items()}, "relative": relative,
            "base": "EU" if eu_base else "mean"}


# Views: what a value is divided by. `per_capita` and `gdp` need a denominator series of the same
# country and year (POPULATION, GDP_MIO_NAC); `share` divides by the chosen countries' total of the year.
VIEWS = {  # view: (the measures it makes sense for, the denominator's catalogue code)
    "published": (("count", "amount", "ratio", "rank"), None),
    "per_capita": (("count", "amount"), "POPULATION"),
    "gdp": (("amount",), "GDP_MIO_NAC"),
    "share": (("count",), None),
}
AGGREGATES = {"EU"}  # a union's total holds its members': never added to them


def view_applies(view: str, measure: str) -> bool:
    return measure in VIEWS.get(view, ((), None))[0]


def derived(series: dict[str, dict[int, float]], view: str,
            denominator: dict[str, dict[int, float]] | None = None) -> dict[str, dict[int, float]]:
    """The series as the view shows it. Counts and amounts (in millions) per inhabitant are both
    value × 10⁶ / population: a count per million inhabitants, an amount in national currency per
    inhabitant. A share of GDP is 100 × amount / GDP, both in national currency, millions. A share of
    the chosen countries' total leaves aggregates out, and the years some country lacks. Years without a
    denominator are left out."""
    if view == "share":
        members = {c: ys for c, ys in series.items() if c not in AGGREGATES}
        # Only years every country has: a share of a total with someone missing would be too high.
        complete = set.intersection(*(set(ys) for ys in members.values())) if members else set()
        totals = {y: sum(ys[y] for ys in members.values()) for y in complete}
        return {c: {y: 100 * v / totals[y] for y, v in ys.items() if y in complete and totals[y]}
                for c, ys in members.items()}
    if view in ("per_capita", "gdp"):
        factor = 1e6 if view == "per_capita" else 100
        out = {}
        for country, years in series.items():
            below = (denominator or {}).get(country, {})
            kept = {y: factor * v / below[y] for y, v in years.items() if below.get(y)}
            if kept:
                out[country] = kept
        return out
    return series


def briefing_facts(series: dict[str, dict[int, float]], *, higher_is_better: bool, focus: str = "TW") -> dict | None:
    """What a one-page briefing says about `focus` (Taiwan): its latest value and rank among the
    countries with a value that year, where it started in the years chosen, the EU beside it, who leads
    and who trails, and its rank in every year. None when the focus has no value."""
    own = series.get(focus) or {}
    if not own:
        return None
    latest, first = max(own), min(own)
    members = {c: ys for c, ys in series.items() if c not in AGGREGATES or c == focus}
    by_year = {}
    for year in sorted({y for ys in members.values() for y in ys}):
        present = {c: ys[year] for c, ys in members.items() if year in ys}
        if focus in present:
            by_year[year] = (rank(present, higher_is_better=higher_is_better)[focus], len(present))
    present = {c: ys[latest] for c, ys in members.items() if latest in ys}
    ordered = sorted(present.items(), key=lambda kv: kv[1], reverse=higher_is_better)
    eu = (series.get("EU") or {}).get(latest)
    change = own[latest] - own[first]
    return {
        "latest_year": latest, "value": own[latest], "rank": by_year[latest][0], "of": by_year[latest][1],
        "first_year": first, "first_value": own[first], "change": change,
        "change_pct": 100 * change / abs(own[first]) if own[first] else None,
        "improved": (change > 0) == higher_is_better if change else None,
        "eu": eu, "gap_to_eu": own[latest] - eu if eu is not None else None,
        "leader": ordered[0], "trailer": ordered[-1], "ranks_by_year": by_year,
    }
