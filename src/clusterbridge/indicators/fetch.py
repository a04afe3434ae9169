"""Fetching indicator values from the statistics offices' SDMX REST APIs (Eurostat's dissemination
API, the OECD's Data Explorer API) as SDMX-CSV: the same file `import-indicators` reads. Optional: the
platform never needs the network, and tests point it at a server of their own.

A preset says which dataset and which slice of it holds a catalogue indicator. Eurostat's SDMX 2.1 API
takes the slice as a dotted key in the dataset's dimension order (`A.TOTAL.PC_GDP.DE+FR`); the rows that
come back are filtered on the preset's dimensions again, so a broader answer never brings in a
second series. `--dataset`, `--key` and `--dimensions` override a preset or name a slice it lacks."""

from __future__ import annotations

import csv
import io
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

EUROSTAT = "https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/data"
OECD = "https://sdmx.oecd.org/public/rest/data"
ACCEPT = "application/vnd.sdmx.data+csv;version=1.0.0, text/csv;q=0.9"
# Eurostat writes Greece as EL and the United Kingdom as UK; the platform keeps ISO codes.
EUROSTAT_GEO = {"GR": "EL", "GB": "UK", "EU": "EU27_2020"}


@dataclass(frozen=True)
class Preset:
    dataset: str
    dimensions: tuple[tuple[str, str], ...]  # (dimension, code) in the dataset's order, before geo
    source: str = "eurostat"
    note: str = ""


PRESETS = {
    "GERD_PCT_GDP": Preset("rd_e_gerdtot", (("freq", "A"), ("sectperf", "TOTAL"), ("unit", "PC_GDP"))),
    "BERD_PCT_GDP": Preset("rd_e_gerdtot", (("freq", "A"), ("sectperf", "BES"), ("unit", "PC_GDP"))),
    "POPULATION": Preset("demo_gind", (("freq", "A"), ("indic_de", "JAN"))),
    "GDP_MIO_NAC": Preset("nama_10_gdp", (("freq", "A"), ("unit", "CP_MNAC"), ("na_item", "B1GQ"))),
}


class FetchError(Exception):
    """What went wrong, said so that an officer can act on it."""


@dataclass
class Request:
    url: str
    dimensions: dict[str, str] = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)  # countries this source does not publish


def eurostat_request(code: str, countries: list[str], start: int | None, end: int | None, *,
                     base: str = EUROSTAT, dataset: str = "", key: str = "",
                     dimensions: dict[str, str] | None = None) -> Request:
    preset = PRESETS.get(code)
    if preset is None and not (dataset and (key or dimensions)):
        raise FetchError(f"there is no preset for {code}: give --dataset and --dimensions (or --key)")
    dims = dict(dimensions) if dimensions else dict(preset.dimensions if preset else ())
    geos = [EUROSTAT_GEO.get(c, c) for c in countries if c != "TW"]
    left_out = ["TW"] if "TW" in countries else []  # Eurostat does not publish Taiwan: the OECD does
    if not key:
        key = ".".join([*dims.values(), "+".join(geos)])
    path = f"{urllib.parse.quote(dataset or preset.dataset)}/{urllib.parse.quote(key, safe='.+')}"
    return Request(_url(base, path, "SDMX-CSV", start, end), dims, left_out)


def oecd_request(dataflow: str, key: str, start: int | None, end: int | None, *, base: str = OECD) -> Request:
    if not dataflow:
        raise FetchError("name the OECD dataflow (--dataset), e.g. OECD.STI.STP,DSD_MSTI@DF_MSTI,")
    path = f"{urllib.parse.quote(dataflow, safe=',@')}/{urllib.parse.quote(key or 'all', safe='.+')}"
    return Request(_url(base, path, "csvfile", start, end))


def _url(base: str, path: str, form: str, start: int | None, end: int | None) -> str:
    """An SDMX REST data URL: the answer's format and the years wanted (startPeriod, endPeriod)."""
    query = {"format": form}
    query.update({name: str(year) for name, year in (("startPeriod", start), ("endPeriod", end)) if year})
    return f"{base.rstrip('/')}/{path}?{urllib.parse.urlencode(query)}"


def download(request: Request, *, timeout: float = 60) -> bytes:
    http = urllib.request.Request(request.url, headers={"Accept": ACCEPT, "User-Agent": "ClusterBridge"})
    try:
        with urllib.request.urlopen(http, timeout=timeout) as answer:  # noqa: S310 - the offices' https URLs
            return answer.read()
    except urllib.error.HTTPError as error:
        detail = error.read(300).decode("utf-8", "replace").strip()
        raise FetchError(f"{request.url} answered {error.code} {error.reason}"
                         + (f": {detail}" if detail else "")) from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise FetchError(f"{request.url} could not be reached: {getattr(error, 'reason', error)}") from None


def sliced(data: bytes, dimensions: dict[str, str]) -> tuple[bytes, int]:
    """Only the rows of the preset's slice (a dimension's column, when the file has it, must hold the
    preset's code); returns the file and how many rows were dropped."""
    text = data.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "OBS_VALUE" not in reader.fieldnames:
        raise FetchError("the answer is not SDMX-CSV (no OBS_VALUE column): " + text[:120].replace("\n", " "))
    checks = {d: v for d, v in dimensions.items() if d in reader.fieldnames}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames, lineterminator="\n")
    writer.writeheader()
    dropped = 0
    for row in reader:
        if all(row.get(d) == v for d, v in checks.items()):
            writer.writerow(row)
        else:
            dropped += 1
    return out.getvalue().encode(), dropped
