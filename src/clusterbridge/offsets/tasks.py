"""Background work of the ICP: thin, takes ids, calls a service."""

from django_tasks import task

from . import services


@task()
def history_import_run(job_id: int) -> None:
    services.history_import_run(job_id=job_id)
