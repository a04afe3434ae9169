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
