"""Line and bar charts as SVG markup, made on the server (no script; the page's table holds the same numbers):
years across, values up, one line per country, Taiwan drawn thicker."""

from __future__ import annotations

from django.utils.html import escape

PALETTE = ["#0b4f8a", "#b3261e", "#1e6b34", "#8a5a00", "#6a3d9a", "#00798c", "#c2185b", "#4a5563", "#7b8a00",
           "#a44a00", "#2e4057", "#9c27b0"]
W, H, LEFT, RIGHT, TOP, BOTTOM = 640, 300, 56, 110, 16, 32
# Presentation attributes as well as classes: the PDF renderer reads no CSS inside SVG.
TICK = 'class="tick" fill="#4a5563" font-size="11"'
GRID = 'class="grid" stroke="#d5dbe3" stroke-width="1"'


def _nice(low: float, high: float) -> list[float]:
    if high == low:
        high = low + 1
    span = high - low
    step = 10 ** len(str(int(span / 4))) / 10 if span >= 4 else (1 if span >= 2 else 0.5 if span >= 1 else 0.1)
    for factor in (1, 2, 2.5, 5, 10):
        if span / (step * factor) <= 6:
            step *= factor
            break
    start = (low // step) * step
    ticks, value = [], start
    while value <= high + step / 2:
        ticks.append(round(value, 6))
        value += step
    return ticks


def line_chart(series: dict[str, list[dict]], *, names: dict[str, str], label: str, reverse: bool = False) -> str:
    """`reverse`: smaller is better (a rank): the axis runs downwards so that up is always better."""
    points = [(c, p["year"], p["value"]) for c, ps in series.items() for p in ps]
    if not points:
        return ""
    years = sorted({y for _c, y, _v in points})
    values = [v for _c, _y, v in points]
    ticks = _nice(min(values), max(values))
    low, high = ticks[0], ticks[-1]
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(year):
        return LEFT + (plot_w * (years.index(year) / (len(years) - 1)) if len(years) > 1 else plot_w / 2)

    def y(value):
        share = (value - low) / (high - low) if high != low else 0.5
        return TOP + (plot_h * share if reverse else plot_h * (1 - share))

    parts = [f'<svg class="line-chart" viewBox="0 0 {W} {H}" role="img" aria-label="{escape(label)}">']
    for tick in ticks:
        parts.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" {GRID}/>'
                     f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" {TICK} text-anchor="end">{tick:g}</text>')
    step = max(1, len(years) // 8)
    for year in years[::step]:
        parts.append(f'<text x="{x(year):.1f}" y="{H - 10}" {TICK} text-anchor="middle">{year}</text>')
    # Labels at the lines' ends, pushed apart to at least 12 px (close values would overlap).
    ordered = sorted(series.items(), key=lambda kv: (kv[0] != "TW", kv[0]))
    ends = sorted((y(ps[-1]["value"]), country) for country, ps in ordered)
    label_y, previous = {}, -1e9
    for wanted, country in ends:
        previous = max(wanted, previous + 12)
        label_y[country] = previous
    for n, (country, ps) in enumerate(ordered):
        colour = PALETTE[n % len(PALETTE)]
        coords = " ".join(f"{x(p['year']):.1f},{y(p['value']):.1f}" for p in ps)
        width = 3.5 if country == "TW" else 1.8
        parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="{width}"/>')
        for p in ps:
            parts.append(f'<circle cx="{x(p["year"]):.1f}" cy="{y(p["value"]):.1f}" r="{3 if country == "TW" else 2}" '
                         f'fill="{colour}"><title>{escape(names.get(country, country))} {p["year"]}: '
                         f'{p["value"]:g}{" (" + p["flag"] + ")" if p.get("flag") else ""}</title></circle>')
        last = ps[-1]
        parts.append(f'<text x="{x(last["year"]) + 6:.1f}" y="{label_y[country] + 4:.1f}" '
                     'class="series-label" font-size="11" font-weight="600" '
                     f'fill="{colour}">{escape(names.get(country, country))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(values: dict[str, float], *, names: dict[str, str], label: str, higher_is_better: bool = True,
              flags: dict[str, str] | None = None) -> str:
    """One year's values as horizontal bars, best first, Taiwan in the strong colour; the value at each
    bar's end. Bars start at zero (a bar's length is its value), so negative values are drawn leftwards."""
    if not values:
        return ""
    ordered = sorted(values.items(), key=lambda kv: kv[1], reverse=higher_is_better)
    bar_h, gap, label_w, value_w, width = 18, 6, 96, 56, 420
    height = TOP + len(ordered) * (bar_h + gap)
    low, high = min(0.0, *values.values()), max(0.0, *values.values())
    span = (high - low) or 1
    plot_w = width - label_w - value_w

    def x(value):
        return label_w + plot_w * (value - low) / span

    parts = [f'<svg class="bar-chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">']
    for n, (country, value) in enumerate(ordered):
        top = TOP / 2 + n * (bar_h + gap)
        left, right = sorted((x(0), x(value)))
        strong = country == "TW"
        colour = PALETTE[1] if strong else "#7a8594" if country == "EU" else PALETTE[0]  # the Union: an aggregate
        flag = (flags or {}).get(country) or ""
        parts.append(
            f'<text x="{label_w - 8}" y="{top + bar_h - 5}" class="bar-label{" strong" if strong else ""}" '
            'font-size="12" '
            f'font-weight="{700 if strong else 400}" fill="#1f2937" '
            f'text-anchor="end">{escape(names.get(country, country))}</text>'
            f'<rect x="{left:.1f}" y="{top}" width="{max(right - left, 1):.1f}" height="{bar_h}" '
            f'fill="{colour}"><title>{escape(names.get(country, country))}: '
            f'{value:,.4g}</title></rect>'
            f'<text x="{right + 6:.1f}" y="{top + bar_h - 5}" {TICK}>{value:,.4g}{" " + flag if flag else ""}</text>')
    parts.append("</svg>")
    return "".join(parts)
