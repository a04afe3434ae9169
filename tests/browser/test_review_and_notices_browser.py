"""Issue "what people saw", items 3 and 10 (in part): the scheduler's review says in the organiser's
language why meetings were left out, grouped, and when capacity is the cause says what would help
in one line; publishing asks for confirmation; notices read in the reader's language."""

import pytest

from clusterbridge.accounts.models import Role
from tests.browser.pages import login
from tests.factories import events as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def crowded(db, mailoutbox):
    """One table and two slots for six agreed meetings between twelve organisations: the places,
    not the people, leave four meetings out."""
    organiser = f.person("organiser", role=Role.PROGRAMME_OFFICER)
    ev = f.event(organiser, slug="crowded", slots=2, tables=1, title_en="Hsinchu matchmaking",
                 title_zh="新竹媒合會")
    regs = [f.participant(ev, organiser, name=f"Org {n:02d}") for n in range(12)]
    for n in range(0, 12, 2):
        f.agreed(regs[n], regs[n + 1])
    run = f.schedule(ev, organiser)
    return {"event": ev, "run": run, "organiser": organiser, "regs": regs}


def test_review_groups_the_causes_and_names_the_capacity_in_both_languages(page, live_server, crowded):
    ev, run = crowded["event"], crowded["run"]
    login(page, live_server, "organiser", f"/events/{ev.slug}/organise/runs/{run.pk}/")
    capacity = page.locator("#capacity").inner_text()
    assert capacity.startswith("The 2 places (1 tables × 2 slots) are what leaves 4 requested meetings out")
    assert "2 more tables, or one more session, would place about 2 more meetings" in capacity
    causes = page.locator(".causes > li")
    assert causes.count() == 1  # four identical reasons read as one line with its count
    assert causes.first.locator("summary").inner_text().startswith("4 · no table was free")
    assert "r" + str(crowded["regs"][0].pk) not in page.locator("main").inner_text()  # names, not ids
    assert "Best possible (proven)" in page.locator(".stats").inner_text()
    page.get_by_role("button", name="中文").click()
    assert "個席次（1 桌 × 2 個時段）已用完" in page.locator("#capacity").inner_text()
    assert "雙方都能出席的時段已無空桌" in page.locator(".causes").inner_text()
    assert page.locator("h1").inner_text().startswith("排程執行")
    assert "新竹媒合會" in page.title()


def test_publishing_asks_for_confirmation_first(page, live_server, crowded):
    ev, run = crowded["event"], crowded["run"]
    login(page, live_server, "organiser", f"/events/{ev.slug}/organise/runs/{run.pk}/")
    assert "notify the 4 participants with meetings" in page.locator("form.publish").inner_text()
    page.get_by_role("button", name="Publish and notify the participants").click()
    assert page.url.endswith(f"/organise/runs/{run.pk}/")  # the browser holds it back: the box is required
    assert ev.meetings.filter(status="scheduled").count() == 0
    page.get_by_label("I have reviewed this schedule").check()
    page.get_by_role("button", name="Publish and notify the participants").click()
    assert page.locator(".message").inner_text().startswith("Published: 2 meetings scheduled")


def test_notices_read_in_the_readers_language(page, live_server, crowded):
    ev, run = crowded["event"], crowded["run"]
    from clusterbridge.events import services as s

    s.schedule_publish(run=run, by=crowded["organiser"])
    person = ev.registrations.filter(bookings__isnull=False).first().person
    login(page, live_server, person.username, "/accounts/inbox/")
    assert "Hsinchu matchmaking: your agenda is ready" in page.locator(".cards").inner_text()
    page.get_by_role("button", name="中文").click()
    inbox = page.locator(".cards").inner_text()
    assert "新竹媒合會：您的行程已排定" in inbox and "your agenda" not in inbox
    assert page.get_by_label("通知與電子郵件語言").input_value() == "zh-hant"  # the switch chose it too


def test_the_two_parties_talk_about_a_request(page, live_server, mailoutbox):
    from clusterbridge.events import services as s

    organiser = f.person("organiser", role=Role.PROGRAMME_OFFICER)
    ev = f.event(organiser, slug="talk", title_en="Taichung matchmaking", title_zh="台中媒合會")
    a, b = f.participant(ev, organiser, name="Techtera"), f.participant(ev, organiser, name="PMC")
    s.meeting_request_send(sender=a, recipient=b, by=a.person, message="Smart textiles for machine covers?")
    login(page, live_server, b.person.username, "/events/talk/requests/")
    page.get_by_label("Write to them").fill("Which fibres do you use? We need flame retardancy.")
    page.get_by_role("button", name="Send the message").click()
    assert page.locator(".message").inner_text() == "Message sent."
    assert "flame retardancy" in page.locator(".thread li.ours").inner_text()
    login(page, live_server, a.person.username, "/accounts/inbox/")
    assert "Taichung matchmaking: a message from PMC" in page.locator(".cards").inner_text()
    page.goto(live_server.url + "/zh-hant/events/talk/requests/")
    assert "flame retardancy" in page.locator(".thread li.theirs").inner_text()
    page.get_by_label("回覆對方").fill("Aramid blends; samples at the event.")
    page.get_by_role("button", name="送出訊息").click()
    assert page.locator(".thread li").count() == 2
