"""A visitor and a member use the directory in a real browser."""

import pytest
from django.contrib.auth import get_user_model

from clusterbridge.accounts.models import Membership, Profile, Role
from tests.factories.directory import make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def directory(sectors):
    make_org("tw-1", name_en="", name_zh="台灣電路板協會", kind="industry_association", country="TW",
             sectors=["26"], description_zh="高密度互連電路板")
    make_org("de-1", name_en="Silicon Saxony", country="DE", sectors=["26"], description_en="Microelectronics")
    make_org("fr-1", name_en="Techtera", country="FR", sectors=["13"], description_en="Technical textiles")


def test_visitor_switches_to_chinese_filters_and_opens_an_organisation(page, live_server, directory):
    page.goto(live_server.url + "/organisations/")
    page.get_by_role("button", name="中文").click()
    assert page.locator("h1").inner_text() == "名錄"
    page.get_by_label("國家").select_option("DE")
    page.get_by_label("產業", exact=True).select_option("C")
    page.get_by_role("button", name="套用").click()
    assert page.locator(".card h2").all_inner_texts() == ["Silicon Saxony (僅有英文)"]
    page.get_by_role("link", name="Silicon Saxony").click()
    assert "德國" in page.locator(".meta").inner_text()
    assert "26 電腦、電子產品及光學製品製造業" in page.locator("article").inner_text()


def test_member_logs_in_and_edits_the_profile_in_both_languages(page, live_server, directory):
    user = get_user_model().objects.create_user("member", password="a-long-password-1")
    Profile.objects.create(user=user, role=Role.MEMBER)
    from clusterbridge.directory.models import Organisation

    Membership.objects.create(user=user, organisation=Organisation.objects.get(external_id="fr-1"))
    page.goto(live_server.url + "/accounts/login/?next=/organisations/fr-1/")
    page.get_by_label("User name").fill("member")
    page.get_by_label("Password").fill("a-long-password-1")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Edit profile").click()
    page.get_by_label("Name in Chinese").fill("法國機能紡織聚落")
    page.get_by_label("Description in Chinese").fill("機能性紡織品與回收纖維")
    page.get_by_label("What you offer (one per line)").fill("smart textiles for sportswear")
    page.get_by_role("button", name="Save").click()
    assert page.locator(".message").inner_text() == "The profile is saved."
    assert page.locator(".other-name").inner_text() == "法國機能紡織聚落"
    page.get_by_role("button", name="中文").click()
    assert page.locator("h1").inner_text() == "法國機能紡織聚落"
    assert "smart textiles for sportswear" in page.locator("article").inner_text()
