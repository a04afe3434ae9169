"""A person's first hour with ClusterBridge (issue "what people saw"), in a real browser, in both
languages, at phone and desktop sizes: each test here failed on the main branch before the fix."""

import datetime as dt
import zoneinfo

import pytest
from django.contrib.auth import get_user_model

from clusterbridge.accounts.models import Membership, Profile, Role
from clusterbridge.directory.cooperation import cooperation_profile_save
from clusterbridge.events import services as ev_services
from clusterbridge.events.models import Event, Registration
from clusterbridge.offsets.demo import load_demo_icp
from tests.browser.pages import PASSWORD, login
from tests.factories import events as f
from tests.factories.directory import make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 780}


def _document_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.fixture
def world(sectors):
    """An officer running an open event and the ICP, a member whose organisation is not registered
    yet, and a few organisations and offers."""
    officer = f.person("officer", role=Role.PROGRAMME_OFFICER)
    techtera = make_org("fr-techtera", name_en="Techtera", country="FR", city="Lyon", sectors=["13"],
                        description_en="Functional and technical textiles cluster of Auvergne-Rhône-Alpes")
    make_org("tw-tcia", name_en="", name_zh="台灣紡織產業綜合研究所", country="TW", city="新北市",
             kind="research_centre", sectors=["13"], description_zh="機能性紡織品研發與驗證")
    member = f.person("anne", organisation=techtera)
    event = f.event(officer, slug="lyon-2099", title_en="Textile matchmaking in Lyon",
                    title_zh="里昂紡織媒合會", venue="Lyon, Cité Internationale", venue_country="FR",
                    time_zone="Europe/Paris")
    cooperation_profile_save(organisation=techtera, data={
        "kind": "technology_offer", "title_en": "Smart textile sensors for healthcare",
        "title_zh": "醫療用智慧紡織感測器", "description_en": "Washable ECG electrodes woven into shirts.",
        "expires_on": dt.date(2099, 1, 31), "status": "published"})
    load_demo_icp()
    return {"officer": officer, "member": member, "event": event, "techtera": techtera}


# 2. Every page at 360 px wide without horizontal scrolling ------------------------------------

PAGES = {
    None: ["/", "/organisations/", "/organisations/fr-techtera/", "/taxonomy/", "/cooperation/", "/events/",
           "/events/lyon-2099/", "/icp/demand-items/", "/accounts/login/", "/organisations/?q=textile",
           "/no-such-page/", "/accounts/sign-up/", "/outcomes/stories/"],
    "anne": ["/events/lyon-2099/", "/organisations/fr-techtera/edit/", "/accounts/inbox/", "/accounts/api-keys/",
             "/events/lyon-2099/agenda/", "/my-organisation/?q=tex", "/outcomes/agreements/"],
    "officer": ["/events/new/", "/events/lyon-2099/organise/", "/events/lyon-2099/organise/setup/", "/icp/",
                "/icp/agreements/", "/icp/agreements/ICP-A-2011-08/", "/icp/agreements/ICP-A-2011-08/cases/new/",
                "/icp/cases/IC-2011-053/", "/icp/meetings/", "/icp/reports/2011/", "/icp/demand-items/new/",
                "/icp/import/", "/organisations/import/", "/outcomes/report/", "/outcomes/events/lyon-2099/surveys/"],
}


def test_every_page_fits_a_phone_in_both_languages(browser, live_server, world):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    too_wide = []
    try:
        for who, paths in PAGES.items():
            if who:
                login(page, live_server, who)
            else:
                page.context.clear_cookies()
            for prefix in ("", "/zh-hant"):
                for path in paths:
                    page.goto(live_server.url + prefix + path)
                    width = _document_width(page)
                    if width > PHONE["width"]:
                        too_wide.append(f"{who or 'visitor'} {prefix + path}: {width} px")
    finally:
        context.close()
    assert too_wide == []


def test_phone_menu_folds_and_tables_read_as_cards(browser, live_server, world):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/icp/demand-items/")
        nav = page.locator("#main-nav")
        assert not nav.is_visible()
        page.get_by_role("button", name="Menu").click()
        assert nav.get_by_role("link", name="Events").is_visible()
        first_cell = page.locator("table tbody tr").first.locator("td").first
        assert first_cell.get_attribute("data-label") == "No."
        assert page.locator("table thead").bounding_box()["height"] <= 1  # headings move into each card
    finally:
        context.close()


# 4. 403, 404 and 500 in the site's layout and language, saying why and what to do ---------------

def test_refusals_and_missing_pages_say_why_in_the_site_layout(page, live_server, world, mailoutbox):
    event, member = world["event"], world["member"]
    login(page, live_server, "anne", "/events/lyon-2099/agenda/")
    assert page.locator("h1").inner_text() == "This page is not open to you"
    assert "you have not registered" in page.locator(".reason").inner_text()
    page.get_by_role("link", name="Register for the event").click()
    assert page.url.endswith("/events/lyon-2099/")
    page.get_by_role("button", name="Register").click()
    page.goto(live_server.url + "/events/lyon-2099/participants/")
    assert "waiting for the organisers' approval" in page.locator(".reason").inner_text()
    assert page.get_by_role("navigation", name="Main").count() == 1  # the site's layout, not a bare page
    page.get_by_role("button", name="中文").click()
    assert page.locator("h1").inner_text() == "您無權瀏覽此頁面"
    assert "等待主辦單位核准" in page.locator(".reason").inner_text()
    response = page.goto(live_server.url + "/zh-hant/organisations/no-such-org/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "找不到這個頁面"
    page.get_by_label("搜尋組織").fill("Techtera")
    page.get_by_role("button", name="搜尋").click()
    assert "Techtera" in page.locator("main").inner_text()
    assert Registration.objects.get(person=member, event=event).status == Registration.Status.PENDING


def test_a_colleague_sees_the_organisations_agenda(page, live_server, world, mailoutbox):
    event, officer, techtera = world["event"], world["officer"], world["techtera"]
    registration = ev_services.registration_create(event=event, organisation=techtera, person=world["member"])
    ev_services.registration_decide(registration=registration, approve=True, by=officer)
    colleague = get_user_model().objects.create_user("bruno", password=PASSWORD)
    Profile.objects.create(user=colleague, role=Role.MEMBER)
    Membership.objects.create(user=colleague, organisation=techtera)
    login(page, live_server, "bruno", "/events/lyon-2099/agenda/")
    assert page.locator("h1").inner_text() == "My agenda · Techtera"


# 5. The agenda tells unavailable from free, and times follow the venue's zone ------------------

def test_agenda_marks_unavailable_slots_and_times_carry_the_venue_zone(page, live_server, world, mailoutbox):
    event, officer, techtera = world["event"], world["officer"], world["techtera"]
    slots = list(event.slots.all())
    mine = ev_services.registration_create(event=event, organisation=techtera, person=world["member"],
                                           unavailable=slots[:2])
    ev_services.registration_decide(registration=mine, approve=True, by=officer)
    login(page, live_server, "anne", "/events/lyon-2099/agenda/")
    rows = page.locator("#agenda tbody tr")
    assert "not available" in rows.nth(0).inner_text() and "free" not in rows.nth(0).inner_text()
    assert "free" in rows.nth(2).inner_text()
    assert "CEST" in rows.nth(0).inner_text()  # 5 June in Lyon
    page.get_by_role("button", name="中文").click()
    assert "無法出席" in page.locator("#agenda tbody tr").nth(1).inner_text()
    assert page.locator("h1").inner_text() == "我的行程 · Techtera"


def test_a_new_event_takes_its_zone_from_the_venue_and_warns_when_told_otherwise(page, live_server, world):
    login(page, live_server, "officer", "/events/new/")
    for slug, zone in (("lyon-2100", ""), ("lyon-2101", "Asia/Taipei")):
        page.goto(live_server.url + "/events/new/")
        page.get_by_label("Title (English)").fill("Auto parts B2B, Lyon")
        page.get_by_label("Web address").fill(slug)
        page.get_by_label("Business to business (B2B)").check()
        page.get_by_label("Venue", exact=True).fill("Eurexpo Lyon")
        page.get_by_label("Venue's country").select_option("FR")
        if zone:
            page.get_by_label("Time zone").select_option(zone)
        page.get_by_label("Registration opens").fill("2099-03-01T09:00")
        page.get_by_label("Registration and requests close").fill("2099-03-20T18:00")
        page.locator("#id_sessions-0-name").fill("Morning")
        page.locator("#id_sessions-0-starts_at").fill("2099-03-24T09:00")
        page.locator("#id_sessions-0-slot_count").fill("6")
        page.get_by_role("button", name="Create event").click()
        page.wait_for_load_state()
    first, second = Event.objects.get(slug="lyon-2100"), Event.objects.get(slug="lyon-2101")
    assert first.time_zone == "Europe/Paris"
    assert first.sessions.get().starts_at == dt.datetime(2099, 3, 24, 9, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
    assert second.time_zone == "Asia/Taipei"
    assert "kept in Asia/Taipei, but its venue is in France (Europe/Paris)" in page.locator(".message.warning").inner_text()
    assert "but its venue is in Europe/Paris" in page.locator("p.warning[role=note]").inner_text()  # stays there


# 6. One figure, one format; tables that fit ----------------------------------------------------

def test_icp_report_fits_the_desktop_and_speaks_the_readers_language(page, live_server, world):
    login(page, live_server, "officer", "/icp/reports/2011/")
    for prefix, rounded in (("", "about 471 million"), ("/zh-hant", "約 4.71 億")):
        page.goto(f"{live_server.url}{prefix}/icp/reports/2011/")
        report = page.locator("table.report")
        wrap = page.locator(".table-wrap").first
        assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth")  # no column cut off
        heights = report.locator("tbody tr").evaluate_all("rows => rows.map(r => r.getBoundingClientRect().height)")
        assert max(heights[:3]) < 40  # one line per meeting
        assert rounded in page.locator("main").inner_text()
        assert "億" not in page.locator("main").inner_text() or prefix
        assert ".04" not in page.locator("main").inner_text()  # whole points on every figure


# 11. A home page that shows what is happening, and a favicon -----------------------------------

def test_home_page_shows_upcoming_events_and_offers_in_the_visitors_language(page, live_server, world):
    page.goto(live_server.url + "/")
    assert "Textile matchmaking in Lyon" in page.locator("#upcoming-title + ul").inner_text()
    assert page.locator("#upcoming-title + ul time").first.get_attribute("datetime") == "2099-06-05"
    assert "Smart textile sensors for healthcare" in page.locator("#board-title + ul").inner_text()
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(live_server.url + icon).status == 200
    assert page.request.get(live_server.url + "/favicon.ico").status == 200
    page.get_by_role("button", name="中文").click()
    assert "里昂紡織媒合會" in page.locator("#upcoming-title + ul").inner_text()
    assert page.locator("#upcoming-title").inner_text() == "近期活動"


# 7. No repeated partners or reasons; a profile editor with lists; offers with their dates -------

def test_suggestions_name_each_partner_and_reason_once(page, live_server, sectors):
    make_org("tw-tmba", name_en="Taiwan Machine Tool Association", country="TW", sectors=["28"],
             description_en="Machine tool builders", offers="CNC machine tools\nsmart machinery retrofits",
             requests="industrial AI training data\nEuropean distributors of machine tools")
    for external_id in ("dk-1", "dk-2"):  # the same cluster, recorded twice
        make_org(external_id, name_en="Copenhagen Machine Tool Cluster", country="DK", sectors=["28"],
                 description_en="Machine tools, CNC and industrial AI",
                 offers="industrial data sets for AI training", requests="smart machinery retrofits")
    make_org("de-vdw", name_en="Stuttgart Machine Tool Cluster", country="DE", sectors=["28"],
             description_en="CNC machine tools, spindles, industrial AI", offers="industrial AI training data sets")
    page.goto(live_server.url + "/organisations/tw-tmba/")
    for section in page.locator("section:has(.suggestions)").all():
        names = section.locator(".suggestion h3").all_inner_texts()
        assert len(names) == len(set(names)), names
        for card in section.locator(".suggestion").all():
            reasons = card.locator(".reason").all_inner_texts()
            assert len(reasons) == len(set(reasons)), reasons
    assert page.locator(".suggestion h3", has_text="Copenhagen Machine Tool Cluster").count() >= 1


def test_profile_editor_chooses_country_and_sectors_from_lists(page, live_server, world):
    login(page, live_server, "anne", "/organisations/fr-techtera/edit/")
    country = page.get_by_label("Country", exact=True)
    assert country.locator("option[value=XX]").count() == 0
    assert country.input_value() == "FR"
    assert page.locator("#id_sectors_helptext").is_visible()  # help text shown, tied to the list
    filter_box = page.get_by_label("Sectors (NACE Rev. 2): filter")
    filter_box.fill("紡織")  # Chinese words find the English labels
    visible = page.locator("#id_sectors option:not([hidden])").all_inner_texts()
    assert "13 Manufacture of textiles" in visible and "46.41 Wholesale of textiles" in visible
    assert not any(text.startswith("26") for text in visible)
    page.locator("#id_sectors").select_option(["13", "13.96"])
    page.get_by_role("button", name="Save").click()
    assert page.locator(".message").inner_text() == "The profile is saved."
    assert sorted(world["techtera"].sectors.values_list("code", flat=True)) == ["13", "13.96"]


def test_the_cooperation_board_shows_when_an_offer_was_posted_and_until_when(page, live_server, world):
    page.goto(live_server.url + "/cooperation/")
    meta = page.locator(".card", has_text="Smart textile sensors").inner_text()
    assert "until 2099-01-31" in meta and "posted 20" in meta
    page.get_by_role("button", name="中文").click()
    assert "至 2099-01-31" in page.locator(".card", has_text="醫療用智慧紡織感測器").inner_text()


# 12. Partners abroad: a Taiwanese member searching in Chinese sees European organisations -------

def test_a_taiwanese_member_sees_partners_abroad_first(page, live_server, sectors):
    for n in range(30):
        make_org(f"tw-{n}", name_en="", name_zh=f"台灣紡織廠{n:02d}", country="TW", sectors=["13"],
                 description_zh="機能性紡織品製造")
    make_org("fr-techtera", name_en="Techtera", country="FR", sectors=["13"],
             description_en="Functional textiles cluster")
    make_org("be-fedustria", name_en="Fedustria", country="BE", sectors=["13"], description_en="Textile industry")
    home = make_org("tw-home", name_en="", name_zh="台灣智慧紡織協會", country="TW", sectors=["13"])
    f.person("mei", organisation=home)
    login(page, live_server, "mei", "/organisations/")
    page.get_by_role("button", name="中文").click()
    page.get_by_label("關鍵字").fill("紡織")
    page.get_by_label("關鍵字").press("Enter")
    names = page.locator(".card h2").all_inner_texts()
    assert {n.split(" (")[0] for n in names} == {"Techtera", "Fedustria"}
    assert "歐洲" in page.locator(".notice").inner_text()
    page.get_by_role("link", name="顯示所有國家（另有 31 個）").click()
    assert page.locator(".card").count() > 2
    page.get_by_label("地區").select_option("europe")
    page.get_by_role("button", name="套用").click()
    assert page.locator(".card").count() == 2


# 3. Chinese pages name cities and technologies in Chinese ----------------------------------------

def test_cities_and_technologies_follow_the_readers_language(page, live_server, sectors):
    from clusterbridge.directory.models import Technology

    make_org("fr-techtera", name_en="Techtera", country="FR", city="Lyon", technologies="smart textiles")
    make_org("tw-tcia", name_en="Taiwan Textile Research Institute", name_zh="紡織產業綜合研究所", country="TW",
             city="新北市")
    tag = Technology.objects.get(organisations__external_id="fr-techtera")
    page.goto(live_server.url + "/zh-hant/organisations/fr-techtera/")
    assert "法國里昂" in page.locator(".meta").first.inner_text()
    assert page.locator("section .tags .tag").first.inner_text() == tag.label_zh
    page.goto(live_server.url + "/organisations/tw-tcia/")
    assert "New Taipei City, Taiwan" in page.locator(".meta").first.inner_text()


# 9. Profiles people can keep up: logo, contacts, ecosystems ---------------------------------------

def test_a_member_keeps_the_profile_up_with_logo_contacts_and_lists(page, live_server, world, tmp_path):
    from PIL import Image

    big = tmp_path / "logo.png"
    Image.new("RGB", (1200, 600), (11, 79, 138)).save(big)
    fake = tmp_path / "logo.jpg"
    fake.write_bytes(b"MZ\x90\x00 this is not an image")
    login(page, live_server, "anne", "/organisations/fr-techtera/edit/")
    page.get_by_label("Logo", exact=True).set_input_files(str(fake))
    page.get_by_role("button", name="Save").click()
    assert "not an image we can read" in page.locator(".errorlist").first.inner_text()
    page.get_by_label("Logo", exact=True).set_input_files(str(big))
    page.get_by_label("Name 1").fill("Claire Martin")
    page.get_by_label("Role 1").fill("Head of international projects")
    page.get_by_label("E-mail 1").fill("claire.martin@techtera.org")
    page.get_by_label("Show publicly (the person agreed)").first.check()
    page.get_by_label("Industrial ecosystems (EU): filter").fill("紡織")
    page.locator("#id_ecosystems option:not([hidden])").first.click()
    page.get_by_role("button", name="Save").click()
    assert page.locator(".message").inner_text() == "The profile is saved."
    logo = page.locator("img.logo")
    page.wait_for_function("() => { const i = document.querySelector('img.logo'); return i && i.complete; }")
    assert logo.evaluate("img => img.complete && img.naturalWidth") == 400  # re-encoded, bounded
    techtera = world["techtera"]
    techtera.refresh_from_db()
    contact = techtera.contacts.get()
    assert contact.public and contact.consent_at is not None
    assert techtera.ecosystems.count() == 1
    page.context.clear_cookies()
    page.goto(live_server.url + "/organisations/fr-techtera/")
    assert "claire.martin@techtera.org" in page.locator("main").inner_text()  # public, with consent
