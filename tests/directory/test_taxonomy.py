"""The shipped classifications: complete NACE Rev. 2, technologies; filters and the taxonomy page."""

import csv
from pathlib import Path

import pytest

from clusterbridge.directory.models import Organisation, Sector, Technology
from clusterbridge.directory.services import organisations_import, sectors_load, technologies_load
from clusterbridge.directory.technologies import TechnologyMatcher, split_terms

from .factories import make_org

DATA = Path(__file__).resolve().parents[2] / "src" / "clusterbridge" / "directory" / "data"


def test_nace_file_is_complete_and_bilingual():
    with open(DATA / "nace-rev2.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    levels = {}
    for r in rows:
        levels[r["level"]] = levels.get(r["level"], 0) + 1
    assert levels == {"section": 21, "division": 88, "group": 272, "class": 615}
    assert all(r["label_en"] and r["label_zh"] for r in rows)
    codes = [r["code"] for r in rows]
    assert len(set(codes)) == 996
    seen = set()
    for r in rows:  # every parent comes before its children
        assert r["parent"] == "" or r["parent"] in seen, r["code"]
        seen.add(r["code"])
    assert {"26.11", "28.41", "62.01", "94.11", "99.00"} <= seen


def test_sectors_load_is_idempotent_and_files_every_level_under_its_section(db):
    assert sectors_load() == 996
    assert sectors_load() == 996
    assert Sector.objects.count() == 996
    chip = Sector.objects.get(code="26.11")
    assert (chip.level, chip.section, chip.parent.code, chip.parent.parent.code) == ("class", "C", "26.1", "26")
    assert "半導體" in chip.synonyms


def test_sector_filter_reaches_everything_below(client, sectors):
    make_org("tw-chip", name_en="Chip maker", country="TW", sectors=["26.11"])
    make_org("tw-pcb", name_en="PCB maker", country="TW", sectors=["26.12"])
    make_org("de-tools", name_en="Tool maker", country="DE", sectors=["28.41"])

    def ids(sector):
        return [o.external_id for o in client.get("/organisations/", {"sector": sector}).context["page"]]

    assert ids("C") == ["tw-chip", "tw-pcb", "de-tools"]  # by name
    assert ids("26") == ["tw-chip", "tw-pcb"]
    assert ids("26.1") == ["tw-chip", "tw-pcb"]
    assert ids("26.11") == ["tw-chip"]
    assert ids("2") == []
    page = client.get("/organisations/", {"sector": "26.11"})
    assert page.context["facets"]["sector"][0][0] == "26.11"  # the chosen class stays selectable
    assert 'value="26.11" selected' in page.content.decode()


def test_technology_matcher_finds_list_entries_in_free_words():
    matcher = TechnologyMatcher.build({
        "5g": ["5G and mobile networks", "5G與行動通訊", "5G", "private 5G"],
        "ai": ["Artificial intelligence", "人工智慧", "AI", "machine learning"],
        "machine_tools": ["Machine tools and CNC", "工具機", "CNC", "machine tools"],
    })
    assert matcher.codes(split_terms("private 5G test networks; AI-based inspection")) == ["5g", "ai"]
    assert matcher.codes(["五軸CNC工具機"]) == ["machine_tools"]
    assert matcher.codes(["maintenance", "Thailand", "5Gs"]) == []  # whole words only in Latin script
    assert matcher.codes(["機器學習與人工智慧"]) == ["ai"]


def test_technologies_are_filed_on_import_and_edit_and_filterable(client, sectors):
    assert Technology.objects.count() == technologies_load() >= 40
    data = ("external_id,name_en,kind,country,sectors,technologies\n"
            "tw-1,Fab One,company,TW,C26.11,wafer-level packaging;半導體\n"
            "de-1,Windy,company,DE,D35.11,offshore wind foundations\n").encode()
    assert organisations_import(data=data, filename="o.csv").ok
    fab = Organisation.objects.get(external_id="tw-1")
    assert sorted(fab.technology_tags.values_list("code", flat=True)) == ["advanced_packaging", "semiconductors"]
    page = client.get("/organisations/", {"technology": "wind_energy"})
    assert [o.external_id for o in page.context["page"]] == ["de-1"]
    facet = dict((code, n) for code, _t, n in client.get("/organisations/").context["facets"]["technology"])
    assert facet == {"advanced_packaging": 1, "semiconductors": 1, "wind_energy": 1}
    listing = client.get("/api/v1/organisations", {"technology": "semiconductors"}).json()
    assert [o["external_id"] for o in listing["items"]] == ["tw-1"]


@pytest.mark.parametrize("lang,expected", [("en", "Manufacture of electronic components"), ("zh-hant", "電子零組件製造")])
def test_taxonomy_page_lists_codes_in_the_visitors_language(client, sectors, lang, expected):
    prefix = "" if lang == "en" else "/zh-hant"
    page = client.get(f"{prefix}/taxonomy/", {"q": "semiconductor"})
    html = page.content.decode()
    assert page.status_code == 200 and expected in html and "26.11" in html
    assert "Growing of rice" not in html  # filtered by the query
    assert client.get("/taxonomy/").content.decode().count('class="level-class"') == 615
