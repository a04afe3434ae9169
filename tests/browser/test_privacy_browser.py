"""People's rights in the browser (issue 17): a participant downloads the zip of her data from the
link, switches to Chinese and erases her account; a platform administrator reads the audit log."""

import io
import json
import re
import zipfile

import pytest
from django.contrib.auth import get_user_model

from clusterbridge.accounts.models import Role
from clusterbridge.privacy.models import AuditEntry, ErasureRecord
from tests.browser.pages import PASSWORD, login
from tests.factories import events as f
from tests.factories.directory import make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_participant_downloads_her_data_then_erases_her_account_in_chinese(page, live_server, smtp_server,
                                                                               settings):
    settings.SITE_URL = live_server.url
    org = make_org("fr-techtera-p", name_en="Techtera", country="FR", city="Lyon")
    mia = f.person("mia", organisation=org)
    mia.email = "mia.dupont@techtera.org"
    mia.save()
    org.contacts.create(name="Mia Dupont", email="mia.dupont@techtera.org", phone="+33 4 72 00 00 00")
    base = live_server.url

    login(page, live_server, "mia", "/")
    page.get_by_role("link", name="Your data").click()
    expect_text = page.locator("main")
    assert "memberships" in expect_text.inner_text().lower() or "Memberships" in expect_text.inner_text()
    page.get_by_role("button", name="Prepare my data export").click()
    page.get_by_role("link", name="Download (zip)").wait_for(timeout=20000)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download (zip)").click()
    with open(info.value.path(), "rb") as downloaded:
        archive = zipfile.ZipFile(io.BytesIO(downloaded.read()))
    data = json.loads(archive.read("data.json"))
    keys = {s["key"] for s in data["sections"]}
    assert {"account", "accounts.membership.user", "directory.contact.email", "privacy.signin.user"} <= keys
    # The same link came by e-mail, signed; it works only for her.
    message = smtp_server.wait(1)[0]
    assert message["To"] == "mia.dupont@techtera.org"
    link = re.search(r"http://\S+/privacy/export/\S+", smtp_server.text(message)).group(0)
    mailed = page.request.get(base + link[link.index("/privacy/"):])
    assert mailed.status == 200 and mailed.body()[:2] == b"PK"

    page.get_by_role("button", name="中文").click()
    page.wait_for_url("**/zh-hant/privacy/my-data/")
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    page.get_by_role("link", name="查看將被刪除的內容").click()
    assert "組織成員身分: 1" in page.locator("main").inner_text()
    page.get_by_label("您的密碼").fill("wrong-password")
    page.get_by_label("我了解").check()
    page.get_by_role("button", name="立即刪除我的帳號").click()
    assert "密碼不正確" in page.locator("main").inner_text()
    page.get_by_label("您的密碼").fill(PASSWORD)
    page.get_by_label("我了解").check()
    page.get_by_role("button", name="立即刪除我的帳號").click()
    page.wait_for_url("**/zh-hant/")
    assert "您的帳號已刪除" in page.locator("main").inner_text()
    user = get_user_model().objects.get(pk=mia.pk)
    assert (user.username, user.email, user.is_active) == (f"erased-{mia.pk}", "", False)
    assert ErasureRecord.objects.get().by_the_person
    page.get_by_role("button", name="English").click()
    page.wait_for_url(base + "/")
    assert page.get_by_role("link", name="Log in").is_visible()


def test_an_administrator_reads_the_audit_log_and_erases_on_request(page, live_server, smtp_server):
    org = make_org("fr-audit-b", name_en="Techtera", country="FR", city="Lyon")
    f.person("olivia", role=Role.PROGRAMME_OFFICER)
    f.person("ada", role=Role.PLATFORM_ADMIN)
    mia = f.person("mia", organisation=org)
    login(page, live_server, "olivia", f"/organisations/{org.external_id}/edit/")
    page.get_by_label("City").fill("Grenoble")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/organisations/{org.external_id}/")
    assert AuditEntry.objects.filter(actor_name="olivia", model="directory.organisation").exists()
    login(page, live_server, "ada", "/")
    page.get_by_role("link", name="Audit log").click()
    page.get_by_label("Who").fill("olivia")
    page.get_by_role("button", name="Filter").click()
    row = page.locator("table.audit tbody tr").first
    assert "Lyon → Grenoble" in row.inner_text() and "olivia" in row.inner_text()
    page.get_by_role("link", name="People's requests about their data").click()
    page.get_by_label("Name, user name or e-mail").fill("mia")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name="mia").click()
    page.get_by_label("Whose request").fill("E-mail of 2026-12-01 from Mia")
    page.get_by_label("I have checked").check()
    page.get_by_role("button", name="Erase this account").click()
    assert "The account has been erased" in page.locator("main").inner_text()
    assert get_user_model().objects.get(pk=mia.pk).username == f"erased-{mia.pk}"
    assert AuditEntry.objects.filter(action="erase", actor_name="ada").exists()
