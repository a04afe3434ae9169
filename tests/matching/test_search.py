"""Partner search and recommendations over the database."""

import pytest

from clusterbridge.directory.selectors import DirectoryFilters
from clusterbridge.matching import selectors
from clusterbridge.matching.models import SearchDocument
from tests.factories.directory import make_org


@pytest.fixture
def bilingual(sectors):
    make_org("tw-tmba", name_en="", name_zh="台中精密機械協會", kind="industry_association", country="TW",
             technologies="工具機", description_zh="五軸工具機、智慧製造、主軸與控制器",
             offers="五軸CNC工具機", requests="工業AI訓練資料", sectors=["28.41"])
    make_org("de-vdw", name_en="Stuttgart Machine Tool Cluster", country="DE",
             description_en="CNC machine tools, Industry 4.0, spindles and controllers",
             offers="industrial data sets for AI training", requests="five-axis machining partners",
             sectors=["28.41"])
    make_org("fr-tex", name_en="Lyon Textiles", country="FR", description_en="Functional fabrics for sportswear",
             offers="recycled fibres", sectors=["13.96"])
    make_org("de-wind", name_en="Hamburg Wind Cluster", country="DE", description_en="Offshore wind towers")
    make_org("tw-wind", name_en="", name_zh="離岸風電產業聯盟", country="TW", requests="離岸風電水下基礎與塔架")


def ids(page):
    return [f.organisation.external_id for f in page.items]


def search(q, **filters):
    return selectors.organisation_search(q=q, filters=DirectoryFilters(**filters), language="en")


def test_a_chinese_query_finds_an_english_only_profile_and_the_reverse(bilingual):
    assert "de-vdw" in ids(search("智慧製造"))
    assert "tw-tmba" in ids(search("smart manufacturing"))
    assert set(ids(search("離岸風電"))) == {"tw-wind", "de-wind"}
    assert set(ids(search("offshore wind"))) == {"tw-wind", "de-wind"}


def test_a_simplified_query_finds_traditional_profiles(bilingual):
    assert ids(search("主轴与控制器"))[:2] == ["tw-tmba", "de-vdw"]


def test_explanations_name_the_shared_concepts(bilingual):
    page = search("智慧製造 主軸")
    found = {f.organisation.external_id: f.explanation for f in page.items}
    assert found["de-vdw"] == ["smart manufacturing (智慧製造)", "spindles (主軸)"]
    zh = selectors.organisation_search(q="spindles", filters=DirectoryFilters(), language="zh-hant")
    assert [f.explanation for f in zh.items] == [["主軸 (spindles)"], ["主軸 (spindles)"]]


def test_filters_combine_with_ranking(bilingual):
    assert ids(search("machine tools", country="TW")) == ["tw-tmba"]
    assert ids(search("machine tools", sector="28")) == ["de-vdw", "tw-tmba"] or \
        set(ids(search("machine tools", sector="28"))) == {"de-vdw", "tw-tmba"}
    assert ids(search("machine tools", sector="13")) == []


def test_typos_in_latin_script_are_repaired(bilingual):
    page = search("spindels")
    assert page.corrected == "spindles" and set(ids(page)) == {"tw-tmba", "de-vdw"}
    assert search("sportswaer").corrected == "sportswear"
    assert search("spindles").corrected is None


def test_empty_very_long_and_symbol_only_queries(bilingual):
    assert search("").items == [] and search("%%% ？？ ---").items == []
    long = search("machine tools " * 400)
    assert ids(long)[:1] == ["de-vdw"] and long.total == 2


def test_profile_edits_reach_the_index(bilingual, django_capture_on_commit_callbacks):
    from clusterbridge.directory.models import Organisation
    from clusterbridge.directory.services import organisation_update

    assert "fr-tex" not in ids(search("hydrogen"))
    org = Organisation.objects.get(external_id="fr-tex")
    with django_capture_on_commit_callbacks(execute=True):
        organisation_update(organisation=org, data={"description_en": "Fuel cells for trucks"})
    assert SearchDocument.objects.get(organisation=org).source_updated == Organisation.objects.get(id=org.id).updated_at
    assert ids(search("燃料電池")) == ["fr-tex"]
    with django_capture_on_commit_callbacks(execute=True):
        organisation_update(organisation=org, data={"published": False})
    assert ids(search("燃料電池")) == []


def test_cooperation_board_offers_count_for_search_and_recommendations(bilingual, django_capture_on_commit_callbacks):
    from clusterbridge.directory.cooperation import cooperation_profile_save
    from clusterbridge.directory.models import CooperationProfile, Organisation

    org = Organisation.objects.get(external_id="fr-tex")
    with django_capture_on_commit_callbacks(execute=True):
        cooperation_profile_save(organisation=org, data={
            "kind": "technology_offer", "title_en": "Hydrogen electrolyser membranes",
            "status": CooperationProfile.Status.PUBLISHED})
    assert ids(search("電解槽")) == ["fr-tex"]


def test_recommendations_are_complementary_and_say_why(bilingual):
    from clusterbridge.directory.models import Organisation

    tw = Organisation.objects.get(external_id="tw-tmba")
    found = selectors.recommendations(organisation=tw, language="en")
    assert found[0].organisation.external_id == "de-vdw"
    they_offer = [r for r in found[0].reasons if r["kind"] == "they_offer"]
    assert they_offer[0]["mine"] == "工業AI訓練資料"
    assert they_offer[0]["theirs"] == "industrial data sets for AI training"
    they_request = [r for r in found[0].reasons if r["kind"] == "they_request"]
    assert they_request[0]["theirs"] == "five-axis machining partners" and they_request[0]["mine"] == "五軸CNC工具機"
    # Only among some organisations (an event's participants).
    among = selectors.recommendations(organisation=tw, among=[Organisation.objects.get(external_id="fr-tex").id])
    assert [s.organisation.external_id for s in among] in ([], ["fr-tex"])


def test_similar_organisations_share_concepts_and_sectors(bilingual):
    from clusterbridge.directory.models import Organisation

    wind = Organisation.objects.get(external_id="de-wind")
    similar = selectors.similar_organisations(organisation=wind, language="en")
    assert similar[0].organisation.external_id == "tw-wind"
    assert "offshore wind (離岸風電)" in similar[0].reasons[0]["concept"]


def test_the_profile_page_shows_partners_and_similar_organisations(client, bilingual):
    html = client.get("/organisations/tw-tmba/").content.decode()
    assert "Partners to meet" in html and "Stuttgart Machine Tool Cluster" in html
    assert "industrial data sets for AI training" in html


def test_the_directory_page_ranks_explains_and_counts_facets(client, bilingual):
    response = client.get("/organisations/", {"q": "smart manufacturing"})
    assert [f.organisation.external_id for f in response.context["page"]][:2] == ["de-vdw", "tw-tmba"]
    facets = dict((v, n) for v, _, n in response.context["facets"]["country"])
    assert facets == {"DE": 1, "TW": 1}
    html = response.content.decode()
    assert '<span class="concept">smart manufacturing (智慧製造)</span>' in html
    assert "<mark>Industry 4.0</mark>" in html
    by_name = client.get("/organisations/", {"q": "smart manufacturing", "sort": "name"})
    assert [o.external_id for o in by_name.context["page"]] == ["tw-tmba", "de-vdw"] or \
        len(list(by_name.context["page"])) == 2


def test_the_index_rebuilds_with_one_command(bilingual, capsys):
    from django.core.management import call_command

    SearchDocument.objects.all().delete()
    call_command("rebuild_search_index")
    assert SearchDocument.objects.count() == 5
    assert "5 organisations analysed" in capsys.readouterr().out


def test_large_refreshes_analyse_in_worker_processes_with_the_same_result(bilingual, monkeypatch, settings):
    from clusterbridge.matching import services

    fields = ("organisation_id", "words", "concepts", "offers", "requests", "spelling")
    assert services.search_documents_refresh(everything=True) == 5  # in this process
    alone = sorted(SearchDocument.objects.values_list(*fields))
    monkeypatch.setattr(services, "PARALLEL_FROM", 1)
    settings.SEARCH_ANALYSIS_PROCESSES = 2
    assert services.search_documents_refresh(everything=True) == 5
    assert sorted(SearchDocument.objects.values_list(*fields)) == alone


def test_the_cooperation_board_is_searched_across_languages(client, bilingual, django_capture_on_commit_callbacks):
    from clusterbridge.directory.cooperation import cooperation_profile_save
    from clusterbridge.directory.models import CooperationProfile, Organisation

    published = CooperationProfile.Status.PUBLISHED
    with django_capture_on_commit_callbacks(execute=True):
        cooperation_profile_save(organisation=Organisation.objects.get(external_id="tw-wind"), data={
            "kind": "business_request", "title_zh": "徵求離岸風電水下基礎合作夥伴", "status": published})
        cooperation_profile_save(organisation=Organisation.objects.get(external_id="fr-tex"), data={
            "kind": "technology_offer", "title_en": "Recycled polyester yarns", "status": published})
    response = client.get("/cooperation/", {"q": "offshore wind foundations"})
    items = list(response.context["page"])
    assert [i.profile.title_zh for i in items] == ["徵求離岸風電水下基礎合作夥伴"]
    assert items[0].explanation[:2] == ["offshore wind (離岸風電)", "offshore foundations (水下基礎)"]
    assert list(client.get("/cooperation/", {"q": "回收纖維"}).context["page"])[0].profile.title_en == \
        "Recycled polyester yarns"
    assert list(client.get("/cooperation/", {"q": "回收纖維", "kind": "business_request"}).context["page"]) == []


@pytest.mark.django_db(transaction=True)
def test_large_indexes_are_rebuilt_beside_the_requests(bilingual, monkeypatch, django_capture_on_commit_callbacks):
    """Above SYNC_REBUILD_LIMIT a changed directory is served from the previous
    index until a thread has built the new one."""
    import time

    from clusterbridge.directory.models import Organisation
    from clusterbridge.directory.services import organisation_update

    monkeypatch.setattr(selectors, "_STATE", {})  # no index left from another test
    old = selectors.search_index()  # the first one is built in the request
    monkeypatch.setattr(selectors, "SYNC_REBUILD_LIMIT", 0)
    org = Organisation.objects.get(external_id="fr-tex")
    with django_capture_on_commit_callbacks(execute=True):
        organisation_update(organisation=org, data={"description_en": "Fuel cells for trucks"})
    assert selectors.search_index() is old  # still answering, from the previous index
    for _ in range(100):
        if selectors.search_index() is not old:
            break
        time.sleep(0.05)
    assert ids(search("燃料電池")) == ["fr-tex"]


def test_the_partners_api_gives_reasons_in_the_asked_language(client, bilingual):
    body = client.get("/api/v1/organisations/tw-tmba/partners", {"limit": 3}).json()
    assert body[0]["external_id"] == "de-vdw"
    first = body[0]["reasons"][0]
    assert first == {"kind": "they_offer", "concept": "artificial intelligence (人工智慧)", "mine": "工業AI訓練資料",
                     "theirs": "industrial data sets for AI training"}
    zh = client.get("/api/v1/organisations/tw-tmba/partners", {"lang": "zh-hant"}).json()
    assert zh[0]["reasons"][0]["concept"] == "人工智慧 (artificial intelligence)"
    assert client.get("/api/v1/organisations/nobody/partners").status_code == 404


def test_an_explanation_names_the_widest_concept_once(bilingual):
    found = {f.organisation.external_id: f.explanation for f in search("offshore wind").items}
    assert found["de-wind"] == ["offshore wind (離岸風電)"]  # not also "wind energy" for the word "wind"
    simplified = {f.organisation.external_id: f.explanation for f in search("离岸风电").items}
    assert simplified["tw-wind"] == ["offshore wind (離岸風電)"]  # the typed word is not repeated


def test_the_directory_page_title_is_plain_and_the_folding_script_comes_from_the_site(client, bilingual):
    import re
    from pathlib import Path

    import clusterbridge

    html = client.get("/organisations/").content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "<" not in title and title.startswith("Directory")
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None  # no inline script: the CSP allows none
    assert "clusterbridge/site.js" in html
    site_js = Path(clusterbridge.__file__).parent / "static" / "clusterbridge" / "site.js"
    assert site_js.read_text().count('getElementById("more-filters")') == 1


def test_a_deleted_organisation_leaves_the_index(bilingual, django_capture_on_commit_callbacks):
    from clusterbridge.directory.models import Organisation

    assert search("offshore wind").total == 2
    with django_capture_on_commit_callbacks(execute=True):
        Organisation.objects.get(external_id="de-wind").delete()
    page = search("offshore wind")
    assert page.total == 1 and ids(page) == ["tw-wind"]
