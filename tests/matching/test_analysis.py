"""The text analysis of both languages (pure Python, no database)."""

import pytest

from clusterbridge.matching.analysis import Analyzer, Concept, fold, load_concepts
from clusterbridge.matching.highlight import snippet, terms_for


@pytest.fixture(scope="module")
def analyzer():
    return Analyzer()


def codes(analyzer, text, query=False):
    return set(analyzer.analyse(text, query=query).concepts)


def test_the_glossary_is_several_hundred_bilingual_entries_with_synonyms():
    concepts = load_concepts()
    glossary = [c for c in concepts if ":" not in c.code]
    assert len(glossary) >= 300
    assert all(c.label_en and c.label_zh and c.forms for c in glossary)
    assert len({c.code for c in concepts}) == len(concepts)


def test_traditional_simplified_and_taiwan_words_meet(analyzer):
    assert analyzer.normalise("智慧製造、軟體") == analyzer.normalise("智能制造、软件")
    assert "smart_manufacturing" in codes(analyzer, "智能制造") & codes(analyzer, "智慧製造")
    assert "semiconductors" in codes(analyzer, "芯片") & codes(analyzer, "晶片")


def test_the_same_concept_in_chinese_and_in_english(analyzer):
    zh = codes(analyzer, "五軸工具機、智慧製造、主軸與控制器")
    en = codes(analyzer, "CNC machine tools, Industry 4.0, spindles and controllers")
    assert {"machine_tools", "smart_manufacturing", "spindle", "controller"} <= zh & en


def test_chinese_is_segmented_with_the_domain_terms_kept_whole(analyzer):
    tokens = analyzer.analyse("離岸風電水下基礎與塔架").tokens
    assert {"离岸风电", "水下基础", "塔架"} <= set(tokens)
    assert "与" not in tokens  # a function word carries no topic


def test_english_words_are_stemmed_and_stop_words_dropped(analyzer):
    tokens = analyzer.analyse("The networks of the factories").tokens
    assert tokens == ["network", "factori"]
    assert fold("batteries") == "battery" and fold("networks") == "network" and fold("process") == "process"


def test_hyphens_full_width_letters_and_mixed_forms(analyzer):
    assert "five_axis" in codes(analyzer, "five-axis machining")
    assert "five_axis" in codes(analyzer, "5-axis machining")
    assert "cnc" in codes(analyzer, "ＣＮＣ machines")  # full-width letters as typed on Chinese keyboards
    assert "private_5g" in codes(analyzer, "5G專網測試場域")
    assert "ce_marking" in codes(analyzer, "CE標誌與MDR法規諮詢")


def test_acronyms_that_are_everyday_words_match_only_in_capitals(analyzer):
    assert "it_services" in codes(analyzer, "IT services for hospitals")
    assert "lighting" in codes(analyzer, "LED lighting")
    assert "lighting" not in codes(analyzer, "it was led by us")
    assert "artificial_intelligence" not in codes(analyzer, "the ai of it")  # a profile: capitals needed
    assert "artificial_intelligence" in codes(analyzer, "ai inspection", query=True)  # a query: people type "ai"


def test_a_stem_alone_is_not_a_concept(analyzer):
    assert "printing" not in codes(analyzer, "Taiwan Printed Circuit Association")
    assert "pcb" in codes(analyzer, "Taiwan Printed Circuit Association")


def test_concept_labels_in_the_readers_language():
    c = Concept("x", "machine tools", "工具機")
    assert c.label("en") == "machine tools (工具機)"
    assert c.label("zh-hant") == "工具機 (machine tools)"


def test_empty_symbol_and_very_long_texts(analyzer):
    assert analyzer.analyse("").tokens == [] and analyzer.analyse("%%% !!! ？？").tokens == []
    long = "machine tools " * 5000
    assert len(analyzer.analyse(long).tokens) == 10000


def test_snippets_mark_words_in_both_scripts_and_escape_html(analyzer):
    concepts = [analyzer.concepts["machine_tools"]]
    html = snippet(analyzer, ["<b>Five-axis</b> CNC machine tools\nother line"], terms_for(analyzer, concepts, []))
    assert html == "&lt;b&gt;Five-axis&lt;/b&gt; CNC <mark>machine tools</mark>"
    html = snippet(analyzer, ["專注於工具機與主軸"], terms_for(analyzer, concepts, []))
    assert "<mark>工具機</mark>" in html
