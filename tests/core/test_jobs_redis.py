"""With Redis down the site serves, jobs wait in the database, stop always works, and a queued
scheduler run completes once Redis is back.

Needs a Redis that this test may stop and start: REDIS_URL pointing at it and
CLUSTERBRIDGE_REDIS_DISPOSABLE=1 (the CI's Redis step starts one on its own port)."""

import os
import shutil
import subprocess
import time
from urllib.parse import urlparse

import pytest

from clusterbridge.core.jobs import jobs_sweep
from clusterbridge.core.models import Job
from tests.factories import events as f

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not os.environ.get("REDIS_URL") or os.environ.get("CLUSTERBRIDGE_REDIS_DISPOSABLE") != "1",
                       reason="needs REDIS_URL at a Redis it may stop (CLUSTERBRIDGE_REDIS_DISPOSABLE=1)"),
    pytest.mark.django_db(transaction=True),
]


def _port() -> int:
    return urlparse(os.environ["REDIS_URL"]).port or 6379


def _ping() -> bool:
    return subprocess.run(["redis-cli", "-p", str(_port()), "ping"], capture_output=True, text=True).stdout.strip() == "PONG"


def _redis_stop() -> None:
    subprocess.run(["redis-cli", "-p", str(_port()), "shutdown", "nosave"], capture_output=True)
    for _ in range(50):
        if not _ping():
            return
        time.sleep(0.1)
    raise AssertionError("Redis did not stop")


def _redis_start() -> None:
    subprocess.run([shutil.which("redis-server") or "redis-server", "--port", str(_port()), "--bind", "127.0.0.1",
                    "--daemonize", "yes", "--save", "", "--appendonly", "no"], check=True, capture_output=True)
    for _ in range(50):
        if _ping():
            time.sleep(5.1)  # the cache leaves Redis alone for 5 s after a failure
            return
        time.sleep(0.1)
    raise AssertionError("Redis did not start")


@pytest.fixture
def redis_down():
    _redis_stop()
    try:
        yield
    finally:
        if not _ping():
            _redis_start()


def test_with_redis_down_pages_serve_runs_wait_and_complete_once_redis_is_back(client, redis_down, mailoutbox):
    import django_rq
    from django_tasks_rq import Job as RQJob
    from rq import SimpleWorker

    organiser = f.person("organiser")
    ev = f.event(organiser, slots=3, tables=2)
    a, b = f.participant(ev, organiser), f.participant(ev, organiser)
    f.agreed(a, b)
    client.force_login(organiser)
    for path in ("/", "/organisations/", "/events/", f"/events/{ev.slug}/", f"/events/{ev.slug}/organise/"):
        assert (path, client.get(path).status_code) == (path, 200)

    response = client.post(f"/events/{ev.slug}/organise/", {"action": "schedule", "time_limit": 5})
    run = ev.runs.get()
    assert response["Location"] == f"/events/{ev.slug}/organise/runs/{run.pk}/"
    job = Job.objects.get(pk=run.job_id)
    assert (job.status, job.dispatch_error.startswith("ConnectionError")) == ("queued", True)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "The task queue cannot be reached just now" in page.content.decode()

    # Stop works without the broker, and the set-up page is no longer locked.
    client.post(f"/jobs/{job.pk}/stop/", {"next": response["Location"]})
    assert Job.objects.get(pk=job.pk).status == "cancelled"
    assert client.post(f"/events/{ev.slug}/organise/setup/", {"action": "tables_add", "tables-tables": "1"}).status_code == 302
    assert ev.tables.count() == 3

    client.post(f"/events/{ev.slug}/organise/", {"action": "schedule", "time_limit": 5})
    second = ev.runs.order_by("-created_at").first()
    assert Job.objects.get(pk=second.job_id).status == "queued"

    # Everything made while Redis was away waited: the run, the notice e-mails, the search refresh.
    waiting = Job.objects.filter(status="queued")
    assert sorted(set(waiting.values_list("kind", flat=True))) == ["accounts.notice_mail", "events.schedule",
                                                                   "matching.refresh"]
    assert all(j.dispatch_error.startswith("ConnectionError") for j in waiting)
    _redis_start()
    queue = django_rq.get_queue("default")
    queue.empty()
    assert jobs_sweep(redispatch_after=0) == {"failed": 0, "dispatched": waiting.count()}
    assert queue.count == waiting.count()
    django_rq.get_worker("default", worker_class=SimpleWorker, job_class=RQJob).work(burst=True)
    assert sorted(set(Job.objects.values_list("status", flat=True))) == ["cancelled", "done"]
    notices = Job.objects.filter(kind="accounts.notice_mail")
    assert len(mailoutbox) == sum(len(j.params["messages"]) for j in notices) > 0
    second.refresh_from_db()
    assert (second.job.status, second.status, second.result["status"]) == ("done", "done", "OPTIMAL")
    client.post(f"/events/{ev.slug}/organise/runs/{second.pk}/", {"confirm": "1"})
    assert ev.meetings.get().status == "scheduled"


def test_a_job_lost_by_a_redis_restart_is_handed_over_again(redis_down, mailoutbox):
    """Redis here keeps nothing on disk: a restart empties the queue, the job row remembers."""
    import django_rq
    from django_tasks_rq import Job as RQJob
    from rq import SimpleWorker

    _redis_start()
    organiser = f.person("organiser")
    ev = f.event(organiser, slots=2, tables=1)
    a, b = f.participant(ev, organiser), f.participant(ev, organiser)
    f.agreed(a, b)
    from clusterbridge.events import services

    run = services.schedule_run_create(event=ev, by=organiser, time_limit=5)
    job = Job.objects.get(pk=run.job_id)
    assert (job.status, job.dispatch_error, bool(job.task_id)) == ("queued", "", True)
    _redis_stop()
    _redis_start()
    assert django_rq.get_queue("default").count == 0
    lost = Job.objects.filter(status="queued").count()
    assert jobs_sweep(redispatch_after=0) == {"failed": 0, "dispatched": lost}
    django_rq.get_worker("default", worker_class=SimpleWorker, job_class=RQJob).work(burst=True)
    assert Job.objects.get(pk=job.pk).status == "done"


def test_the_shared_versions_hold_while_redis_is_away_and_a_change_meanwhile_is_written_out_after(sectors):
    """Without this, every page rebuilt the in-memory directory and search indexes while Redis was
    down (a new random version at each read): seconds per page (bench/load.py, Redis restart)."""
    from django.core.cache import cache

    from clusterbridge.directory.selectors import VERSION_KEY, directory_version
    from clusterbridge.directory.services import directory_changed

    before = directory_version()
    _redis_stop()
    try:
        assert directory_version() == directory_version() == before  # the last version seen holds
        directory_changed()  # a write while Redis is away: this process sees it at once
        changed = directory_version()
        assert changed != before and directory_version() == changed
    finally:
        _redis_start()
    assert directory_version() == changed
    assert cache.get(VERSION_KEY) == changed  # written out for the other processes once Redis is back
