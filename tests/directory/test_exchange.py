"""Reading the organisation file: encodings, formats and every kind of error."""

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from clusterbridge.directory.exchange import normalise_nace, parse_organisation_file, safe_cell, write_xlsx

SECTORS = {"C": "C", "26": "C", "26.1": "C", "26.11": "C", "27": "C", "28": "C", "A": "A", "01": "A"}
HEADER = "external_id,name_en,name_zh,kind,country,city,website,sectors,technologies,offers\n"


def parse(text, filename="orgs.csv", encoding="utf-8"):
    return parse_organisation_file(text.encode(encoding), filename, SECTORS)


def test_parse_reads_a_valid_csv_with_both_languages():
    result = parse(HEADER + 'tw-1,TPCA,台灣電路板協會,industry_association,tw,Taoyuan,https://tpca.org.tw,C26.1;C27;26.11,PCB;電路板,"HDI boards;substrates"\n')
    assert result.errors == []
    assert [(r["external_id"], r["name_zh"], r["country"], r["sector_codes"]) for r in result.rows] == [
        ("tw-1", "台灣電路板協會", "TW", ["26.1", "27", "26.11"])]


def test_parse_accepts_utf8_bom_and_big5():
    text = HEADER + "tw-1,,台灣電路板協會,industry_association,TW,,,,,\n"
    bom = parse_organisation_file(b"\xef\xbb\xbf" + text.encode("utf-8"), "a.csv", SECTORS)
    big5 = parse_organisation_file(text.encode("big5"), "a.csv", SECTORS)
    assert (bom.errors, bom.encoding, bom.rows[0]["name_zh"]) == ([], "utf-8-sig", "台灣電路板協會")
    assert (big5.errors, big5.encoding, big5.rows[0]["name_zh"]) == ([], "big5", "台灣電路板協會")


def test_parse_reads_excel():
    wb = Workbook()
    ws = wb.active
    ws.append(["external_id", "name_en", "kind", "country", "sectors"])
    ws.append(["de-1", "Silicon Saxony", "cluster_organisation", "DE", "26"])
    buffer = io.BytesIO()
    wb.save(buffer)
    result = parse_organisation_file(buffer.getvalue(), "orgs.xlsx", SECTORS)
    assert result.errors == []
    assert result.rows[0]["name_en"] == "Silicon Saxony"


def test_parse_names_every_error_with_row_and_column():
    result = parse(HEADER
                   + "a,,,,TW,,,,,\n"
                   + "b,B,,spaceship,XX,,ftp://b,Z99;A26,,\n"
                   + "a,A again,,company,FR,,,,,\n")
    assert result.errors == [
        "row 2, column kind: is empty but required",
        "row 2, column name_en: a name in English or Chinese (name_zh) is required",
        'row 3, column kind: "spaceship" is not one of cluster_organisation, industry_association, company, '
        "university, research_centre, public_agency, programme_office",
        'row 3, column country: "XX" is not an ISO 3166-1 alpha-2 code such as TW, FR, DE',
        'row 3, column website: "ftp://b" is not an http(s) address',
        'row 3, column sectors: "Z99" is not a NACE Rev. 2 code (a section letter, or a division, group or class such as C26, C26.1, C26.11)',
        'row 3, column sectors: "A26" is not a NACE Rev. 2 code (a section letter, or a division, group or class such as C26, C26.1, C26.11)',
        'row 4, column external_id: "a" appears again (first in row 2)',
    ]
    assert result.rows == []


def test_parse_reports_missing_and_unknown_columns():
    result = parse("external_id,name,kind\nx,y,company\n")
    assert result.errors == [
        "header: missing column country, name_en or name_zh",
        "header: unknown column name (allowed: external_id, name_en, name_zh, kind, country, city, website, "
        "sectors, technologies, description_en, description_zh, offers, requests, ecosystems)",
    ]


def test_parse_reports_extra_cells_and_empty_files():
    assert parse(HEADER + "a,A,,company,FR,,,,,,surplus\n").errors == [
        "row 2: 11 cells but the header has 10 columns"]
    assert parse("").errors == ["file: the file is empty"]
    assert parse(HEADER).errors == ["file: no organisations in it"]
    assert parse_organisation_file(b"\xff\xfe\x00\x81\x00", "x.csv", SECTORS).errors == [
        "file: the file is neither UTF-8 nor Big5 text; save it as CSV UTF-8 or Excel"]


def test_parse_rejects_a_broken_excel_file():
    assert parse_organisation_file(b"PK\x03\x04broken", "x.xlsx", SECTORS).errors == [
        "file: the Excel file cannot be read; is it an .xlsx workbook?"]


def test_normalise_nace():
    assert [normalise_nace(c) for c in ["C26.1", "26.11", "C26", "26", "C", "X1", "C2"]] == [
        "26.1", "26.11", "26", "26", "C", None, None]


def test_export_neutralises_formulas():
    assert [safe_cell(v) for v in ["=HYPERLINK(1)", "+1", "-2", "@x", "ok"]] == [
        "'=HYPERLINK(1)", "'+1", "'-2", "'@x", "ok"]
    book = load_workbook(io.BytesIO(write_xlsx([{"external_id": "x", "name_en": "=cmd|' /C calc'!A0"}])))
    assert book.active["B2"].value == "'=cmd|' /C calc'!A0"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=300).map(lambda t: (HEADER + t).encode("utf-8")))
def test_parse_never_crashes_and_never_returns_rows_with_errors(data):
    result = parse_organisation_file(data, "fuzz.csv", SECTORS)
    assert isinstance(result.errors, list)
    for row in result.rows:
        assert row["external_id"] and row["kind"] and row["country"]
        assert row["name_en"] or row["name_zh"]


def test_parse_reads_optional_ecosystems_column():
    text = "external_id,name_en,kind,country,ecosystems\nfr-1,Techtera,cluster_organisation,FR,textiles;digital\n" \
           "fr-2,X,company,FR,spaceships\n"
    result = parse_organisation_file(text.encode(), "e.csv", SECTORS, {"textiles", "digital"})
    assert result.errors == ['row 3, column ecosystems: "spaceships" is not one of the 14 industrial ecosystems '
                             '(digital, textiles)']
    ok = parse_organisation_file(text.encode().split(b"fr-2")[0], "e.csv", SECTORS, {"textiles", "digital"})
    assert ok.rows[0]["ecosystem_codes"] == ["textiles", "digital"]
    without = parse(HEADER + "tw-1,T,,company,TW,,,,,\n")
    assert without.rows[0]["ecosystem_codes"] is None
