"""The one task every background job goes through (see `core/jobs.py`)."""

from django_tasks import task


@task()
def job_run_task(job_id: int) -> str:
    from .jobs import job_run

    return job_run(job_id=job_id).status
