"""The one background-job component: claimed once, always ended, stoppable, swept."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from clusterbridge.accounts.models import Profile, Role
from clusterbridge.core import jobs
from clusterbridge.core.jobs import JobFailed, job_cancel, job_enqueue, job_kind, job_progress, job_run, jobs_sweep
from clusterbridge.core.models import Job

pytestmark = pytest.mark.django_db

CALLS = []


@job_kind("tests.count", label="count")
def _count(job, context):
    CALLS.append(job.pk)
    for n in range(1, job.params["n"] + 1):
        context.progress(n, job.params["n"], last=n)
        context.raise_if_stopped()
    return {"counted": job.params["n"]}


@job_kind("tests.refuse", label="refuse")
def _refuse(job, context):
    raise JobFailed(["row 2, column country: \"XX\" is not a country"], {"rows": 3})


@job_kind("tests.crash", label="crash")
def _crash(job, context):
    raise ZeroDivisionError


@job_kind("tests.stop_self", label="stop")
def _stop_self(job, context):
    context.progress(1, 10)
    job_cancel(job=job)  # somebody presses stop while it works
    context.progress(2, 10)
    context.raise_if_stopped()
    return {"never": True}


@pytest.fixture
def officer():
    user = get_user_model().objects.create_user("officer", password="a-long-password-1")
    Profile.objects.create(user=user, role=Role.PROGRAMME_OFFICER)
    return user


def test_job_enqueue_records_first_and_dispatches_on_commit(django_capture_on_commit_callbacks):
    CALLS.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_enqueue(kind="tests.count", params={"n": 3})
    assert (Job.objects.get(pk=job.pk).status, CALLS, len(callbacks)) == ("queued", [], 1)
    callbacks[0]()  # the commit: the immediate backend runs it at once
    job.refresh_from_db()
    assert (job.status, job.result, job.done, job.total, CALLS) == ("done", {"counted": 3}, 3, 3, [job.pk])
    assert job_progress(job) == {"status": "done", "done": 3, "total": 3, "percent": 100, "last": 3,
                                 "waiting_for_queue": False}


def test_job_enqueue_refuses_an_unknown_kind():
    with pytest.raises(ValueError) as error:
        job_enqueue(kind="tests.nothing")
    assert str(error.value) == "no job kind 'tests.nothing' is registered"


def test_job_run_claims_a_job_once():
    CALLS.clear()
    job = Job.objects.create(kind="tests.count", params={"n": 2})
    assert job_run(job_id=job.pk).status == "done"
    assert job_run(job_id=job.pk).status == "done"  # a second delivery of the same task
    assert CALLS == [job.pk]


def test_job_failed_keeps_the_errors_and_the_result():
    job = job_run(job_id=Job.objects.create(kind="tests.refuse", data=b"x,y").pk)
    assert (job.status, job.errors, job.result, bytes(job.data)) == (
        "failed", ['row 2, column country: "XX" is not a country'], {"rows": 3}, b"")


def test_a_crash_never_leaves_a_job_running(caplog):
    job = job_run(job_id=Job.objects.create(kind="tests.crash").pk)
    assert (job.status, job.errors) == ("failed", ["internal error: ZeroDivisionError"])
    assert [r.getMessage() for r in caplog.records if r.name == "clusterbridge.core.jobs"] == [
        f"job {job.pk} (tests.crash) failed"]


def test_a_job_of_a_kind_this_version_lacks_fails_with_the_reason():
    job = job_run(job_id=Job.objects.create(kind="tests.removed").pk)
    assert (job.status, job.errors) == ("failed", ["no job kind 'tests.removed' is registered in this version"])


def test_stop_ends_a_queued_job_at_once_and_it_never_runs():
    CALLS.clear()
    job = Job.objects.create(kind="tests.count", params={"n": 2})
    job_cancel(job=job)
    job.refresh_from_db()
    assert (job.status, job.finished_at is not None) == ("cancelled", True)
    assert job_run(job_id=job.pk).status == "cancelled"
    assert CALLS == []


def test_stop_asks_a_running_job_to_stop_at_its_next_report():
    job = job_run(job_id=Job.objects.create(kind="tests.stop_self").pk)
    assert (job.status, job.result, job.cancel_requested, job.done) == ("cancelled", {}, True, 2)


def test_sweep_fails_a_running_job_whose_heartbeat_stopped_and_leaves_a_live_one():
    long_ago = timezone.now() - dt.timedelta(minutes=5)
    dead = Job.objects.create(kind="tests.count", status="running", started_at=long_ago, heartbeat_at=long_ago)
    live = Job.objects.create(kind="tests.count", status="running", started_at=long_ago, heartbeat_at=timezone.now())
    assert jobs_sweep() == {"failed": 1, "dispatched": 0}
    dead.refresh_from_db()
    live.refresh_from_db()
    assert (dead.status, dead.errors, live.status) == (
        "failed", ["the worker running this job stopped; start it again"], "running")


def test_sweep_hands_over_a_job_whose_dispatch_failed():
    CALLS.clear()
    job = Job.objects.create(kind="tests.count", params={"n": 1}, dispatched_at=timezone.now(),
                             dispatch_error="ConnectionError: Error 111 connecting to 127.0.0.1:6390")
    assert jobs_sweep() == {"failed": 0, "dispatched": 1}  # the immediate backend runs it
    job.refresh_from_db()
    assert (job.status, job.dispatch_error, CALLS) == ("done", "", [job.pk])


def test_sweep_leaves_a_recently_dispatched_job_to_its_worker():
    job = Job.objects.create(kind="tests.count", params={"n": 1}, dispatched_at=timezone.now(), task_id="abc")
    assert jobs_sweep() == {"failed": 0, "dispatched": 0}
    assert Job.objects.get(pk=job.pk).status == "queued"


def test_progress_endpoint_is_for_the_author_and_officers_only(client, officer):
    job = Job.objects.create(kind="tests.count", params={"n": 4}, created_by=officer, status="running",
                             done=1, total=4)
    other = get_user_model().objects.create_user("member", password="a-long-password-1")
    client.force_login(other)
    assert client.get(f"/jobs/{job.pk}/progress/").status_code == 403
    assert client.post(f"/jobs/{job.pk}/stop/").status_code == 403
    client.force_login(officer)
    assert client.get(f"/jobs/{job.pk}/progress/").json() == {
        "status": "running", "done": 1, "total": 4, "percent": 25, "waiting_for_queue": False}
    response = client.post(f"/jobs/{job.pk}/stop/", {"next": "https://elsewhere.example/"})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert Job.objects.get(pk=job.pk).cancel_requested is True


@pytest.mark.django_db(transaction=True)  # the heartbeat writes through its own connection
def test_heartbeat_writes_progress_to_the_row_while_the_job_runs(monkeypatch):
    monkeypatch.setattr(jobs, "HEARTBEAT_SECONDS", 0.05)
    monkeypatch.setattr(jobs, "STOP_CHECK_SECONDS", 0.01)
    seen = {}

    @job_kind("tests.slow", label="slow")
    def _slow(job, context):
        import time

        context.progress(7, 9)
        time.sleep(0.4)
        row = Job.objects.get(pk=job.pk)
        seen.update(done=row.done, total=row.total, beat=row.heartbeat_at > row.started_at)
        return {}

    job_run(job_id=Job.objects.create(kind="tests.slow").pk)
    assert seen == {"done": 7, "total": 9, "beat": True}


@pytest.mark.django_db(transaction=True)
def test_thread_backend_runs_the_job_after_the_page_answered(settings):
    """Without Redis, a started job runs beside the request, not inside it."""
    import time

    settings.TASKS = {"default": {"BACKEND": "clusterbridge.core.task_backends.ThreadBackend"}}

    @job_kind("tests.nap", label="nap")
    def _nap(job, context):
        time.sleep(0.5)
        return {"slept": True}

    job = job_enqueue(kind="tests.nap")  # autocommit: dispatched at once
    assert Job.objects.get(pk=job.pk).status in ("queued", "running")  # inline, it would be done
    for _ in range(600):  # a busy machine (the whole suite beside it) may take a while to start the thread
        if Job.objects.get(pk=job.pk).status == "done":
            break
        time.sleep(0.05)
    assert Job.objects.get(pk=job.pk).result == {"slept": True}


@pytest.mark.django_db(transaction=True)
def test_job_run_now_waits_for_whoever_took_the_job():
    import threading
    import time

    from django.db import connections

    from clusterbridge.core.jobs import job_run_now

    job = Job.objects.create(kind="tests.count", params={"n": 1}, status="running")

    def other_worker():
        time.sleep(0.3)
        Job.objects.filter(pk=job.pk).update(status="done", result={"counted": 1})
        connections.close_all()

    threading.Thread(target=other_worker).start()
    assert (job_run_now(job_id=job.pk).status, Job.objects.get(pk=job.pk).result) == ("done", {"counted": 1})
