"""The organisation file of specs/directory-exchange.md: reading (CSV in
UTF-8 with or without BOM or in Big5, and Excel) with every error named as
`row N, column C: problem`, and writing (CSV and Excel, safe against
formula injection).

Plain Python: the caller passes the known sector codes and gets rows or
errors back; `services.organisations_import` writes them.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

import pycountry

from clusterbridge.core.spreadsheets import safe_cell, xlsx_bytes
from clusterbridge.core.text import text_clean

COLUMNS = ["external_id", "name_en", "name_zh", "kind", "country", "city", "website", "sectors",
           "technologies", "description_en", "description_zh", "offers", "requests", "ecosystems"]
REQUIRED = ["external_id", "kind", "country"]
KINDS = ["cluster_organisation", "industry_association", "company", "university", "research_centre",
         "public_agency", "programme_office"]
COUNTRIES = {c.alpha_2 for c in pycountry.countries}
MAX_LENGTH = {"external_id": 100, "name_en": 300, "name_zh": 300, "city": 120, "website": 500}
NACE_PATTERN = re.compile(r"^([A-U])?(\d{2})(?:\.(\d{1,2}))?$|^([A-U])$")


@dataclass
class ParsedFile:
    rows: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    encoding: str = ""
    columns: set[str] = field(default_factory=set)  # those the file has: the others are left alone


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was in: UTF-8 (with or without BOM), else Big5."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("big5hkscs"), "big5"
    except UnicodeDecodeError as exc:
        raise ValueError("the file is neither UTF-8 nor Big5 text; save it as CSV UTF-8 or Excel") from exc


MAX_ROWS = 100_000  # organisations in one file (settings.IMPORT_MAX_ROWS)
MAX_COLUMNS = 50


def _too_many_rows(limit: int) -> ValueError:
    return ValueError(f"the file has more than {limit:,} rows; split it into files of at most {limit:,} "
                      "organisations")


def read_table(data: bytes, filename: str, *, max_rows: int | None = None,
               max_columns: int = MAX_COLUMNS) -> tuple[list[str], list[list[str]], str]:
    """Header and rows of a CSV or Excel file, read as a stream and stopped at the stated maxima
    (a small compressed workbook can hold hundreds of thousands of rows)."""
    if max_rows is None:
        from django.conf import settings

        max_rows = getattr(settings, "IMPORT_MAX_ROWS", MAX_ROWS)
    if filename.lower().endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise ValueError("the Excel file cannot be read; is it an .xlsx workbook?") from exc
        sheet = workbook.worksheets[0]
        table = []
        try:
            for row in sheet.iter_rows(values_only=True, max_col=max_columns + 1):
                if len(table) > max_rows:
                    raise _too_many_rows(max_rows)
                if len(row) > max_columns and any(v not in (None, "") for v in row[max_columns:]):
                    raise ValueError(f"the file has more than {max_columns} columns")
                table.append(["" if v is None else text_clean(str(v)).strip() for v in row[:max_columns]])
        finally:
            workbook.close()
        if not table:
            raise ValueError("the file is empty")
        return table[0], table[1:], "xlsx"
    text, encoding = decode(data)
    text = text_clean(text)  # control characters out (tab and line ends stay)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    table = []
    try:
        for row in reader:
            if len(table) > max_rows:
                raise _too_many_rows(max_rows)
            if len(row) > max_columns:
                raise ValueError(f"line {reader.line_num} has more than {max_columns} cells")
            table.append(row)
    except csv.Error as exc:
        raise ValueError(f"the CSV text cannot be read near line {reader.line_num}: {exc}") from exc
    if not table:
        raise ValueError("the file is empty")
    return [h.strip() for h in table[0]], table[1:], encoding


def parse_organisation_file(data: bytes, filename: str, sector_codes: dict[str, str],
                            ecosystem_codes: set[str] | None = None) -> ParsedFile:
    """Every row validated (`sector_codes`: NACE code -> its section letter); `errors` lists every problem, in file order."""
    out = ParsedFile()
    try:
        header, body, out.encoding = read_table(data, filename)
    except ValueError as exc:
        out.errors.append(f"file: {exc}")
        return out
    header = [h.lstrip("\ufeff").strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in header]
    if "name_en" not in header and "name_zh" not in header:
        missing.append("name_en or name_zh")
    if missing:
        out.errors.append("header: missing column " + ", ".join(missing))
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        out.errors.append("header: unknown column " + ", ".join(unknown) +
                          " (allowed: " + ", ".join(COLUMNS) + ")")
    if out.errors:
        return out
    out.columns = {h for h in header if h}
    seen: dict[str, int] = {}
    for index, raw in enumerate(body, start=2):  # row 1 is the header
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) > len(header) and any(c.strip() for c in raw[len(header):]):
            out.errors.append(f"row {index}: {len(raw)} cells but the header has {len(header)} columns")
            continue
        values = {h: (raw[i].strip() if i < len(raw) else "") for i, h in enumerate(header) if h}
        row, errors = _validate(values, index, sector_codes, ecosystem_codes or set())
        if "ecosystems" not in header:
            row["ecosystem_codes"] = None  # the column is optional: leave them as they are
        if "sectors" not in header:
            row["sector_codes"] = None
        row["_row"] = index
        if row["external_id"] and row["external_id"] in seen:
            errors.append(f"row {index}, column external_id: \"{row['external_id']}\" appears again "
                          f"(first in row {seen[row['external_id']]})")
        elif row["external_id"]:
            seen[row["external_id"]] = index
        out.errors.extend(errors)
        if not errors:
            out.rows.append(row)
    if not out.rows and not out.errors:
        out.errors.append("file: no organisations in it")
    return out


def _validate(values: dict[str, str], n: int, sector_codes: dict[str, str],
              ecosystem_codes: set[str]) -> tuple[dict, list[str]]:
    errors: list[str] = []

    def err(column: str, problem: str) -> None:
        errors.append(f"row {n}, column {column}: {problem}")

    row = {c: values.get(c, "") for c in COLUMNS}
    for column in REQUIRED:
        if not row[column]:
            err(column, "is empty but required")
    if not row["name_en"] and not row["name_zh"]:
        err("name_en", "a name in English or Chinese (name_zh) is required")
    for column, limit in MAX_LENGTH.items():
        if len(row[column]) > limit:
            err(column, f"is {len(row[column])} characters long; at most {limit}")
    if row["kind"] and row["kind"] not in KINDS:
        err("kind", f"\"{row['kind']}\" is not one of {', '.join(KINDS)}")
    country = row["country"].upper()
    if country and country not in COUNTRIES:
        err("country", f"\"{row['country']}\" is not an ISO 3166-1 alpha-2 code such as TW, FR, DE")
    row["country"] = country
    if row["website"]:
        parsed = urlparse(row["website"])
        if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in row["website"]:
            err("website", f"\"{row['website']}\" is not an http(s) address")
    codes = []
    for code in [c.strip().upper() for c in row["sectors"].split(";") if c.strip()]:
        normal = normalise_nace(code)
        letter = code[0] if code[:1].isalpha() and len(code) > 1 else None
        if not sector_codes:
            err("sectors", "the NACE Rev. 2 taxonomy is not loaded in this database yet: "
                           "run `clusterbridge load-taxonomy` once, then import again")
            break
        if normal is None or normal not in sector_codes or (letter and sector_codes[normal] != letter):
            err("sectors", f"\"{code}\" is not a NACE Rev. 2 code (a section letter, or a division, group or class such as C26, C26.1, C26.11)")
        else:
            codes.append(normal)
    row["sector_codes"] = codes
    ecosystems = []
    for code in [c.strip().lower() for c in row["ecosystems"].split(";") if c.strip()]:
        if not ecosystem_codes:
            err("ecosystems", "the industrial ecosystems are not loaded in this database yet: "
                              "run `clusterbridge load-taxonomy` once, then import again")
            break
        if code not in ecosystem_codes:
            err("ecosystems", f"\"{code}\" is not one of the 14 industrial ecosystems ({', '.join(sorted(ecosystem_codes))})")
        else:
            ecosystems.append(code)
    row["ecosystem_codes"] = ecosystems
    return row, errors


def normalise_nace(code: str) -> str | None:
    """'C26.11' -> '26.11', 'C26.1' -> '26.1', 'C26' -> '26', 'C' -> 'C': the
    code as the taxonomy writes it, section letter dropped (checked apart)."""
    m = NACE_PATTERN.match(code)
    if not m:
        return None
    if m.group(4):
        return m.group(4)
    return m.group(2) + (f".{m.group(3)}" if m.group(3) else "")


def nace_codes_check(raw: list[str], known: dict[str, str]) -> tuple[list[str], list[str]]:
    """(normalised codes without repeats, the ones that are not NACE Rev. 2
    codes) for codes people typed; `known`: code -> its section letter. A
    section letter in front must be the code's own ('C26' yes, 'A26' no)."""
    codes, wrong = [], []
    for code in [c.strip().upper() for c in raw if c and c.strip()]:
        normal = normalise_nace(code)
        letter = code[0] if code[:1].isalpha() and len(code) > 1 else None
        if normal is None or normal not in known or (letter and known[normal] != letter):
            wrong.append(code)
        else:
            codes.append(normal)
    return list(dict.fromkeys(codes)), wrong


def write_csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([safe_cell(str(row.get(c, ""))) for c in COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(rows: list[dict]) -> bytes:
    return xlsx_bytes({"organisations": (COLUMNS, [[str(row.get(c, "")) for c in COLUMNS] for row in rows])})
