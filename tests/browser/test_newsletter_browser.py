"""Issue 15: a visitor subscribes in Chinese, confirms from the e-mail (read back from a real SMTP
server), receives the digest and unsubscribes from its link."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from clusterbridge.publishing.models import Subscription
from tests.publishing.test_newsletter import _post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LINK = re.compile(r"http://\S+")


def test_a_visitor_subscribes_in_chinese_confirms_and_unsubscribes(page, live_server, smtp_server, settings):
    settings.SITE_URL = live_server.url
    base = live_server.url
    page.goto(base + "/news/")
    page.get_by_role("button", name="中文").click()
    page.wait_for_url("**/zh-hant/news/")
    page.get_by_role("link", name="以電子郵件收取每週摘要").click()
    page.get_by_label("電子郵件地址").fill("lin@example.tw")
    assert page.get_by_label("每週摘要").is_checked()
    page.get_by_label("我同意以電子郵件收到這些電子報").check()
    page.get_by_role("button", name="訂閱").click()
    assert "確認連結已寄出" in page.locator("main").inner_text()
    message = smtp_server.wait(1)[0]
    assert "每週摘要" in message["Subject"]
    page.goto(LINK.search(smtp_server.text(message)).group(0))
    assert "訂閱完成" in page.locator("h1").inner_text()
    sub = Subscription.objects.get(email="lin@example.tw")
    assert (sub.status, sub.language) == ("active", "zh-hant")

    _post("Smart textiles call", "智慧紡織徵求")
    out = StringIO()
    call_command("newsletter_send", "weekly-digest", stdout=out)
    assert out.getvalue().strip() == "sent 1, skipped 0"
    digest = smtp_server.wait(2)[1]
    assert "智慧紡織徵求" in digest.get_body(("plain",)).get_content()
    unsubscribe = digest["List-Unsubscribe"].strip().strip("<>")
    page.goto(unsubscribe)
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    sub.refresh_from_db()
    assert sub.status == "active"  # opening the link alone changes nothing
    page.get_by_role("button", name="取消訂閱").click()
    assert "將不再收到" in page.locator("main").inner_text()
    sub.refresh_from_db()
    assert sub.status == "unsubscribed"
