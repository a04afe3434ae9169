"""A visitor searches across languages in a real browser."""

import pytest

from tests.factories.directory import make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_in_chinese_searches_smart_manufacturing_and_finds_a_european_cluster(page, live_server, sectors):
    make_org("de-1", name_en="Stuttgart Machine Tool Cluster", country="DE",
             description_en="CNC machine tools, Industry 4.0, spindles and controllers")
    make_org("fr-1", name_en="Lyon Textiles", country="FR", description_en="Functional fabrics")
    make_org("tw-1", name_en="", name_zh="台中精密機械協會", country="TW", description_zh="五軸工具機、智慧製造")
    page.goto(live_server.url + "/organisations/")
    page.get_by_role("button", name="中文").click()
    page.get_by_label("關鍵字").fill("智慧製造")
    page.get_by_label("關鍵字").press("Enter")
    cards = page.locator(".card")
    assert cards.count() == 2
    europe = cards.filter(has_text="Stuttgart Machine Tool Cluster")
    assert europe.locator(".concept").first.inner_text() == "智慧製造 (smart manufacturing)"
    assert europe.locator(".snippet mark").inner_text() == "Industry 4.0"
    page.get_by_role("link", name="Stuttgart Machine Tool Cluster").click()
    partners = page.get_by_role("region", name="建議洽談的夥伴")
    assert partners.locator(".suggestion h3").all_inner_texts() == ["台中精密機械協會"]
    assert "智慧製造 (smart manufacturing)" in partners.inner_text()
