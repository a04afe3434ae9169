"""Partner search on the vocabulary people really write (issue 19): the dictionary under the glossary,
kinds of organisation read from the profile, and short answers widened."""

import pytest

from clusterbridge.directory.selectors import DirectoryFilters
from clusterbridge.matching import selectors
from clusterbridge.matching.dictionary import Dictionary, shared_dictionary
from tests.factories.directory import make_org

CEDICT = """# CC-CEDICT sample
珍珠 珍珠 [zhen1 zhu1] /pearl/CL:顆|颗[ke1]/
雨傘 雨伞 [yu3 san3] /umbrella/CL:把[ba3]/
茶 茶 [cha2] /tea/tea plant/
北京 北京 [Bei3 jing1] /Beijing, capital of the People's Republic of China/
公會 公会 [gong1 hui4] /guild/
養殖 养殖 [yang3 zhi2] /to cultivate/cultivation/to further/to encourage/
協會 协会 [xie2 hui4] /an association/a society/CL:個|个[ge4]/
"""


def test_the_dictionary_keeps_what_search_can_use():
    d = Dictionary(CEDICT.splitlines())
    assert d.english("珍珠") == ["pearl"] and d.english("雨伞") == ["umbrella"]  # either script
    assert d.english("茶") == []  # one character: too many senses
    assert d.english("北京") == []  # a name
    assert d.english("養殖") == ["cultivate", "cultivation", "further"]  # the first three senses
    assert d.chinese("association") == ["协会"] and d.chinese("Pearl") == ["珍珠"]


def test_the_shipped_dictionary_is_cc_cedict():
    d = shared_dictionary()
    assert "fishery" in d.english("漁業") and "海鲜" in d.chinese("seafood")


@pytest.fixture
def orgs(sectors):
    make_org("eu-pearl", name_en="Danube Pearl Farm", country="AT", description_en="Freshwater pearl farming")
    make_org("tw-umbrella", name_en="", name_zh="台灣雨傘工業", country="TW", description_zh="雨傘與陽傘製造外銷")
    make_org("tw-assoc", name_en="", name_zh="台灣區紡織公會", kind="industry_association", country="TW",
             description_zh="代表紡織業者，推動機能布料外銷")
    make_org("eu-assoc", name_en="Textile Federation of Flanders", kind="industry_association", country="BE",
             description_en="Represents textile makers: technical textiles and recycling")
    make_org("eu-cluster", name_en="Techtex Cluster", kind="cluster_organisation", country="FR",
             description_en="Technical textiles and smart fabrics")
    make_org("eu-firm", name_en="Lyon Weaving", kind="company", country="FR",
             description_en="Weaving mill for technical textiles")
    make_org("tw-lab", name_en="", name_zh="紡織產業綜合研究所", kind="research_centre", country="TW",
             description_zh="機能性紡織品與回收纖維研發")
    for n in range(3):  # frozen seafood and aquaculture go together here
        make_org(f"tw-sea-{n}", name_en="", name_zh=f"海洋水產公司{n}", kind="company", country="TW",
                 description_zh="冷凍水產加工與箱網養殖")
    make_org("eu-farm", name_en="Adriatic Sea Bream", kind="company", country="HR",
             description_en="Fish farming of sea bream and sea bass")


def ids(q, **filters):
    return [f.organisation.external_id for f in selectors.organisation_search(
        q=q, filters=DirectoryFilters(**filters), language="en").items]


def test_words_the_glossary_lacks_match_in_translation(orgs, settings):
    assert ids("珍珠") == ["eu-pearl"] and ids("umbrella") == ["tw-umbrella"]


def test_a_kind_named_finds_every_organisation_of_that_kind(orgs):
    assert set(ids("公協會")) == {"tw-assoc", "eu-assoc"}  # neither says association in its text
    found = ids("textile association")
    assert found[:2] in (["tw-assoc", "eu-assoc"], ["eu-assoc", "tw-assoc"])  # the kind named first
    assert "eu-cluster" in found  # a cluster organisation answers for it after
    assert "eu-firm" not in found and "tw-lab" not in found
    assert set(ids("紡織 研究機構")) == {"tw-lab"}


def test_a_short_answer_is_widened_to_neighbouring_concepts(orgs):
    found = ids("seafood")
    assert found[:3] == sorted(found[:3]) and set(found[:3]) == {"tw-sea-0", "tw-sea-1", "tw-sea-2"}
    assert found[3:] == ["eu-farm"]  # fish farming: aquaculture, found beside frozen seafood


def test_a_kind_found_by_its_tag_is_named_in_the_reasons(orgs):
    page = selectors.organisation_search(q="公協會", filters=DirectoryFilters(), language="zh-hant")
    reasons = {f.organisation.external_id: " ".join(f.explanation) for f in page.items}
    assert "產業公會" in reasons["eu-assoc"]
