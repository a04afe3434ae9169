"""Background work of the directory: thin, takes ids, calls a service."""

from django_tasks import task

from . import services


@task()
def import_job_run(job_id: int) -> None:
    services.import_job_run(job_id=job_id)
