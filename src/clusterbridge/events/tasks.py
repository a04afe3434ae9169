"""Background work of the events app: thin, takes ids, calls a service."""

from django_tasks import task

from . import services


@task()
def schedule_run_execute(run_id: int) -> None:
    services.schedule_run_execute(run_id=run_id)
