"""The import page queues a background task and shows its progress."""

import os

import pytest
from django.contrib.auth import get_user_model

from clusterbridge.accounts.models import Profile, Role
from clusterbridge.core.models import Job
from clusterbridge.directory.models import Organisation
from clusterbridge.directory.services import import_job_create

CSV = ("external_id,name_en,kind,country,sectors\n"
       "tw-1,TPCA,industry_association,TW,C26\nfr-1,Techtera,cluster_organisation,FR,13\n").encode()


@pytest.fixture
def officer(db):
    user = get_user_model().objects.create_user("officer", password="a-long-password-1")
    Profile.objects.create(user=user, role=Role.PROGRAMME_OFFICER)
    return user


def upload(client, data, name="orgs.csv", dry_run=False):
    from django.core.files.uploadedfile import SimpleUploadedFile

    form = {"file": SimpleUploadedFile(name, data)}
    if dry_run:
        form["dry_run"] = "on"
    return client.post("/organisations/import/", form)


@pytest.mark.skipif(bool(os.environ.get("REDIS_URL")), reason="runs the task in-process")
def test_upload_runs_the_import_and_reports_done(client, officer, sectors, django_capture_on_commit_callbacks):
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, CSV)
    job = Job.objects.get(kind="directory.import")
    assert response.status_code == 302
    assert response["Location"] == f"/organisations/import/{job.id}/"
    assert (job.kind, job.status, job.result) == ("directory.import", "done",
                                                  {"created": 2, "updated": 0, "dry_run": False,
                                                   "changes": [], "changes_total": 0})
    assert client.get(f"/jobs/{job.id}/progress/").json() == {
        "status": "done", "done": 2, "total": 2, "percent": 100, "waiting_for_queue": False}
    assert "Imported: 2 new, 0 updated." in client.get(f"/organisations/import/{job.id}/").content.decode()
    assert Organisation.objects.count() == 2


@pytest.mark.skipif(bool(os.environ.get("REDIS_URL")), reason="runs the task in-process")
def test_upload_with_errors_fails_and_writes_nothing(client, officer, sectors, django_capture_on_commit_callbacks):
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, CSV.replace(b"TW,C26", b"TW,Z99"))
    job = Job.objects.get(kind="directory.import")
    assert (job.status, job.errors) == ("failed", [
        'row 2, column sectors: "Z99" is not a NACE Rev. 2 code (a section letter, or a division, group or class such as C26, C26.1, C26.11)'])
    assert Organisation.objects.count() == 0


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (the Redis task backend)")
@pytest.mark.django_db(transaction=True)
def test_import_job_goes_through_redis_and_an_rq_worker(officer, sectors):
    import django_rq
    from django_tasks_rq import Job as RQJob
    from rq import SimpleWorker

    queue = django_rq.get_queue("default")
    queue.empty()
    job = import_job_create(data=CSV, filename="orgs.csv", dry_run=False, user=officer)
    assert queue.count == 1  # queued in Redis, not run yet
    assert Job.objects.get(id=job.id).status == "queued"
    worker = django_rq.get_worker("default", worker_class=SimpleWorker, job_class=RQJob)
    worker.work(burst=True)
    job.refresh_from_db()
    assert (job.status, job.result["created"]) == ("done", 2)
    assert Organisation.objects.count() == 2
