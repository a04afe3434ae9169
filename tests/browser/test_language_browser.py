"""A visitor switches the language both ways, on any page, and stays on that page."""

import pytest

from tests.factories.directory import make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("path", ["/events/", "/organisations/?country=FR", "/cooperation/", "/icp/demand-items/"])
def test_a_visitor_switches_to_chinese_and_back_to_english(page, live_server, sectors, path):
    make_org("fr-1", name_en="Techtera", country="FR", description_en="Functional textiles")
    page.goto(live_server.url + path)
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("button", name="中文").click()
    page.wait_for_load_state()
    assert page.url == live_server.url + "/zh-hant" + path
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.url == live_server.url + path
    assert page.locator("html").get_attribute("lang") == "en"
    # And again, so that neither way depends on a cookie left from before.
    page.get_by_role("button", name="中文").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
