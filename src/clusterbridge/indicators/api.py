"""Indicators in the REST API (mounted under /api/v1/indicators), as specs/indicators.md has them."""

from __future__ import annotations

from ninja import Router, Schema
from ninja.errors import HttpError

from . import selectors

router = Router(tags=["indicators"])


class IndicatorOut(Schema):
    code: str
    name_en: str
    name_zh: str
    dimension: str
    unit: str
    higher_is_better: bool


@router.get("", response=list[IndicatorOut], summary="The indicator catalogue")
def indicator_list(request):
    return list(selectors.catalogue())


@router.get("/{code}", summary="One indicator's values per country and year")
def indicator_values(request, code: str, countries: str = ""):
    """`?countries=TW,DE,FR&from=2015&to=2024` (ISO alpha-2; EU for the Union)."""
    indicator = selectors.catalogue().filter(code=code).first()
    if indicator is None:
        raise HttpError(404, f"no indicator {code}")
    start, end = _year(request.GET.get("from"), "from"), _year(request.GET.get("to"), "to")
    chosen = [c.strip().upper() for c in countries.split(",") if c.strip()]
    data = selectors.series(code, countries=chosen or None, start=start, end=end)
    return {"code": indicator.code, "unit": indicator.unit, "series": {
        country: [{k: p[k] for k in ("year", "value", "flag", "source")} for p in points]
        for country, points in data.items()}}


def _year(raw, name):
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except ValueError:
        raise HttpError(422, f"{name} must be a year, not {raw!r}") from None


reference_router = Router(tags=["indicators"])


@reference_router.get("", summary="The technology exchange reference list")
def reference_list_api(request, technology: str, limit: int = 20):
    """European organisations to connect with for a technology (either language), officers' edits applied."""
    from .reference import reference_list

    listing = reference_list(technology[:120], limit=max(1, min(limit, 100)))
    return {"technology": listing["technology"], "organisations": [
        {k: r[k] for k in ("external_id", "name", "country", "kind", "reasons", "pinned", "note")}
        for r in listing["organisations"]]}
