"""Issue "what people saw", item 8: a person signs up (the confirmation link read back from a real
SMTP server), asks to join their organisation, a member approves and invites a colleague, who signs
up from the invitation and is a member at once; officers hear of new organisations."""

import re

import pytest
from django.contrib.auth import get_user_model

from clusterbridge.accounts.models import Membership, Role
from clusterbridge.directory.models import JoinRequest, Organisation
from tests.factories import events as f
from tests.factories.directory import make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LINK = re.compile(r"http://\S+")


def _link(smtp_server, message) -> str:
    return LINK.search(smtp_server.text(message)).group(0)


def _sign_up(page, base, name, email, username):
    page.get_by_label("Your name").fill(name)
    page.get_by_label("E-mail address", exact=True).fill(email)
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password", exact=True).fill("textiles-in-lyon-2027")
    page.get_by_label("I agree").check()
    page.get_by_role("button", name="Sign up").click()


def test_sign_up_join_approve_and_invite_a_colleague(page, live_server, smtp_server, settings, sectors):
    settings.SITE_URL = live_server.url
    techtera = make_org("fr-techtera", name_en="Techtera", country="FR", city="Lyon", website="https://www.techtera.org")
    f.person("anne", organisation=techtera)
    base = live_server.url

    page.goto(base + "/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_role("button", name="Sign up").click()
    assert page.locator(".errorlist").count() >= 3  # every missing or weak field named, nothing made
    _sign_up(page, base, "Claire Martin", "claire@techtera.org", "claire")
    assert page.locator("h1").inner_text() == "Check your e-mail"
    claire = get_user_model().objects.get(username="claire")
    assert not claire.is_active
    (mail,) = smtp_server.wait(1)
    assert mail["To"] == "claire@techtera.org" and "Confirm your e-mail address" in mail["Subject"]
    page.goto(_link(smtp_server, mail))
    assert page.locator(".message").inner_text() == "Your e-mail address is confirmed and you are signed in."
    assert page.locator("h1").inner_text() == "My organisation"

    page.get_by_label("Organisation name").fill("Techtera")
    page.get_by_role("button", name="Find").click()
    page.get_by_label("Message to its members (optional)").fill("I run the smart textiles working group.")
    page.get_by_role("button", name="Ask to join").click()
    assert "Your request is sent" in page.locator(".message").inner_text()
    assert JoinRequest.objects.get(user=claire).domain_matches

    page.context.clear_cookies()
    page.goto(base + "/accounts/login/?next=/my-organisation/")
    page.get_by_label("User name").fill("anne")
    page.get_by_label("Password", exact=True).fill("a-long-password-1")
    page.get_by_role("button", name="Log in").click()
    request_card = page.locator(".card", has_text="Claire Martin")
    assert "e-mail domain is the organisation's website's" in request_card.inner_text()
    request_card.get_by_role("button", name="Approve").click()
    assert Membership.objects.filter(user=claire, organisation=techtera).exists()

    smtp_server.messages.clear()
    page.get_by_label("Invite a colleague (e-mail)").fill("dora@techtera.org")
    page.get_by_role("button", name="Send the invitation").click()
    (invitation,) = smtp_server.wait(1)
    assert invitation["To"] == "dora@techtera.org" and "Techtera" in invitation["Subject"]
    page.context.clear_cookies()
    page.goto(_link(smtp_server, invitation))
    page.get_by_role("link", name="Make an account").click()
    assert page.get_by_label("E-mail address", exact=True).input_value() == "dora@techtera.org"
    smtp_server.messages.clear()
    _sign_up(page, base, "Dora Petit", "dora@techtera.org", "dora")
    page.goto(_link(smtp_server, smtp_server.wait(1)[0]))
    page.get_by_role("button", name="Accept the invitation").click()
    assert "You are a member of Techtera" in page.locator(".message").inner_text()
    assert Membership.objects.filter(user__username="dora", organisation=techtera).exists()


def test_a_new_organisation_waits_for_an_officer_in_chinese(page, live_server, smtp_server, settings, sectors):
    settings.SITE_URL = live_server.url
    f.person("officer", role=Role.PROGRAMME_OFFICER)
    page.goto(live_server.url + "/zh-hant/accounts/sign-up/")
    page.get_by_label("您的姓名", exact=True).fill("陳美玲")
    page.get_by_label("電子郵件地址", exact=True).fill("mei@tsia.org.tw")
    page.get_by_label("帳號", exact=True).fill("meiling")
    page.get_by_label("密碼", exact=True).fill("textiles-in-taipei-2027")
    page.get_by_label("我同意").check()
    page.get_by_role("button", name="註冊").click()
    (mail,) = smtp_server.wait(1)
    assert "確認" in mail["Subject"]  # the mail speaks the language the person signed up in
    link = _link(smtp_server, mail)
    assert "/zh-hant/accounts/sign-up/confirm/" in link
    page.goto(link)
    page.get_by_label("中文名稱").fill("台灣智慧紡織協會")
    page.get_by_label("類型").select_option("industry_association")
    page.get_by_label("國家").select_option("TW")
    page.get_by_role("button", name="建立簡介").click()
    org = Organisation.objects.get(name_zh="台灣智慧紡織協會")
    assert not org.published and org.memberships.get().user.username == "meiling"
    officer_notice = get_user_model().objects.get(username="officer").inbox.get()
    assert officer_notice.kind == "directory.organisation_new"
