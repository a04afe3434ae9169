"""Indicators (issue 20, first slice): imports in the offices' real shapes, the composite index by
hand, the API of specs/indicators.md and the comparison page."""

import io
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command

from clusterbridge.indicators.catalogue import catalogue_load
from clusterbridge.indicators.figures import composite
from clusterbridge.indicators.imports import values_import
from clusterbridge.indicators.models import Observation

SIMPLE = """indicator,country,year,value,unit,source,flag
GERD_PCT_GDP,TW,2022,3.96,% of GDP,NSTC,
GERD_PCT_GDP,TW,2023,3.98,% of GDP,NSTC,p
GERD_PCT_GDP,EL,2023,1.49,% of GDP,Eurostat,e
GERD_PCT_GDP,UK,2019,1.71,% of GDP,Eurostat,b
GERD_PCT_GDP,Chinese Taipei,2021,3.78,% of GDP,OECD,
GERD_PCT_GDP,DE,2023,:,% of GDP,Eurostat,
"""
# Eurostat's SDMX-CSV download of rd_e_gerdtot (the columns as the dissemination API writes them).
EUROSTAT = """DATAFLOW,LAST UPDATE,freq,sectperf,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG
ESTAT:RD_E_GERDTOT(1.0),29/11/24 23:00:00,A,TOTAL,PC_GDP,DE,2022,3.13,
ESTAT:RD_E_GERDTOT(1.0),29/11/24 23:00:00,A,TOTAL,PC_GDP,DE,2023,3.11,p
ESTAT:RD_E_GERDTOT(1.0),29/11/24 23:00:00,A,TOTAL,PC_GDP,EU27_2020,2023,2.22,ep
ESTAT:RD_E_GERDTOT(1.0),29/11/24 23:00:00,A,TOTAL,PC_GDP,EL,2023,,
"""
# The OECD's SDMX-CSV (MSTI): ISO alpha-3 areas, OBS_STATUS for the flag.
OECD = """STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,MEASURE,UNIT_MEASURE,TIME_PERIOD,OBS_VALUE,OBS_STATUS
DATAFLOW,OECD.STI.STP:DSD_MSTI@DF_MSTI(1.3),I,TWN,G,PT_B1GQ,2022,3.96,A
DATAFLOW,OECD.STI.STP:DSD_MSTI@DF_MSTI(1.3),I,DEU,G,PT_B1GQ,2022,3.13,A
"""


@pytest.fixture
def catalogue(db):
    catalogue_load()


def test_the_simple_csv_keeps_flags_maps_country_codes_and_skips_missing_values(catalogue):
    result = values_import(SIMPLE.encode())
    assert (result.errors, result.created, result.missing) == ([], 5, 1)
    got = {(o.country, o.year): (o.value, o.flag) for o in Observation.objects.all()}
    assert got[("TW", 2023)] == (3.98, "p") and got[("GR", 2023)] == (1.49, "e")
    assert got[("GB", 2019)] == (1.71, "b") and got[("TW", 2021)] == (3.78, "")


def test_errors_name_the_row_and_column_and_nothing_is_written(catalogue):
    bad = SIMPLE + "NOT_AN_INDICATOR,TW,2023,1,,,\nGERD_PCT_GDP,Atlantis,2023,1,,,\nGERD_PCT_GDP,FR,20x3,1,,,\n" \
                   "GERD_PCT_GDP,FR,2023,abc,,,\nGERD_PCT_GDP,TW,2023,4.0,,,\n"
    result = values_import(bad.encode())
    assert result.errors == [
        "row 8, column indicator: NOT_AN_INDICATOR is not in the catalogue",
        "row 9, column country: Atlantis is not a country",
        "row 10, column year: 20x3 is not a year",
        "row 11, column value: abc is not a number",
        "row 12: GERD_PCT_GDP TW 2023 is also on row 3"]
    assert not Observation.objects.exists()


def test_a_reimport_replaces_the_value_and_keeps_its_history_and_a_dry_run_writes_nothing(catalogue):
    values_import(SIMPLE.encode())
    revised = "indicator,country,year,value,unit,source,flag\nGERD_PCT_GDP,TW,2023,3.99,% of GDP,NSTC revised,\n"
    assert values_import(revised.encode(), dry_run=True).replaced == 1
    assert Observation.objects.get(country="TW", year=2023).value == 3.98
    result = values_import(revised.encode())
    assert (result.replaced, result.created) == (1, 0)
    value = Observation.objects.get(country="TW", year=2023)
    assert (value.value, value.flag, value.source) == (3.99, "", "NSTC revised")
    assert [(h.value, h.flag) for h in value.history.all()] == [(3.98, "p")]


def test_eurostat_and_oecd_sdmx_csv(catalogue):
    result = values_import(EUROSTAT.encode(), indicator="GERD_PCT_GDP", source="Eurostat rd_e_gerdtot")
    assert (result.errors, result.created, result.missing) == ([], 3, 1)
    eu = Observation.objects.get(country="EU", year=2023)
    assert (eu.value, eu.flag, eu.source) == (2.22, "ep", "Eurostat rd_e_gerdtot")
    result = values_import(OECD.encode(), indicator="GERD_PCT_GDP", source="OECD MSTI")
    assert (result.errors, result.created, result.unchanged) == ([], 1, 0) or result.replaced == 1
    assert Observation.objects.get(country="TW", year=2022).value == 3.96
    assert values_import(EUROSTAT.encode()).errors == [
        "row 1: say which indicator this dataset holds (--indicator CODE, or the page's choice)"]


def test_the_command_exits_2_on_errors(catalogue, tmp_path):
    path = tmp_path / "values.csv"
    path.write_text("indicator,country,year,value\nGERD_PCT_GDP,XX,2023,1\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("import_indicators", str(path), stderr=err)
    assert exit_.value.code == 2 and "row 2, column country: XX is not a country" in err.getvalue()
    path.write_text(SIMPLE, encoding="utf-8")
    out = StringIO()
    call_command("import_indicators", str(path), stdout=out)
    assert "imported: 5 new" in out.getvalue()


def test_the_composite_index_as_computed_by_hand():
    # Two indicators, two countries plus the EU, one year. A: higher is better; B: lower is better.
    a = {"TW": {2023: 4.0}, "DE": {2023: 3.0}, "EU": {2023: 2.0}}
    b = {"TW": {2023: 6.0}, "DE": {2023: 20.0}, "EU": {2023: 34.0}}
    # Re-scaled: A TW 1, DE .5, EU 0; B (turned round) TW 1, DE .5, EU 0 → EU's mean is 0: no EU base;
    # with a third indicator where the EU is not last the base exists:
    c = {"TW": {2023: 10.0}, "DE": {2023: 30.0}, "EU": {2023: 50.0}}  # higher is better: TW 0, DE .5, EU 1
    index = composite({"A": (a, True), "B": (b, False), "C": (c, True)})
    # Means: TW (1 + 1 + 0) / 3 = .6667, DE .5, EU 1/3 → scores 66.67, 50, 33.33; relative to the EU 200, 150, 100.
    assert {k: round(v[2023], 2) for k, v in index["score"].items()} == {"TW": 66.67, "DE": 50.0, "EU": 33.33}
    assert {k: round(v[2023], 6) for k, v in index["relative"].items()} == {"TW": 200.0, "DE": 150.0, "EU": 100.0}
    assert index["base"] == "EU"
    # The EU at the bottom of the scale (score 0): a ratio to it says nothing; the mean is the base.
    bottom = composite({"A": (a, True)})
    assert bottom["base"] == "mean"
    assert {k: round(v[2023], 6) for k, v in bottom["relative"].items()} == {"TW": 200.0, "DE": 100.0, "EU": 0.0}


def test_the_api_answers_as_the_spec_says(client, catalogue):
    values_import(SIMPLE.encode())
    catalogue_answer = client.get("/api/v1/indicators").json()
    gerd = next(i for i in catalogue_answer if i["code"] == "GERD_PCT_GDP")
    assert gerd == {"code": "GERD_PCT_GDP", "name_en": "Gross domestic expenditure on R&D (GERD)",
                    "name_zh": "全國研發經費占 GDP 比率", "dimension": "inputs", "unit": "% of GDP",
                    "higher_is_better": True}
    assert {i["code"] for i in catalogue_answer} >= {"BERD_PCT_GDP", "RESEARCHERS_PER_1000_EMPLOYED", "TBP_RECEIPTS",
                                                     "TBP_PAYMENTS", "PCT_APPLICATIONS", "IMD_WCY_RANK"}
    answer = client.get("/api/v1/indicators/GERD_PCT_GDP?countries=TW,GR&from=2022&to=2024").json()
    assert answer == {"code": "GERD_PCT_GDP", "unit": "% of GDP", "series": {
        "GR": [{"year": 2023, "value": 1.49, "flag": "e", "source": "Eurostat"}],
        "TW": [{"year": 2022, "value": 3.96, "flag": None, "source": "NSTC"},
               {"year": 2023, "value": 3.98, "flag": "p", "source": "NSTC"}]}}
    assert client.get("/api/v1/indicators/NOPE").status_code == 404
    assert client.get("/api/v1/indicators/GERD_PCT_GDP?from=abc").status_code == 422


def test_the_comparison_page_briefs_in_both_languages_and_exports(client, db):
    from clusterbridge.indicators.demo import load_demo_indicators

    assert load_demo_indicators()
    page = client.get("/indicators/", {"indicator": ["GERD_PCT_GDP", "BERD_PCT_GDP"], "country": ["TW", "EU", "DE"],
                                       "from": "2012", "to": "2024"}).content.decode()
    assert "In 2024 Taiwan&#x27;s Gross domestic expenditure on R&amp;D (GERD) was" in page
    assert "rank 1 of 3" in page and "<svg" in page and "Composite index" in page and "generated for the demo" in page
    zh = client.get("/zh-hant/indicators/", {"indicator": "GERD_PCT_GDP", "country": ["TW", "DE"]}).content.decode()
    assert "全國研發經費占 GDP 比率" in zh and "德國" in zh
    book = openpyxl.load_workbook(io.BytesIO(client.get("/indicators/", {
        "indicator": ["GERD_PCT_GDP"], "country": ["TW", "DE"], "format": "xlsx"}).content))
    sheet = book["GERD_PCT_GDP"]
    assert sheet.cell(1, 1).value == "Country (% of GDP)" and sheet.max_row == 3
    pdf = client.get("/zh-hant/indicators/", {"indicator": "GERD_PCT_GDP", "country": ["TW", "DE"], "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"


def test_officers_import_from_the_page_as_a_job(client, catalogue, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from clusterbridge.accounts.models import Role
    from tests.factories import events as ef

    client.force_login(ef.person("olivia", role=Role.PROGRAMME_OFFICER))
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/indicators/import/", {"file": SimpleUploadedFile("gerd.csv", EUROSTAT.encode()),
                                                     "indicator": "GERD_PCT_GDP", "source": "Eurostat"})
    page = client.get(answer["Location"]).content.decode()
    assert "3 new, 0 replaced (history kept), 0 unchanged, 1 without a value." in page
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/indicators/import/", {"file": SimpleUploadedFile("bad.csv", b"indicator,country\n")})
    assert "row 1: the columns year, value are missing" in client.get(answer["Location"]).content.decode()
    client.force_login(ef.person("mia"))
    assert client.get("/indicators/import/").status_code == 403
