"""Issue "what people saw", item 10: events that read like events. An organiser writes the event's
page as a draft, publishes it, approves several registrations at once with a capacity that puts
the last on a waiting list, and the list moves up when someone withdraws; participants say who comes
and what they seek; tables say where they stand."""

import pytest

from clusterbridge.accounts.models import Role
from clusterbridge.events import services as s
from clusterbridge.events.models import Event, Registration
from tests.browser.pages import login
from tests.factories import events as f
from tests.factories.directory import make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_draft_page_publish_bulk_approval_and_waiting_list(page, live_server, mailoutbox, tmp_path):
    from PIL import Image

    banner = tmp_path / "banner.jpg"
    Image.new("RGB", (1600, 400), (11, 79, 138)).save(banner)
    f.person("organiser", role=Role.PROGRAMME_OFFICER)
    login(page, live_server, "organiser", "/events/new/")
    page.get_by_label("Title (English)").fill("Smart textiles matchmaking")
    page.get_by_label("Title (Chinese)").fill("智慧紡織媒合會")
    page.get_by_label("Web address").fill("textiles-2099")
    page.get_by_label("Cluster to cluster (C2C)").check()
    page.get_by_label("About the event (English)").fill("Clusters of Taiwan and Auvergne-Rhône-Alpes meet.")
    page.get_by_label("About the event (Chinese)").fill("臺灣與法國奧弗涅-隆河-阿爾卑斯的聚落相見。")
    page.get_by_label("Programme (English)").fill("09:30 Welcome\n10:00 Pitches\n14:00 One-to-one meetings")
    page.get_by_label("Organiser contact").fill("Claire Martin, events@techtera.org")
    page.get_by_label("Logo or banner").set_input_files(str(banner))
    page.get_by_label("Places (approved participants at most)").fill("2")
    page.get_by_label("Venue", exact=True).fill("Cité Internationale, Lyon")
    page.get_by_label("Map link").fill("https://www.openstreetmap.org/?mlat=45.78&mlon=4.85")
    page.get_by_label("Venue's country").select_option("FR")
    page.get_by_label("Registration opens").fill("2020-01-01T09:00")
    page.get_by_label("Registration and requests close").fill("2099-03-20T18:00")
    page.locator("#id_sessions-0-name").fill("Afternoon")
    page.locator("#id_sessions-0-starts_at").fill("2099-03-24T14:00")
    page.locator("#id_sessions-0-slot_count").fill("6")
    page.get_by_role("button", name="Create event").click()
    assert "Draft: only the organisers see this event" in page.locator("p.warning, form.warning").first.inner_text()
    event = Event.objects.get(slug="textiles-2099")
    assert event.status == Event.Status.DRAFT and event.capacity == 2

    visitor = page.context.browser.new_page()
    assert visitor.goto(live_server.url + "/events/textiles-2099/").status == 404
    visitor.goto(live_server.url + "/events/")
    assert "Smart textiles matchmaking" not in visitor.locator("main").inner_text()
    page.get_by_role("button", name="Publish the event").click()
    visitor.goto(live_server.url + "/events/")
    assert "Smart textiles matchmaking" in visitor.locator("main").inner_text()
    visitor.goto(live_server.url + "/events/textiles-2099/")
    assert "Auvergne-Rhône-Alpes" in visitor.locator(".event-about").inner_text()
    assert visitor.locator(".programme li").all_inner_texts() == ["09:30 Welcome", "10:00 Pitches",
                                                                  "14:00 One-to-one meetings"]
    assert visitor.get_by_role("link", name="map").get_attribute("href").startswith("https://www.openstreetmap.org/")
    assert "2 places left" in visitor.locator("main").inner_text()
    assert visitor.locator("img.logo").evaluate("img => img.complete && img.naturalWidth") == 400
    visitor.get_by_role("button", name="中文").click()
    assert "聚落相見" in visitor.locator(".event-about").inner_text()
    visitor.close()

    event.refresh_from_db()
    regs = []
    for n, (name, country) in enumerate((("Techtera", "FR"), ("TTRI", "TW"), ("Fedustria", "BE"))):
        org = make_org(f"o-{n}", name_en=name, country=country)
        person = f.person(f"p{n}", organisation=org)
        regs.append(s.registration_create(event=event, organisation=org, person=person,
                                          attendee_role="Innovation manager", seeking="Partners for smart PPE"))
    page.reload()
    assert "Partners for smart PPE" in page.locator("#pending-h + form").inner_text()
    for reg in regs:
        page.locator(f"#tick-{reg.pk}").check()
    page.get_by_role("button", name="Approve the ticked").click()
    assert page.locator(".message").inner_text() == "2 approved, 1 on the waiting list, 0 rejected."
    assert "Fedustria" in page.locator("ol").last.inner_text()
    statuses = [Registration.objects.get(pk=r.pk).status for r in regs]
    assert statuses == ["approved", "approved", "waitlisted"]

    s.participant_withdraw(registration=Registration.objects.get(pk=regs[0].pk), by=regs[0].person)
    assert Registration.objects.get(pk=regs[2].pk).status == "approved"  # the waiting list moved up
    login(page, live_server, "p1", "/events/textiles-2099/participants/")
    card = page.locator(".card", has_text="Fedustria")
    assert "Innovation manager" in card.inner_text() and "Partners for smart PPE" in card.inner_text()
