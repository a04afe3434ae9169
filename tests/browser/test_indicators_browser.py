"""Issue 20: an officer compares R&D intensity in Chinese: the chart is drawn, Taiwan's line is there,
the briefing names its rank."""

import pytest

from clusterbridge.indicators.demo import load_demo_indicators

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_comparison_chart_in_chinese(page, live_server):
    load_demo_indicators()
    page.goto(live_server.url + "/indicators/")
    page.get_by_role("button", name="中文").click()
    page.wait_for_url("**/zh-hant/indicators/")
    page.get_by_label("國家").first  # the fieldset is there
    for name in ("比利時", "義大利", "瑞典"):
        box = page.get_by_label(name, exact=True)
        if box.count() and box.is_checked():
            box.uncheck()
    page.get_by_role("button", name="比較").click()
    chart = page.locator("section.indicator svg.line-chart").first
    assert chart.get_attribute("aria-label") == "全國研發經費占 GDP 比率"
    assert chart.locator("polyline").count() >= 3
    assert "臺灣" in chart.inner_html()
    briefing = page.locator("p.briefing").first.inner_text()
    assert "臺灣的全國研發經費占 GDP 比率為" in briefing and "排名第" in briefing
    assert page.evaluate("document.documentElement.lang") == "zh-Hant"
    page.set_viewport_size({"width": 360, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_per_inhabitant_bars_and_the_one_page_briefing(page, live_server):
    load_demo_indicators()
    page.goto(live_server.url + "/indicators/")
    page.get_by_label("Indicators").select_option(["PCT_APPLICATIONS"])
    page.get_by_label("Per inhabitant").check()
    page.get_by_role("button", name="Compare").click()
    section = page.locator("section.indicator").first
    assert "per million inhabitants" in section.locator("h2").inner_text()
    bars = section.locator("svg.bar-chart")
    assert bars.locator("rect").count() >= 5  # the EU and the member states with a population
    page.get_by_role("link", name="One-page briefing").first.click()
    page.wait_for_url("**/indicators/briefing/**")
    assert page.get_by_role("button", name="Print").is_visible()
    assert "No value for Taiwan" in page.locator("article").inner_text()  # Taiwan files no PCT of its own here
    page.goto(live_server.url + "/indicators/briefing/?indicator=IMD_WCY_RANK&country=TW&country=DE")
    page.get_by_role("button", name="中文").click()
    page.wait_for_url("**/zh-hant/indicators/briefing/**")
    sheet = page.locator("article.briefing-sheet").inner_text()
    assert "臺灣在「IMD 世界競爭力排名」的表現位居何處" in sheet and "排名第 1" in sheet
    page.get_by_role("button", name="English").click()
    page.wait_for_url(lambda url: "/zh-hant/" not in url)
    assert "Where does Taiwan stand" in page.locator("article").inner_text()
    page.set_viewport_size({"width": 360, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
