"""Indicators shown per inhabitant, as a share of GDP and as a share of the chosen countries' total;
the bar chart of the latest year (issue 20)."""

import re

import pytest

from clusterbridge.indicators.catalogue import catalogue_load
from clusterbridge.indicators.charts import bar_chart
from clusterbridge.indicators.figures import derived, view_applies
from clusterbridge.indicators.imports import values_import

CONTEXT = """indicator,country,year,value,unit,source,flag
POPULATION,DE,2022,84000000,persons,Eurostat,
POPULATION,DE,2023,84400000,persons,Eurostat,p
POPULATION,FR,2023,68200000,persons,Eurostat,
POPULATION,EU,2023,448400000,persons,Eurostat,
GDP_MIO_NAC,TW,2015,16900000,"national currency, millions",DGBAS,
PCT_APPLICATIONS,DE,2022,17500,applications,WIPO,
PCT_APPLICATIONS,DE,2023,16900,applications,WIPO,
PCT_APPLICATIONS,FR,2023,7500,applications,WIPO,e
PCT_APPLICATIONS,EU,2023,52000,applications,WIPO,
PCT_APPLICATIONS,PL,2023,370,applications,WIPO,
TBP_RECEIPTS,TW,2015,36200,"national currency, millions",MOEA,
GERD_PCT_GDP,DE,2023,3.11,% of GDP,Eurostat,
"""


def test_views_divide_as_computed_by_hand():
    pct = {"DE": {2022: 17500.0, 2023: 16900.0}, "FR": {2023: 7500.0}, "EU": {2023: 52000.0}}
    people = {"DE": {2022: 84e6, 2023: 84.4e6}, "FR": {2023: 68.2e6}}
    per_capita = derived(pct, "per_capita", people)
    assert per_capita["DE"][2023] == pytest.approx(16900 / 84.4)  # per million inhabitants
    assert "EU" not in per_capita  # no population for it: left out, never divided by nothing
    share = derived(pct, "share")
    assert share == {"DE": {2023: pytest.approx(100 * 16900 / 24400)},
                     "FR": {2023: pytest.approx(100 * 7500 / 24400)}}
    of_gdp = derived({"TW": {2015: 36200.0}}, "gdp", {"TW": {2015: 16.9e6}})
    assert of_gdp["TW"][2015] == pytest.approx(0.2142, abs=1e-4)
    assert view_applies("per_capita", "amount") and view_applies("share", "count")
    assert not view_applies("per_capita", "ratio") and not view_applies("share", "amount")
    assert not view_applies("gdp", "count") and not view_applies("per_capita", "rank")


@pytest.fixture
def held(db):
    catalogue_load()
    result = values_import(CONTEXT.encode())
    assert not result.errors, result.errors


def _page(client, **query):
    query = {"country": ["DE", "FR", "PL", "EU", "TW"], "from": "2015", "to": "2024", **query}
    return client.get("/indicators/", query).content.decode()


def test_the_page_shows_counts_per_inhabitant_and_says_what_it_left_out(client, held):
    page = _page(client, indicator="PCT_APPLICATIONS", view="per_capita")
    assert "per million inhabitants" in page
    assert f"{16900 / 84.4:.2f}".rstrip("0") in page  # Germany's 2023 figure, rounded to two places
    assert "1 value is left out" in page  # Poland: no population held
    assert "applications per" not in page


def test_shares_of_the_chosen_total_and_of_gdp(client, held):
    page = _page(client, indicator="PCT_APPLICATIONS", view="share")
    assert "% of the chosen countries&#x27; total" in page
    assert "68.23" in page and "30.28" in page and "1.49" in page  # DE, FR, PL of 24,770 in 2023; EU left out
    gdp = _page(client, indicator="TBP_RECEIPTS", view="gdp")
    assert "% of GDP" in gdp and "0.214" in gdp


def test_a_view_that_makes_no_sense_for_a_ratio_shows_it_as_published(client, held):
    page = _page(client, indicator="GERD_PCT_GDP", view="per_capita")
    assert "Shown as published" in page and "3.11" in page
    zh = client.get("/zh-hant/indicators/", {"indicator": "PCT_APPLICATIONS", "view": "per_capita",
                                              "country": ["DE", "FR"], "from": "2015"}).content.decode()
    assert "每百萬人" in zh


def test_the_bar_chart_puts_the_best_first_and_taiwan_in_its_own_colour():
    svg = bar_chart({"DE": 3.11, "TW": 3.98, "FR": 2.18}, names={"TW": "Taiwan", "DE": "Germany", "FR": "France"},
                    label="GERD 2023")
    assert re.findall(r'text-anchor="end">(\w+)<', svg) == ["Taiwan", "Germany", "France"]
    ranks = bar_chart({"TW": 6, "DE": 24}, names={}, label="IMD", higher_is_better=False)
    assert ranks.index(">TW<") < ranks.index(">DE<")
    assert ranks.count("#b3261e") == 1  # Taiwan's colour, once


GERD = """indicator,country,year,value,unit,source,flag
GERD_PCT_GDP,TW,2015,3.0,% of GDP,NSTC,
GERD_PCT_GDP,TW,2023,3.98,% of GDP,NSTC,p
GERD_PCT_GDP,DE,2015,2.9,% of GDP,Eurostat,
GERD_PCT_GDP,FR,2023,2.18,% of GDP,Eurostat,
GERD_PCT_GDP,EU,2015,2.0,% of GDP,Eurostat,
GERD_PCT_GDP,EU,2023,2.22,% of GDP,Eurostat,
"""


def test_briefing_facts_as_computed_by_hand():
    from clusterbridge.indicators.figures import briefing_facts

    series = {"TW": {2015: 3.0, 2023: 3.98}, "DE": {2015: 2.9, 2023: 3.11}, "FR": {2023: 2.18},
              "EU": {2015: 2.0, 2023: 2.22}}
    facts = briefing_facts(series, higher_is_better=True)
    assert (facts["rank"], facts["of"]) == (1, 3)  # the EU is an aggregate, not a rival
    assert facts["ranks_by_year"] == {2015: (1, 2), 2023: (1, 3)}
    assert facts["change"] == pytest.approx(0.98) and facts["change_pct"] == pytest.approx(32.667, abs=1e-3)
    assert facts["gap_to_eu"] == pytest.approx(1.76) and facts["improved"] is True
    assert facts["leader"] == ("TW", 3.98) and facts["trailer"] == ("FR", 2.18)
    ranks = briefing_facts({"TW": {2020: 11, 2025: 6}, "DE": {2025: 24}}, higher_is_better=False)
    assert ranks["improved"] is True and ranks["rank"] == 1
    assert briefing_facts({"DE": {2020: 1.0}}, higher_is_better=True) is None


def test_the_one_page_briefing_in_both_languages_and_as_pdf(client, held):
    assert not values_import(GERD.encode()).errors
    query = {"indicator": "GERD_PCT_GDP", "country": ["TW", "DE", "FR", "EU"], "from": "2012", "to": "2024"}
    page = client.get("/indicators/briefing/", query).content.decode()
    assert "Where does Taiwan stand on Gross domestic expenditure on R&amp;D (GERD), and how has it moved?" in page
    assert "rank 1 of 3 among the countries" in page and "+0.98 (+32.7%)" in page and "an improvement" in page
    assert "1.76 ahead of it" in page and "Flags: p provisional" in page
    compare = client.get("/indicators/", query).content.decode()
    assert "/indicators/briefing/?indicator=GERD_PCT_GDP&amp;country=TW" in compare
    zh = client.get("/zh-hant/indicators/briefing/", query).content.decode()
    assert "臺灣" in zh and "進步" in zh
    pdf = client.get("/zh-hant/indicators/briefing/", {**query, "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
