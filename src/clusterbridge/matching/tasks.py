"""Background work of partner search: thin, calls a service."""

from django_tasks import task

from . import services


@task()
def search_documents_refresh() -> None:
    services.search_documents_refresh()
