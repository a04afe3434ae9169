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
