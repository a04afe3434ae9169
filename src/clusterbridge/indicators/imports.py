"""Importing indicator values (specs/indicators.md): the project's simple CSV
`indicator,country,year,value,unit,source,flag` and SDMX-CSV as Eurostat and the OECD publish it
(`DATAFLOW`, `geo` or `REF_AREA`, `TIME_PERIOD`, `OBS_VALUE`, `OBS_FLAG`, `unit`/`UNIT_MEASURE` and the
dataset's own dimensions). All or nothing: every problem is reported as `row N, column C: problem`
and nothing is written. A value already held for the same indicator, country and year is replaced
and the old one kept in its history."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

import pycountry
from django.db import transaction

from clusterbridge.core.text import text_clean

from .models import Indicator, Observation, ObservationChange

SIMPLE = ("indicator", "country", "year", "value")
# Eurostat's own codes, and the aggregates this platform compares with.
COUNTRY_ALIASES = {"EL": "GR", "UK": "GB", "EU27_2020": "EU", "EU28": "EU", "EU27": "EU", "EU": "EU",
                   "CHINESE TAIPEI": "TW", "TAIWAN": "TW", "TWN": "TW", "TAIPEI, CHINESE": "TW"}
FLAGS = re.compile(r"^[a-z]{0,4}$")
MAX_ROWS = 500_000


@dataclass
class ImportResult:
    created: int = 0
    replaced: int = 0
    unchanged: int = 0
    missing: int = 0  # rows without a value (":" in Eurostat files): nothing to store
    errors: list[str] = field(default_factory=list)


def country_code(raw: str) -> str | None:
    text = (raw or "").strip()
    upper = text.upper()
    if upper in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[upper]
    if len(upper) == 2 and pycountry.countries.get(alpha_2=upper):
        return upper
    if len(upper) == 3 and pycountry.countries.get(alpha_3=upper):
        return pycountry.countries.get(alpha_3=upper).alpha_2
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        return None


def _number(raw: str) -> float | None:
    text = (raw or "").strip().replace(",", "")
    if text in ("", ":", "..", "NaN", "nan"):
        return None
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(text)
    return value


def _rows(data: bytes) -> tuple[list[str], list[dict]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("the file is not UTF-8 text: save it as CSV UTF-8") from None
    sample = text[:4096]
    dialect = csv.excel_tab if sample.count("\t") > sample.count(",") else csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    return [h.strip() for h in reader.fieldnames or []], list(reader)


def _column(header: list[str], *names: str) -> str | None:
    lower = {h.lower(): h for h in header}
    for name in names:
        if name.lower() in lower:
            return lower[name.lower()]
    return None


def values_parse(data: bytes, *, indicator: str = "", source: str = "") -> tuple[list[tuple], ImportResult]:
    """[(code, country, year, value, flag, unit, source)] and the problems found, nothing written.
    `indicator` gives the code of an SDMX file's values (one dataset, one indicator)."""
    result = ImportResult()
    try:
        header, rows = _rows(data)
    except ValueError as error:
        result.errors.append(str(error))
        return [], result
    if len(rows) > MAX_ROWS:
        result.errors.append(f"the file has more than {MAX_ROWS:,} rows; split it")
        return [], result
    known = set(Indicator.objects.values_list("code", flat=True))
    sdmx = _column(header, "OBS_VALUE") is not None
    if sdmx:
        cols = {"country": _column(header, "geo", "REF_AREA"), "year": _column(header, "TIME_PERIOD"),
                "value": _column(header, "OBS_VALUE"), "flag": _column(header, "OBS_FLAG", "OBS_STATUS"),
                "unit": _column(header, "unit", "UNIT_MEASURE"), "indicator": _column(header, "indicator")}
        missing = [n for n in ("country", "year") if cols[n] is None]
        if missing:
            result.errors.append("row 1: an SDMX-CSV file needs geo or REF_AREA and TIME_PERIOD columns")
            return [], result
        if not indicator and cols["indicator"] is None:
            result.errors.append("row 1: say which indicator this dataset holds (--indicator CODE, or the page's choice)")
            return [], result
    else:
        missing = [c for c in SIMPLE if _column(header, c) is None]
        if missing:
            result.errors.append(f"row 1: the columns {', '.join(missing)} are missing "
                                 "(indicator,country,year,value,unit,source,flag; or an SDMX-CSV file)")
            return [], result
        cols = {c: _column(header, c) for c in (*SIMPLE, "unit", "source", "flag")}
    if indicator and indicator not in known:
        result.errors.append(f"the indicator {indicator} is not in the catalogue")
        return [], result
    out, seen = [], {}
    for number, row in enumerate(rows, start=2):
        code = (row.get(cols["indicator"]) or "").strip().upper() if cols.get("indicator") else indicator
        code = code or indicator
        if code not in known:
            result.errors.append(f"row {number}, column {cols.get('indicator') or 'indicator'}: "
                                 f"{code or 'empty'} is not in the catalogue")
            continue
        raw_country = row.get(cols["country"]) or ""
        country = country_code(raw_country)
        if country is None:
            result.errors.append(f"row {number}, column {cols['country']}: {raw_country or 'empty'} is not a country")
            continue
        raw_year = (row.get(cols["year"]) or "").strip()
        if not re.fullmatch(r"\d{4}", raw_year[:4]) or not 1950 <= int(raw_year[:4]) <= 2100 or len(raw_year) not in (4,):
            result.errors.append(f"row {number}, column {cols['year']}: {raw_year or 'empty'} is not a year")
            continue
        year = int(raw_year)
        raw_value = row.get(cols["value"]) or ""
        try:
            value = _number(raw_value)
        except ValueError:
            result.errors.append(f"row {number}, column {cols['value']}: {raw_value} is not a number")
            continue
        flag = (row.get(cols["flag"]) or "").strip().lower() if cols.get("flag") else ""
        if not FLAGS.match(flag):
            result.errors.append(f"row {number}, column {cols['flag']}: {flag} is not a flag (p, e, b…)")
            continue
        if value is None:
            result.missing += 1
            continue
        key = (code, country, year)
        if key in seen:
            result.errors.append(f"row {number}: {code} {country} {year} is also on row {seen[key]}")
            continue
        seen[key] = number
        unit = text_clean((row.get(cols["unit"]) or "").strip())[:60] if cols.get("unit") else ""
        row_source = text_clean((row.get(cols.get("source") or "") or "").strip()) if cols.get("source") else ""
        out.append((code, country, year, value, flag, unit, (row_source or source)[:200]))
    return out, result


@transaction.atomic
def values_import(data: bytes, *, indicator: str = "", source: str = "", dry_run: bool = False) -> ImportResult:
    rows, result = values_parse(data, indicator=indicator, source=source)
    if result.errors:
        return result
    indicators = {i.code: i for i in Indicator.objects.all()}
    held = {(o.indicator.code, o.country, o.year): o for o in
            Observation.objects.select_related("indicator").filter(indicator__code__in={r[0] for r in rows})}
    new, history, changed = [], [], []
    for code, country, year, value, flag, unit, row_source in rows:
        old = held.get((code, country, year))
        if old is None:
            new.append(Observation(indicator=indicators[code], country=country, year=year, value=value, flag=flag,
                                   unit=unit or indicators[code].unit, source=row_source))
            result.created += 1
        elif (old.value, old.flag) == (value, flag):
            result.unchanged += 1
        else:
            history.append(ObservationChange(observation=old, value=old.value, flag=old.flag, source=old.source))
            old.value, old.flag, old.source, old.generated = value, flag, row_source or old.source, False
            old.unit = unit or old.unit
            changed.append(old)
            result.replaced += 1
    if dry_run:
        transaction.set_rollback(True)
        return result
    Observation.objects.bulk_create(new, batch_size=5000)
    if changed:  # one prepared UPDATE per row: Django's bulk_update builds CASE expressions that grow per row
        from django.db import connection
        from django.utils import timezone

        now = timezone.now()
        table = connection.ops.quote_name(Observation._meta.db_table)
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {table} SET value = %s, flag = %s, source = %s, generated = %s, unit = %s, "
                               "imported_at = %s WHERE id = %s",
                               [(o.value, o.flag, o.source, False, o.unit, now, o.pk) for o in changed])
    ObservationChange.objects.bulk_create(history, batch_size=5000)
    return result
