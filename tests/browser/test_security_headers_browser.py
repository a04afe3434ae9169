"""The pages run under the site's Content-Security-Policy: no inline script, every script and style
from the site, and nothing the browser had to block."""

import pytest

from clusterbridge.accounts.models import Role
from tests.browser.pages import login
from tests.factories import events as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_page_needs_what_the_policy_blocks(page, live_server):
    officer = f.person("officer", role=Role.PROGRAMME_OFFICER)
    f.event(officer, slug="lyon")
    blocked = []
    page.on("console", lambda message: blocked.append(message.text)
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text else None)
    page.set_viewport_size({"width": 360, "height": 800})
    response = page.goto(f"{live_server.url}/organisations/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "camera=()" in response.headers["permissions-policy"]
    assert page.locator("#more-filters").get_attribute("open") is None  # site.js folded the filters on a phone
    page.get_by_role("button", name="Menu").click()  # the menu button is site.js's too
    assert page.get_by_role("link", name="Events").is_visible()
    login(page, live_server, "officer", "/events/lyon/organise/")
    for path in ("/events/lyon/", "/outcomes/report/", "/events/new/", "/"):
        page.goto(f"{live_server.url}{path}")
    assert blocked == []
