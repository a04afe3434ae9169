"""Event pages: permissions, forms through the services."""

import pytest

from clusterbridge.accounts.models import Role
from clusterbridge.events.models import MeetingRequest, Registration

from tests.factories import events as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser():
    return f.person("organiser", role=Role.PROGRAMME_OFFICER)


def test_member_registers_with_availability_through_the_page(client, organiser):
    from tests.factories.directory import make_org

    ev = f.event(organiser, slots=3)
    org = make_org("fr-x", name_en="Techtera")
    user = f.person("anne", organisation=org)
    client.force_login(user)
    page = client.get(f"/events/{ev.slug}/")
    assert "Untick the slots when you are not available" in page.content.decode()
    slots = list(ev.slots.all())
    client.post(f"/events/{ev.slug}/", {"organisation": org.pk, "available": [slots[0].pk, slots[2].pk]})
    reg = Registration.objects.get()
    assert (reg.status, [s.index for s in reg.unavailable.all()]) == ("pending", [2])
    assert client.get(f"/events/{ev.slug}/participants/").status_code == 403
    assert client.get(f"/events/{ev.slug}/organise/").status_code == 403


def test_participant_requests_and_the_other_accepts_through_the_pages(client, organiser):
    ev = f.event(organiser)
    a, b = f.participant(ev, organiser, name="Techtera"), f.participant(ev, organiser, name="TPCA")
    client.force_login(a.person)
    html = client.get(f"/events/{ev.slug}/participants/").content.decode()
    assert "TPCA" in html
    client.post(f"/events/{ev.slug}/participants/", {"recipient": b.pk, "message": "Smart textiles", "priority": 3})
    request = MeetingRequest.objects.get()
    assert (request.priority, request.message) == (3, "Smart textiles")
    again = client.post(f"/events/{ev.slug}/participants/", {"recipient": b.pk}, follow=True)
    assert "a request between you and TPCA is already open" in again.content.decode()
    client.force_login(b.person)
    client.post(f"/events/{ev.slug}/requests/", {"request": request.pk, "action": "accept"})
    assert ev.meetings.count() == 1


def test_organiser_approves_runs_and_publishes_through_the_pages(client, organiser, django_capture_on_commit_callbacks):
    ev = f.event(organiser, slots=3, tables=2)
    a, b = f.participant(ev, organiser), f.participant(ev, organiser)
    waiting = f.participant(ev, organiser, approve=False)
    f.agreed(a, b)
    client.force_login(organiser)
    client.post(f"/events/{ev.slug}/organise/", {"action": "approve", "registration": waiting.pk})
    waiting.refresh_from_db()
    assert waiting.status == "approved"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/events/{ev.slug}/organise/", {"action": "schedule", "time_limit": 5})
    run = ev.runs.get()
    assert response["Location"] == f"/events/{ev.slug}/organise/runs/{run.pk}/"
    assert client.get(f"/jobs/{run.job_id}/progress/").json()["status"] == "done"
    client.post(response["Location"], {"action": "publish"})  # not confirmed: nothing published
    assert ev.meetings.get().status != "scheduled"
    client.post(response["Location"], {"action": "publish", "confirm": "1"})
    assert ev.meetings.get().status == "scheduled"
    client.force_login(a.person)
    html = client.get(f"/events/{ev.slug}/agenda/").content.decode()
    assert str(b) in html
    ics = client.get(f"/events/{ev.slug}/agenda.ics")
    assert ics["Content-Type"] == "text/calendar; charset=utf-8" and b"BEGIN:VEVENT" in ics.content


def test_check_in_flags_meetings_whose_other_party_is_absent(client, organiser):
    from clusterbridge.events import services as s

    ev = f.event(organiser, slots=2, tables=1)
    a, b = f.participant(ev, organiser, name="Techtera"), f.participant(ev, organiser, name="TPCA")
    f.agreed(a, b)
    run = f.schedule(ev, organiser)
    s.schedule_publish(run=run, by=organiser)
    client.force_login(organiser)
    client.post(f"/events/{ev.slug}/organise/check-in/", {"registration": a.pk, "present": "1", "q": "Tech"})
    html = client.get(f"/events/{ev.slug}/organise/check-in/?q=Tech").content.decode()
    assert "1 of 2 checked in" in html and "TPCA (absent)" in html
    xlsx = client.get(f"/events/{ev.slug}/organise/export.xlsx")
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(xlsx.content))
    assert book.sheetnames == ["registrations", "requests", "meetings"]
    assert list(book["meetings"].iter_rows(values_only=True))[1][:3] == ("Techtera", "TPCA", "scheduled")


def test_officer_creates_an_event_with_sessions_and_tables(client, organiser):
    client.force_login(organiser)
    management = {"sessions-TOTAL_FORMS": 3, "sessions-INITIAL_FORMS": 0, "sessions-MIN_NUM_FORMS": 0,
                  "sessions-MAX_NUM_FORMS": 10}
    data = {"title_en": "Global Industrie matchmaking", "slug": "gi-2027", "kinds": ["C2C", "B2B"],
            "venue": "Lyon", "time_zone": "Europe/Paris", "registration_opens": "2027-01-10T09:00",
            "registration_closes": "2027-02-28T18:00", "requests_need_acceptance": "on", "max_meetings": 12,
            "allowed_countries": "fr, tw", "tables": "Table A\nTable B", **management,
            "sessions-0-name": "AM", "sessions-0-starts_at": "2027-03-08T09:00", "sessions-0-slot_minutes": 20,
            "sessions-0-slot_count": 6, "sessions-0-pause_minutes": 5,
            "sessions-1-name": "PM", "sessions-1-starts_at": "2027-03-08T14:00", "sessions-1-slot_minutes": 30,
            "sessions-1-slot_count": 4}
    bad = client.post("/events/new/", {**data, "allowed_countries": "France"})
    assert "Not a two-letter code: FRANCE" in bad.content.decode()
    response = client.post("/events/new/", data)
    assert response["Location"] == "/events/gi-2027/organise/"
    from clusterbridge.events.models import Event

    event = Event.objects.get(slug="gi-2027")
    slots = list(event.slots.all())
    import zoneinfo

    paris = zoneinfo.ZoneInfo("Europe/Paris")
    assert (len(slots), slots[1].starts_at.astimezone(paris).strftime("%H:%M"),
            slots[6].starts_at.astimezone(paris).strftime("%H:%M")) == (10, "09:25", "14:00")
    assert (list(event.tables.values_list("name", flat=True)), event.allowed_countries, event.kinds) == (
        ["Table A", "Table B"], ["FR", "TW"], ["C2C", "B2B"])
    client.force_login(f.person())
    assert client.get("/events/new/").status_code == 403


def test_organiser_adds_a_meeting_directly(client, organiser):
    ev = f.event(organiser)
    a, b = f.participant(ev, organiser), f.participant(ev, organiser)
    client.force_login(organiser)
    client.post(f"/events/{ev.slug}/organise/", {"action": "meeting", "first": a.pk, "second": b.pk, "required": "1"})
    same = client.post(f"/events/{ev.slug}/organise/", {"action": "meeting", "first": b.pk, "second": a.pk},
                       follow=True)
    assert f"{b} and {a} already have a meeting" in same.content.decode()
    meeting = ev.meetings.get()
    assert (meeting.required, meeting.request) == (True, None)


def test_participant_changes_availability_withdraws_and_prints_the_agenda(client, organiser):
    ev = f.event(organiser, slots=3)
    a, b = f.participant(ev, organiser), f.participant(ev, organiser)
    f.agreed(a, b)
    client.force_login(a.person)
    slots = list(ev.slots.all())
    client.post(f"/events/{ev.slug}/", {"action": "availability", "available": [slots[0].pk]})
    assert sorted(s.index for s in a.unavailable.all()) == [2, 3]
    pdf = client.get(f"/events/{ev.slug}/agenda.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    client.post(f"/events/{ev.slug}/", {"action": "withdraw"})
    a.refresh_from_db()
    assert (a.status, ev.meetings.get().status) == ("withdrawn", "cancelled")


def test_request_notice_reaches_the_inbox_and_an_e_mail(organiser, mailoutbox, django_capture_on_commit_callbacks):
    from clusterbridge.accounts.models import InboxMessage
    from clusterbridge.events import services as s

    ev = f.event(organiser)
    a, b = f.participant(ev, organiser, name="Techtera"), f.participant(ev, organiser, name="TPCA")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        s.meeting_request_send(sender=a, recipient=b, by=a.person, message="Smart textiles for PCBs?")
    notice = InboxMessage.objects.get(recipient=b.person, subject__endswith="asks to meet you")
    assert notice.subject == "Matchmaking: Techtera asks to meet you"
    assert notice.body == ("Techtera asks to meet TPCA. Accept or decline on your requests page.\n\n"
                           "Smart textiles for PCBs?")
    (mail,) = mailoutbox
    assert (mail.subject, mail.to) == ("Matchmaking: Techtera asks to meet you", [b.person.email])
    assert mail.body.endswith(f"Smart textiles for PCBs?\n\nhttp://127.0.0.1:8000/events/{ev.slug}/requests/")


def test_notices_speak_the_readers_language(client, organiser, mailoutbox, django_capture_on_commit_callbacks):
    """Stored with their parameters: the inbox shows a notice in the page's language, and the
    e-mail goes out in the language the person chose (with the language switch)."""
    from clusterbridge.events import services as s

    ev = f.event(organiser, title_en="Taipei matchmaking", title_zh="台北媒合會")
    a, b = f.participant(ev, organiser, name="Techtera"), f.participant(ev, organiser, name="TPCA")
    client.force_login(b.person)
    client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        s.meeting_request_send(sender=a, recipient=b, by=a.person, message="")
    (mail,) = mailoutbox
    assert mail.subject == "台北媒合會：Techtera 希望與您會談"
    assert f"http://127.0.0.1:8000/zh-hant/events/{ev.slug}/requests/" in mail.body
    english = client.get("/accounts/inbox/").content.decode()
    chinese = client.get("/zh-hant/accounts/inbox/").content.decode()
    assert "Taipei matchmaking: Techtera asks to meet you" in english
    assert "台北媒合會：Techtera 希望與您會談" in chinese and "asks to meet" not in chinese
    client.post("/accounts/inbox/language/", {"language": "en"})  # chosen apart from the site's language
    c = f.participant(ev, organiser, name="Fedustria")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        s.meeting_request_send(sender=c, recipient=b, by=c.person, message="")
    assert [m.subject for m in mailoutbox] == ["Taipei matchmaking: Fedustria asks to meet you"]


def test_organiser_sees_and_edits_a_participants_availability(client, organiser):
    ev = f.event(organiser, slots=3)
    a = f.participant(ev, organiser, name="Techtera")
    client.force_login(organiser)
    assert "availability" in client.get(f"/events/{ev.slug}/organise/check-in/?q=Tech").content.decode()
    page = f"/events/{ev.slug}/organise/availability/{a.pk}/"
    assert client.get(page).status_code == 200
    slots = list(ev.slots.all())
    client.post(page, {"available": [slots[1].pk, slots[2].pk]})
    assert [s.index for s in a.unavailable.all()] == [1]
    client.force_login(a.person)
    assert client.get(page).status_code == 403


def test_organiser_changes_sessions_tables_and_details_on_the_setup_page(client, organiser):
    ev = f.event(organiser, slots=2, tables=2)
    member = f.person()
    client.force_login(member)
    assert client.get(f"/events/{ev.slug}/organise/setup/").status_code == 403
    client.force_login(organiser)
    page = client.get(f"/events/{ev.slug}/organise/setup/").content.decode()
    assert 'value="2099-06-05T14:00"' in page  # the session's start, in the event's time zone
    url = f"/events/{ev.slug}/organise/setup/"
    client.post(url, {"action": "session_add", "new-name": "AM", "new-starts_at": "2099-06-05T09:00",
                      "new-slot_minutes": 30, "new-slot_count": 3, "new-pause_minutes": 0})
    assert [(x.index, x.session.name, x.starts_at.astimezone(f.TAIPEI).strftime("%H:%M"))
            for x in ev.slots.select_related("session")] == [
        (1, "AM", "09:00"), (2, "AM", "09:30"), (3, "AM", "10:00"), (4, "PM", "14:00"), (5, "PM", "14:20")]
    pm = ev.sessions.get(name="PM")
    client.post(url, {"action": "session_save", "session": pm.pk, f"s{pm.pk}-starts_at": "2099-06-05T15:00",
                      f"s{pm.pk}-slot_minutes": 20, f"s{pm.pk}-slot_count": 1, f"s{pm.pk}-pause_minutes": 0})
    assert ev.slots.count() == 4
    refused = client.post(url, {"action": "session_add", "new-name": "Clash", "new-starts_at": "2099-06-05T09:15",
                                "new-slot_minutes": 20, "new-slot_count": 1}).content.decode()
    assert "session Clash starts before session AM ends (2099-06-05 10:30)" in refused
    client.post(url, {"action": "tables_add", "tables-tables": "Room A\nRoom B"})
    assert list(ev.tables.values_list("name", flat=True)) == ["Table 1", "Table 2", "Room A", "Room B"]
    room = ev.tables.get(name="Room B")
    client.post(url, {"action": "table_save", "table": room.pk, "name": "Room C", "link": ""})
    client.post(url, {"action": "table_delete", "table": ev.tables.get(name="Table 2").pk})
    assert list(ev.tables.values_list("name", flat=True)) == ["Table 1", "Room A", "Room C"]
    client.post(url, {"action": "details", "title_en": "Matchmaking 2099", "kinds": ["C2C", "C2B"],
                      "time_zone": "Asia/Taipei", "registration_opens": "2020-01-01T00:00",
                      "registration_closes": "2099-05-31T18:00", "requests_need_acceptance": "on"})
    ev.refresh_from_db()
    assert (ev.title_en, ev.kinds, ev.registration_closes.astimezone(f.TAIPEI).strftime("%m-%d %H:%M")) == (
        "Matchmaking 2099", ["C2C", "C2B"], "05-31 18:00")
