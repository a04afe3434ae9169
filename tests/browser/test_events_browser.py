"""A participant registers and requests a meeting, the other accepts, the organiser runs the
scheduler, watches its progress bar and publishes; both see the agenda and download the .ics."""

import threading

import pytest
from django.db import connections

from clusterbridge.accounts.models import Role
from clusterbridge.events import services as s
from clusterbridge.core.jobs import job_run
from clusterbridge.events.models import Registration, ScheduleRun
from tests.browser.pages import login
from tests.factories.directory import make_org
from tests.factories import events as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_request_accept_schedule_publish_agenda(page, live_server, settings, mailoutbox, tmp_path,
                                                         monkeypatch):
    # The in-memory SQLite of the test server locks a table instead of waiting: no heartbeat writes
    # beside the page's polling (a file database, as in production, waits its turn).
    from clusterbridge.core import jobs

    monkeypatch.setattr(jobs, "HEARTBEAT_SECONDS", 3600)
    # Tasks are recorded, not run in the request, so the test can watch the run page wait and then progress.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    organiser = f.person("organiser", role=Role.PROGRAMME_OFFICER)
    ev = f.event(organiser, slots=4, tables=2, title_en="Taipei matchmaking")
    techtera = make_org("fr-techtera", name_en="Techtera", country="FR")
    anne = f.person("anne", organisation=techtera)
    tpca = f.participant(ev, organiser, country="TW", name="TPCA")

    login(page, live_server, "anne", f"/events/{ev.slug}/")
    page.get_by_label("Organisation").select_option(str(techtera.pk))
    page.get_by_role("checkbox").first.uncheck()  # not there for the first slot
    page.get_by_role("button", name="Register").click()
    assert "Waiting for approval" in page.content()
    mine = Registration.objects.get(person=anne)
    s.registration_decide(registration=mine, approve=True, by=organiser)
    page.reload()
    page.get_by_role("link", name="Find people to meet").click()
    page.locator(f"#p{tpca.pk}").get_by_text("Request a meeting").click()
    page.locator(f"#p{tpca.pk}").get_by_label("Message").fill("Smart textiles for electronics?")
    page.locator(f"#p{tpca.pk}").get_by_role("button", name="Send request").click()
    assert page.locator(".message").inner_text() == "Request sent to TPCA."

    login(page, live_server, tpca.person.username, f"/events/{ev.slug}/requests/")
    assert "Smart textiles for electronics?" in page.content()
    page.get_by_role("button", name="Accept").click()
    assert "Accepted" in page.locator(".cards").first.inner_text()

    login(page, live_server, "organiser", f"/events/{ev.slug}/organise/")
    page.get_by_label("Time limit (seconds)").fill("5")
    page.get_by_role("button", name="Run the scheduler").click()
    progress = page.locator("progress#progress")
    assert progress.is_visible() and progress.get_attribute("value") == "0"
    run = ScheduleRun.objects.get()
    def work():  # a task worker of its own: its database connection is closed when it is done
        try:
            job_run(job_id=run.job_id)
        finally:
            connections.close_all()

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    page.get_by_role("button", name="Publish and notify the participants").wait_for(timeout=15000)
    assert page.locator(".stats").inner_text().count("Best possible (proven)") == 1
    page.get_by_label("I have reviewed this schedule").check()
    page.get_by_role("button", name="Publish and notify the participants").click()
    assert page.locator(".message").inner_text().startswith("Published: 1 meetings scheduled")

    for name, other in (("anne", "TPCA"), (tpca.person.username, "Techtera")):
        login(page, live_server, name, f"/events/{ev.slug}/agenda/")
        rows = page.locator("#agenda tbody tr")
        booked = [rows.nth(i).inner_text() for i in range(rows.count()) if other in rows.nth(i).inner_text()]
        assert len(booked) == 1 and not booked[0].startswith("14:00")  # anne is away in the first slot
        with page.expect_download() as download:
            page.get_by_role("link", name="Download (.ics)").click()
        path = tmp_path / f"{name}.ics"
        download.value.save_as(path)
        assert b"BEGIN:VEVENT" in path.read_bytes() and other.encode() in path.read_bytes()
    from clusterbridge.accounts.models import InboxMessage

    # (E-mail copies go out through a background task, which this test's backend records without running.)
    assert set(InboxMessage.objects.filter(subject="Taipei matchmaking: your agenda is ready")
               .values_list("recipient__username", flat=True)) == {"anne", tpca.person.username}
